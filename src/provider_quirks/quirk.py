"""A quirk: one documented difference between providers, and the probes that show it.

Quirk modules under ``quirks/`` declare a ``QUIRK``; the pytest plugin turns it into one test
per target. A probe is one exact request; ``chat_with`` derives it from each provider's minimal
chat request so a quirk module only states what differs (the field that is the quirk). Shapes
that differ per wire format (turns, tools, streaming) are the dialect's to write: ``per_dialect``
asks every dialect for its version of one change.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from provider_quirks.dialects import DIALECTS, WireDialect
from provider_quirks.observed_fields import REST_SHAPE, Shape
from provider_quirks.targets import CORE_TARGETS, Target, resolve_target
from provider_quirks.wire import NotApplicable, WireRequest

BuildResult = WireRequest | NotApplicable
#: How a probe changes the minimal request: body fields to set, a function, or "not applicable".
Change = Mapping[str, Any] | Callable[[WireRequest], BuildResult] | NotApplicable


@dataclass(frozen=True)
class Probe:
    """One exact request. ``shows_workaround`` marks the probe that shows the quirk's ``workaround`` works."""

    id: str
    summary: str
    build: Callable[[Target], BuildResult]
    shows_workaround: bool = False


@dataclass(frozen=True)
class Quirk:
    """Catalog entry. Texts are the onboarding reference: written for a newcomer."""

    id: str
    title: str
    category: str
    summary: str
    why_it_matters: str
    workaround: str
    probes: tuple[Probe, ...]
    claim: str | None = None
    sources: tuple[str, ...] = ()
    targets: tuple[str, ...] = CORE_TARGETS
    #: Observation fields whose sample value is itself what the quirk shows (a model list, the raw
    #: text a server returns instead of a tool call). Only these may be pinned to a value; every
    #: other incidental value (ids, text, token and event counts) is asserted as a relation or not
    #: at all, and ``tests/test_incidental_variation.py`` varies it to prove so.
    pinned: tuple[str, ...] = ()

    def observed_fields(self) -> Shape:
        """The fields an expectation of this quirk may name: a REST observation's."""
        return REST_SHAPE

    def resolve(self, target_id: str) -> Target:
        """One of ``targets`` as a Target; SDK quirks name SDK clients instead (``provider_quirks.sdk``)."""
        return resolve_target(target_id)

    def probe(self, probe_id: str) -> Probe:
        for probe in self.probes:
            if probe.id == probe_id:
                return probe
        raise KeyError(probe_id)


def chat_with(changes: Mapping[str, Change], otherwise: str | None = None) -> Callable[[Target], BuildResult]:
    """A probe builder from per-target changes to the provider's minimal chat request.

    ``changes`` is keyed by target id, provider name or dialect, looked up in that order,
    so a quirk can say "on every OpenAI-style API" once and still single out one target.
    A target with no entry is not applicable, for the reason ``otherwise``.
    """

    def build(target: Target) -> BuildResult:
        for key in (target.id, target.provider.name, target.provider.dialect.name):
            if key in changes:
                return apply_change(target.provider.minimal_chat(target.variant), changes[key])
        return NotApplicable(otherwise or f"no such request on {target.provider.title}")

    return build


def per_dialect(change: Callable[[WireDialect], Change]) -> dict[str, Change]:
    """One change written by each dialect, keyed by its name: ``per_dialect(lambda d: d.force_tool("f"))``."""
    return {name: change(dialect) for name, dialect in DIALECTS.items()}


def every_dialect(change: Change) -> dict[str, Change]:
    """The same change on every dialect: ``chat_with(every_dialect({}))`` is each target's minimal request."""
    return per_dialect(lambda dialect: change)


def conversation(*turns: tuple[str, str]) -> dict[str, Change]:
    """The same (role, text) turns, written by each dialect."""
    return per_dialect(lambda dialect: dialect.conversation(turns))


#: The minimal request, streamed, on every dialect (Gemini as an event stream).
STREAMED: dict[str, Change] = per_dialect(lambda dialect: dialect.stream)


def apply_change(request: WireRequest, change: Change) -> BuildResult:
    if isinstance(change, NotApplicable):
        return change
    if callable(change):
        return change(request)
    return request.with_fields(change)
