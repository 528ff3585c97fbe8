"""Every rule kind hits and misses, with the exact text, offsets and one sentence; precedence."""

from __future__ import annotations

from datetime import datetime, timedelta
from types import SimpleNamespace

import pytest

from pse_desk.errors import ValidationError
from pse_desk.moderation.engine import RuleRunner
from pse_desk.moderation.facts import CommentFacts, DuplicateIndex, RuleContext
from pse_desk.moderation.rules import RuleHit, build_rule, evaluate, rules_from_rows

NOW = datetime(2026, 11, 20, 12, 0)


def facts(body: str, **kw: object) -> CommentFacts:
    return CommentFacts(id=str(kw.pop("id", "c1")), body=body, posted_at=NOW,
                        commenter_id="u1", commenter_name="Ann Lee", **kw)  # type: ignore[arg-type]


def check(kind: str, params: dict[str, object], body: str, ctx: RuleContext | None = None,
          action: str = "hold", **kw: object) -> RuleHit | None:
    rule = build_rule(kind, params, id="r1", version=3, action=action)
    return rule.check(facts(body, **kw), ctx or RuleContext(approved_count=1))


def spans_match(hit: RuleHit, body: str) -> bool:
    return all(body[a:b] == m for m, (a, b) in zip(hit.matched, hit.spans, strict=True))


# --- banned / suspect words --------------------------------------------------------------------

def test_banned_words_match_whole_words_in_any_case() -> None:
    body = "You IDIOT. Idiotic is fine, so is idiots."
    hit = check("banned_words", {"words": ["idiot"]}, body, action="reject")
    assert hit is not None
    assert hit.matched == ("IDIOT",) and hit.spans == ((4, 9),)
    assert hit.explanation == "Rejected: 1 banned word: “IDIOT”."
    assert (hit.rule_id, hit.rule_version, hit.kind, hit.action) == (
        "r1", 3, "banned_words", "reject")


@pytest.mark.parametrize("written", ["sp4m", "$pam", "5p@m", "s p a m", "s.p.a.m", "S-P-A-M",
                                     "sp*m"])
def test_banned_words_catch_lookalikes_and_spacing(written: str) -> None:
    body = f"this is {written} really"
    hit = check("banned_words", {"words": ["spam"]}, body)
    if written == "sp*m":  # a wildcard letter is not a look-alike: not caught, by design
        assert hit is None
        return
    assert hit is not None and hit.matched == (written,)
    assert spans_match(hit, body)


def test_phrases_in_a_word_list_allow_any_spacing() -> None:
    body = "Just BUY   now, friends"
    hit = check("suspect_words", {"words": ["buy now"]}, body)
    assert hit is not None and hit.matched == ("BUY   now",)
    assert hit.explanation == "Held: 1 suspect word: “BUY   now”."


def test_word_lists_miss_clean_text_and_inner_words() -> None:
    assert check("banned_words", {"words": ["ass", "spam"]}, "A classic assessment.") is None
    assert check("suspect_words", {"words": []}, "anything") is None


def test_word_matches_keep_offsets_in_text_whose_case_changes_length() -> None:
    body = "İstanbul İİ then crypto"  # "İ".lower() is two characters long
    hit = check("suspect_words", {"words": ["crypto"]}, body)
    assert hit is not None and spans_match(hit, body)


@pytest.mark.parametrize("written", ["1d10t", "!d!ot", "|d|0t", "IDI0T", "i d i o t"])
def test_every_lookalike_spelling_reaches_the_exact_match(written: str) -> None:
    body = f"What an {written}."
    hit = check("banned_words", {"words": ["idiot", "lowlife"]}, body, action="reject")
    assert hit is not None and hit.matched == (written,)
    assert check("banned_words", {"words": ["lowlife"]}, "a 1owlife") is not None


def test_many_words_are_listed_once_each() -> None:
    body = "crypto crypto casino loan forex pills bets"
    hit = check("suspect_words", {"words": ["crypto", "casino", "loan", "forex", "pills",
                                            "bets"]}, body)
    assert hit is not None and len(hit.matched) == 7
    assert hit.explanation.endswith("“forex”, “pills” and 1 more.")


# --- links -------------------------------------------------------------------------------------

def test_link_count_holds_over_the_limit_and_names_the_links() -> None:
    body = 'See <a href="http://a.example/x">http://a.example/x</a>, www.b.example and https://c.example.'
    hit = check("link_count", {"max_links": 2}, body)
    assert hit is not None
    assert hit.matched == ("http://a.example/x", "www.b.example", "https://c.example")
    assert hit.explanation == ("Held: 3 links (the limit is 2): http://a.example/x, "
                               "www.b.example, https://c.example.")
    assert spans_match(hit, body)


def test_link_count_misses_at_the_limit() -> None:
    assert check("link_count", {"max_links": 2}, "http://a.example and http://b.example") is None


# --- first time, banned commenter, reports -----------------------------------------------------

def test_first_time_holds_a_commenter_with_no_approved_comment() -> None:
    hit = check("first_time", {}, "Hello", RuleContext(approved_count=0))
    assert hit is not None and hit.matched == ()
    assert hit.explanation == "Held: first comment from Ann Lee (no approved comment yet)."
    assert check("first_time", {}, "Hello", RuleContext(approved_count=2)) is None
    assert check("first_time", {}, "Hi", RuleContext(approved_count=0,
                                                     commenter_trust="trusted")) is None


def test_banned_commenter_is_rejected() -> None:
    hit = check("banned_commenter", {}, "x", RuleContext(commenter_trust="banned"),
                action="reject")
    assert hit is not None and hit.explanation == "Rejected: Ann Lee is banned."
    assert check("banned_commenter", {}, "x", RuleContext(commenter_trust="new")) is None


def test_reports_hold_at_the_threshold() -> None:
    hit = check("reports", {"min_reports": 3}, "x", reports=3)
    assert hit is not None
    assert hit.explanation == ("Held: reported by 3 readers "
                               "(3 reports are enough to hold a comment).")
    assert check("reports", {"min_reports": 3}, "x", reports=2) is None


# --- shouting ----------------------------------------------------------------------------------

def test_shouting_holds_mostly_capitals_and_shows_the_loud_part() -> None:
    body = "well THIS IS AN OUTRAGE AND A DISGRACE"
    hit = check("shouting", {"min_letters": 20, "max_caps_ratio": 0.6}, body)
    assert hit is not None
    assert hit.matched == ("THIS IS AN OUTRAGE AND A DISGRACE",)
    assert hit.explanation == "Held: 87% of its 31 letters are capitals (the limit is 60%)."
    assert spans_match(hit, body)


def test_shouting_ignores_short_texts_and_normal_case() -> None:
    assert check("shouting", {"min_letters": 20}, "NO WAY") is None
    assert check("shouting", {}, "The NHS and the BBC are acronyms in a normal sentence.") is None


def test_shouting_counts_non_ascii_letters() -> None:
    assert check("shouting", {"min_letters": 10}, "ÉÉÉÉÉ ÜÜÜÜÜ ÀÀÀÀ") is not None


# --- duplicates --------------------------------------------------------------------------------

BODY = ("The council should publish the full cost of the new ring road before the vote, "
        "because residents deserve to see the figures first.")


def test_duplicate_finds_an_exact_repeat_and_names_the_original() -> None:
    index = DuplicateIndex()
    index.add("old", NOW - timedelta(days=1), BODY.upper())
    hit = check("duplicate", {"window_days": 7, "similarity": 0.9}, BODY,
                RuleContext(duplicates=index))
    assert hit is not None and hit.related == ("old",)
    assert hit.explanation == ("Held: the same text as a comment posted 2026-11-19 12:00 "
                               "(within 7 days).")
    assert hit.spans == ((0, len(BODY)),)


def test_duplicate_finds_a_near_repeat_with_a_word_changed() -> None:
    index = DuplicateIndex()
    longer = BODY + " The last consultation was rushed and nobody was told about it in time."
    index.add("old", NOW - timedelta(hours=2), longer.replace("deserve", "need"))
    hit = check("duplicate", {"similarity": 0.6}, longer, RuleContext(duplicates=index))
    assert hit is not None and "% the same as a comment" in hit.explanation


def test_duplicate_misses_different_text_and_old_repeats() -> None:
    index = DuplicateIndex(keep=timedelta(days=30))
    index.add("other", NOW, "A quite different remark about library opening hours on Sundays.")
    index.add("old", NOW - timedelta(days=10), BODY)
    assert check("duplicate", {"window_days": 7}, BODY, RuleContext(duplicates=index)) is None
    assert check("duplicate", {}, BODY, RuleContext(duplicates=index), id="old") is None


def test_a_common_phrase_does_not_count_as_copying() -> None:
    index = DuplicateIndex()
    for n in range(40):
        index.add(f"c{n}", NOW, f"i agree with this {n} completely and fully number {n}")
    assert check("duplicate", {"similarity": 0.9}, "i agree with this entirely",
                 RuleContext(duplicates=index)) is None


# --- rate limit --------------------------------------------------------------------------------

def test_rate_limit_counts_this_comment_and_recent_ones_in_the_window() -> None:
    recent = [NOW - timedelta(minutes=m) for m in (1, 2, 3, 4, 30)]
    hit = check("rate_limit", {"max_comments": 4, "minutes": 10}, "x",
                RuleContext(recent_posted_at=recent))
    assert hit is not None
    assert hit.explanation == ("Held: 5 comments within 10 minutes from this commenter "
                               "(the limit is 4).")
    assert check("rate_limit", {"max_comments": 5, "minutes": 10}, "x",
                 RuleContext(recent_posted_at=recent)) is None


# --- registry and evaluate ---------------------------------------------------------------------

@pytest.mark.parametrize(("kind", "params", "message"), [
    ("link_count", {"max_links": -1}, "max_links must be a whole number of at least 0."),
    ("shouting", {"max_caps_ratio": 2}, "max_caps_ratio must be a number above 0 and at most 1."),
    ("banned_words", {"words": [1, 2]}, "words must be a list of words."),
    ("rate_limit", {"minutes": True}, "minutes must be a whole number of at least 1."),
    ("nope", {}, "There is no rule kind “nope”"),
])
def test_wrong_parameters_are_refused_in_a_sentence(kind: str, params: dict[str, object],
                                                    message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        build_rule(kind, params)


def test_a_wrong_action_is_refused() -> None:
    with pytest.raises(ValidationError, match="hold, reject or flag"):
        build_rule("first_time", {}, action="delete")


def test_evaluate_reject_beats_hold_beats_flag() -> None:
    rows = [SimpleNamespace(id="f", kind="suspect_words", params={"words": ["loan"]},
                            action="flag", version=1, enabled=True),
            SimpleNamespace(id="h", kind="link_count", params={"max_links": 0},
                            action="hold", version=1, enabled=True),
            SimpleNamespace(id="r", kind="banned_words", params={"words": ["scum"]},
                            action="reject", version=2, enabled=True),
            SimpleNamespace(id="off", kind="first_time", params={}, action="reject",
                            version=1, enabled=False)]
    rules = rules_from_rows(rows)  # type: ignore[arg-type]
    assert [r.id for r in rules] == ["r", "h", "f"]
    ctx = RuleContext(approved_count=0)
    flagged = evaluate(rules, facts("a loan"), ctx)
    assert (flagged.action, flagged.status) == ("flag", None)
    held = evaluate(rules, facts("a loan at http://x.example"), ctx)
    assert (held.action, held.status) == ("hold", "pending")
    rejected = evaluate(rules, facts("scum loan http://x.example"), ctx)
    assert (rejected.action, rejected.status) == ("reject", "rejected")
    assert [h["rule_id"] for h in rejected.held_reasons] == ["r", "h", "f"]
    assert set(rejected.held_reasons[0]) >= {"rule_id", "rule_version", "kind", "action",
                                            "matched", "explanation", "spans"}
    clean = evaluate(rules, facts("all fine"), ctx)
    assert (clean.action, clean.status, clean.hits) == (None, None, ())


def test_the_runner_carries_history_between_comments() -> None:
    runner = RuleRunner([build_rule("first_time", {}), build_rule("duplicate", {}),
                         build_rule("rate_limit", {"max_comments": 2, "minutes": 5})])
    kinds = []
    for n in range(4):
        f = CommentFacts(f"c{n}", BODY if n == 3 else f"Fresh words number {n} here",
                         NOW + timedelta(minutes=n), "u1", "Ann")
        kinds.append({h.kind for h in runner.check(f, approved=True).hits})
    assert kinds[0] == {"first_time"}
    assert kinds[1] == set()
    assert kinds[2] == {"rate_limit"}
    assert kinds[3] == {"rate_limit"}
    again = runner.check(CommentFacts("c9", BODY, NOW + timedelta(hours=1), "u2", "Bo"))
    assert {h.kind for h in again.hits} == {"first_time", "duplicate"}
