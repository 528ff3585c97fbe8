"""The main window: menus from the action registry, the four workspaces in a stack, the status
bar, settings and the database lifecycle.

Start-up order matters for speed: the window is built and painted with only Qt loaded; after the
first paint ``start()`` opens the database in the pool (which imports SQLAlchemy and may
migrate); only then are the workspaces (which import the services) built and filled.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QEvent, QObject, QSettings, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QUndoGroup
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QStackedWidget,
    QStyle,
    QToolBar,
    QToolButton,
    QWidget,
)

from pse_desk import __version__
from pse_desk.paths import APP_NAME
from pse_desk.ui import logbook
from pse_desk.ui import settings as keys
from pse_desk.ui.actions import MENUS, ActionRegistry
from pse_desk.ui.backups import BackupController
from pse_desk.ui.preferences import Preferences
from pse_desk.ui.sync.controller import SyncController
from pse_desk.ui.theme import apply_theme, current_theme
from pse_desk.ui.workers import OrderedJobs, ReadRunner, StoreOpener

if TYPE_CHECKING:
    from pse_desk.store import Store
    from pse_desk.ui.workspace import Workspace

WORKSPACE_KEYS = ("write", "moderate", "layout", "editions")
# the workspaces not shown are built one at a time, the first a while after the shown one has
# its data (its preview is still painting then), the others a moment apart
REST_AFTER_SETTLED_MS = 2500
REST_OF_WORKSPACES_MS = 150
WRITE_ACTIONS = ("write.new", "write.duplicate", "write.save_revision", "write.revisions",
                 "write.export_html", "write.close_tab", "write.insert_image", "write.delete",
                 "view.mobile_preview", "view.remote_images")
log = logging.getLogger(__name__)

NOTICE_MS = 30_000
COUNTS_DELAY_MS = 150


class _Workspaces(dict[str, "Workspace"]):
    """The built workspaces by key; asking for one not built yet builds it (``.get`` and
    iterating see only the built ones)."""

    def __init__(self, build: Callable[[str], Workspace]) -> None:
        super().__init__()
        self._build = build

    def __missing__(self, key: str) -> Workspace:
        if key not in WORKSPACE_KEYS or not self or "write" not in self:
            raise KeyError(key)  # unknown, or the database is not open yet
        return self._build(key)


class MainWindow(QMainWindow):
    first_painted = Signal()
    workspaces_ready = Signal()
    settled = Signal()  # the shown workspace and the status bar have their data
    fatal = Signal(str)  # the database given at start cannot be used: one sentence

    def __init__(self, settings: QSettings, db_path: Path, workspace: str | None = None,
                 persist: bool = True, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.db_path = db_path
        self.persist = persist
        self.store: Store | None = None
        self.workspaces = _Workspaces(self._build_workspace)
        saved = keys.read_str(settings, keys.WORKSPACE, "write")
        self.current_key = workspace or (saved if saved in WORKSPACE_KEYS else "write")
        self._painted = False
        self._start_requested = False
        self._overview_loaded = False
        self._starting = True
        self._closed = False

        self.setWindowTitle(APP_NAME)
        self.setObjectName("mainWindow")
        self.registry = ActionRegistry(settings, self)
        self._preferences = Preferences.load(settings)
        self.undo_group = QUndoGroup(self)
        self.runner = ReadRunner(parent=self)
        self.runner.idle.connect(self._check_settled)
        self.runner.failed.connect(self.show_status_message)
        self.opener = StoreOpener(self)
        self.sync = SyncController(self)
        self.backups = BackupController(settings, self)
        self.writes = OrderedJobs(lambda: self.store.lane if self.store is not None else None,
                                  parent=self)
        self._rest_timer = QTimer(self)  # the workspaces not shown yet, one per tick
        self._rest_timer.setSingleShot(True)
        self._rest_timer.timeout.connect(self._build_next_workspace)
        self._counts_timer = QTimer(self)  # many writes in a row: the counts are read once
        self._counts_timer.setSingleShot(True)
        self._counts_timer.setInterval(COUNTS_DELAY_MS)
        self._counts_timer.timeout.connect(self.refresh_overview)
        self.opener.opened.connect(self._store_opened)
        self.opener.failed.connect(self._store_failed)

        self.stack = QStackedWidget()
        self.placeholder = QLabel("Opening the newsroom database…")
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack.addWidget(self.placeholder)
        self.setCentralWidget(self.stack)
        self._build_menus()
        self._build_switcher()
        size = self.style().pixelMetric(QStyle.PixelMetric.PM_ToolBarIconSize)
        self.registry.reserve_icons(QSize(size, size))
        self._build_status_bar()
        self._connect_actions()
        self.installEventFilter(self)

    # --- construction -------------------------------------------------------------------------
    def _build_menus(self) -> None:
        bar = self.menuBar()
        for name in MENUS:
            menu = bar.addMenu(f"&{name}")
            menu.setObjectName(f"menu.{name}")
            for act in self.registry.in_menu(name):
                menu.addAction(act)
                if act.objectName() in ("file.open", "edit.find", "editor.find_previous",
                                        "view.full_screen"):
                    menu.addSeparator()
        # shortcuts work with the menu bar hidden; the editor reads its own keys
        self.addActions([a for a in self.registry.actions()
                         if a not in self.registry.scoped("editor")])

    def _build_switcher(self) -> None:
        self.switcher = QToolBar("Workspaces", self)
        self.switcher.setObjectName("toolbar.workspaces")
        self.switcher.setMovable(False)
        self.switcher.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        for key in WORKSPACE_KEYS:
            act = self.registry[f"go.{key}"]
            act.setCheckable(True)
            self.switcher.addAction(act)
        self.switcher.addSeparator()
        self.switcher.addAction(self.registry["view.refresh"])
        self.addToolBar(self.switcher)
        self.registry[f"go.{self.current_key}"].setChecked(True)

    def _build_status_bar(self) -> None:
        self.db_label = QLabel(str(self.db_path))
        self.db_label.setObjectName("statusDatabase")
        self.db_label.setTextFormat(Qt.TextFormat.PlainText)
        self.counts_label = QLabel("")
        self.counts_label.setObjectName("statusCounts")
        self.sync_label = QLabel("Hub: …")
        self.sync_label.setObjectName("statusSync")
        self.sync_progress = QProgressBar()
        self.sync_progress.setObjectName("statusSyncProgress")
        self.sync_progress.setMaximumWidth(120)
        self.sync_progress.setTextVisible(False)
        self.sync_progress.hide()
        self.sync_cancel = QToolButton()
        self.sync_cancel.setObjectName("statusSyncCancel")
        self.sync_cancel.setText("Cancel")
        self.sync_cancel.setToolTip("Stop the sync (Shift+F9); what moved is kept")
        self.sync_cancel.setAutoRaise(True)
        self.sync_cancel.hide()
        bar = self.statusBar()
        bar.addWidget(self.db_label, 1)
        bar.addPermanentWidget(self.counts_label)
        bar.addPermanentWidget(self.sync_label)
        bar.addPermanentWidget(self.sync_progress)
        bar.addPermanentWidget(self.sync_cancel)

    def _connect_actions(self) -> None:
        r = self.registry
        r.connect("file.open", self.choose_database)
        r.connect("file.quit", self.close)
        r.connect("file.backup", self.backups.back_up_now)
        r.connect("file.import", self.import_file)
        r.connect("file.export", self.export_newsroom)
        r.connect("file.restore", self.restore_from_backup)
        self.backups.message.connect(self.show_status_message)
        self.backups.damage_found.connect(self._offer_salvage)
        r["edit.undo"].triggered.connect(self.undo_group.undo)
        r["edit.redo"].triggered.connect(self.undo_group.redo)
        r["edit.undo"].setEnabled(False)
        r["edit.redo"].setEnabled(False)
        self.undo_group.canUndoChanged.connect(r["edit.undo"].setEnabled)
        self.undo_group.canRedoChanged.connect(r["edit.redo"].setEnabled)
        r.connect("edit.find", self._focus_search)
        r.connect("edit.preferences", self.show_preferences)
        r["view.dark_theme"].setChecked(current_theme(self._app()) == "dark")
        r["view.dark_theme"].toggled.connect(
            lambda dark: self.set_theme("dark" if dark else "light"))
        r.connect("view.refresh", self.refresh)
        r["view.full_screen"].toggled.connect(self._full_screen)
        for key in WORKSPACE_KEYS:
            r.connect(f"go.{key}", lambda _c=False, k=key: self.show_workspace(k))
        r.connect("tools.shortcuts", lambda: self.show_shortcuts(editable=True))
        r.connect("help.shortcuts", lambda: self.show_shortcuts(editable=False))
        r.connect("help.about", self.show_about)
        r.connect("help.log", self.show_log)
        r.connect("sync.now", self.sync_now)
        r.connect("sync.cancel", self.sync.cancel)
        r.connect("sync.log", self.show_sync_log)
        r["sync.cancel"].setEnabled(False)
        self.sync_cancel.clicked.connect(self.sync.cancel)
        self.sync.text_changed.connect(self._sync_text)
        self.sync.running_changed.connect(self._sync_running)
        self.sync.progress.connect(self._sync_progress)
        self.sync.finished.connect(self._sync_finished)
        for action_id in self._write_actions():
            r[action_id].setEnabled(False)  # until the Write workspace is built and shown

    def _write_actions(self) -> list[str]:
        return [*WRITE_ACTIONS, *(a.objectName() for a in self.registry.scoped("editor"))]

    @staticmethod
    def _app() -> QApplication:
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        return app

    # --- first paint and the database ---------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self and event.type() == QEvent.Type.Paint and not self._painted:
            self._painted = True
            QTimer.singleShot(0, self.first_painted.emit)  # after this paint completes
        return super().eventFilter(watched, event)

    def start(self) -> None:
        """Open the database given at start, in the pool (once; later calls do nothing).

        The launcher calls it just before the event loop starts, so the database opens (and
        SQLAlchemy loads) while Qt paints the first frame; tests call it after showing."""
        if self._start_requested:
            return
        self._start_requested = True
        self.opener.open(self.db_path, self.runner.pool)

    def apply_icons(self) -> None:
        """qtawesome costs ~0.3 s to import, so icons arrive after the first paint."""
        import qtawesome

        from pse_desk.ui.theme import icon_colour

        colour = icon_colour(current_theme(self._app()))
        self.registry.apply_icons(lambda name: qtawesome.icon(name, color=colour))

    def _store_opened(self, store: Store) -> None:
        if self._closed:  # opened while the window was closing: nobody will use it
            store.close()
            return
        if not self._painted and self.isVisible():  # the first frame comes first
            self.first_painted.connect(lambda s=store: self._store_opened(s),
                                       Qt.ConnectionType.SingleShotConnection)
            return
        old, self.store = self.store, store
        if old is not None:
            for ws in self.workspaces.values():  # open articles are saved to the old database
                getattr(ws, "prepare_to_close", lambda: None)()
            self.runner.wait()
            old.close()
        self.runner.store = store
        self.db_path = store.path
        if self.persist:
            logbook.follow(store.path)
        log.info("opened %s", store.path)
        self.db_label.setText(str(store.path))
        self.setWindowTitle(f"{store.path.name} — {APP_NAME}")
        self._starting = False
        if not self.workspaces:
            self._build_workspaces()
        for ws in self.workspaces.values():
            ws.has_loaded = False
        self.show_workspace(self.current_key)
        self.refresh_overview()
        self.sync.attach(store)
        if self.persist:  # screenshots and probes leave no backups behind
            self.backups.attach(store.path)
        prefs = self.preferences()
        self.sync.set_background(prefs.background_sync and self.persist, prefs.sync_interval_s)

    def _store_failed(self, sentence: str) -> None:
        if self._starting:
            self.fatal.emit(sentence)
            return
        print(f"pse-desk: {sentence}", file=sys.stderr)
        box = QMessageBox(QMessageBox.Icon.Warning, "Cannot open that database", sentence,
                          QMessageBox.StandardButton.Ok, self)
        box.setObjectName("databaseRefused")
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()  # window-modal, not a nested event loop

    def _build_workspaces(self) -> None:
        """Write (the hub of the window's wiring) and the workspace to show, now; the others
        one at a time once the shown one has its data, or at once when asked for first —
        their modules and widgets cost a few hundred milliseconds the first paint need not
        wait for."""
        self._build_workspace("write")
        write = self.workspaces["write"]
        self._wire_write(write)
        write.start_helpers()  # type: ignore[attr-defined]
        self.registry["view.mobile_preview"].setChecked(
            self._preferences.preview_width == "mobile")
        if self.current_key in WORKSPACE_KEYS:
            self._build_workspace(self.current_key)
        self.settled.connect(lambda: self._rest_timer.start(REST_AFTER_SETTLED_MS),
                             Qt.ConnectionType.SingleShotConnection)

    def _workspace_class(self, key: str) -> type[Workspace]:
        # Imported here, not at the top: these pull in the services and SQLAlchemy, which the
        # store opener has already loaded in the pool by now.
        if key == "write":
            from pse_desk.ui.write.workspace import WriteWorkspace
            return WriteWorkspace
        if key == "moderate":
            from pse_desk.ui.moderate.workspace import ModerateWorkspace
            return ModerateWorkspace
        if key == "layout":
            from pse_desk.ui.layout.workspace import LayoutWorkspace
            return LayoutWorkspace
        from pse_desk.ui.editions.workspace import EditionsWorkspace
        return EditionsWorkspace

    def _build_workspace(self, key: str) -> Workspace:
        ws = self.workspaces.get(key)
        if ws is not None:
            return ws
        ws = self._workspace_class(key)(self.runner, self.stack)
        self.workspaces[ws.key] = ws
        adopt = getattr(ws, "adopt_actions", None)
        if callable(adopt):  # registry actions whose keys work only inside that workspace
            adopt(self.registry)
        self.stack.addWidget(ws)
        self.undo_group.addStack(ws.undo_stack)
        ws.toolbar.setMovable(False)
        self.addToolBar(ws.toolbar)
        ws.toolbar.setVisible(key == self.current_key)
        ws.restore_state(self.settings)
        ws.loaded.connect(self._check_settled)
        ws.error.connect(self.show_status_message)
        ws.data_changed.connect(self._counts_timer.start)
        apply = getattr(ws, "apply_preferences", None)
        if callable(apply):
            apply(self._preferences)
        if key == "layout":
            self._wire_layout()
        if self.all_workspaces_built():
            self.workspaces_ready.emit()
        return ws

    def _build_next_workspace(self) -> None:
        """One more of the workspaces not shown yet (the timer's tick, after the first data)."""
        missing = [k for k in WORKSPACE_KEYS if k not in self.workspaces]
        if missing and not self._closed:
            self._build_workspace(missing[0])
            if len(missing) > 1:
                self._rest_timer.start(REST_OF_WORKSPACES_MS)

    def all_workspaces_built(self) -> bool:
        return all(k in self.workspaces for k in WORKSPACE_KEYS)

    def _wire_write(self, ws: Workspace) -> None:
        from pse_desk.ui.write.workspace import WriteWorkspace

        assert isinstance(ws, WriteWorkspace)
        r = self.registry
        for action_id, slot in (("write.new", ws.new_article),
                                ("write.duplicate", ws.duplicate_article),
                                ("write.save_revision", ws.save_revision),
                                ("write.revisions", ws.show_revisions),
                                ("write.export_html", ws.export_html),
                                ("write.close_tab", ws.close_current_tab),
                                ("write.insert_image", ws.insert_image),
                                ("write.delete", ws.delete_article)):
            r.connect(action_id, lambda _c=False, s=slot: s())
        r["view.mobile_preview"].toggled.connect(ws.set_mobile_width)
        r["view.remote_images"].toggled.connect(ws.set_remote_images)
        ws.remote_images_shown.connect(self._show_remote_images_state)
        ws.add_toolbar_actions([r[a] for a in ("write.new", "write.save_revision",
                                               "write.revisions", "write.insert_image")])
        ws.notice.connect(lambda sentence: self.statusBar().showMessage(sentence, NOTICE_MS))
        self.statusBar().addPermanentWidget(ws.stats_label)

    def _wire_layout(self) -> None:
        """The Layout preview shares Write's render worker, and the Write previews follow the
        active layout as it changes."""
        from pse_desk.ui.layout.workspace import LayoutWorkspace
        from pse_desk.ui.write.workspace import WriteWorkspace

        layout, write = self.workspaces["layout"], self.workspaces["write"]
        assert isinstance(layout, LayoutWorkspace) and isinstance(write, WriteWorkspace)
        layout.set_render_bridge(write.render_bridge())
        layout.site_layout_changed.connect(write.set_site_layout)

    def _show_remote_images_state(self, allowed: bool) -> None:
        action = self.registry["view.remote_images"]
        action.blockSignals(True)  # showing the tab's state is not a new choice
        action.setChecked(allowed)
        action.blockSignals(False)

    def choose_database(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self, "Open a newsroom database", str(self.db_path.parent),
            "PSE Desk databases (*.sqlite *.db);;All files (*)")
        if path:
            self.open_database(Path(path))

    def open_database(self, path: Path) -> None:
        """Switch to another database; the current one stays open if the new one is refused."""
        self.statusBar().showMessage(f"Opening {path}…", 3000)
        self.opener.open(path, self.runner.pool)

    # --- workspaces ---------------------------------------------------------------------------
    def show_workspace(self, key: str) -> None:
        self.current_key = key
        for k in WORKSPACE_KEYS:
            self.registry[f"go.{k}"].setChecked(k == key)
        if key not in WORKSPACE_KEYS or "write" not in self.workspaces:
            return  # (the workspaces are built when the database opens)
        ws = self._build_workspace(key)
        for other in self.workspaces.values():
            other.toolbar.setVisible(other is ws)
        self.stack.setCurrentWidget(ws)
        self.undo_group.setActiveStack(ws.undo_stack)
        for action_id in self._write_actions():
            self.registry[action_id].setEnabled(key == "write")
        words = getattr(self.workspaces.get("write"), "stats_label", None)
        if isinstance(words, QLabel):
            words.setVisible(key == "write")
        if key != "write":
            write = self.workspaces.get("write")
            if write is not None:
                getattr(write, "flush", lambda: None)()
        show_article = getattr(ws, "show_article", None)
        if callable(show_article):  # the Layout preview shows the article open in Write
            tab = getattr(self.workspaces.get("write"), "current_tab", lambda: None)()
            show_article(tab.article_id if tab is not None else None)
        if not ws.has_loaded and self.store is not None:
            ws.refresh()

    def current_workspace(self) -> Workspace | None:
        return self.workspaces.get(self.current_key)

    def refresh(self) -> None:
        ws = self.current_workspace()
        if ws is not None and self.store is not None:
            ws.refresh()
            self.refresh_overview()

    def refresh_overview(self) -> None:
        from pse_desk.services.overview import overview

        self.runner.submit("window.overview", overview, self._overview_arrived,
                           self.show_status_message)
        self.sync.refresh_status()  # a change that moves the counts queues a sync too

    def _overview_arrived(self, ov: object) -> None:
        from pse_desk.services.overview import Overview

        assert isinstance(ov, Overview)
        self.counts_label.setText(f"{ov.articles:,} articles · "
                                  f"{ov.pending_comments:,} pending comments")
        self._overview_loaded = True

    def is_settled(self) -> bool:
        ws = self.current_workspace()
        return (ws is not None and ws.has_loaded and self._overview_loaded
                and self.runner.pending == 0)

    def _check_settled(self) -> None:
        if self.is_settled():
            self.settled.emit()

    def _focus_search(self) -> None:
        ws = self.current_workspace()
        if ws is not None:
            ws.focus_search()

    def show_status_message(self, sentence: str) -> None:
        self.statusBar().showMessage(sentence, 10000)

    # --- sync with the hub --------------------------------------------------------------------
    def sync_now(self) -> None:
        if self.store is None:
            return
        if not self.sync.sync_now() and not self.sync.running:
            self.show_status_message("Set the newsroom hub first: Edit > Preferences > Hub.")

    def _sync_text(self, text: str, tip: str) -> None:
        self.sync_label.setText(text)
        self.sync_label.setToolTip(tip)

    def _sync_running(self, running: bool) -> None:
        self.sync_progress.setVisible(running)
        self.sync_cancel.setVisible(running)
        self.registry["sync.cancel"].setEnabled(running)
        self.registry["sync.now"].setEnabled(not running)
        if running:
            self.sync_progress.setRange(0, 0)

    def _sync_progress(self, _what: str, done: int, total: int) -> None:
        if total:
            self.sync_progress.setRange(0, total)
            self.sync_progress.setValue(min(done, total))

    def _sync_finished(self, report: object) -> None:
        from pse_desk.services.sync import SyncReport

        if not isinstance(report, SyncReport):
            self.show_status_message(f"The sync failed ({report}); local work is untouched.")
            return
        self.show_status_message(report.summary() if report.ok else report.message)
        if report.pulled or report.merged or report.conflicts:
            self.refresh()  # what other desks changed shows at once

    def show_sync_log(self) -> None:
        from pse_desk.services.sync import sync_log

        store = self.store
        if store is None:
            return
        self.writes.submit(lambda: sync_log(store), self._open_sync_log,
                           self.show_status_message, self)

    def _open_sync_log(self, rows: object) -> None:
        from pse_desk.ui.sync.log_dialog import SyncLogDialog

        dialog = SyncLogDialog(list(rows), self)  # type: ignore[call-overload]
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def _save_hub(self, url: str, role: str, password: str) -> None:
        from pse_desk.services import sync as sync_service

        store = self.store
        if store is None:
            return
        if password:
            self.sync.password = password

        def save() -> str:
            sync_service.save_settings(store, url, role)
            if password and url:
                return sync_service.keep_password(url, password)
            return ""

        def saved(sentence: object) -> None:
            if sentence:
                self.show_status_message(str(sentence))
            self.sync.refresh_status()

        self.writes.submit(save, saved, self.show_status_message, self)

    # --- screenshots of sync (``--screenshot`` with PSE_DESK_SCREENSHOT_DIALOG) ----------------
    SYNC_SHOTS = ("synclog", "merge", "syncing")

    def prepare_screenshot(self, wanted: str, ready: Callable[[], None]) -> bool:
        """For the README: "synclog" opens the sync log, "merge" the merge view of the open
        article, "syncing" starts a sync and is ready at its first progress. False: not ours."""
        if wanted not in self.SYNC_SHOTS:
            return False
        self._shot: QWidget | None = None
        if wanted == "synclog":
            self.show_sync_log()
            self._when(lambda: self._found("syncLogDialog"), ready)
        elif wanted == "merge":
            tab = getattr(self.current_workspace(), "tabs", None)
            current = tab.current() if tab is not None else None
            if current is None:
                return False
            current.open_merge_view()
            self._when(lambda: self._found("mergeDialog"), ready)
        else:
            self.sync.progress.connect(lambda *_: QTimer.singleShot(0, ready),
                                       Qt.ConnectionType.SingleShotConnection)
            self.sync_now()
        return True

    def _found(self, name: str) -> bool:
        found = self.findChild(QWidget, name)
        if found is not None and found.isVisible():
            self._shot = found
            return True
        return False

    def _when(self, condition: Callable[[], bool], then: Callable[[], None],
              tries: int = 200) -> None:
        if condition() or tries <= 0:
            then()
        else:
            QTimer.singleShot(50, lambda: self._when(condition, then, tries - 1))

    def screenshot_widget(self) -> QWidget | None:
        """The dialog a sync screenshot shows instead of the window (None: the window)."""
        return getattr(self, "_shot", None)

    # --- view and dialogs ---------------------------------------------------------------------
    def set_theme(self, name: str) -> None:
        used = apply_theme(self._app(), name)
        self.registry["view.dark_theme"].setChecked(used == "dark")
        if self.persist:
            self.settings.setValue(keys.THEME, used)
        if self._painted:
            QTimer.singleShot(0, self.apply_icons)

    def _full_screen(self, on: bool) -> None:
        if on:
            self.showFullScreen()
        else:
            self.showNormal()

    def show_preferences(self) -> None:
        from pse_desk.store.backup import backup_folder
        from pse_desk.ui.preferences import PreferencesDialog

        status = self.sync.status
        hub = (status.url, status.role) if status is not None else ("", "")
        folder = str(backup_folder(self.db_path)) if self.db_path else ""
        dialog = PreferencesDialog(replace(self.preferences(), theme=current_theme(self._app())),
                                   self, hub=hub, backup_folder=folder)
        dialog.setObjectName("preferencesDialog")
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self.apply_preferences(dialog.chosen()))
        page = dialog.hub_page

        def hub_chosen() -> None:
            # no URL, no role: a desk without a hub may change anything
            role = page.role if page.url else ""
            if (page.url, role) != hub or page.password:
                self._save_hub(page.url, role, page.password)

        dialog.accepted.connect(hub_chosen)
        dialog.open()

    def preferences(self) -> Preferences:
        return self._preferences

    def apply_preferences(self, prefs: Preferences) -> None:
        """Use (and, unless this window is a throwaway, remember) the user's preferences."""
        self._preferences = prefs
        if self.persist:
            prefs.save(self.settings)
        if prefs.theme != current_theme(self._app()):
            self.set_theme(prefs.theme)
        for ws in self.workspaces.values():
            apply = getattr(ws, "apply_preferences", None)
            if callable(apply):
                apply(prefs)
        self.registry["view.mobile_preview"].setChecked(prefs.preview_width == "mobile")
        self.sync.set_background(prefs.background_sync and self.persist, prefs.sync_interval_s)
        self.backups.set_automatic(prefs.automatic_backups and self.persist)

    def show_shortcuts(self, editable: bool = False) -> None:
        from pse_desk.ui.shortcuts_dialog import ShortcutsDialog

        dialog = ShortcutsDialog(self.registry, editable=editable, parent=self)
        dialog.setObjectName("shortcutsDialog")
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def show_log(self) -> None:
        from pse_desk.ui.log_dialog import LogDialog
        from pse_desk.ui.logbook import current_log

        dialog = LogDialog(current_log(), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def show_about(self) -> None:
        QMessageBox.about(self, f"About {APP_NAME}",
                          f"{APP_NAME} {__version__}\n\nWrite, moderate, lay out and print a "
                          "public-sector news magazine.")

    # --- settings -----------------------------------------------------------------------------
    def restore_window(self) -> None:
        geometry = self.settings.value(keys.GEOMETRY)
        state = self.settings.value(keys.STATE)
        if isinstance(geometry, QByteArray | bytes):
            self.restoreGeometry(QByteArray(geometry))
        else:
            self.resize(1280, 800)
        if isinstance(state, QByteArray | bytes):
            self.restoreState(QByteArray(state))

    def save_settings(self) -> None:
        if not self.persist:
            return
        self.settings.setValue(keys.GEOMETRY, self.saveGeometry())
        self.settings.setValue(keys.STATE, self.saveState())
        self.settings.setValue(keys.WORKSPACE, self.current_key)
        for ws in self.workspaces.values():
            ws.save_state(self.settings)
        self.settings.sync()

    def shutdown(self) -> None:
        """Wait for running reads, then close the database (safe to call twice: the second
        call does nothing, so nothing is queued on a closed store)."""
        if self._closed:
            return
        self._closed = True
        for ws in self.workspaces.values():
            getattr(ws, "prepare_to_close", lambda: None)()  # autosave before the store closes
        self.sync.wait()  # a running sync stops at its next batch; what it did is kept
        self.runner.wait()
        if self.store is not None:
            self.store.close()
            self.store = None
        if self.persist:
            self.backups.finish()

    # --- import and export --------------------------------------------------------------------
    def import_file(self) -> None:
        from pse_desk.ui.import_dialog import ImportDialog

        if self.store is None:
            return
        filters = {"WordPress export (WXR) (*.xml)": "wxr", "Disqus export (*.xml)": "disqus"}
        path, chosen = QFileDialog.getOpenFileName(
            self, "Import an export", str(Path.home()), ";;".join(filters))
        if not path:
            return
        dialog = ImportDialog(self.store, Path(path), filters.get(chosen, "wxr"), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.imported.connect(self.refresh)
        self.import_dialog = dialog
        dialog.open()

    def export_newsroom(self) -> None:
        from PySide6.QtWidgets import QInputDialog

        from pse_desk.services import exporting

        store = self.store
        if store is None:
            return
        kinds = ["Whole-newsroom dump (restored by `pse-desk import dump`)",
                 "Comments as CSV", "Articles as Markdown files (Hugo, Jekyll)"]
        kind, ok = QInputDialog.getItem(self, "Export the newsroom", "What to export:",
                                        kinds, 0, False)
        if not ok:
            return
        choice = kinds.index(kind)
        if choice == 2:
            target = QFileDialog.getExistingDirectory(self, "Export articles to a folder")
        else:
            default = "newsroom.jsonl.gz" if choice == 0 else "comments.csv"
            target, _f = QFileDialog.getSaveFileName(self, kind, str(Path.home() / default))

        def work() -> str:
            if choice == 0:
                return str(exporting.export_dump(store, target))
            if choice == 1:
                rows = exporting.export_comments_csv(store, target)
                return f"{rows:,} comments written to {target}."
            files = exporting.export_markdown(store, target)
            return f"{files:,} articles written to {target}."

        if not target:
            return
        self.show_status_message(f"Exporting to {target}…")
        self.backups.jobs.submit(work, lambda text: self.show_status_message(str(text)),
                                 self.show_status_message, owner=self)

    # --- backups and a damaged database -------------------------------------------------------
    def restore_from_backup(self) -> None:
        from pse_desk.store.backup import backup_folder

        folder = backup_folder(self.db_path)
        path, _filter = QFileDialog.getOpenFileName(
            self, "Restore a backup", str(folder if folder.is_dir() else self.db_path.parent),
            "PSE Desk backups (*.sqlite);;All files (*)")
        if not path:
            return
        answer = QMessageBox.question(
            self, "Restore this backup?",
            f"{Path(path).name} will replace {self.db_path.name}. Work saved since that backup "
            "stays in the current file, which is kept aside under a dated name.")
        if answer == QMessageBox.StandardButton.Yes:
            self.backups.restore(Path(path), self._release_store, self.open_database)

    def _release_store(self) -> Path | None:
        """Close the open database (its articles saved first); the path it had."""
        if self.store is None:
            return None
        for ws in self.workspaces.values():
            getattr(ws, "prepare_to_close", lambda: None)()
        self.sync.wait()
        self.runner.wait()
        self.writes.wait()
        path, store = self.store.path, self.store
        self.store = None
        self.runner.store = None
        store.close()
        return path

    def _offer_salvage(self, found: object) -> None:
        from pse_desk.store.salvage import Diagnosis
        from pse_desk.ui.salvage_dialog import SalvageDialog

        assert isinstance(found, Diagnosis)
        path = self._release_store()
        if path is None:
            return
        dialog = SalvageDialog(found, self, quit_text="Keep working on it")
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _code: self.open_database(path))
        self.salvage_dialog = dialog
        dialog.open()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_settings()
        self.shutdown()
        super().closeEvent(event)
