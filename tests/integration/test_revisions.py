"""Revisions against a real SQLite file: save, autosave, timeline, restore, thinning, compare."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from pse_desk.errors import NotFoundError
from pse_desk.services.articles import create_article, delete_article
from pse_desk.services.revisions import (
    ArticleText,
    _window_start,
    autosave,
    compare_revisions,
    get_revision,
    restore,
    restore_label,
    save_revision,
    thin_autosaves,
    timeline,
)
from pse_desk.store import Store
from pse_desk.store.model import Article, ChangeLog, Revision, RevisionKind, utcnow


def live_text(store: Store, article_id: str) -> ArticleText:
    with store.read_session() as s:
        a = s.get(Article, article_id)
        assert a is not None
        return ArticleText(a.title, a.standfirst, a.body_md)


@pytest.fixture
def article_id(store: Store) -> str:
    return create_article(store, "Localism", body_md="First words.").id


def test_a_named_save_sets_the_live_text_and_adds_a_manual_revision(
        store: Store, article_id: str) -> None:
    text = ArticleText("Localism now", "Why it matters", "Second words.")
    saved = save_revision(store, article_id, text, label="  Sent to the editor  ",
                          author="Sam")
    assert live_text(store, article_id) == text
    assert (saved.kind, saved.label, saved.author) == (RevisionKind.MANUAL, "Sent to the editor",
                                                       "Sam")
    full = get_revision(store, saved.id)
    assert (full.title, full.standfirst, full.body_md) == (text.title, text.standfirst,
                                                          text.body_md)


def test_autosave_skips_when_nothing_changed_since_the_latest_revision(
        store: Store, article_id: str) -> None:
    text = ArticleText("Localism", "", "Typed a little more.")
    assert autosave(store, article_id, text) is not None
    assert autosave(store, article_id, text) is None
    assert autosave(store, article_id, ArticleText("Localism!", "", text.body_md)) is not None
    assert [r.kind for r in timeline(store, article_id)] == [RevisionKind.AUTOSAVE] * 2
    assert live_text(store, article_id).title == "Localism!"


def test_autosave_after_a_named_save_of_the_same_text_is_skipped(
        store: Store, article_id: str) -> None:
    text = ArticleText("Localism", "", "Named.")
    save_revision(store, article_id, text, label="v1")
    assert autosave(store, article_id, text) is None


def test_autosave_of_a_deleted_article_says_it_is_gone(store: Store, article_id: str) -> None:
    delete_article(store, article_id)
    with pytest.raises(NotFoundError):
        autosave(store, article_id, ArticleText("Localism", "", "Late words."))


def test_the_timeline_lists_every_kind_newest_first_without_text(
        store: Store, article_id: str) -> None:
    autosave(store, article_id, ArticleText("Localism", "", "one"))
    named = save_revision(store, article_id, ArticleText("Localism", "", "two"), label="Draft")
    autosave(store, article_id, ArticleText("Localism", "", "three!"))
    restore(store, named.id)
    rows = timeline(store, article_id)
    assert [r.kind for r in rows] == [RevisionKind.RESTORE, RevisionKind.AUTOSAVE,
                                      RevisionKind.MANUAL, RevisionKind.AUTOSAVE]
    assert [get_revision(store, r.id).body_md for r in rows] == ["two", "three!", "two", "one"]
    assert not hasattr(rows[0], "body_md")
    assert rows == sorted(rows, key=lambda r: r.created_at, reverse=True)


def test_restore_adds_a_revision_and_loses_nothing(store: Store, article_id: str) -> None:
    old = save_revision(store, article_id, ArticleText("Old title", "Old sf", "Old body."))
    save_revision(store, article_id, ArticleText("New title", "New sf", "New body."))
    restored = restore(store, old.id, author="Sam")
    assert live_text(store, article_id) == ArticleText("Old title", "Old sf", "Old body.")
    assert restored.kind is RevisionKind.RESTORE
    assert restored.label.startswith("Restored the revision saved ")
    bodies = [get_revision(store, r.id).body_md for r in timeline(store, article_id)]
    assert bodies == ["Old body.", "New body.", "Old body."]


def test_a_restore_names_what_it_brought_back_in_words() -> None:
    at = datetime(2026, 12, 1, 21, 32)
    assert restore_label(RevisionKind.MANUAL, "Before the cuts", at) == \
        "Restored “Before the cuts” (saved 01 Dec 2026, 21:32)"
    assert restore_label(RevisionKind.MANUAL, "", at) == \
        "Restored the revision saved 01 Dec 2026, 21:32"
    assert restore_label(RevisionKind.AUTOSAVE, "", at) == \
        "Restored the autosave of 01 Dec 2026, 21:32"
    assert all("manual" not in restore_label(kind, "", at) for kind in RevisionKind)


def test_a_missing_revision_is_not_found(store: Store) -> None:
    with pytest.raises(NotFoundError):
        get_revision(store, "nope")
    with pytest.raises(NotFoundError):
        restore(store, "nope")


def _old_revision(store: Store, article_id: str, kind: RevisionKind, at: datetime,
                  body: str) -> str:
    with store.session() as s:
        rev = Revision(article_id=article_id, title="Localism", body_md=body, kind=kind,
                       created_at=at)
        s.add(rev)
        s.commit()
        return rev.id


def test_thinning_keeps_the_last_autosave_of_each_closed_window_and_every_named_one(
        store: Store, article_id: str) -> None:
    base = datetime(2026, 3, 2, 9, 0)
    ids = {}
    for minute, kind in [(0, RevisionKind.AUTOSAVE), (3, RevisionKind.MANUAL),
                         (5, RevisionKind.AUTOSAVE), (9, RevisionKind.AUTOSAVE),
                         (12, RevisionKind.AUTOSAVE), (14, RevisionKind.IMPORT),
                         (15, RevisionKind.AUTOSAVE), (31, RevisionKind.AUTOSAVE),
                         (33, RevisionKind.AUTOSAVE)]:
        ids[minute] = _old_revision(store, article_id, kind, base + timedelta(minutes=minute),
                                    f"text at {minute}")
    thinned = thin_autosaves(store, article_id, now=base + timedelta(minutes=35))
    assert thinned == 3  # 0 and 5 (window 9:00), 12 (window 9:10); 31 and 33 are still open
    kept = {r.id for r in timeline(store, article_id)}
    assert kept == {ids[m] for m in (3, 9, 14, 15, 31, 33)}
    with store.read_session() as s:
        gone = s.get(Revision, ids[0])
        assert gone is not None
        assert gone.deleted
        assert gone.body_md == ""  # the tombstone does not keep the words twice
        assert s.scalars(select(ChangeLog).where(ChangeLog.row_id == ids[0])).all()[-1] \
            .payload["deleted"] is True  # type: ignore[index]
    assert thin_autosaves(store, article_id, now=base + timedelta(minutes=35)) == 0


def test_autosave_leaves_thinning_to_thin_autosaves(store: Store, article_id: str) -> None:
    # a minute into a closed 10-minute window, so both old autosaves are in the same one
    long_ago = _window_start(utcnow() - timedelta(hours=2)) + timedelta(minutes=1)
    first = _old_revision(store, article_id, RevisionKind.AUTOSAVE, long_ago, "a")
    second = _old_revision(store, article_id, RevisionKind.AUTOSAVE,
                           long_ago + timedelta(seconds=30), "ab")
    latest = autosave(store, article_id, ArticleText("Localism", "", "abc"))
    assert latest is not None
    assert {r.id for r in timeline(store, article_id)} == {first, second, latest.id}
    assert thin_autosaves(store, article_id) == 1
    assert {r.id for r in timeline(store, article_id)} == {second, latest.id}


def test_compare_two_revisions_word_by_word(store: Store, article_id: str) -> None:
    a = save_revision(store, article_id, ArticleText("T", "", "The plan is bold."))
    b = save_revision(store, article_id, ArticleText("T", "", "The plan is timid."))
    changes = [(s.tag, s.a_text, s.b_text) for s in compare_revisions(store, a.id, b.id)
               if s.tag != "equal"]
    assert changes == [("replace", "bold", "timid")]


def test_a_100000_word_article_autosaves_and_compares(store: Store, article_id: str) -> None:
    body = " ".join(f"word{i % 997}" for i in range(100_000))
    first = autosave(store, article_id, ArticleText("Localism", "", body))
    second = autosave(store, article_id, ArticleText("Localism", "", body + " more"))
    assert first is not None
    assert second is not None
    assert autosave(store, article_id, ArticleText("Localism", "", body + " more")) is None
    changes = [s for s in compare_revisions(store, first.id, second.id) if s.tag != "equal"]
    assert [(c.tag, c.b_text) for c in changes] == [("insert", " more")]
    assert live_text(store, article_id).body_md == body + " more"
