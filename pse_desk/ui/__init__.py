"""The Qt user interface: main window, workspaces, item models, actions, workers and themes.

Only this package (and ``pse_desk.app``) imports PySide6 or qtawesome; widgets translate between
Qt and the services below and hold no domain logic.
"""

import ctypes
import sys

if sys.version_info < (3, 12):
    # PySide6 6.12 on Python 3.11 drops a reference to None/True/False on every void- or
    # bool-returning call (Signal.emit, QTimer.start, runJavaScript, QTest.keyClick …); after a
    # few thousand calls the interpreter aborts with "none_dealloc"/"bool_dealloc". Give the
    # three singletons a huge reference count once, as Python 3.12 makes them immortal anyway.
    # Importing any UI module runs this first, so the whole application is covered.
    for _singleton in (None, True, False):
        _count = ctypes.c_ssize_t.from_address(id(_singleton))
        if _count.value < 1 << 40:
            _count.value += 1 << 40
