"""British English spell checking of Markdown (skips with a reason when en_GB is missing)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pse_desk.writing import spelling
from pse_desk.writing.spelling import MISSING_DICTIONARY, SpellChecker, default_word_list

checker = SpellChecker()
needs_en_gb = pytest.mark.skipif(
    not checker.available,
    reason=f"{checker.status} (apt-get install hunspell-en-gb libenchant-2-2)")


@needs_en_gb
def test_british_spellings_pass_and_american_ones_are_marked() -> None:
    found = SpellChecker().check_text("The colour of the centre was grey. "
                                      "The color of the center was gray.")
    assert [m.word for m in found] == ["color", "center"]


@needs_en_gb
def test_misspellings_carry_their_line_and_columns() -> None:
    (m,) = SpellChecker().check_text("## Heading\n\nA wrnog word.")
    assert (m.word, m.line, m.start, m.end) == ("wrnog", 3, 2, 7)


@needs_en_gb
def test_markdown_syntax_code_urls_emails_and_words_with_digits_are_not_checked() -> None:
    text = ("Visit https://exmaple.org/pathh or write to nmae@exmaple.org.\n"
            "Run `pipp instal` now, see [the plan](http://xyzzy.example/qwrt) and abc123.\n"
            "```\nmisspeled = codde()\n```\n<span clss=\"x\">fine</span> &nbsp;")
    assert SpellChecker().check_text(text) == []


@needs_en_gb
def test_check_line_finds_the_same_words_as_check_text() -> None:
    c = SpellChecker()
    line = "- an itme with **emphsis** and [a lnik](http://x)"
    assert [m.word for m in c.check_line(line, line_number=4)] == ["itme", "emphsis", "lnik"]
    assert c.check_line(line, line_number=4) == c.check_text("\n\n\n" + line)


@needs_en_gb
def test_suggestions_offer_the_right_word() -> None:
    assert "wrong" in SpellChecker().suggest("wrnog")


@needs_en_gb
def test_added_words_are_kept_in_the_personal_word_list_file(tmp_path: Path) -> None:
    words = tmp_path / "dictionary" / "words.txt"
    first = SpellChecker(words)
    assert [m.word for m in first.check_text("Lord Kerslake spoke.")] == ["Kerslake"]
    first.add_to_dictionary("Kerslake")
    assert first.check_text("Lord Kerslake spoke.") == []
    assert "Kerslake" in words.read_text()
    assert SpellChecker(words).check_text("Lord Kerslake spoke.") == []


@needs_en_gb
def test_ignored_words_are_accepted_but_not_saved(tmp_path: Path) -> None:
    words = tmp_path / "words.txt"
    c = SpellChecker(words)
    c.ignore("Zyxwv")
    assert c.check_text("Zyxwv") == []
    assert SpellChecker(words).check_text("Zyxwv") != []


@needs_en_gb
def test_apostrophes_and_curly_quotes_do_not_make_words_wrong() -> None:
    assert SpellChecker().check_text("The council’s plan isn't 'local' or ‘regional’.") == []


def test_without_a_dictionary_it_says_so_and_finds_nothing(
        monkeypatch: pytest.MonkeyPatch) -> None:
    enchant, _ = spelling._load_enchant()
    if enchant is None:
        c = SpellChecker()
        assert not c.available
        assert "install" in c.status
    else:
        monkeypatch.setattr(enchant, "dict_exists", lambda _language: False)
        c = SpellChecker()
        assert not c.available
        assert c.status == MISSING_DICTIONARY
        assert c.status.startswith("British English dictionary not found; install "
                                   "hunspell-en-gb")
    assert c.check_text("wrnog speling") == []
    assert c.check_line("wrnog") == []
    assert c.suggest("wrnog") == []
    c.add_to_dictionary("wrnog")  # no exception


def test_without_the_enchant_library_it_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(spelling, "_load_enchant", lambda: (None, spelling.MISSING_ENCHANT))
    c = SpellChecker()
    assert not c.available
    assert "hunspell-en-gb" in c.status
    assert c.check_text("wrnog") == []


def test_the_default_word_list_lives_in_the_user_data_folder() -> None:
    path = default_word_list()
    assert path.name == "words-en_GB.txt"
    assert "pse-desk" in path.parts
