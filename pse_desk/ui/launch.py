"""Starting the GUI: display check, QApplication, theme, the main window, screenshots and the
start-up probe.

Nothing heavy is imported before the window's first paint: the database is checked and opened
in a worker right after it (see ``MainWindow.start``). ``--screenshot`` renders offscreen,
waits until the shown workspace has its data and writes the PNG; ``PSE_DESK_STARTUP_PROBE=1``
prints ``first-paint <seconds since process start>`` at the first paint and quits
(``=data`` also waits for the data and prints ``data-ready <seconds>``).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from pse_desk.paths import APP_NAME, ORG_NAME, resolve_db_path

SCREENSHOT_SIZE = (1280, 800)
PROBE_ENV = "PSE_DESK_STARTUP_PROBE"
ICONS_AT_THE_LATEST_MS = 1500
NO_DISPLAY = ("PSE Desk needs a display to open its window; there is none here (no DISPLAY "
              "or WAYLAND_DISPLAY). To see it anyway, run: python3 main.py --screenshot desk.png")
_FALLBACK_T0 = time.perf_counter()


def seconds_since_process_start() -> float:
    """Wall time since this process started (from /proc on Linux, else since this import)."""
    try:
        with open("/proc/self/stat", encoding="ascii") as fh:
            start_ticks = int(fh.read().rsplit(")", 1)[1].split()[19])
        with open("/proc/uptime", encoding="ascii") as fh:
            uptime = float(fh.read().split()[0])
        return max(0.0, uptime - start_ticks / os.sysconf("SC_CLK_TCK"))
    except (OSError, ValueError, IndexError):
        return time.perf_counter() - _FALLBACK_T0


def display_missing(env: dict[str, str] | os._Environ[str] = os.environ) -> bool:
    return (sys.platform.startswith("linux") and not env.get("DISPLAY")
            and not env.get("WAYLAND_DISPLAY") and not env.get("QT_QPA_PLATFORM"))


def _quiet_offscreen_warnings() -> None:
    """Drop the offscreen plugin's "does not support propagateSizeHints()" chatter; every
    other Qt message still reaches stderr."""
    from PySide6.QtCore import QtMsgType, qInstallMessageHandler

    def handler(kind: QtMsgType, _context: object, message: str) -> None:
        if "propagateSizeHints" not in message:
            print(message, file=sys.stderr)

    qInstallMessageHandler(handler)


def launch_gui(args: argparse.Namespace) -> int:
    screenshot: str | None = getattr(args, "screenshot", None)
    probe = os.environ.get(PROBE_ENV, "")
    if screenshot:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    elif display_missing():
        print(NO_DISPLAY, file=sys.stderr)
        return 1

    from PySide6.QtCore import QCoreApplication, QSettings  # noqa: F401 (fails fast if Qt broken)
    from PySide6.QtWidgets import QApplication

    from pse_desk.ui import settings as keys
    from pse_desk.ui.main_window import MainWindow
    from pse_desk.ui.theme import apply_theme

    if screenshot or probe:
        _quiet_offscreen_warnings()
    QCoreApplication.setOrganizationName(ORG_NAME)
    QCoreApplication.setApplicationName(APP_NAME)
    app = QApplication.instance() or QApplication([sys.argv[0] if sys.argv else "pse-desk"])
    assert isinstance(app, QApplication)
    settings = keys.desk_settings()
    persist = not screenshot and not probe
    theme = args.theme or keys.read_str(settings, keys.THEME, "light")
    apply_theme(app, theme)
    if args.theme and persist:
        settings.setValue(keys.THEME, args.theme)

    window = MainWindow(settings, resolve_db_path(args.db).expanduser().absolute(),
                        workspace=args.workspace, persist=persist)
    exit_code = {"value": 0}

    def finish(code: int) -> None:
        exit_code["value"] = code
        window.shutdown()
        app.exit(code)

    def first_painted() -> None:
        if probe:
            print(f"first-paint {seconds_since_process_start():.4f}", flush=True)
            if probe != "data":
                finish(0)
                return
        window.start()
        from PySide6.QtCore import QTimer

        QTimer.singleShot(ICONS_AT_THE_LATEST_MS, apply_icons_once)  # if the data is slow

    def fatal(sentence: str) -> None:
        print(f"pse-desk: {sentence}", file=sys.stderr, flush=True)
        if not screenshot and app.platformName() != "offscreen":
            from PySide6.QtWidgets import QMessageBox

            QMessageBox.critical(window, "PSE Desk cannot open the database", sentence)
        finish(1)

    icons_applied = {"done": False}

    def apply_icons_once() -> None:
        # qtawesome costs ~0.3 s of the GIL: after the data, not racing the database open
        if not icons_applied["done"]:
            icons_applied["done"] = True
            window.apply_icons()

    def settled() -> None:
        apply_icons_once()
        if screenshot:
            window.settled.disconnect(settled)
            # one more turn of the event loop so the last rows are laid out before the grab
            from PySide6.QtCore import QTimer

            QTimer.singleShot(50, write_screenshot)
        elif probe == "data":
            print(f"data-ready {seconds_since_process_start():.4f}", flush=True)
            finish(0)

    def write_screenshot() -> None:
        assert screenshot is not None
        target = Path(screenshot)
        target.parent.mkdir(parents=True, exist_ok=True)
        if not window.grab().save(str(target), "PNG"):
            print(f"pse-desk: could not write the screenshot to {target}.", file=sys.stderr)
            finish(1)
            return
        print(target)
        finish(0)

    window.first_painted.connect(first_painted)
    window.fatal.connect(fatal)
    window.settled.connect(settled)
    if screenshot:
        window.resize(*SCREENSHOT_SIZE)
    else:
        window.restore_window()
    window.show()
    code = app.exec()
    if persist:
        window.save_settings()
    window.shutdown()
    return exit_code["value"] or code
