"""Moderation decisions on a real SQLite file: events, counters, outbox, undo, bans, races."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select
from test_moderation_support import Newsroom, add_comment, open_newsroom

from pse_desk.errors import NotFoundError, ValidationError
from pse_desk.moderation.decisions import apply_decision
from pse_desk.services.moderation import decisions as actions
from pse_desk.store import open_store
from pse_desk.store.model import (
    ChangeLog,
    Comment,
    Commenter,
    CommentStatus,
    ModerationEvent,
    Trust,
)
from pse_desk.store.outbox import row_payload


@pytest.fixture
def room(tmp_path: Path) -> Iterator[Newsroom]:
    yield from open_newsroom(tmp_path)


def events_for(room: Newsroom, comment_id: str) -> list[ModerationEvent]:
    with room.store.read_session() as s:
        return list(s.scalars(select(ModerationEvent).where(
            ModerationEvent.comment_id == comment_id).order_by(ModerationEvent.hlc)))


def status_of(room: Newsroom, comment_id: str) -> CommentStatus:
    with room.store.read_session() as s:
        c = s.get(Comment, comment_id)
        assert c is not None
        return c.status


def commenter(room: Newsroom, commenter_id: str) -> Commenter:
    with room.store.read_session() as s:
        c = s.get(Commenter, commenter_id)
        assert c is not None
        return c


def test_rejecting_a_comment_writes_an_audit_event(room: Newsroom) -> None:
    cid = room.comments["bob_1"]
    result = actions.reject(room.store, [cid], actor="maria", reason="off topic")
    assert result.count == 1
    assert status_of(room, cid) == CommentStatus.REJECTED
    [event] = events_for(room, cid)
    assert (event.actor, event.action, event.from_status, event.to_status, event.reason) == (
        "maria", "reject", "pending", "rejected", "off topic")
    assert event.hlc and event.origin == room.store.clock.device


def test_approving_moves_the_commenters_counters(room: Newsroom) -> None:
    before = commenter(room, room.bob)
    actions.approve(room.store, [room.comments["bob_1"], room.comments["bob_2"]], actor="m")
    after = commenter(room, room.bob)
    assert after.approved_count == before.approved_count + 2
    actions.mark_spam(room.store, [room.comments["bob_1"]], actor="m")
    later = commenter(room, room.bob)
    assert (later.approved_count, later.spam_count) == (after.approved_count - 1, 1)
    assert later.hlc > before.hlc


def test_a_decision_writes_outbox_entries_for_the_comment_event_and_commenter(
        room: Newsroom) -> None:
    cid = room.comments["bob_1"]
    with room.store.read_session() as s:
        old_hlc = s.get(Comment, cid).hlc  # type: ignore[union-attr]
        start = s.scalar(select(func.max(ChangeLog.seq))) or 0
    actions.approve(room.store, [cid], actor="m")
    with room.store.read_session() as s:
        log = list(s.scalars(select(ChangeLog).where(ChangeLog.seq > start)))
        comment = s.get(Comment, cid)
        assert comment is not None
    tables = sorted(e.table_name for e in log)
    assert tables == ["comment", "commenter", "moderation_event"]
    comment_entry = next(e for e in log if e.table_name == "comment")
    assert comment_entry.base_hlc == old_hlc and comment_entry.hlc == comment.hlc
    assert comment_entry.payload is None  # "the push reads the current row"
    event_entry = next(e for e in log if e.table_name == "moderation_event")
    assert event_entry.payload is not None and event_entry.payload["to_status"] == "approved"


def test_a_failure_rolls_back_both_the_status_and_the_event(room: Newsroom) -> None:
    cid = room.comments["bob_1"]
    with room.store.session() as s:
        apply_decision(s, [cid], CommentStatus.APPROVED, actor="m", action="approve")
        # leaving the unit of work without commit (as an exception would) rolls back both
    assert status_of(room, cid) == CommentStatus.PENDING
    assert events_for(room, cid) == []

    class Boom(RuntimeError):
        pass

    with pytest.raises(Boom), room.store.session() as s:
        apply_decision(s, [cid], CommentStatus.REJECTED, actor="m", action="reject")
        raise Boom
    assert status_of(room, cid) == CommentStatus.PENDING
    assert events_for(room, cid) == []


def test_undo_restores_the_earlier_status_and_writes_its_own_event(room: Newsroom) -> None:
    a, b = room.comments["bob_1"], room.comments["bob_old"]
    result = actions.reject(room.store, [a, b], actor="m")
    assert {status_of(room, a), status_of(room, b)} == {CommentStatus.REJECTED}
    undone = actions.undo(room.store, result, actor="m")
    assert status_of(room, a) == CommentStatus.PENDING
    assert status_of(room, b) == CommentStatus.APPROVED
    assert [e.action for e in events_for(room, a)] == ["reject", "undo"]
    assert commenter(room, room.bob).rejected_count == 0
    actions.redo(room.store, result, actor="m")
    assert status_of(room, b) == CommentStatus.REJECTED
    assert [e.action for e in events_for(room, b)] == ["reject", "undo", "reject"]
    assert undone.count == 2


def test_ban_preview_counts_pending_comments_and_ban_rejects_them(room: Newsroom) -> None:
    preview = actions.ban_preview(room.store, room.comments["bob_1"])
    assert preview.pending == 2
    assert preview.question == "Ban Bob Marsh and reject their 2 pending comments?"
    result = actions.ban_commenter(room.store, preview.commenter_id, actor="m",
                                   via_comment_id=room.comments["bob_1"])
    assert result.count == 2
    assert status_of(room, room.comments["bob_1"]) == CommentStatus.REJECTED
    assert status_of(room, room.comments["bob_2"]) == CommentStatus.REJECTED
    assert status_of(room, room.comments["bob_old"]) == CommentStatus.APPROVED
    assert commenter(room, room.bob).trust == Trust.BANNED
    assert [e.action for e in events_for(room, room.comments["bob_2"])] == ["ban"]
    actions.undo(room.store, result, actor="m")
    assert commenter(room, room.bob).trust == Trust.NEW
    assert status_of(room, room.comments["bob_2"]) == CommentStatus.PENDING


def test_banning_with_nothing_pending_is_still_on_record(room: Newsroom) -> None:
    ok = room.comments["ann_ok"]
    actions.approve(room.store, [room.comments["ann_pending"]], actor="m")
    result = actions.ban_commenter(room.store, room.ann, actor="m", via_comment_id=ok)
    assert result.count == 0
    [event] = events_for(room, ok)
    assert (event.action, event.from_status, event.to_status) == ("ban", "approved", "approved")


def test_two_concurrent_decisions_are_both_recorded_and_the_later_wins(
        room: Newsroom, tmp_path: Path) -> None:
    cid = room.comments["bob_1"]
    other = open_store(room.store.path)  # a second window / process on the same file
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def act(store: object, action: str) -> None:
        try:
            barrier.wait()
            actions.decide(store, [cid], action, actor=action)  # type: ignore[arg-type]
        except BaseException as exc:  # noqa: BLE001 - a thread's failure, reported below
            errors.append(exc)

    threads = [threading.Thread(target=act, args=(room.store, "approve")),
               threading.Thread(target=act, args=(other, "spam"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    other.close()
    assert errors == []
    recorded = events_for(room, cid)
    assert sorted(e.action for e in recorded) == ["approve", "spam"]
    later = max(recorded, key=lambda e: (e.at, e.hlc))
    assert status_of(room, cid).value == later.to_status
    first = min(recorded, key=lambda e: (e.at, e.hlc))
    assert later.from_status == first.to_status  # the later one saw the earlier decision


def test_a_decision_on_nothing_is_refused_with_a_sentence(room: Newsroom) -> None:
    with pytest.raises(ValidationError, match="Select at least one comment"):
        actions.approve(room.store, [], actor="m")
    with pytest.raises(ValidationError, match="not a moderation decision"):
        actions.decide(room.store, [room.comments["bob_1"]], "delete", actor="m")


def test_bulk_approve_of_many_comments_is_one_transaction(room: Newsroom) -> None:
    ids = [add_comment(room.store, room.bob, room.article_id, f"Remark number {i}", minutes=i)
           for i in range(50)]
    with room.store.session() as s:
        s.execute(Comment.__table__.update().values(status=CommentStatus.PENDING))
        s.commit()
    result = actions.approve(room.store, ids, actor="m")
    assert result.count == 50
    with room.store.read_session() as s:
        assert s.scalar(select(func.count()).select_from(ModerationEvent)) == 50
    assert commenter(room, room.bob).approved_count >= 50


def _event_count(room: Newsroom) -> int:
    with room.store.read_session() as s:
        return s.scalar(select(func.count()).select_from(ModerationEvent)) or 0


def test_a_repeated_decision_changes_nothing_and_writes_no_event(room: Newsroom) -> None:
    cid = room.comments["bob_1"]
    actions.mark_spam(room.store, [cid], actor="m")
    with room.store.read_session() as s:
        hlc = s.get(Comment, cid).hlc  # type: ignore[union-attr]
        log_end = s.scalar(select(func.max(ChangeLog.seq)))
    spam_count = commenter(room, room.bob).spam_count
    again = actions.mark_spam(room.store, [cid], actor="m")
    assert again.count == 0 and again.changes == ()
    [event] = events_for(room, cid)  # no "spam → spam"
    assert (event.from_status, event.to_status) == ("pending", "spam")
    with room.store.read_session() as s:
        assert s.get(Comment, cid).hlc == hlc  # type: ignore[union-attr]
        assert s.scalar(select(func.max(ChangeLog.seq))) == log_end
    assert commenter(room, room.bob).spam_count == spam_count


def test_a_selection_records_only_the_comments_whose_status_changes(room: Newsroom) -> None:
    pending, approved = room.comments["bob_1"], room.comments["bob_old"]
    result = actions.approve(room.store, [pending, approved], actor="m")
    assert result.count == 1 and result.comment_ids == {pending}
    assert events_for(room, approved) == []
    actions.undo(room.store, result, actor="m")
    assert status_of(room, approved) == CommentStatus.APPROVED
    assert [e.action for e in events_for(room, pending)] == ["approve", "undo"]


def test_a_decision_on_comments_that_are_gone_is_refused(room: Newsroom) -> None:
    with pytest.raises(NotFoundError):
        actions.approve(room.store, ["no-such-comment"], actor="m")
    with pytest.raises(NotFoundError):
        actions.decide_many(room.store, ["no-such-comment"], "approve", "m")


def test_every_change_and_event_is_stamped_and_in_the_outbox(room: Newsroom) -> None:
    ids = [add_comment(room.store, room.ann if i % 2 else room.bob, room.article_id,
                       f"Remark number {i}", minutes=i) for i in range(30)]
    with room.store.read_session() as s:
        before = {c.id: c.hlc for c in s.scalars(select(Comment).where(Comment.id.in_(ids)))}
        start = s.scalar(select(func.max(ChangeLog.seq))) or 0
    result = actions.reject(room.store, ids, actor="maria", reason="off topic")
    assert result.count == 30
    with room.store.read_session() as s:
        comments = {c.id: c for c in s.scalars(select(Comment).where(Comment.id.in_(ids)))}
        events = list(s.scalars(select(ModerationEvent)))
        log = list(s.scalars(select(ChangeLog).where(ChangeLog.seq > start)))
        people = list(s.scalars(select(Commenter)))
    by_table: dict[str, list[ChangeLog]] = {}
    for entry in log:
        by_table.setdefault(entry.table_name, []).append(entry)
    assert {e.row_id: (e.hlc, e.base_hlc, e.payload) for e in by_table["comment"]} == {
        cid: (c.hlc, before[cid], None) for cid, c in comments.items()}
    assert all(c.hlc > before[c.id] and c.status == CommentStatus.REJECTED
               for c in comments.values())
    assert {e.row_id: e.hlc for e in by_table["commenter"]} == {p.id: p.hlc for p in people}
    assert len(events) == 30 and len({e.id for e in events}) == 30
    payloads = {e.row_id: e.payload for e in by_table["moderation_event"]}
    for event in events:
        assert uuid.UUID(event.id).version == 4 and str(uuid.UUID(event.id)) == event.id
        assert payloads[event.id] == row_payload(event)
        assert (event.actor, event.action, event.reason) == ("maria", "reject", "off topic")
    stamps = [e.hlc for e in log]
    assert len(set(stamps)) == len(stamps)
    assert all(s.endswith(room.store.clock.device) for s in stamps)


def test_deciding_in_chunks_is_the_same_as_at_once(room: Newsroom) -> None:
    ids = [add_comment(room.store, room.bob, room.article_id, f"Remark number {i}",
                       minutes=i) for i in range(25)]
    seen: list[tuple[int, int]] = []
    result = actions.decide_many(room.store, ids + ids[:3], "approve", "m", lambda d, t:
                                 seen.append((d, t)), chunk=10)
    assert seen == [(10, 25), (20, 25), (25, 25)]
    assert result.count == 25 and result.comment_ids == set(ids)
    assert [(c.from_status, c.to_status) for c in result.changes] == [("pending", "approved")]
    assert _event_count(room) == 25
    assert commenter(room, room.bob).approved_count == 26  # bob_old was approved already
    actions.undo(room.store, result, actor="m")
    assert {status_of(room, cid) for cid in ids} == {CommentStatus.PENDING}
    assert commenter(room, room.bob).approved_count == 1
