"""What the GUI thread does while work runs, counted in turns of its event loop, not in
milliseconds (how long things take is measured by the benchmarks, README.md: Benchmarks).

``Turns`` is a 1 ms timer on the GUI thread: each beat is a turn of the event loop that ran,
and it can sample a value at every beat (an editor's length, say: several lengths seen while
a big text goes in means it went in a slice per turn). ``CallsElsewhere`` wraps a method and
records the threads that call it, and how many turns the GUI made while a call was running:
none if the call ran on the GUI thread, many if it ran elsewhere.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtCore import QTimer


class Turns:
    """A heartbeat on the GUI thread, started and stopped as a context manager."""

    def __init__(self, interval_ms: int = 1) -> None:
        self.count = 0
        self._on_beat: list[Callable[[], None]] = []
        self.timer = QTimer()
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self._beat)

    def _beat(self) -> None:
        self.count += 1
        for call in self._on_beat:
            call()

    def on_beat(self, call: Callable[[], None]) -> None:
        self._on_beat.append(call)

    def sample(self, value: Callable[[], object]) -> list[object]:
        """``value()`` at every beat, in a list that fills while the heartbeat runs."""
        seen: list[object] = []
        self.on_beat(lambda: seen.append(value()))
        return seen

    def __enter__(self) -> Turns:
        self.timer.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.timer.stop()


class CallsElsewhere:
    """``owner.name`` wrapped: the threads and arguments of its calls, and the GUI's turns
    (beats of ``turns``) while one of them was running."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, owner: Any, name: str,
                 turns: Turns) -> None:
        self.threads: list[int] = []
        self.args: list[tuple[Any, ...]] = []
        self.turns_during = 0
        self._running = 0
        real = getattr(owner, name)

        def wrapped(this: Any, *args: Any, **kwargs: Any) -> Any:
            self.threads.append(threading.get_ident())
            self.args.append(args)
            self._running += 1
            try:
                return real(this, *args, **kwargs)
            finally:
                self._running -= 1

        monkeypatch.setattr(owner, name, wrapped)
        turns.on_beat(self._beat)

    def _beat(self) -> None:
        if self._running:
            self.turns_during += 1

    @property
    def off_the_gui_thread(self) -> bool:
        """Called at least once, and never on the GUI (main) thread."""
        return bool(self.threads) and threading.main_thread().ident not in self.threads


def slices_seen(lengths: list[object], before: int, after: int) -> int:
    """How many lengths strictly between ``before`` and ``after`` were seen: the turns of the
    event loop that ran while a text went in, each after one more slice."""
    return len({n for n in lengths if isinstance(n, int) and before < n < after})
