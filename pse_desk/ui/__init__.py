"""The Qt user interface: main window, workspaces, item models, actions, workers and themes.

Only this package (and ``pse_desk.app``) imports PySide6 or qtawesome; widgets translate between
Qt and the services below and hold no domain logic.
"""

import ctypes
import sys

_SINGLETON_GUARD = 1 << 40


def guard_singleton_refcounts() -> None:
    """Make ``None``, ``True`` and ``False`` immortal, as Python 3.12 does.

    PySide6 6.12 on Python 3.11 drops a reference it never took to None/True/False on every
    void- or bool-returning call (Signal.emit, QTimer.start, runJavaScript, QTest.keyClick …);
    after a few thousand calls CPython frees one and aborts ("none_dealloc"/"bool_dealloc").
    Adding 2**40 references once keeps them alive for good; harmless if PySide is fixed, and
    safe to call more than once. Importing any UI module runs it first (below).
    """
    if sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return  # immortal already
    for singleton in (None, True, False):
        count = ctypes.c_ssize_t.from_address(id(singleton))
        if count.value < _SINGLETON_GUARD:
            count.value += _SINGLETON_GUARD


guard_singleton_refcounts()
