"""``quirks inspect PATH``: the normalized observation of each interaction of a cassette.

The debugging view of one recording, and proof that the readers understand recordings made
by other tools: any vcrpy cassette of the six providers is accepted. Each view ends with the
interaction's ``evidence``: for a reconstructed answer, which parts its source quotes and which
the suite filled in; for a recorded one, when and from which server; ``{"level": "none"}`` for a
cassette without an evidence block (another tool's).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from provider_quirks.cassette import Cassette, CassetteError, Interaction, load_cassette
from provider_quirks.commands import CommandError
from provider_quirks.observe import observe
from provider_quirks.provenance import evidence_view
from provider_quirks.providers import PROVIDERS, Provider, detect_provider


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("inspect", help="print the normalized observation of each interaction")
    parser.add_argument("path", type=Path, help="a vcrpy cassette (YAML or JSON)")
    parser.add_argument("--provider", choices=sorted(PROVIDERS), help="when the URI does not tell")
    parser.set_defaults(handler=run)


def inspect_interaction(cassette: Cassette, interaction: Interaction, provider: Provider) -> dict[str, Any]:
    """The documented observation keys, then ``evidence``."""
    headers = {name: values[0] for name, values in interaction.response_headers.items() if values}
    observation = observe(provider, interaction.status, headers, interaction.response_body, interaction.uri)
    return {**observation.inspect_view(), "evidence": evidence_view(cassette, interaction)}


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
        views.append(inspect_interaction(cassette, interaction, provider))
    print(json.dumps(views, indent=2, ensure_ascii=False))
    return 0
