"""The demo newsroom's content generators, without a database; held comments are checked
against the desk's own rules (``pse_desk.moderation``), built here from the default rules."""

from __future__ import annotations

import json
import random
import re
import uuid
from collections import Counter
from datetime import datetime, timedelta
from typing import Any

import pytest

from pse_desk.demo.article_text import SECTIONS
from pse_desk.demo.articles import MAX_WORDS, MIN_WORDS, make_articles, seeded_uuid, word_count
from pse_desk.demo.build import DemoSummary
from pse_desk.demo.comments import KINDS, CommentStream
from pse_desk.demo.rules import DEFAULT_RULES, RULE_KINDS
from pse_desk.moderation.facts import CommentFacts, RuleContext
from pse_desk.moderation.rules import RuleCheck, Verdict, build_rule, evaluate
from pse_desk.store.model import ArticleStatus

BASE = datetime(2026, 10, 1, 9, 0)
RULE_IDS = {kind: f"rule-{kind}" for kind in RULE_KINDS}
TEXT_KINDS = ("banned_words", "suspect_words", "link_count", "shouting")
# the desk's rules, as ingest builds them from the rule rows (this order is their precedence)
DESK_RULES: dict[str, RuleCheck] = {
    r.kind: build_rule(r.kind, r.params, id=RULE_IDS[r.kind], action=r.action.value)
    for r in DEFAULT_RULES}


def _articles(seed: int, count: int = 24) -> list:
    return make_articles(count, random.Random(seed), BASE)


def _stream(seed: int, total: int) -> tuple[CommentStream, list[tuple]]:
    articles = [(a.id, a.published_at) for a in _articles(seed, 12)]
    stream = CommentStream(random.Random(seed), random.Random(seed + 1000), total, articles,
                           BASE, RULE_IDS)
    return stream, list(stream.rows())


def test_seeded_uuid_is_the_text_of_a_version_4_uuid_from_the_same_bits() -> None:
    a, b = random.Random(7), random.Random(7)
    for _ in range(2000):
        text = seeded_uuid(a)
        assert text == str(uuid.UUID(int=b.getrandbits(128), version=4))
        assert uuid.UUID(text).version == 4


def test_the_same_seed_gives_byte_identical_articles_and_another_seed_does_not() -> None:
    first, again, other = _articles(3), _articles(3), _articles(4)
    assert [(a.id, a.title, a.standfirst, a.body_md) for a in first] == \
        [(a.id, a.title, a.standfirst, a.body_md) for a in again]
    assert [a.body_md for a in first] != [a.body_md for a in other]
    assert [a.id for a in first] != [a.id for a in other]


def test_articles_cover_the_six_sections_with_unique_slugs_and_a_status_mix() -> None:
    articles = _articles(1, 40)
    assert {a.section for a in articles} == {s.name for s in SECTIONS}
    assert len({a.slug for a in articles}) == 40
    statuses = Counter(a.status for a in articles)
    assert statuses[ArticleStatus.PUBLISHED] > statuses[ArticleStatus.READY] > 0
    assert statuses[ArticleStatus.DRAFT] > 0
    for a in articles:
        assert (a.published_at is not None) == (a.status is ArticleStatus.PUBLISHED)
        assert a.source_line.startswith("Source: PSE ")
        assert 2 <= len(a.tags) <= 4


def test_article_bodies_are_markdown_of_400_to_1200_words_with_headings_list_and_quote() -> None:
    for a in _articles(2):
        words = word_count(a.body_md)
        assert MIN_WORDS <= words <= MAX_WORDS, (a.slug, words)
        assert re.search(r"^## \S", a.body_md, re.M)
        assert re.search(r"^- \S", a.body_md, re.M)
        assert re.search(r"^> \S", a.body_md, re.M)
        assert a.author in a.standfirst and " at " in a.standfirst


def test_the_default_rules_have_the_contracted_kinds_params_and_actions() -> None:
    rules = {r.kind: (r.params, r.action.value) for r in DEFAULT_RULES}
    assert rules["link_count"] == ({"max_links": 2}, "hold")
    assert rules["first_time"] == ({}, "hold")
    assert rules["shouting"] == ({"min_letters": 20, "max_caps_ratio": 0.6}, "hold")
    assert rules["duplicate"] == ({"window_days": 7, "similarity": 0.9}, "hold")
    assert rules["rate_limit"] == ({"max_comments": 5, "minutes": 10}, "hold")
    assert rules["banned_commenter"] == ({}, "reject")
    assert rules["reports"] == ({"min_reports": 3}, "hold")
    assert rules["banned_words"][1] == "reject" and rules["banned_words"][0]["words"]
    assert rules["suspect_words"][1] == "hold" and rules["suspect_words"][0]["words"]
    assert len(rules) == 9 and all(r.description for r in DEFAULT_RULES)


def test_a_comment_stream_yields_exactly_the_requested_count_deterministically() -> None:
    _, rows = _stream(5, 700)
    _, again = _stream(5, 700)
    _, other = _stream(6, 700)
    assert len(rows) == 700
    assert rows == again
    assert [r[4] for r in rows] != [r[4] for r in other]


def test_even_a_small_stream_shows_every_kind_of_comment() -> None:
    _, rows = _stream(1, 200)
    bodies = [r[4] for r in rows]
    held = [json.loads(r[8]) for r in rows]
    kinds_held = {hit["kind"] for hits in held for hit in hits}
    assert {"first_time", "shouting", "link_count", "banned_words", "suspect_words",
            "reports", "duplicate", "rate_limit", "banned_commenter"} <= kinds_held
    assert any("<script" in b for b in bodies)
    assert any(re.search(r"onerror=|onload=|javascript:|<iframe|<svg", b) for b in bodies)
    assert any(r[2] is not None for r in rows)  # replies
    assert any(r[7] > 0 for r in rows)  # reader reports
    assert {r[6] for r in rows} == {"approved", "pending", "rejected", "spam"}
    assert len(KINDS) < 200


def test_about_a_quarter_of_comments_are_replies_that_follow_their_parent() -> None:
    _, rows = _stream(2, 3000)
    seen: dict[str, tuple[str, str]] = {}
    replies = 0
    for r in rows:
        if r[2] is not None:
            replies += 1
            parent_article, parent_posted = seen[r[2]]
            assert parent_article == r[1] and parent_posted <= r[5]
        seen[r[0]] = (r[1], r[5])
    assert 0.18 <= replies / len(rows) <= 0.32


def test_held_reasons_follow_the_contract_and_name_text_that_is_in_the_comment() -> None:
    _, rows = _stream(3, 2000)
    for r in rows:
        status, hits = r[6], json.loads(r[8])
        if status == "pending" and not hits:
            continue  # unmoderated: no rule has looked at it
        for hit in hits:
            assert set(hit) - {"related"} == {"rule_id", "rule_version", "kind", "action",
                                              "matched", "explanation", "spans"}
            assert hit["rule_id"] == RULE_IDS[hit["kind"]] and hit["rule_version"] == 1
            assert hit["explanation"].endswith(".")
            for text, (start, end) in zip(hit["matched"], hit["spans"], strict=True):
                assert r[4][start:end] == text
        if any(h["action"] == "reject" for h in hits):
            assert status in ("rejected", "spam")


def test_approved_comments_trip_no_text_rule_of_the_desk() -> None:
    _, rows = _stream(4, 2000)
    text_rules = [DESK_RULES[k] for k in TEXT_KINDS]
    approved = [r for r in rows if r[6] == "approved"]
    assert len(approved) > 1000
    for r in approved:
        assert not evaluate(text_rules, CommentFacts(r[0], r[4], BASE), RuleContext()).hits, r[4]
        assert r[8] == "[]"


def _posted(row: tuple[Any, ...]) -> datetime:
    return datetime.fromisoformat(row[5])


def _desk_verdict(row: tuple[Any, ...], kinds: set[str], stream: CommentStream,
                  rows: list[tuple[Any, ...]]) -> Verdict:
    """What the desk's rules find in ``row``, in the situation the other rows describe."""
    who = next(c for c in stream.commenters if c.id == row[3])
    facts = CommentFacts(row[0], row[4], _posted(row), who.id, who.display_name, row[1], row[7])
    if kinds <= set(TEXT_KINDS):
        return evaluate([DESK_RULES[k] for k in TEXT_KINDS], facts, RuleContext())
    (kind,) = kinds
    earlier = sorted((r for r in rows if r[3] == row[3] and r[0] != row[0]
                      and _posted(r) <= _posted(row)), key=_posted)
    ctx = RuleContext(commenter_trust="banned" if who.group == "banned" else "new",
                      recent_posted_at=[_posted(r) for r in earlier])
    for r in earlier:
        ctx.duplicates.add(r[0], _posted(r), r[4])
    return evaluate([DESK_RULES[kind]], facts, ctx)


def test_held_comments_carry_the_very_hits_the_desks_rules_find_in_them() -> None:
    stream, rows = _stream(3, 3000)
    decided = {e.comment_id for e in stream.events}  # a moderator's decision since
    held = [(r, json.loads(r[8])) for r in rows if r[8] != "[]"]
    assert {h["kind"] for _, hits in held for h in hits} == set(RULE_KINDS)
    for r, hits in held:
        verdict = _desk_verdict(r, {h["kind"] for h in hits}, stream, rows)
        assert hits == verdict.held_reasons, r[4]
        assert r[6] == verdict.status or r[0] in decided


def test_commenter_tallies_match_the_comments_they_wrote() -> None:
    stream, rows = _stream(5, 1500)
    counts: Counter[tuple[str, str]] = Counter((r[3], r[6]) for r in rows)
    first: dict[str, str] = {}
    for r in rows:
        first[r[3]] = min(first.get(r[3], r[5]), r[5])
    for c in stream.active_commenters():
        assert c.comment_count == sum(n for (cid, _), n in counts.items() if cid == c.id)
        assert c.approved_count == counts[(c.id, "approved")]
        assert c.rejected_count == counts[(c.id, "rejected")]
        assert c.spam_count == counts[(c.id, "spam")]
        assert stream.first_seen(c).isoformat(" ", "microseconds") == first[c.id]
    first_timers = [c for c in stream.active_commenters() if c.group == "first_time"]
    assert first_timers and all(c.comment_count == 1 for c in first_timers)


def test_comments_fall_in_the_sixty_days_before_the_base_date() -> None:
    _, rows = _stream(6, 1000)
    earliest = (BASE - timedelta(days=60)).isoformat(" ", "microseconds")
    latest = BASE.isoformat(" ", "microseconds")
    assert all(earliest <= r[5] < latest for r in rows)


@pytest.mark.parametrize(("editions", "text"), [(1, "1 edition"), (2, "2 editions")])
def test_the_summary_is_one_line_naming_every_count(editions: int, text: str) -> None:
    summary = DemoSummary(articles=24, layouts=2, panels=10, comments=500, commenters=83,
                          editions=editions, rules=9, moderation_events=20)
    assert str(summary) == ("24 articles, 2 layouts of 10 panels, 500 comments from 83 "
                            f"commenters, {text}")


def test_posted_times_are_written_as_sqlalchemy_stores_datetimes() -> None:
    stream, _ = _stream(7, 10)
    for seconds in (-1, -60, -3600 * 9, -3600 * 9 - 1, -86_400, -5_000_000):
        expected = (BASE + timedelta(seconds=seconds)).isoformat(" ", "microseconds")
        assert stream.posted_text(seconds) == expected


def test_prefetched_batches_arrive_in_order_and_a_producer_error_reaches_the_consumer() -> None:
    from pse_desk.demo.bulk import prefetched

    assert list(prefetched(iter([[1], [2], [3]]))) == [[1], [2], [3]]

    def broken():  # type: ignore[no-untyped-def]
        yield [1]
        raise ValueError("generator broke")

    with pytest.raises(ValueError, match="generator broke"):
        list(prefetched(broken()))


def test_leaving_prefetched_early_stops_its_producer() -> None:
    import threading

    from pse_desk.demo.bulk import prefetched

    produced: list[int] = []

    def endless():  # type: ignore[no-untyped-def]
        n = 0
        while True:
            produced.append(n)
            yield [n]
            n += 1

    for batch in prefetched(endless()):
        if batch == [3]:
            break
    assert not any(t.name == "demo-rows" for t in threading.enumerate())
    assert len(produced) < 10
