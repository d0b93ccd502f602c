"""What a gateway changes: each probe whose answer through LiteLLM differs from the server's own.

The local gateway targets (``localserver.targets``) put LiteLLM's proxy in front of the same
llama-server that answers the direct targets, with the same requests, so any difference in what
the answer *is* (outcome, status, error type, finish reason, how the stream is framed) was made
by the gateway. Sample values (text, token counts, ids) are not compared.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from provider_quirks.localserver.targets import LOCAL_TARGETS
from provider_quirks.report.model import CellView, Report


@dataclass(frozen=True)
class GatewayDifference:
    quirk: str
    probe: str
    gateway: str
    backend: str
    #: field -> (the server's value, the value through the gateway)
    fields: Mapping[str, tuple[Any, Any]]


def answer_form(observed: Mapping[str, Any]) -> dict[str, Any]:
    """What an answer is, apart from its sample values."""
    error = observed.get("error") or {}
    stream = observed.get("stream") or {}
    form = {
        "outcome": observed.get("outcome"),
        "status": observed.get("status"),
        "error type": error.get("type"),
        "finish_reason": observed.get("finish_reason"),
        "tool calls": [call.get("name") for call in observed.get("tool_calls") or []],
    }
    if stream:
        form |= {
            "usage in the stream": stream.get("usage_location"),
            "[DONE]": stream.get("done_sentinel"),
            "SSE event names": bool(stream.get("event_names")),
        }
    return form


def gateway_differences(report: Report) -> list[GatewayDifference]:
    """Every probe answered both directly and through a gateway, whose answers differ in form."""
    cells: dict[tuple[str, str], CellView] = {(cell.quirk, cell.target): cell for cell in report.cells()}
    found = []
    for gateway, local in LOCAL_TARGETS.items():
        if not local.via_gateway:
            continue
        backend = f"{gateway.partition('@')[0]}@{local.server}"
        for view in report.quirks:
            through, direct = cells.get((view.quirk.id, gateway)), cells.get((view.quirk.id, backend))
            if through is None or direct is None:
                continue
            answered = {probe.id: probe.observed for probe in direct.probes if probe.observed}
            for probe in through.probes:
                if probe.observed is None or probe.id not in answered:
                    continue
                before, after = answer_form(answered[probe.id]), answer_form(probe.observed)
                fields = {key: (before.get(key), after.get(key)) for key in after if before.get(key) != after.get(key)}
                if fields:
                    found.append(GatewayDifference(view.quirk.id, probe.id, gateway, backend, fields))
    return found
