"""The burst guard on a hand-moved clock: reading pace passes, typing pace trips and stays
tripped until the moderator carries on, and the burst's own decisions are named."""

from __future__ import annotations

import pytest

from pse_desk.moderation.burst import BurstGuard


class Clock:
    """Seconds from whole milliseconds, so that 300 ms is exactly the window."""

    def __init__(self) -> None:
        self.ms = 0

    def __call__(self) -> float:
        return self.ms / 1000


def keys(guard: BurstGuard, clock: Clock, gaps_ms: list[int]) -> list[int | None]:
    out = []
    for gap in gaps_ms:
        clock.ms += gap
        out.append(guard.admit())
    return out


def test_decisions_at_reading_pace_are_all_admitted() -> None:
    clock = Clock()
    guard = BurstGuard(clock=clock)
    tickets = keys(guard, clock, [0, 400, 350, 500, 310, 2000, 120, 120, 400])
    assert None not in tickets and len(set(tickets)) == len(tickets)
    assert not guard.tripped


def test_a_fourth_key_within_300_ms_trips_the_guard_and_names_the_three_before() -> None:
    clock = Clock()
    guard = BurstGuard(clock=clock)
    first = keys(guard, clock, [0, 60, 60])
    assert None not in first
    assert guard.admit() is None  # 4 keys within 120 ms
    assert guard.tripped and guard.burst == tuple(first)


def test_once_tripped_every_key_is_refused_however_slow_until_carry_on() -> None:
    clock = Clock()
    guard = BurstGuard(clock=clock)
    keys(guard, clock, [0, 50, 50, 50])
    assert keys(guard, clock, [50, 5000, 60000]) == [None, None, None]
    assert guard.refused == 4
    guard.carry_on()
    assert not guard.tripped and guard.burst == ()
    assert None not in keys(guard, clock, [0, 100, 100])  # counted afresh after carrying on


def test_the_window_slides_so_only_keys_in_the_last_300_ms_count() -> None:
    clock = Clock()
    guard = BurstGuard(clock=clock)
    assert None not in keys(guard, clock, [0, 200, 200, 200, 200])  # never 4 within 300 ms
    ticket, refused = keys(guard, clock, [50, 40])  # at 850 ms: 600 and 800 are in the window
    assert ticket is not None and refused is None  # at 890 ms: 600, 800 and 850 are
    assert guard.tripped and guard.burst[-1] == ticket and len(guard.burst) == 3


def test_a_key_exactly_300_ms_after_the_first_of_three_still_counts_in_the_burst() -> None:
    clock = Clock()
    guard = BurstGuard(clock=clock)
    keys(guard, clock, [0, 100, 100])
    assert keys(guard, clock, [100]) == [None]


def test_limit_and_window_are_settings() -> None:
    clock = Clock()
    guard = BurstGuard(limit=1, window_s=1.0, clock=clock)
    assert keys(guard, clock, [0, 1001]) != [None, None]
    assert keys(guard, clock, [999]) == [None]
    with pytest.raises(ValueError):
        BurstGuard(limit=0)
