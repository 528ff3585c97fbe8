"""The moderator's search language: operators, quoting, dates and hostile input."""

from __future__ import annotations

from datetime import date

import pytest

from pse_desk.moderation.search import SearchError, fts_query, parse_query


def test_free_words_and_operators_are_separated() -> None:
    q = parse_query('budget user:"Ann Lee" status:pending rule:shouting after:2026-11-01')
    assert q.words == ("budget",)
    assert q.users == ("Ann Lee",)
    assert q.statuses == ("pending",)
    assert q.rules == ("shouting",)
    assert q.after == date(2026, 11, 1)


def test_a_quoted_phrase_is_kept_whole() -> None:
    q = parse_query('"road repairs" now')
    assert q.phrases == ("road repairs",)
    assert q.words == ("now",)


def test_operator_names_are_case_insensitive_and_values_too() -> None:
    q = parse_query("STATUS:Spam Article:nhs-staffing-plan before:2026-12-31")
    assert q.statuses == ("spam",)
    assert q.articles == ("nhs-staffing-plan",)
    assert q.before == date(2026, 12, 31)


def test_an_unknown_prefix_is_searched_as_text() -> None:
    q = parse_query("http://example.org re:budget")
    assert q.words == ("http://example.org", "re:budget")


@pytest.mark.parametrize(("text", "message"), [
    ("after:yesterday", "after: needs a date like 2026-11-01."),
    ("before:2026-13-01", "before: 2026-13-01 is not a real date; use one like 2026-11-01."),
    ("status:maybe", "status: must be one of pending, approved, rejected, spam."),
    ("rule:rudeness", "rule: must be one of banned_words"),
    ("user:", 'user: needs a name, as in user:"Ann Lee".'),
    ('user:""', 'user: needs a name'),
    ("article:***", "article: needs letters or digits"),
    ("after:2026-11-05 before:2026-11-01", "nothing can match"),
])
def test_mistakes_come_back_as_one_sentence(text: str, message: str) -> None:
    with pytest.raises(SearchError) as caught:
        parse_query(text)
    assert message in str(caught.value)
    assert str(caught.value).count(". ") == 0  # one sentence


@pytest.mark.parametrize("text", ['"', "*", "NEAR(", "AND", "OR NOT", 'a"b', "col:*",
                                  "'; DROP TABLE comment; --", "^start", "x AND (y OR"])
def test_fts_hostile_input_is_quoted_never_operators(text: str) -> None:
    fts = parse_query(text).fts_text()
    # every piece is a double-quoted string whose inner quotes are doubled
    pieces = fts.split(" ") if fts else []
    for piece in pieces:
        assert piece.startswith('"') and piece.endswith('"')
        assert '"' not in piece[1:-1].replace('""', "")


def test_pieces_without_letters_are_dropped() -> None:
    assert fts_query(["*", "(", "ok"]) == '"ok"'
    assert parse_query('" "').is_empty
