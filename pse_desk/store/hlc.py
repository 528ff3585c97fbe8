"""Hybrid logical clock: sortable text stamps ``{wall_ms:013d}-{counter:04d}-{device}``.

Every synced row carries the HLC of its last change; comparing two stamps as strings orders
them by wall time, then counter, then device id (a total order that every desk agrees on).
See Kulkarni et al., "Logical Physical Clocks" (2014).

The counter has four digits: past 9999 within one millisecond the clock moves on to the next
millisecond (logical time may run a few milliseconds ahead of the wall clock; the physical
clock catches up). ``reserve(n)`` hands out ``n`` consecutive stamps at once as a ``StampBlock``,
for writers that stamp thousands of rows in one SQL statement (``StampBlock.sql``).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Stamp:
    wall_ms: int
    counter: int
    device: str

    def __str__(self) -> str:
        return f"{self.wall_ms:013d}-{self.counter:04d}-{self.device}"

    @classmethod
    def parse(cls, text: str) -> Stamp:
        wall, counter, device = text.split("-", 2)
        return cls(int(wall), int(counter), device)


COUNTER_LIMIT = 10_000  # stamps per millisecond that four counter digits can tell apart


@dataclass(frozen=True)
class StampBlock:
    """``count`` consecutive stamps reserved from a clock: ``at(0)`` … ``at(count - 1)``."""

    wall_ms: int
    counter: int
    device: str
    count: int

    def at(self, index: int) -> str:
        if not 0 <= index < self.count:
            raise IndexError(f"stamp {index} of a block of {self.count}")
        wall, counter = divmod(self.counter + index, COUNTER_LIMIT)
        return str(Stamp(self.wall_ms + wall, counter, self.device))

    def sql(self, index_sql: str) -> str:
        """An SQLite expression for ``at(<index_sql>)``, with the block's numbers inlined.

        ``index_sql`` is an integer expression of the statement (a row number from 0).
        """
        device = self.device.replace("'", "''")
        step = f"({self.counter} + ({index_sql}))"
        return (f"printf('%013d-%04d-%s', {self.wall_ms} + {step} / {COUNTER_LIMIT}, "
                f"{step} % {COUNTER_LIMIT}, '{device}')")


class HybridClock:
    """Issues strictly increasing stamps for one device; thread-safe."""

    def __init__(self, device: str, now_ms: Callable[[], int] | None = None) -> None:
        if "-" in device:
            # the device id is the last field; it may not contain the separator
            device = device.replace("-", "")
        self.device = device
        self._now_ms = now_ms or (lambda: time.time_ns() // 1_000_000)
        self._wall = 0
        self._counter = 0
        self._lock = threading.Lock()

    def _tick(self) -> None:
        """Move to the next stamp: the wall clock if it went on, else the next counter."""
        physical = self._now_ms()
        if physical > self._wall:
            self._wall, self._counter = physical, 0
        else:
            self._advance(1)

    def now(self) -> str:
        """A new stamp for a local change."""
        with self._lock:
            self._tick()
            return str(Stamp(self._wall, self._counter, self.device))

    def reserve(self, count: int) -> StampBlock:
        """``count`` new stamps at once (each later than any stamp issued before)."""
        if count < 1:
            raise ValueError("reserve at least one stamp")
        with self._lock:
            self._tick()
            block = StampBlock(self._wall, self._counter, self.device, count)
            self._advance(count - 1)
            return block

    def _advance(self, steps: int) -> None:
        # the caller holds the lock
        wall, self._counter = divmod(self._counter + steps, COUNTER_LIMIT)
        self._wall += wall

    def observe(self, remote: str) -> None:
        """Advance past a stamp received from elsewhere, so later local stamps sort after it."""
        other = Stamp.parse(remote)
        with self._lock:
            physical = self._now_ms()
            wall = max(self._wall, other.wall_ms, physical)
            if wall == self._wall == other.wall_ms:
                counter = max(self._counter, other.counter) + 1
            elif wall == self._wall:
                counter = self._counter + 1
            elif wall == other.wall_ms:
                counter = other.counter + 1
            else:
                counter = 0
            self._wall, self._counter = wall, 0
            self._advance(counter)
