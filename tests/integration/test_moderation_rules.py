"""Rules on a real database: editing makes versions, ingest holds and explains, trials count."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from test_moderation_support import BASE, Newsroom, add_comment, add_default_rules, open_newsroom

from pse_desk.errors import ValidationError
from pse_desk.services.moderation import rules
from pse_desk.store.model import Comment, CommentStatus, ModerationEvent


@pytest.fixture
def room(tmp_path: Path) -> Iterator[Newsroom]:
    yield from open_newsroom(tmp_path)


def comment(room: Newsroom, comment_id: str) -> Comment:
    with room.store.read_session() as s:
        c = s.get(Comment, comment_id)
        assert c is not None
        return c


def test_adding_a_rule_with_a_bad_parameter_is_refused_in_a_sentence(room: Newsroom) -> None:
    with pytest.raises(ValidationError, match="max_links must be a whole number"):
        rules.add_rule(room.store, "link_count", {"max_links": "many"})
    with pytest.raises(ValidationError, match="There is no rule kind “vibes”"):
        rules.add_rule(room.store, "vibes", {})
    assert rules.list_rules(room.store) == []


def test_editing_parameters_bumps_the_version_but_a_description_does_not(
        room: Newsroom) -> None:
    info = rules.add_rule(room.store, "link_count", {"max_links": 2}, "hold")
    assert info.version == 1 and info.label == "Too many links"
    same = rules.edit_rule(room.store, info.id, description="Spam links")
    assert same.version == 1 and same.description == "Spam links"
    edited = rules.edit_rule(room.store, info.id, params={"max_links": 4})
    assert edited.version == 2 and edited.params == {"max_links": 4}
    again = rules.edit_rule(room.store, info.id, action="reject")
    assert again.version == 3
    assert not rules.set_rule_enabled(room.store, info.id, False).enabled
    rules.remove_rule(room.store, info.id)
    assert rules.list_rules(room.store) == []


def test_ingest_holds_a_comment_and_records_why(room: Newsroom) -> None:
    ids = add_default_rules(room.store)
    cid, verdict = rules.submit_comment(
        room.store, article_id=room.article_id, commenter_id=room.ann,
        body="Try crypto at http://a.example, http://b.example and www.c.example",
        posted_at=BASE)
    assert verdict.action == "hold"
    c = comment(room, cid)
    assert c.status == CommentStatus.PENDING
    kinds = {h["kind"]: h for h in c.held_reasons}
    assert set(kinds) == {"suspect_words", "link_count"}
    assert kinds["suspect_words"]["rule_id"] == ids["suspect_words"]
    assert kinds["suspect_words"]["rule_version"] == 1
    assert kinds["suspect_words"]["matched"] == ["crypto"]
    start, end = kinds["suspect_words"]["spans"][0]
    assert c.body[start:end] == "crypto"
    assert kinds["link_count"]["explanation"].startswith("Held: 3 links (the limit is 2)")


def test_ingest_rejects_on_a_banned_word_and_writes_a_rules_event(room: Newsroom) -> None:
    add_default_rules(room.store)
    cid, verdict = rules.submit_comment(room.store, article_id=room.article_id,
                                        commenter_id=room.ann, body="What an 1d10t.",
                                        posted_at=BASE)
    assert verdict.status == "rejected"
    assert comment(room, cid).status == CommentStatus.REJECTED
    with room.store.read_session() as s:
        [event] = s.scalars(select(ModerationEvent).where(ModerationEvent.comment_id == cid))
    assert (event.actor, event.action, event.to_status) == ("rules", "auto-reject", "rejected")
    assert "banned word" in event.reason


def test_a_clean_comment_from_a_trusted_commenter_is_approved(room: Newsroom) -> None:
    add_default_rules(room.store)
    cid, verdict = rules.submit_comment(room.store, article_id=room.article_id,
                                        commenter_id=room.ann,
                                        body="The library hours should be longer.",
                                        posted_at=BASE)
    assert verdict.hits == ()
    assert comment(room, cid).status == CommentStatus.APPROVED
    cid2, _ = rules.submit_comment(room.store, article_id=room.article_id,
                                   commenter_id=room.ann, body="Another calm thought on it.",
                                   posted_at=BASE, premoderate=True)
    assert comment(room, cid2).status == CommentStatus.PENDING


def test_ingest_finds_a_repost_by_someone_else(room: Newsroom) -> None:
    add_default_rules(room.store)
    text = "The new bus timetable leaves the northern villages without any evening service."
    first, _ = rules.submit_comment(room.store, article_id=room.article_id,
                                    commenter_id=room.ann, body=text, posted_at=BASE)
    _, verdict = rules.submit_comment(room.store, article_id=room.other_article_id,
                                           commenter_id=room.bob, body=text.upper().lower(),
                                           posted_at=BASE + timedelta(hours=1))
    dup = [h for h in verdict.hits if h.kind == "duplicate"]
    assert dup and dup[0].related == (first,)


def test_ingest_counts_the_rate_of_a_commenter(room: Newsroom) -> None:
    add_default_rules(room.store)  # rate_limit: more than 3 in 10 minutes
    verdicts = [rules.submit_comment(room.store, article_id=room.article_id,
                                     commenter_id=room.ann, body=f"Point {n} about parking.",
                                     posted_at=BASE + timedelta(minutes=n))[1]
                for n in range(5)]
    rate = [any(h.kind == "rate_limit" for h in v.hits) for v in verdicts]
    assert rate == [False, False, False, True, True]


def test_trying_a_draft_rule_counts_past_comments_without_saving(room: Newsroom) -> None:
    for n in range(6):
        add_comment(room.store, room.bob, room.article_id,
                    "BUY CHEAP TICKETS TODAY" if n % 2 else "Normal words here.",
                    minutes=-n * 60)
    seen: list[tuple[int, int]] = []
    result = rules.try_rule_on_past(room.store, "shouting", {"min_letters": 10},
                                    now=BASE + timedelta(days=1),
                                    progress=lambda d, t: seen.append((d, t)))
    assert (result.held, result.cancelled) == (3, False)
    assert result.scanned == 11  # 6 here + 5 in the newsroom, all within 30 days
    assert all(h.hit.kind == "shouting" for h in result.hits)
    assert seen[-1] == (11, 11)
    assert rules.list_rules(room.store) == []


def test_a_trial_can_be_cancelled(room: Newsroom, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rules, "TRIAL_BATCH", 2)
    result = rules.try_rule_on_past(room.store, "reports", {"min_reports": 1},
                                    now=BASE + timedelta(days=1), cancel=lambda: True)
    assert result.cancelled and result.scanned == 2


def test_a_first_time_trial_knows_earlier_approvals(room: Newsroom) -> None:
    result = rules.try_rule_on_past(room.store, "first_time", {}, days=1,
                                    now=BASE + timedelta(hours=1))
    # Bob's approved comment is older than the window; Ann is trusted: nobody is a first-timer
    assert result.held == 0
