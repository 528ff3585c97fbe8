"""Pin windows: when a pinned item is live, which pins can never be, and which ones overlap.

A pinned item is live while ``pinned_from`` ≤ moment < ``pinned_until`` (``None``: open on that
side). Times are naive UTC as the store keeps them; an aware value that slipped in is read as
the UTC moment it names, so comparing never raises.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime

from pse_desk.layout.values import Item

_EARLIEST = datetime.min
_LATEST = datetime.max


def naive(value: datetime) -> datetime:
    """``value`` as naive UTC."""
    if value.tzinfo is None:
        return value
    try:
        return value.astimezone(UTC).replace(tzinfo=None)
    except OverflowError:  # an aware moment on the edge of datetime's range
        return value.replace(tzinfo=None)


def ends_before_start(item: Item) -> bool:
    """A pin whose window is empty: it ends before, or when, it starts."""
    if item.pinned_from is None or item.pinned_until is None:
        return False
    return naive(item.pinned_until) <= naive(item.pinned_from)


def is_live(item: Item, at: datetime) -> bool:
    """Unpinned items are always live; a pinned one only inside its window."""
    if not item.pinned:
        return True
    if ends_before_start(item):
        return False
    at = naive(at)
    if item.pinned_from is not None and at < naive(item.pinned_from):
        return False
    return item.pinned_until is None or at < naive(item.pinned_until)


def window(item: Item) -> tuple[datetime, datetime]:
    """The pin's window with open ends made the earliest and latest moments."""
    start = _EARLIEST if item.pinned_from is None else naive(item.pinned_from)
    end = _LATEST if item.pinned_until is None else naive(item.pinned_until)
    return start, end


def overlapping_pairs(pins: Sequence[Item], at: datetime) -> Iterator[tuple[Item, Item]]:
    """Pairs of pins (in ``pins``' order within a pair) whose windows overlap, each pair once.

    Only pins that can still be live count: a window that is empty or already over at ``at``
    overlaps nothing. A sweep by start time, so the cost is O(n log n) plus the pairs read.
    """
    at = naive(at)
    windows = [(window(p), i) for i, p in enumerate(pins)
               if p.pinned and not ends_before_start(p) and window(p)[1] > at]
    windows.sort()
    running: list[tuple[datetime, int]] = []  # (end, place in pins) of windows still open
    for (start, end), i in windows:
        while running and running[0][0] <= start:
            heapq.heappop(running)
        for _end, j in running:
            yield pins[min(i, j)], pins[max(i, j)]
        heapq.heappush(running, (end, i))


def overlap_of(first: Item, second: Item) -> tuple[datetime | None, datetime | None]:
    """Where two windows overlap; ``None`` for an open end."""
    start = max(window(first)[0], window(second)[0])
    end = min(window(first)[1], window(second)[1])
    return (None if start == _EARLIEST else start), (None if end == _LATEST else end)
