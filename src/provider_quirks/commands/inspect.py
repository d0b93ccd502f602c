"""``quirks inspect PATH``: the normalized observation of each interaction of a cassette.

The debugging view of one recording, and proof that the readers understand recordings made
by other tools: any vcrpy cassette of the six providers is accepted.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from provider_quirks.cassette import CassetteError, Interaction, load_cassette
from provider_quirks.commands import CommandError
from provider_quirks.observe import observe
from provider_quirks.providers import PROVIDERS, Provider, detect_provider


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("inspect", help="print the normalized observation of each interaction")
    parser.add_argument("path", type=Path, help="a vcrpy cassette (YAML or JSON)")
    parser.add_argument("--provider", choices=sorted(PROVIDERS), help="when the URI does not tell")
    parser.set_defaults(handler=run)


def observe_interaction(interaction: Interaction, provider: Provider) -> dict[str, Any]:
    headers = {name: values[0] for name, values in interaction.response_headers.items() if values}
    return observe(provider, interaction.status, headers, interaction.response_body, interaction.uri).inspect_view()


def run(args: argparse.Namespace) -> int:
    try:
        cassette = load_cassette(args.path)
    except CassetteError as error:
        raise CommandError(str(error)) from None
    views = []
    for index, interaction in enumerate(cassette.interactions):
        provider = PROVIDERS[args.provider] if args.provider else detect_provider(interaction.uri, PROVIDERS)
        if provider is None:
            raise CommandError(
                f"{args.path}: interaction {index} ({interaction.uri}): unknown provider; pass --provider"
            )
        views.append(observe_interaction(interaction, provider))
    print(json.dumps(views, indent=2, ensure_ascii=False))
    return 0
