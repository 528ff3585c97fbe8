"""Sync in the window, as a person uses it: F9 with a real hub, the status bar's words while
offline, the sync log, the Hub page of the preferences, and the merge view of a conflict."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QPushButton

sys.path.insert(0, str(Path(__file__).parents[1] / "integration"))
from pg_server import PgServer, PgUnavailable, start_server
from sync_helpers import Hub, article, desk, make_hub, sync
from write_fixture import open_tab, write_workspace

from pse_desk.services import articles as article_service
from pse_desk.services import revisions as revision_service
from pse_desk.services import sync as sync_service
from pse_desk.store import open_store
from pse_desk.store.model import Article

pytestmark = pytest.mark.postgres
Text = revision_service.ArticleText


@pytest.fixture(scope="module")
def server() -> Iterator[PgServer]:
    try:
        started = start_server()
    except PgUnavailable as exc:
        pytest.skip(f"PostgreSQL: {exc}")
    try:
        yield started
    finally:
        started.stop()


_numbers = iter(range(1, 1000))


@pytest.fixture
def hub(server: PgServer) -> Hub:
    return make_hub(server, server.create_database(f"ui_hub_{next(_numbers)}"))


def _hub_titles(hub: Hub) -> set[str]:
    with psycopg.connect(hub.admin_url.replace("+psycopg", "")) as con:
        return {r[0] for r in con.execute("SELECT title FROM article")}


def test_f9_syncs_and_the_status_bar_and_the_log_say_so(
        qtbot, open_window, hub: Hub, tmp_path: Path) -> None:
    path = tmp_path / "desk.sqlite"
    with desk(path, hub.login("editor"), "editor") as store:
        article_service.create_article(store, "Sent by F9", body_md="Words.\n")
    window = open_window(path, workspace="write")
    window.sync.password = "ed-secret"  # as typed in Preferences > Hub
    qtbot.waitUntil(lambda: "not synced yet" in window.sync_label.text(), timeout=10000)
    assert "1 change waiting" in window.sync_label.text()
    qtbot.keyClick(window, Qt.Key.Key_F9)
    qtbot.waitUntil(lambda: window.sync_label.text().startswith("Synced"), timeout=20000)
    assert "Sent by F9" in _hub_titles(hub)
    assert not window.sync_progress.isVisible()
    qtbot.keyClick(window, Qt.Key.Key_F9, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.findChild(object, "syncLogDialog") is not None,
                    timeout=10000)
    dialog = window.findChild(object, "syncLogDialog")
    assert dialog.model.rowCount() == 1
    assert dialog.model.row_at(0).outcome == "ok"
    assert "sent" in dialog.details.toPlainText().lower()
    dialog.reject()


def test_a_dead_hub_shows_offline_with_the_work_waiting(
        qtbot, open_window, tmp_path: Path) -> None:
    path = tmp_path / "desk.sqlite"
    with desk(path, "postgresql://editor1@127.0.0.1:1/newsroom", "editor") as store:
        article_service.create_article(store, "Written offline")
    window = open_window(path, workspace="write")
    qtbot.waitUntil(lambda: window.sync.status is not None, timeout=10000)
    qtbot.keyClick(window, Qt.Key.Key_F9)
    qtbot.waitUntil(lambda: "offline" in window.sync_label.text(), timeout=20000)
    assert "1 change waiting" in window.sync_label.text()
    assert "cannot be reached" in window.sync_label.toolTip()
    assert window.registry["sync.now"].isEnabled()


def test_the_hub_page_keeps_the_url_and_role_and_never_the_password(
        qtbot, open_window, desk_settings, hub: Hub, tmp_path: Path) -> None:
    path = tmp_path / "desk.sqlite"
    open_store(path).close()
    window = open_window(path, workspace="write")
    qtbot.waitUntil(lambda: window.sync.status is not None, timeout=10000)
    assert window.sync_label.text() == "Hub: not set up"
    window.show_preferences()
    qtbot.waitUntil(lambda: window.findChild(object, "preferencesDialog") is not None)
    dialog = window.findChild(object, "preferencesDialog")
    dialog.pages.setCurrentWidget(dialog.hub_page)
    page = dialog.hub_page
    url = hub.url("moderator1", "")
    url = url.replace("moderator1:@", "moderator1@")
    qtbot.keyClicks(page.url_edit, url)
    page.role_box.setCurrentIndex(page.role_box.findData("moderator"))
    qtbot.keyClicks(page.password_edit, "mod-secret")
    qtbot.mouseClick(page.test_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Connected to the hub" in page.result.text(), timeout=15000)
    assert "as a moderator" in page.result.text()
    dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()
    qtbot.waitUntil(lambda: window.sync.status is not None and window.sync.status.configured,
                    timeout=10000)
    assert window.sync.status.role == "moderator"
    desk_settings.sync()
    assert "mod-secret" not in Path(desk_settings.fileName()).read_text()
    assert "mod-secret" not in window.sync.status.url
    window.activateWindow()  # the dialog has gone: the window has the keys again
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_F9)  # the password typed is used for this session
    qtbot.waitUntil(lambda: window.sync.last_report is not None, timeout=20000)
    assert window.sync.last_report.ok, window.sync.last_report.message
    qtbot.waitUntil(lambda: window.sync_label.text().startswith("Synced"), timeout=20000)


def test_the_merge_view_takes_the_right_text_and_saves_a_new_revision(
        qtbot, open_window, hub: Hub, tmp_path: Path) -> None:
    ua, ub = hub.login("editor", 1), hub.login("editor", 2)
    with desk(tmp_path / "a.sqlite", ua, "editor") as a:
        ref = article_service.create_article(a, "Two desks",
                                             body_md="Shared opening.\n\nThe middle.\n")
        sync(a, ua)
        with desk(tmp_path / "b.sqlite", ub, "editor") as b:
            sync(b, ub)
            revision_service.save_revision(a, ref.id, Text("Two desks", "",
                                                           "Shared opening.\n\nA's middle.\n"))
            revision_service.save_revision(b, ref.id, Text("Two desks", "",
                                                           "Shared opening.\n\nB's middle.\n"))
            sync(b, ub)
            assert sync(a, ua).conflicts == 1
    assert article(open_store(tmp_path / "a.sqlite"), ref.id).has_conflict
    window = open_window(tmp_path / "a.sqlite", workspace="write")
    tab = open_tab(qtbot, write_workspace(window))
    assert tab.article_id == ref.id
    qtbot.waitUntil(tab.conflict_banner.isVisible, timeout=10000)
    qtbot.mouseClick(tab.conflict_banner.button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.merge_dialog is not None and tab.merge_dialog.isVisible(),
                    timeout=10000)
    dialog = tab.merge_dialog
    assert len(dialog.rows) == 1
    row = dialog.rows[0]
    assert "B's middle." in row.left.toPlainText()  # the newer text is live, on the left
    assert "A's middle." in row.right.toPlainText()
    row.group.button(0).setFocus()
    qtbot.keyClick(dialog, Qt.Key.Key_3, Qt.KeyboardModifier.AltModifier)  # both
    assert "B's middle.\n\nA's middle." in dialog.result_view.toPlainText()
    save = dialog.buttons.button(QDialogButtonBox.StandardButton.Save)
    assert isinstance(save, QPushButton)
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not tab.conflict_banner.isVisible(), timeout=10000)
    store = window.store
    assert store is not None
    with store.read_session() as s:
        got = s.get(Article, ref.id)
        assert got is not None and not got.has_conflict
        assert got.body_md == "Shared opening.\n\nB's middle.\n\nA's middle.\n"
    assert tab.editor.toPlainText() == got.body_md
    assert sync_service.sync(store, url=ua).ok  # and the resolution goes to the hub


def test_the_words_waiting_follow_a_new_article(qtbot, open_window, tmp_path: Path) -> None:
    path = tmp_path / "desk.sqlite"
    with desk(path, "postgresql://editor1@127.0.0.1:1/newsroom", "editor"):
        pass
    window = open_window(path, workspace="write")
    qtbot.waitUntil(lambda: "0 changes waiting" in window.sync_label.text(), timeout=10000)
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)  # New article
    qtbot.waitUntil(lambda: "0 changes" not in window.sync_label.text()
                    and "waiting" in window.sync_label.text(), timeout=10000)
