"""The hybrid logical clock: stamps only go forward and sort as text the way they sort as time."""

from __future__ import annotations

import sqlite3
import threading

from hypothesis import given
from hypothesis import strategies as st

from pse_desk.store.hlc import COUNTER_LIMIT, HybridClock, Stamp


class FakeTime:
    """A wall clock the test moves by hand (it may stand still or jump back)."""

    def __init__(self, ms: int = 1_700_000_000_000) -> None:
        self.ms = ms

    def __call__(self) -> int:
        return self.ms


def test_stamps_increase_while_the_wall_clock_stands_still() -> None:
    clock = HybridClock("deskA", FakeTime())
    stamps = [clock.now() for _ in range(50)]
    assert stamps == sorted(stamps)
    assert len(set(stamps)) == 50


def test_stamps_keep_increasing_when_the_wall_clock_goes_back() -> None:
    time = FakeTime()
    clock = HybridClock("deskA", time)
    before = clock.now()
    time.ms -= 60_000  # an NTP correction moved the clock back a minute
    after = clock.now()
    assert after > before
    assert Stamp.parse(after).wall_ms == Stamp.parse(before).wall_ms


def test_counter_resets_when_the_wall_clock_moves_on() -> None:
    time = FakeTime()
    clock = HybridClock("deskA", time)
    clock.now()
    clock.now()
    time.ms += 5
    assert Stamp.parse(clock.now()) == Stamp(time.ms, 0, "deskA")


def test_observing_a_remote_stamp_from_the_future_orders_later_local_stamps_after_it() -> None:
    time = FakeTime()
    clock = HybridClock("deskA", time)
    remote = str(Stamp(time.ms + 3_600_000, 7, "deskB"))  # a desk whose clock runs an hour fast
    clock.observe(remote)
    assert clock.now() > remote


def test_observing_a_remote_stamp_with_the_same_wall_time_orders_after_its_counter() -> None:
    time = FakeTime()
    clock = HybridClock("deskA", time)
    remote = str(Stamp(time.ms, 41, "deskB"))
    clock.observe(remote)
    assert Stamp.parse(clock.now()) > Stamp(time.ms, 41, "zzzz")


def test_observing_an_old_remote_stamp_does_not_move_the_clock_back() -> None:
    time = FakeTime()
    clock = HybridClock("deskA", time)
    latest = clock.now()
    clock.observe(str(Stamp(time.ms - 10_000, 3, "deskB")))
    assert clock.now() > latest


def test_a_stamp_survives_str_and_parse() -> None:
    stamp = Stamp(1_700_000_000_123, 42, "a1b2c3")
    assert str(stamp) == "1700000000123-0042-a1b2c3"
    assert Stamp.parse(str(stamp)) == stamp


def test_a_device_id_with_the_separator_still_parses_back() -> None:
    clock = HybridClock("desk-with-dashes", FakeTime())
    assert Stamp.parse(clock.now()).device == clock.device
    assert "-" not in clock.device


def test_stamps_from_many_threads_are_all_distinct() -> None:
    clock = HybridClock("deskA", FakeTime())
    seen: list[str] = []
    lock = threading.Lock()

    def issue() -> None:
        mine = [clock.now() for _ in range(200)]
        with lock:
            seen.extend(mine)

    threads = [threading.Thread(target=issue) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(seen)) == 800


def test_a_reserved_block_is_the_stamps_now_would_have_issued_one_by_one() -> None:
    one_by_one = HybridClock("deskA", FakeTime())
    expected = [one_by_one.now() for _ in range(25)]
    blocks = HybridClock("deskA", FakeTime())
    first = blocks.now()
    block = blocks.reserve(23)
    assert [first, *(block.at(i) for i in range(23)), blocks.now()] == expected


def test_past_9999_stamps_in_one_millisecond_the_clock_moves_to_the_next() -> None:
    time = FakeTime()
    clock = HybridClock("deskA", time)
    block = clock.reserve(COUNTER_LIMIT + 5)
    stamps = [block.at(i) for i in range(block.count)]
    assert stamps == sorted(stamps) and len(set(stamps)) == block.count
    assert Stamp.parse(stamps[-1]) == Stamp(time.ms + 1, 4, "deskA")
    assert clock.now() > stamps[-1]
    one_by_one = [clock.now() for _ in range(COUNTER_LIMIT + 5)]
    assert one_by_one == sorted(one_by_one)
    assert all(len(s) == len(stamps[0]) for s in one_by_one)


def test_a_block_s_sql_expression_makes_the_same_stamps() -> None:
    clock = HybridClock("deskA", FakeTime())
    clock.now()
    block = clock.reserve(COUNTER_LIMIT * 2)
    con = sqlite3.connect(":memory:")
    indexes = (0, 1, 9_998, 9_999, 10_000, COUNTER_LIMIT * 2 - 1)
    for i in indexes:
        (made,) = con.execute(f"SELECT {block.sql('i')} FROM (SELECT ? AS i)", (i,)).fetchone()
        assert made == block.at(i)


stamps = st.builds(Stamp, wall_ms=st.integers(0, 10**13 - 1), counter=st.integers(0, 9999),
                   device=st.text("abcdef0123456789", min_size=1, max_size=12))


@given(stamps, stamps)
def test_text_order_of_stamps_is_their_time_order(a: Stamp, b: Stamp) -> None:
    assert (str(a) < str(b)) == (a < b)
    assert (str(a) == str(b)) == (a == b)


@given(stamps)
def test_any_stamp_round_trips_through_text(stamp: Stamp) -> None:
    assert Stamp.parse(str(stamp)) == stamp


@given(st.lists(st.tuples(st.sampled_from(["tick", "observe", "back"]),
                          st.integers(0, 5_000), st.integers(0, 50)), max_size=60))
def test_local_stamps_are_strictly_increasing_whatever_happens(
        events: list[tuple[str, int, int]]) -> None:
    time = FakeTime()
    clock = HybridClock("deskA", time)
    last = clock.now()
    for kind, ms, counter in events:
        if kind == "tick":
            time.ms += ms
        elif kind == "back":
            time.ms -= ms
        else:
            remote = str(Stamp(time.ms + ms - 2_500, counter, "deskB"))
            clock.observe(remote)
            nxt = clock.now()
            assert nxt > remote
        nxt = clock.now()
        assert nxt > last
        last = nxt
