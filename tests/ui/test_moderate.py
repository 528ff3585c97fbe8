"""The Moderate workspace driven by real key presses on the comment table: stepping, deciding
(with audit events), bulk selection, undo, ban with confirmation, search, hostile comments."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from newsroom_fixture import T0, build_newsroom
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox
from sqlalchemy import func, select

from pse_desk.moderation.burst import BurstGuard
from pse_desk.services.moderation.queue import Queue
from pse_desk.store import Store, open_store
from pse_desk.store.model import Comment, Commenter, CommentStatus, ModerationEvent
from pse_desk.ui import guard_singleton_refcounts

guard_singleton_refcounts()

PENDING = 40


@pytest.fixture
def moderate_db(tmp_path: Path) -> Path:
    """A newsroom of our own per test: decisions write to it."""
    path = tmp_path / "moderate.sqlite"
    store = open_store(path)
    try:
        build_newsroom(store, pending=PENDING)
    finally:
        store.close()
    return path


@pytest.fixture
def workspace(open_window, moderate_db: Path, qtbot):  # type: ignore[no-untyped-def]
    window = open_window(moderate_db, workspace="moderate")
    ws = window.workspaces["moderate"]
    qtbot.waitUntil(lambda: ws.pane.comment_id is not None, timeout=10000)
    ws.table.setFocus()
    return ws


@pytest.fixture
def reader(moderate_db: Path) -> Iterator[Store]:
    store = open_store(moderate_db)
    yield store
    store.close()


def _events(store: Store, comment_id: str | None = None) -> list[ModerationEvent]:
    with store.read_session() as s:
        stmt = select(ModerationEvent).order_by(ModerationEvent.at, ModerationEvent.hlc)
        if comment_id:
            stmt = stmt.where(ModerationEvent.comment_id == comment_id)
        return list(s.scalars(stmt))


def _status(store: Store, comment_id: str) -> str:
    with store.read_session() as s:
        return s.scalar(select(Comment.status).where(Comment.id == comment_id)).value


def _key(qtbot, ws, key: str | Qt.Key, modifier=Qt.KeyboardModifier.NoModifier) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClick(ws.table, key, modifier)


def test_j_and_k_step_through_the_queue_and_the_detail_follows(qtbot, workspace) -> None:  # type: ignore[no-untyped-def]
    ws = workspace
    first = ws.current_row()
    _key(qtbot, ws, "j")
    assert ws.table.currentIndex().row() == 1
    second = ws.current_row()
    qtbot.waitUntil(lambda: ws.pane.comment_id == second.id, timeout=5000)
    _key(qtbot, ws, "k")
    assert ws.current_row().id == first.id
    qtbot.waitUntil(lambda: ws.pane.comment_id == first.id, timeout=5000)


def test_a_approves_writes_an_audit_event_and_moves_on(qtbot, workspace, reader) -> None:  # type: ignore[no-untyped-def]
    ws = workspace
    row = ws.current_row()
    with qtbot.waitSignal(ws.decision_saved, timeout=10000):
        _key(qtbot, ws, "a")
    assert ws.table.currentIndex().row() == 1
    assert _status(reader, row.id) == "approved"
    (event,) = _events(reader, row.id)
    assert (event.action, event.from_status, event.to_status) == ("approve", "pending",
                                                                  "approved")
    assert ws.model.decided(row.id) == "approved"


def test_x_then_shift_a_approves_the_selection(qtbot, workspace, reader) -> None:  # type: ignore[no-untyped-def]
    ws = workspace
    ids = []
    for _ in range(3):
        ids.append(ws.current_row().id)
        _key(qtbot, ws, "x")
    assert ws.model.marked == set(ids)
    with qtbot.waitSignal(ws.decision_saved, timeout=10000):
        _key(qtbot, ws, "A", Qt.KeyboardModifier.ShiftModifier)
    assert [_status(reader, i) for i in ids] == ["approved"] * 3
    assert not ws.model.marked
    assert len(_events(reader)) == 3


def test_ctrl_z_undoes_a_decision_and_writes_an_event(qtbot, workspace, reader) -> None:  # type: ignore[no-untyped-def]
    ws = workspace
    row = ws.current_row()
    with qtbot.waitSignal(ws.decision_saved, timeout=10000):
        _key(qtbot, ws, "r")
    assert _status(reader, row.id) == "rejected"
    with qtbot.waitSignal(ws.decision_saved, timeout=10000):
        _key(qtbot, ws, "z", Qt.KeyboardModifier.ControlModifier)
    assert _status(reader, row.id) == "pending"
    actions = [e.action for e in _events(reader, row.id)]
    assert actions == ["reject", "undo"]
    assert ws.model.decided(row.id) is None
    with qtbot.waitSignal(ws.decision_saved, timeout=10000):
        _key(qtbot, ws, "z", Qt.KeyboardModifier.ControlModifier
             | Qt.KeyboardModifier.ShiftModifier)
    assert _status(reader, row.id) == "rejected"
    assert [e.action for e in _events(reader, row.id)] == ["reject", "undo", "reject"]


def test_b_asks_naming_the_pending_count_then_bans(qtbot, workspace, reader) -> None:  # type: ignore[no-untyped-def]
    ws = workspace
    _key(qtbot, ws, "b")
    qtbot.waitUntil(lambda: getattr(ws, "ban_box", None) is not None
                    and ws.ban_box.isVisible(), timeout=10000)
    box: QMessageBox = ws.ban_box
    assert f"{PENDING} pending comments" in box.text()
    with qtbot.waitSignal(ws.decision_saved, timeout=15000):
        box.button(QMessageBox.StandardButton.Yes).click()
    with reader.read_session() as s:
        assert s.scalar(select(Commenter.trust)).value == "banned"
        assert s.scalar(select(func.count()).select_from(Comment).where(
            Comment.status == CommentStatus.PENDING)) == 0


def test_slash_focuses_search_and_an_operator_query_filters(qtbot, workspace) -> None:  # type: ignore[no-untyped-def]
    ws = workspace
    _key(qtbot, ws, "/")
    assert ws.search.hasFocus()
    qtbot.keyClicks(ws.search, "number 7 before:2026-11-21")
    with qtbot.waitSignal(ws.model.count_known, timeout=10000):
        qtbot.keyClick(ws.search, Qt.Key.Key_Return)
    assert ws.model.total == 1
    qtbot.waitUntil(lambda: ws.model.row_at(0) is not None, timeout=5000)
    assert ws.model.row_at(0).excerpt == "Pending comment number 7."


def test_a_malformed_operator_is_one_sentence_under_the_box(qtbot, workspace) -> None:  # type: ignore[no-untyped-def]
    ws = workspace
    _key(qtbot, ws, "/")
    qtbot.keyClicks(ws.search, "before:yesterday-ish")
    qtbot.keyClick(ws.search, Qt.Key.Key_Return)
    assert ws.search_error.isVisible()
    assert ws.search_error.text().endswith(".")


def test_typing_letters_in_the_search_box_decides_nothing(qtbot, workspace, reader) -> None:  # type: ignore[no-untyped-def]
    ws = workspace
    _key(qtbot, ws, "/")
    qtbot.keyClicks(ws.search, "a r s b x j k t")
    QApplication.processEvents()
    assert not ws.decisions.busy and _events(reader) == []
    assert ws.search.text() == "a r s b x j k t"


def test_the_hostile_comment_shows_no_script_and_loads_nothing_remote(qtbot, workspace) -> None:  # type: ignore[no-untyped-def]
    ws = workspace
    ws.pane.body.refused.clear()
    store = open_store(ws.runner.store.path)
    try:
        with store.session() as s:
            c = s.scalars(select(Comment)).first()
            c.body = ('<img src="https://tracker.example/p.gif" onerror="alert(1)">'
                      '<script>alert(2)</script><a href="javascript:alert(3)">click</a>'
                      '<p style="background:url(https://x.example/b.png)">styled</p>'
                      '\u202eevil.exe')
            s.commit()
            cid = c.id
    finally:
        store.close()
    with qtbot.waitSignal(ws.detail_shown, timeout=5000):
        ws.show_comment(cid, fresh=True)
    html = ws.pane.view.html
    assert "script" not in html and "onerror" not in html and "javascript" not in html
    assert "https://tracker.example" not in html and "style=" not in html
    shown = ws.pane.body.toPlainText()
    assert "alert" not in shown and "\u202e" not in shown
    body = ws.pane.body
    assert body.isVisible()
    body.grab()  # painted: its document has asked for every image and style sheet it names
    assert [u for u in body.refused if u.startswith("http")] == []
    body.setHtml('<img src="https://tracker.example/p.gif">')  # the sanitiser bypassed ...
    body.grab()
    assert "https://tracker.example/p.gif" in body.refused  # ... is seen asking


def _show_body(qtbot, ws, body: str) -> None:  # type: ignore[no-untyped-def]
    store = open_store(ws.runner.store.path)
    try:
        with store.session() as s:
            c = s.scalars(select(Comment)).first()
            c.body = body
            s.commit()
            cid = c.id
    finally:
        store.close()
    with qtbot.waitSignal(ws.detail_shown, timeout=5000):
        ws.show_comment(cid, fresh=True)


def test_a_comment_that_was_only_markup_says_so_and_shows_no_debris(qtbot, workspace) -> None:  # type: ignore[no-untyped-def]
    ws = workspace
    _show_body(qtbot, ws, '"><script src=https://evil.example/x.js></script>')
    assert ws.pane.body.toPlainText().strip() == ""  # not the '">' left before the tag
    assert ws.pane.sanitised_note.isVisible()
    assert "held only markup that was removed for safety" in ws.pane.sanitised_note.text()
    _show_body(qtbot, ws, "<script>alert('pwned')</script>Great article!")
    assert ws.pane.body.toPlainText() == "Great article!"
    assert ws.pane.sanitised_note.text().startswith("Markup was removed from this comment")
    _show_body(qtbot, ws, "A plain remark.")
    assert not ws.pane.sanitised_note.isVisible()


def test_held_words_are_marked_and_explained(qtbot, workspace) -> None:  # type: ignore[no-untyped-def]
    ws = workspace
    store = open_store(ws.runner.store.path)
    try:
        with store.session() as s:
            c = s.scalars(select(Comment).where(Comment.status == CommentStatus.PENDING)).first()
            c.body = "This is utter rubbish, rubbish I say."
            c.held_reasons = [{"rule_id": "r1", "rule_version": 3, "kind": "suspect_words",
                               "action": "hold", "matched": ["rubbish"],
                               "spans": [[14, 21], [23, 30]],
                               "explanation": "Held for the suspect word “rubbish”."}]
            s.commit()
            cid = c.id
    finally:
        store.close()
    with qtbot.waitSignal(ws.detail_shown, timeout=5000):
        ws.show_comment(cid, fresh=True)
    assert ws.pane.marks == 2
    assert "Suspect words (rule version 3, hold)" in ws.pane.held.text()
    assert "“rubbish”" in ws.pane.held.text()


@pytest.mark.parametrize("body", [
    "x" * 1_000_000, "", "\x00\x01\x07bell\x1b[31m", "a" + "\u0301" * 10_000,
    "\u202eabc\u202d def",
], ids=["1MB", "empty", "control", "combining", "rtl"])
def test_bad_bodies_are_shown_safely_and_quickly(qtbot, workspace, body: str) -> None:  # type: ignore[no-untyped-def]
    ws = workspace
    store = open_store(ws.runner.store.path)
    try:
        with store.session() as s:
            c = Comment(article_id=s.scalars(select(Comment.article_id)).first(),
                        commenter_id=s.scalars(select(Commenter.id)).first(), body=body,
                        posted_at=T0 + timedelta(days=1))
            s.add(c)
            s.commit()
            cid = c.id
    finally:
        store.close()
    with qtbot.waitSignal(ws.detail_shown, timeout=10000):
        ws.show_comment(cid, fresh=True)
    shown = ws.pane.body.toPlainText()
    assert len(shown) <= 100_001
    assert "\x00" not in shown and "\x1b" not in shown and "\u202e" not in shown
    if len(body) > 100_000:
        assert ws.pane.cut_note.isVisible()
    _key(qtbot, ws, "j")  # the queue still answers
    assert ws.table.currentIndex().row() == 1


def test_t_goes_to_the_next_queue(qtbot, workspace) -> None:  # type: ignore[no-untyped-def]
    ws = workspace
    assert ws.current_queue() is Queue.PENDING
    _key(qtbot, ws, "t")
    assert ws.current_queue() is Queue.REPORTED


def test_question_mark_shows_the_shortcut_sheet(qtbot, workspace) -> None:  # type: ignore[no-untyped-def]
    ws = workspace
    _key(qtbot, ws, "?")
    qtbot.waitUntil(lambda: getattr(ws, "shortcut_sheet", None) is not None
                    and ws.shortcut_sheet.isVisible(), timeout=5000)
    texts = {ws.shortcut_sheet.table.item(r, 1).text()
             for r in range(ws.shortcut_sheet.table.rowCount())}
    assert {"Approve", "Reject", "Ban commenter…", "Select and move on"} <= texts
    assert ws.shortcut_sheet.table.item(0, 0).text() == "J"


def test_moderate_keys_do_nothing_in_another_workspace(qtbot, workspace, reader) -> None:  # type: ignore[no-untyped-def]
    ws = workspace
    window = ws.window()
    qtbot.keyClick(ws.table, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    layout = window.workspaces["layout"]
    assert window.stack.currentWidget() is layout
    layout.setFocus()
    target = QApplication.focusWidget() or layout
    for key in "arsb":
        qtbot.keyClick(target, key)
    QApplication.processEvents()
    assert not ws.decisions.busy and _events(reader) == []


def test_the_moderate_menu_offers_the_registry_actions_scoped_to_the_workspace(workspace) -> None:  # type: ignore[no-untyped-def]
    ws = workspace
    window = ws.window()
    approve = window.registry["moderate.approve"]
    assert ws.commands["moderate.approve"] is approve
    assert approve.shortcutContext() == Qt.ShortcutContext.WidgetWithChildrenShortcut
    assert approve not in window.actions() and approve in ws.actions()
    menu = window.menuBar().findChild(type(window.menuBar().actions()[0].menu()),
                                      "menu.Moderate")
    assert approve in menu.actions()


def test_space_toggles_the_mark_and_shift_r_rejects_the_marked(qtbot, workspace, reader) -> None:  # type: ignore[no-untyped-def]
    ws = workspace
    first = ws.current_row().id
    _key(qtbot, ws, Qt.Key.Key_Space)
    assert ws.model.marked == {first}
    _key(qtbot, ws, Qt.Key.Key_Space)
    assert ws.model.marked == set()
    _key(qtbot, ws, Qt.Key.Key_Space)
    _key(qtbot, ws, "j")
    second = ws.current_row().id
    _key(qtbot, ws, Qt.Key.Key_Space)
    with qtbot.waitSignal(ws.decision_saved, timeout=10000):
        _key(qtbot, ws, "R", Qt.KeyboardModifier.ShiftModifier)
    assert {_status(reader, first), _status(reader, second)} == {"rejected"}
    with qtbot.waitSignal(ws.decision_saved, timeout=10000):
        _key(qtbot, ws, "z", Qt.KeyboardModifier.ControlModifier)
    assert {_status(reader, first), _status(reader, second)} == {"pending"}
    assert sorted(e.action for e in _events(reader)) == ["reject", "reject", "undo", "undo"]


def test_selecting_the_whole_listing_marks_every_comment_of_the_queue(qtbot, workspace) -> None:  # type: ignore[no-untyped-def]
    ws = workspace
    _key(qtbot, ws, "A", Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: len(ws.model.marked) == PENDING, timeout=10000)


def test_the_queue_counts_move_as_soon_as_a_decision_is_saved(qtbot, workspace) -> None:  # type: ignore[no-untyped-def]
    ws = workspace
    qtbot.waitUntil(lambda: ws.queues.counts.get(Queue.PENDING) == PENDING, timeout=10000)
    with qtbot.waitSignal(ws.decision_saved, timeout=10000):
        _key(qtbot, ws, "a")
    assert ws.queues.counts[Queue.PENDING] == PENDING - 1
    assert ws.queues.counts[Queue.APPROVED] == 3
    assert ws.queues.item(0).text() == f"Pending  ({PENDING - 1})"


def test_only_this_article_narrows_the_queue_and_the_whole_one_comes_back(qtbot, workspace) -> None:  # type: ignore[no-untyped-def]
    ws = workspace
    with qtbot.waitSignal(ws.model.count_known, timeout=10000):
        qtbot.mouseClick(ws.pane.only_article_button, Qt.MouseButton.LeftButton)
    assert ws.model.total == PENDING // 2  # the fixture alternates two articles
    assert "only on “" in ws.queue_title.text() and ws.clear_filter_button.isVisible()
    with qtbot.waitSignal(ws.model.count_known, timeout=10000):
        qtbot.mouseClick(ws.clear_filter_button, Qt.MouseButton.LeftButton)
    assert ws.model.total == PENDING and not ws.clear_filter_button.isVisible()


class TypingClock:
    """Each key 20 ms after the one before: typing pace, whatever the machine's load."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        self.now += 0.02
        return self.now


def _search_then_land_in_the_table(qtbot, ws, query: str) -> None:  # type: ignore[no-untyped-def]
    ws.pace = BurstGuard(clock=TypingClock())
    _key(qtbot, ws, "/")
    qtbot.keyClicks(ws.search, query)
    qtbot.keyClick(ws.search, Qt.Key.Key_Return)
    assert ws.table.hasFocus()  # Enter moves on to the matches, as before
    qtbot.waitUntil(lambda: ws.model.total is not None and ws.current_row() is not None
                    and ws.pane.comment_id == ws.current_row().id, timeout=10000)


def test_typing_on_after_a_search_decides_at_most_three_comments_and_asks(  # type: ignore[no-untyped-def]
        qtbot, workspace, reader) -> None:
    ws = workspace
    _search_then_land_in_the_table(qtbot, ws, "number")
    qtbot.keyClicks(ws.table, "spam rats")  # the next query, typed where the focus now is
    qtbot.waitUntil(lambda: not ws.decisions.busy, timeout=10000)
    events = _events(reader)
    assert 1 <= len(events) <= 3, [(e.action, e.comment_id) for e in events]
    assert ws.burst_bar.isVisible()
    text = ws.burst_bar.text.text()
    assert "faster than anyone can read" in text and "stopped acting on them" in text
    assert ws.burst_bar.undo_button.text() == "Undo those 3 decisions"
    assert ws.current_queue() is Queue.PENDING  # the stray "t" switched no queue
    _key(qtbot, ws, "a")  # still refused while the question is open
    QApplication.processEvents()
    assert not ws.decisions.busy and len(_events(reader)) == len(events)


def test_undoing_the_burst_puts_its_comments_back_and_carries_on(  # type: ignore[no-untyped-def]
        qtbot, workspace, reader) -> None:
    ws = workspace
    _search_then_land_in_the_table(qtbot, ws, "number")
    qtbot.keyClicks(ws.table, "sara")
    qtbot.waitUntil(lambda: ws.burst_bar.isVisible(), timeout=5000)
    qtbot.mouseClick(ws.burst_bar.undo_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not ws.decisions.busy and not ws.undo_stack.canUndo(),
                    timeout=10000)
    qtbot.waitUntil(lambda: len(_events(reader)) == 6, timeout=10000)  # 3 decisions, 3 undos
    decided = {e.comment_id for e in _events(reader)}
    assert len(decided) == 3 and {_status(reader, c) for c in decided} == {"pending"}
    assert not ws.burst_bar.isVisible() and not ws.pace.tripped
    with qtbot.waitSignal(ws.decision_saved, timeout=10000):
        _key(qtbot, ws, "a")  # deciding works again


def test_deciding_a_comment_again_the_same_way_writes_nothing(qtbot, workspace, reader) -> None:  # type: ignore[no-untyped-def]
    ws = workspace
    row = ws.current_row()
    with qtbot.waitSignal(ws.decision_saved, timeout=10000):
        _key(qtbot, ws, "s")
    _key(qtbot, ws, "k")
    assert ws.current_row().id == row.id
    with qtbot.waitSignal(ws.decision_saved, timeout=10000):
        _key(qtbot, ws, "s")
    assert [(e.from_status, e.to_status) for e in _events(reader, row.id)] == [
        ("pending", "spam")]
    assert ws.undo_stack.count() == 1  # nothing to undo for the second press


def test_approving_with_a_takes_one_off_the_status_bar_count_and_undo_adds_it_back(  # type: ignore[no-untyped-def]
        qtbot, workspace) -> None:
    from PySide6.QtWidgets import QLabel

    ws = workspace
    label = ws.window().findChild(QLabel, "statusCounts")
    qtbot.waitUntil(lambda: "pending comments" in label.text(), timeout=10000)
    before = int(label.text().split(" · ")[-1].split()[0].replace(",", ""))
    _key(qtbot, ws, "a")
    qtbot.waitUntil(lambda: label.text().endswith(f"{before - 1:,} pending comments"),
                    timeout=10000)
    _key(qtbot, ws, "z", Qt.KeyboardModifier.ControlModifier)  # and an undo puts it back
    qtbot.waitUntil(lambda: label.text().endswith(f"{before:,} pending comments"),
                    timeout=10000)
