"""Search and queue filters against a real SQLite file with FTS5."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from test_moderation_support import Newsroom, open_newsroom

from pse_desk.errors import NotFoundError
from pse_desk.moderation.search import SearchError
from pse_desk.services.moderation.queue import (
    Queue,
    QueueFilter,
    queue_counts,
    queue_page,
    search_page,
)


@pytest.fixture
def room(tmp_path: Path) -> Iterator[Newsroom]:
    yield from open_newsroom(tmp_path)


def found(room: Newsroom, text: str, queue: Queue | None = None) -> set[str]:
    with room.store.read_session() as s:
        ids = {r.id for r in search_page(s, text, queue)}
    names = {v: k for k, v in room.comments.items()}
    return {names[i] for i in ids}


def test_free_text_matches_comment_bodies(room: Newsroom) -> None:
    assert found(room, "budget") == {"ann_ok", "bob_1"}
    assert found(room, "roads budget") == {"bob_1"}


def test_free_text_matches_commenter_names_too(room: Newsroom) -> None:
    assert found(room, "marsh") == {"bob_1", "bob_2", "bob_old"}


def test_a_phrase_must_appear_in_order(room: Newsroom) -> None:
    assert found(room, '"more nurses"') == {"bob_2"}
    assert found(room, '"nurses more"') == set()


def test_two_operators_combine(room: Newsroom) -> None:
    assert found(room, 'user:"Ann Lee" status:pending') == {"ann_pending"}
    assert found(room, "article:hospitals status:approved") == {"bob_old"}
    assert found(room, "article:council-budgets-squeezed user:bob") == {"bob_1"}


def test_rule_operator_reads_held_reasons(room: Newsroom) -> None:
    assert found(room, "rule:shouting") == {"bob_2"}
    assert found(room, "rule:suspect_words nurses") == set()


def test_dates_bound_the_posting_time(room: Newsroom) -> None:
    assert found(room, "before:2026-11-19") == {"bob_old"}
    assert found(room, "after:2026-11-20 user:ann") == {"ann_pending"}


def test_search_within_a_queue(room: Newsroom) -> None:
    assert found(room, "marsh", Queue.PENDING) == {"bob_2"}
    assert found(room, "marsh", Queue.UNMODERATED) == {"bob_1"}


@pytest.mark.parametrize("text", ['"', "*", "NEAR(", "AND", "OR", 'x" OR "y', "title:*",
                                  "'; DROP TABLE comment; --", "-", "^", "a*b", "\x00"])
def test_hostile_search_text_never_raises_from_sqlite(room: Newsroom, text: str) -> None:
    with room.store.read_session() as s:
        search_page(s, text)
        search_page(s, f"{text} status:pending")
        with contextlib.suppress(SearchError):  # a sentence is fine; an SQLite error is not
            search_page(s, f'user:"{text}a" article:"{text}b"')


def test_a_bad_operator_is_a_search_error(room: Newsroom) -> None:
    with room.store.read_session() as s, pytest.raises(SearchError):
        search_page(s, "after:soon")


def test_queue_filters_narrow_pages_and_counts(room: Newsroom) -> None:
    with room.store.read_session() as s:
        only_b = QueueFilter(article_id=room.other_article_id)
        rows = queue_page(s, Queue.APPROVED, filters=only_b)
        assert [r.id for r in rows] == [room.comments["bob_old"]]
        counts = queue_counts(s, QueueFilter(commenter_id=room.bob))
        assert counts[Queue.PENDING] == 1 and counts[Queue.UNMODERATED] == 1
        assert counts[Queue.REPORTED] == 1
        held = queue_page(s, Queue.PENDING, filters=QueueFilter(rule_kind="suspect_words"))
        assert [r.id for r in held] == [room.comments["ann_pending"]]
        recent = queue_page(s, Queue.APPROVED, filters=QueueFilter(
            since=datetime(2026, 11, 19)))
        assert [r.id for r in recent] == [room.comments["ann_ok"]]


def test_search_pages_by_keyset(room: Newsroom) -> None:
    with room.store.read_session() as s:
        first = search_page(s, "marsh", limit=2)
        rest = search_page(s, "marsh", limit=2, after=first[-1].key)
    assert len(first) == 2 and len(rest) == 1
    assert first[0].posted_at >= first[1].posted_at >= rest[0].posted_at


def test_very_common_text_searches_only_its_newest_matches(
        room: Newsroom, monkeypatch: pytest.MonkeyPatch) -> None:
    from pse_desk.moderation import search as search_module
    from pse_desk.services.moderation.queue import search_is_capped

    monkeypatch.setattr(search_module, "MATCH_CAP", 1)
    monkeypatch.setattr(search_module.newest_matches_floor, "__defaults__", (1,))
    with room.store.read_session() as s:
        assert search_is_capped(s, "budget")
        assert not search_is_capped(s, "nurses")
        rows = search_page(s, "budget")
    # "budget" is in two comments; only the newest stored one is searched
    assert [r.id for r in rows] == [room.comments["bob_1"]]
    with room.store.read_session() as s:  # a commenter narrows enough: no cap then
        assert not search_is_capped(s, "budget user:ann")
        assert [r.id for r in search_page(s, "budget user:ann")] == [room.comments["ann_ok"]]


def test_comment_detail_shows_the_comment_in_context(room: Newsroom) -> None:
    from pse_desk.services.moderation.detail import comment_detail
    from pse_desk.store.model import Comment

    with room.store.session() as s:
        reply = Comment(article_id=room.article_id, commenter_id=room.ann,
                        parent_id=room.comments["bob_1"], body="A reply to Bob.",
                        posted_at=datetime(2026, 11, 20, 13, 0))
        s.add(reply)
        s.commit()
        reply_id = reply.id
    with room.store.read_session() as s:
        detail = comment_detail(s, room.comments["bob_1"])
        child = comment_detail(s, reply_id)
    assert detail.article_title == "Council budgets squeezed again"
    assert detail.commenter.display_name == "Bob Marsh" and detail.commenter.trust == "new"
    assert [r.id for r in detail.replies] == [reply_id]
    assert {r.id for r in detail.recent_by_commenter} == {room.comments["bob_2"],
                                                          room.comments["bob_old"]}
    assert child.parent is not None and child.parent.id == room.comments["bob_1"]
    with room.store.read_session() as s, pytest.raises(NotFoundError):
        comment_detail(s, "nope")


def test_queue_counts_agree_with_the_queue_pages(room: Newsroom) -> None:
    from pse_desk.services.moderation.decisions import mark_spam

    mark_spam(room.store, [room.comments["bob_1"]], actor="m")
    with room.store.session() as s:  # a tombstoned comment is in no queue
        from pse_desk.store.model import Comment

        gone = s.get(Comment, room.comments["ann_ok"])
        assert gone is not None
        gone.deleted = True
        s.commit()
    with room.store.read_session() as s:
        counts = queue_counts(s)
        for queue in Queue:
            assert counts[queue] == len(queue_page(s, queue, limit=1000)), queue
    assert counts[Queue.SPAM] == 1 and counts[Queue.APPROVED] == 1
