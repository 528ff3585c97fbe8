"""Hybrid logical clock: sortable text stamps ``{wall_ms:013d}-{counter:04d}-{device}``.

Every synced row carries the HLC of its last change; comparing two stamps as strings orders
them by wall time, then counter, then device id (a total order that every desk agrees on).
See Kulkarni et al., "Logical Physical Clocks" (2014).
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

    def now(self) -> str:
        """A new stamp for a local change."""
        with self._lock:
            physical = self._now_ms()
            if physical > self._wall:
                self._wall, self._counter = physical, 0
            else:
                self._counter += 1
            return str(Stamp(self._wall, self._counter, self.device))

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
            self._wall, self._counter = wall, counter
