"""Stop sending to a provider that is down: a circuit breaker and a wall-clock budget per provider.

A live run must end in bounded time when a provider is down, and must not fail over it. So a
provider is stopped for the rest of the run, its remaining cells ``inconclusive`` and not sent:

- after ``limit`` transient answers in a row (a 429 once its ``retry-after`` was honoured, 5xx,
  529, a reset, a body cut short), retries included;
- at once when a request gets no answer within the timeout: a hang costs one timeout, not one per
  retry and per cell;
- when its wall-clock budget, counted from its first request, has run out (or a retry would have
  to wait past it).

Each stop is one line, e.g. ``anthropic: 503 on 3 requests in a row``; the cells it spares say
``not sent: <line>``, and the terminal summary counts them (:func:`summary_lines`).

The state lives in the process (in ``run_state.RunState``). That is enough for a serial run, where a
live run sends one provider's cells after the other (the plugin orders them so), and so the
drift workflow runs serially. Under xdist, ``--dist loadgroup`` should keep a provider's cells in
one worker, but with pytest-xdist 3.8 it does not (issue #1386): spread over several workers, a
provider is stopped by each worker's breaker on its own, the cost of an outage multiplied by the
number of workers, and still bounded.
An OpenAI-compatible target is a server of its own, so it has a breaker of its own
(:func:`breaker_name`).
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from provider_quirks.results import CellResult
from provider_quirks.targets import Target

NOT_SENT = "not sent: "


def breaker_name(target: Target) -> str:
    """What one breaker guards: a provider, or a target that is a server of its own."""
    return target.id if target.provider.one_server_per_variant else target.provider.name


def not_sent(line: str) -> str:
    """The reason of a cell that a stopped provider did not send."""
    return f"{NOT_SENT}{line}"


@dataclass
class Breakers:
    """Every provider's breaker and budget in this process."""

    limit: int = 3
    budget_seconds: float = 240.0
    clock: Callable[[], float] = time.monotonic
    _streaks: dict[str, list[str]] = field(default_factory=dict)
    _started: dict[str, float] = field(default_factory=dict)
    _stopped: dict[str, str] = field(default_factory=dict)

    def stopped(self, name: str) -> str | None:
        """The line that stopped ``name``, or None while it may still be sent to."""
        if name not in self._stopped and self._over_budget(name, 0.0):
            self._stop_for_budget(name)
        return self._stopped.get(name)

    def sending(self, name: str) -> None:
        """A request is about to go out: the budget counts from the first one."""
        self._started.setdefault(name, self.clock())

    def answered(self, name: str, transient: str | None) -> None:
        """Count an answer: ``transient`` says in a word what was transient ("503", "connection reset")."""
        if transient is None:
            self._streaks.pop(name, None)
            return
        streak = self._streaks.setdefault(name, [])
        streak.append(transient)
        if len(streak) >= self.limit:
            kinds = ", ".join(dict.fromkeys(streak))
            self._stopped.setdefault(name, f"{name}: {kinds} on {len(streak)} requests in a row")

    def stop(self, name: str, why: str) -> None:
        """Stop at once (a request that hung)."""
        self._stopped.setdefault(name, f"{name}: {why}")

    def may_wait(self, name: str, seconds: float) -> bool:
        """Whether a retry may wait ``seconds``; one that would end past the budget stops the provider now."""
        if self._over_budget(name, seconds):
            self._stop_for_budget(name)
            return False
        return True

    def _over_budget(self, name: str, ahead: float) -> bool:
        started = self._started.get(name)
        return started is not None and self.clock() + ahead - started > self.budget_seconds

    def _stop_for_budget(self, name: str) -> None:
        line = f"{name}: its {self.budget_seconds:g} s budget (--quirks-provider-budget) ran out"
        self._stopped.setdefault(name, line)


def summary_lines(cells: Iterable[CellResult]) -> list[str]:
    """One line per stopped provider that spared cells: why it stopped, and how many cells were not sent."""
    spared = Counter(
        cell.reason.removeprefix(NOT_SENT)
        for cell in cells
        if cell.status == "inconclusive" and cell.reason and cell.reason.startswith(NOT_SENT)
    )
    return [
        f"{line}; its other cell was not sent" if count == 1 else f"{line}; its other {count} cells were not sent"
        for line, count in sorted(spared.items())
    ]
