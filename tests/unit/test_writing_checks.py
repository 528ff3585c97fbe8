"""Writing checks: alt text, heading levels, link text, long sentences, readability."""

from __future__ import annotations

from pse_desk.writing.checks import (
    Severity,
    check,
    images_without_alt,
    long_sentences,
    readability,
    sentences,
    skipped_heading_levels,
    syllables,
    vague_links,
)


def kinds(text: str) -> list[tuple[str, int, int]]:
    return [(f.kind, f.line, f.column) for f in check(text) if f.kind != "readability"]


def test_an_image_without_alt_text_is_found_at_its_position() -> None:
    text = "Intro.\n\nSee ![](pse-asset:1) and ![A map of the ward](pse-asset:2)."
    (finding,) = images_without_alt(text)
    assert (finding.line, finding.column) == (3, 4)
    assert "alt text" in finding.message


def test_html_images_need_alt_text_too() -> None:
    found = list(images_without_alt('<img src="a.png">\n<img alt="The hall" src="b.png">'))
    assert [f.line for f in found] == [1]


def test_images_inside_code_are_not_checked() -> None:
    assert list(images_without_alt("`![](x.png)`\n```\n![](y.png)\n```")) == []


def test_a_skipped_heading_level_is_found_and_the_message_names_the_right_one() -> None:
    text = "## Section\n\n#### Too deep\n\n### Fine\n\n## Back up is fine"
    (finding,) = skipped_heading_levels(text)
    assert finding.line == 3
    assert "level-4" in finding.message
    assert "###" in finding.message


def test_the_first_heading_may_be_level_two_under_the_title() -> None:
    assert list(skipped_heading_levels("## First")) == []
    assert [f.line for f in skipped_heading_levels("### First")] == [1]


def test_vague_link_texts_are_found_whatever_their_case_and_punctuation() -> None:
    text = ("[Click here](http://a). [Read more…](http://b) [here][ref] "
            "[this link](http://c) [the full commission report](http://d)")
    found = list(vague_links(text))
    assert [f.column for f in found] == [0, 24, 47, 59]
    assert '"Click here"' in found[0].message


def test_links_in_code_are_not_checked() -> None:
    assert list(vague_links("`[here](x)`")) == []


def test_a_sentence_over_35_words_is_found_at_its_first_word() -> None:
    long_one = " ".join(["word"] * 36) + "."
    text = f"A short one. {long_one} Another short one."
    (finding,) = long_sentences(text)
    assert (finding.line, finding.column) == (1, 13)
    assert "36 words" in finding.message
    assert list(long_sentences(" ".join(["word"] * 35) + ".")) == []


def test_sentences_span_lines_of_a_paragraph_but_not_blocks() -> None:
    text = "One sentence runs\nacross two lines.\n\n## A heading\n- an item\n- another item"
    assert [(s.line, s.column, s.words) for s in sentences(text)] == [
        (1, 0, 6), (4, 3, 2), (5, 2, 2), (6, 2, 2)]


def test_abbreviations_and_decimals_do_not_end_a_sentence() -> None:
    (only,) = sentences("Dr. Smith met Mr. Jones, e.g. about 3.5 per cent of the budget.")
    assert only.words == 13  # numbers are words too


def test_syllable_estimates_of_common_words() -> None:
    assert [syllables(w) for w in ("the", "council", "community", "make", "people", "used")] \
        == [1, 2, 4, 1, 2, 1]


def test_plain_prose_scores_high_and_dense_prose_low() -> None:
    plain = "The cat sat on the mat. We like our town. It has a park and a shop. " * 3
    dense = ("Intergovernmental decentralisation initiatives necessitate comprehensive "
             "institutional reconfiguration, notwithstanding considerable organisational "
             "complexity and administrative interdependencies. ") * 3
    easy, hard = readability(plain), readability(dense)
    assert easy is not None
    assert hard is not None
    assert easy.score > 80
    assert hard.score < 30
    assert "plain English" in easy.verdict
    assert "difficult" in hard.verdict


def test_readability_is_not_judged_on_a_few_words() -> None:
    assert readability("Too short to judge.") is None


def test_readability_ignores_code_and_link_targets() -> None:
    prose = "We met the people of the town. They want a new park. " * 2
    noisy = prose + "\n\n```\nIntergovernmentalisation = reconfiguration()\n```\n" \
        "[a park](https://example.org/intergovernmentalisation-reconfiguration)"
    assert readability(noisy).score == readability(prose + "\n\na park").score  # type: ignore[union-attr]


def test_check_puts_readability_first_then_findings_in_text_order() -> None:
    dense = ("Intergovernmental decentralisation initiatives necessitate comprehensive "
             "institutional reconfiguration. ") * 3
    text = f"{dense}\n\n[here](http://x)\n\n#### Deep\n\n![](pse-asset:1)"
    findings = check(text)
    assert findings[0].kind == "readability"
    assert findings[0].severity is Severity.WARNING
    assert [(f.kind, f.line) for f in findings[1:]] == [
        ("link_text", 3), ("heading_level", 5), ("image_alt", 7)]
    assert all(f.message.endswith(".") for f in findings)


def test_a_clean_article_has_only_an_informative_readability_note() -> None:
    text = "## Our town\n\nThe park is open. We hope you like it. Come and see the new trees."
    (note,) = check(text)
    assert note.kind == "readability"
    assert note.severity is Severity.INFO
    assert kinds(text) == []
