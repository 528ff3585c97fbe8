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
import gc
import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtWidgets import QApplication

from pse_desk.paths import APP_NAME, ORG_NAME, resolve_db_path
from pse_desk.ui.logbook import start_log

if TYPE_CHECKING:
    from pse_desk.store.salvage import Diagnosis

SCREENSHOT_SIZE = (1280, 800)
PROBE_ENV = "PSE_DESK_STARTUP_PROBE"
ICONS_AT_THE_LATEST_MS = 4000
SCREENSHOT_DEADLINE_MS = 120_000
SCREENSHOT_PAINT_MS = 400  # a web view paints a while after its content changes
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


def _webengine_environment() -> None:
    """QtWebEngine (the preview) refuses to start as root without its sandbox switched off, and
    offscreen it has no GPU. Only those two cases change anything; a normal user on a display
    keeps Chromium's sandbox.

    The preview's page is composited by Qt Quick's software renderer unless the user chose
    another with ``QT_QUICK_BACKEND``. With OpenGL, adding the first web view to the shown
    window makes Qt destroy and re-create the native window (a visible blink), and every
    repaint — one typed letter — becomes a whole-window OpenGL flush, 10–17 ms each with a
    software OpenGL; a document page needs none of it (measured: benchmarks/onscreen.py).
    """
    os.environ.setdefault("QT_QUICK_BACKEND", "software")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")
    if os.environ.get("QT_QPA_PLATFORM") == "offscreen":
        flags = os.environ.get("QTWEBENGINE_CHROMIUM_FLAGS", "")
        if "--disable-gpu" not in flags:
            os.environ["QTWEBENGINE_CHROMIUM_FLAGS"] = f"{flags} --disable-gpu".strip()


def launch_gui(args: argparse.Namespace) -> int:
    """Open the main window (or render it to ``--screenshot``); the process exit status."""
    screenshot: str | None = getattr(args, "screenshot", None)
    probe = os.environ.get(PROBE_ENV, "")
    if screenshot:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    elif display_missing():
        print(NO_DISPLAY, file=sys.stderr)
        return 1
    if screenshot or probe:
        _quiet_offscreen_warnings()
    _webengine_environment()
    QCoreApplication.setOrganizationName(ORG_NAME)
    QCoreApplication.setApplicationName(APP_NAME)
    # (the PySide 6.12 refcount guard already ran: importing pse_desk.ui runs it)
    from pse_desk.ui.write.asset_scheme import register_asset_scheme

    register_asset_scheme()  # the preview's pse-asset: scheme must precede the QApplication
    app = QApplication.instance() or QApplication([sys.argv[0] if sys.argv else "pse-desk"])
    assert isinstance(app, QApplication)
    refusal, damage = _preflight_refusal(args)
    interactive = not (screenshot or probe) and os.environ.get("QT_QPA_PLATFORM") != "offscreen"
    if damage is not None and interactive:
        from PySide6.QtWidgets import QDialog

        from pse_desk.ui.salvage_dialog import SalvageDialog

        if SalvageDialog(damage).exec() != QDialog.DialogCode.Accepted:
            print(f"pse-desk: {damage.sentence}", file=sys.stderr)
            return 1
        refusal, damage = _preflight_refusal(args)
    if refusal is not None:
        print(f"pse-desk: {refusal}", file=sys.stderr)
        if interactive:
            from PySide6.QtWidgets import QMessageBox

            QMessageBox.critical(None, APP_NAME, refusal)
        return 1
    if not (screenshot or probe):  # throwaway runs leave no log behind
        start_log(resolve_db_path(getattr(args, "db", None)).expanduser().absolute())
    return _Launch(app, args, screenshot, probe).run()


def _preflight_refusal(args: argparse.Namespace) -> tuple[str | None, Diagnosis | None]:
    """The sentence that refuses the chosen database (or None), and what is wrong with it when
    it is damaged (a file that is not SQLite, a foreign WAL, pages SQLite cannot read), which
    the salvage dialog can mend. Standard library only (a few ms), so a bad file is refused
    before any window shows and is never touched."""
    from pse_desk.errors import CorruptDatabaseError, DatabaseError, NotADatabaseError
    from pse_desk.store.preflight import preflight
    from pse_desk.store.salvage import Diagnosis, diagnose

    path = resolve_db_path(getattr(args, "db", None)).expanduser().absolute()
    try:
        preflight(path)
    except (CorruptDatabaseError, NotADatabaseError) as exc:
        if not path.is_file():
            return str(exc), None
        if isinstance(exc, NotADatabaseError) and "another program" in str(exc):
            return str(exc), None  # not damaged: someone else's database
        found = diagnose(path) or Diagnosis(path, "SQLite cannot read it", True)
        return str(exc), found
    except DatabaseError as exc:
        return str(exc), None
    return None, None


class _Launch:
    """One start of the window: what happens at first paint, on a fatal error, when the data
    has arrived (screenshot, probe) and at the end."""

    def __init__(self, app: QApplication, args: argparse.Namespace, screenshot: str | None,
                 probe: str) -> None:
        from pse_desk.ui import settings as keys
        from pse_desk.ui.main_window import MainWindow
        from pse_desk.ui.theme import apply_theme

        self.app, self.screenshot, self.probe = app, screenshot, probe
        self.persist = not screenshot and not probe
        settings = keys.desk_settings()
        apply_theme(app, args.theme or keys.read_str(settings, keys.THEME, "light"))
        if args.theme and self.persist:
            settings.setValue(keys.THEME, args.theme)
        self.window = MainWindow(settings, resolve_db_path(args.db).expanduser().absolute(),
                                 workspace=args.workspace, persist=self.persist)
        self.exit_code = 0
        self.icons_applied = False
        self.written = False
        self.frozen = False
        self.window.first_painted.connect(self.first_painted)
        self.window.fatal.connect(self.fatal)
        self.window.settled.connect(self.settled)

    def run(self) -> int:
        if self.screenshot:
            self.window.resize(*SCREENSHOT_SIZE)
            QTimer.singleShot(SCREENSHOT_DEADLINE_MS, self.screenshot_deadline)
        else:
            self.window.restore_window()
        self.window.show()
        if not self.probe:
            self.window.start()  # the database opens while the first frame is painted
        code = self.app.exec()
        if self.persist:
            self.window.save_settings()
        self.window.shutdown()
        return self.exit_code or code

    def finish(self, code: int) -> None:
        self.exit_code = code
        self.window.shutdown()
        self.app.exit(code)

    def first_painted(self) -> None:
        if self.probe:
            print(f"first-paint {seconds_since_process_start():.4f}", flush=True)
            if self.probe != "data":
                self.finish(0)
                return
        self.window.start()
        QTimer.singleShot(ICONS_AT_THE_LATEST_MS, self.apply_icons_once)  # if data is slow

    def apply_icons_once(self) -> None:
        # qtawesome costs ~0.3 s of the GIL: after the data, not racing the database open
        if not self.icons_applied:
            self.icons_applied = True
            self.window.apply_icons()

    def fatal(self, sentence: str) -> None:
        print(f"pse-desk: {sentence}", file=sys.stderr, flush=True)
        if not self.screenshot and self.app.platformName() != "offscreen":
            from PySide6.QtWidgets import QMessageBox

            QMessageBox.critical(self.window, "PSE Desk cannot open the database", sentence)
        self.finish(1)

    def settled(self) -> None:
        # the icons (qtawesome: ~0.3 s of the GUI thread) come once the preview shows the
        # text, not ahead of it; their room is kept, so nothing moves when they arrive
        ws = self.window.current_workspace()
        when_shown = getattr(ws, "when_ready_for_screenshot", None)
        if callable(when_shown) and not self.screenshot:
            when_shown(self.apply_icons_once)
        else:
            self.apply_icons_once()
        if not self.frozen:
            # start-up garbage is done with: keep the collector off it while typing
            self.frozen = True
            gc.collect()
            gc.freeze()
        if self.screenshot:
            self.window.settled.disconnect(self.settled)
            # a short pause so the last rows are laid out and painted before the grab; a
            # workspace with a web preview says when its page shows the text
            ws = self.window.current_workspace()
            when_ready = getattr(ws, "when_ready_for_screenshot", None)
            wanted = os.environ.get("PSE_DESK_SCREENSHOT_DIALOG", "")
            if self.window.prepare_screenshot(
                    wanted, lambda: QTimer.singleShot(SCREENSHOT_PAINT_MS, self.write_screenshot)):
                pass  # a sync screenshot (the log, the merge view, the status bar mid-sync)
            elif callable(when_ready):
                when_ready(lambda: QTimer.singleShot(SCREENSHOT_PAINT_MS, self.write_screenshot))
            else:
                QTimer.singleShot(50, self.write_screenshot)
        elif self.probe == "data":
            print(f"data-ready {seconds_since_process_start():.4f}", flush=True)
            self.finish(0)

    def screenshot_deadline(self) -> None:
        if not self.written:
            print("pse-desk: the data did not all arrive in time; the screenshot shows what "
                  "had loaded.", file=sys.stderr)
            self.apply_icons_once()
            self.write_screenshot()

    def write_screenshot(self) -> None:
        if self.written or self.screenshot is None:
            return
        self.written = True
        target = Path(self.screenshot)
        target.parent.mkdir(parents=True, exist_ok=True)
        # a workspace may show a dialog instead (the Moderate rules editor, for the README)
        chosen = getattr(self.window.current_workspace(), "screenshot_widget", None)
        widget = (self.window.screenshot_widget() or (chosen() if callable(chosen) else None)
                  or self.window)
        if not widget.grab().save(str(target), "PNG"):
            print(f"pse-desk: could not write the screenshot to {target}.", file=sys.stderr)
            self.finish(1)
            return
        print(target)
        self.finish(0)
