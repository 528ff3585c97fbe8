"""Decision keys that come faster than a person reads: noticed, stopped, and named.

A moderator reads a comment before deciding it; a burst of a, r and s keys in a fraction of a
second is typing meant for somewhere else (issue 8: after Enter in the search box the focus
moves to the table, and the next query's letters decided twelve comments in a second).
``BurstGuard.admit()`` is asked before each decision key is acted on. More than ``limit`` keys
within ``window_s`` seconds trip it: that key and every later one are refused until
``carry_on()``, and ``burst`` names the tickets of the decisions the burst did make, so the
desk can offer to undo them. The clock is injectable; nothing here knows about Qt.
"""

from __future__ import annotations

import time
from collections.abc import Callable

LIMIT = 3         # decision keys ...
WINDOW_S = 0.3    # ... within this many seconds; one more trips the guard


class BurstGuard:
    """Admits decision keys at reading pace; trips on a burst and stays tripped until told."""

    def __init__(self, limit: int = LIMIT, window_s: float = WINDOW_S,
                 clock: Callable[[], float] = time.monotonic) -> None:
        if limit < 1:
            raise ValueError("the limit must admit at least one key")
        self.limit, self.window_s, self._clock = limit, window_s, clock
        self._recent: list[tuple[float, int]] = []  # (time, ticket) of admitted keys
        self._next_ticket = 1
        self.burst: tuple[int, ...] = ()  # tickets of the keys acted on in the burst
        self.refused = 0  # keys refused since the guard tripped

    @property
    def tripped(self) -> bool:
        return self.refused > 0

    def admit(self) -> int | None:
        """A decision key arrived: a ticket (> 0) to act on it, or None to ignore it."""
        now = self._clock()
        if self.tripped:
            self.refused += 1
            return None
        self._recent = [(at, t) for at, t in self._recent if now - at <= self.window_s]
        if len(self._recent) >= self.limit:
            self.burst = tuple(t for _at, t in self._recent)
            self._recent = []
            self.refused = 1
            return None
        ticket, self._next_ticket = self._next_ticket, self._next_ticket + 1
        self._recent.append((now, ticket))
        return ticket

    def carry_on(self) -> None:
        """The moderator has seen the question: admit keys again, counting afresh."""
        self._recent, self.burst, self.refused = [], (), 0
