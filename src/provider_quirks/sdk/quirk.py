"""SDK quirks and probes: the REST quirk's catalog entry, with calls into an SDK instead of requests.

An ``SdkQuirk`` is a ``Quirk`` (same texts, same expectation file, same report), whose targets
are SDK clients (``openai-sdk@AzureOpenAI``) and whose probes call the client. Probes are keyed
like ``chat_with``: by target id, then SDK name; a target with no call is not applicable.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from provider_quirks.observed_fields import Shape, record_shape
from provider_quirks.providers import Variant
from provider_quirks.quirk import BuildResult, Probe, Quirk
from provider_quirks.sdk.clients import resolve_sdk_target, rest_target
from provider_quirks.sdk.observe import SdkObservation
from provider_quirks.targets import Target
from provider_quirks.wire import NotApplicable

#: A probe's call: the SDK client and the target's variant in, JSON-able facts about the result out.
Call = Callable[[Any, Variant], Mapping[str, Any]]


@dataclass(frozen=True)
class Replay:
    """The REST interaction whose answer an SDK probe replays (copied into the SDK cell's cassette)."""

    quirk: str
    target: str
    probe: str

    @property
    def ref(self) -> str:
        return f"cassettes/{self.quirk}/{self.target}.yaml#{self.probe}"


@dataclass(frozen=True)
class SdkCall:
    """What a probe does on one SDK, and the evidence answer it replays.

    Without an answer, a request the SDK sends is observed as unanswered: used where the SDK must
    refuse before sending, or where no public answer exists and only the request is checked.
    """

    run: Call
    answer: Replay | None = None


@dataclass(frozen=True)
class SdkProbe(Probe):
    """A probe whose calls are keyed by SDK target id, then SDK name (``openai-sdk``)."""

    calls: Mapping[str, SdkCall] | None = None

    def call(self, target: Target) -> SdkCall | None:
        calls = self.calls or {}
        for key in (target.id, target.provider.name):
            if key in calls:
                return calls[key]
        return None


def sdk_probe(
    id: str, summary: str, calls: Mapping[str, SdkCall], otherwise: str, shows_workaround: bool = False
) -> SdkProbe:
    """An SDK probe; its ``build`` only tells the catalog where it applies (the REST request it stands for)."""

    def build(target: Target) -> BuildResult:
        for key in (target.id, target.provider.name):
            if key in calls:
                rest = rest_target(target.id)
                return rest.provider.minimal_chat(rest.variant)
        return NotApplicable(otherwise)

    return SdkProbe(id=id, summary=summary, build=build, shows_workaround=shows_workaround, calls=calls)


@dataclass(frozen=True)
class SdkQuirk(Quirk):
    """A quirk checked through the SDKs; its targets are SDK clients (see ``sdk.clients``)."""

    def resolve(self, target_id: str) -> Target:
        return resolve_sdk_target(target_id)

    def observed_fields(self) -> Shape:
        """An SDK call's observation (``sdk.observe.SdkObservation``), not a REST answer's."""
        return SDK_SHAPE


#: What an SDK cell's expectation may name.
SDK_SHAPE: Shape = record_shape(SdkObservation)
