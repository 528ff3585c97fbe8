"""Hostile comment HTML through ``sanitise_comment``: nothing active or remote survives.

The corpus (tests/data/hostile_payloads.json, 400+ payloads written for this project) covers
script tags in many spellings, event handlers, javascript:/vbscript:/data: URLs hidden with
entities and whitespace, SVG and MathML tricks, malformed and nested markup, CSS expression() and
url(), srcdoc, meta refresh, base href, forms, frames, object/embed, template, noscript and
Unicode tricks. The output is parsed with ``html.parser`` and checked tag by tag and attribute by
attribute, not by looking for substrings.
"""

from __future__ import annotations

import json
import unicodedata
from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pse_desk.moderation.engine import RuleRunner
from pse_desk.moderation.facts import CommentFacts
from pse_desk.moderation.rules import build_rule
from pse_desk.render import sanitise_comment

CORPUS = json.loads((Path(__file__).parent.parent / "data" / "hostile_payloads.json")
                    .read_text(encoding="utf-8"))["payloads"]
ALLOWED_TAGS = {"p", "br", "a", "em", "strong", "i", "b", "blockquote", "code", "pre", "ul",
                "ol", "li"}
ALLOWED_ATTRIBUTES = {"href", "rel"}
SAFE_SCHEMES = ("http://", "https://", "mailto:")


class Inspector(HTMLParser):
    """Collects every tag and attribute the browser would see in the sanitised output."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes += [(tag, name, value or "") for name, value in attrs]

    handle_startendtag = handle_starttag


def problems(html: str) -> list[str]:
    """Everything unsafe in ``html``, as readable findings (empty when it is safe)."""
    inspector = Inspector()
    inspector.feed(html)
    inspector.close()
    found = [f"tag <{t}>" for t in inspector.tags if t not in ALLOWED_TAGS]
    for tag, name, value in inspector.attributes:
        if name.startswith("on"):
            found.append(f"event handler {name} on <{tag}>")
        elif name not in ALLOWED_ATTRIBUTES:
            found.append(f"attribute {name} on <{tag}>")
        if name == "href":
            # what a browser would do: strip control characters and spaces, then the scheme
            url = "".join(ch for ch in value if ch > " " and unicodedata.category(ch) != "Cf")
            if not url.lower().startswith(SAFE_SCHEMES):
                found.append(f"href {value!r}")
    return found


def test_the_corpus_is_big_and_varied() -> None:
    assert len(CORPUS) >= 300
    assert {p["category"] for p in CORPUS} >= {"script", "event", "url", "svg", "malformed",
                                               "css", "embed", "unicode"}


@pytest.mark.parametrize("entry", CORPUS, ids=lambda e: f"{e['category']}")
def test_no_hostile_payload_survives_sanitising(entry: dict[str, str]) -> None:
    cleaned = sanitise_comment(entry["payload"])
    assert problems(cleaned) == [], f"payload {entry['payload']!r} gave {cleaned!r}"
    # a second pass finds nothing either (what is stored sanitised stays safe when re-read)
    assert problems(sanitise_comment(cleaned)) == []


def test_links_that_stay_are_marked_as_user_content() -> None:
    cleaned = sanitise_comment('<a href="https://ok.example/a">fine</a>')
    inspector = Inspector()
    inspector.feed(cleaned)
    rel = dict((n, v) for _, n, v in inspector.attributes)["rel"]
    assert {"nofollow", "noopener", "noreferrer", "ugc"} <= set(rel.split())


def test_the_inspector_catches_what_it_should() -> None:  # the checker itself is tested
    assert problems('<img src="https://x.example/p.png">') == ["tag <img>",
                                                           "attribute src on <img>"]
    assert problems('<a href="java\tscript:alert(1)">x</a>') == [
        "href 'java\\tscript:alert(1)'"]
    assert problems('<b onclick="x" style="y">x</b>') == ["event handler onclick on <b>",
                                                        "attribute style on <b>"]
    assert problems('<a href="https://ok.example" rel="ugc">x</a>') == []


# --- odd texts: sanitised and explained by the rules without error -----------------------------
# (how long the worst of them takes is moderation_odd_comment_s in benchmarks/moderation_engine.py)

RULES = [build_rule("banned_words", {"words": ["idiot", "scum"]}, action="reject"),
         build_rule("suspect_words", {"words": ["crypto", "buy now"]}),
         build_rule("link_count", {"max_links": 2}), build_rule("first_time", {}),
         build_rule("shouting", {}), build_rule("duplicate", {}),
         build_rule("rate_limit", {"max_comments": 5, "minutes": 10}),
         build_rule("banned_commenter", {}, action="reject"), build_rule("reports", {})]

ODD = {
    "one megabyte": ("Budget thoughts, idiot remarks and http://a.example links. " * 18000)[
        :1_048_576],
    "empty": "",
    "control characters": "a\x00b\x01c\x07d\x08e\x0bf\x0cg\x1bh\x7fi crypto \x1f",
    "right-to-left override": "\u202eevil.exe\u202c see \u202dhttps://ok.example\u202c idiot",
    "ten thousand combining marks": "Z" + "\u0301" * 10_000 + " scum",
    "only whitespace": " \t\n\r " * 1000,
    "lone surrogate-free astral": "😀" * 5000 + " crypto",
}


@pytest.mark.parametrize("name", list(ODD))
def test_odd_comments_are_sanitised_and_explained(name: str) -> None:
    body = ODD[name]
    cleaned = sanitise_comment(body)
    assert problems(cleaned) == []
    runner = RuleRunner(RULES)
    verdict = runner.check(CommentFacts("c1", body, datetime(2026, 11, 20), "u1", "Ann"))
    for hit in verdict.hits:
        assert hit.explanation.endswith(".")
        assert all(body[a:b] == m for m, (a, b) in zip(hit.matched, hit.spans, strict=True))


def test_a_megabyte_comment_is_explained_with_its_words() -> None:
    body = ODD["one megabyte"]
    verdict = RuleRunner(RULES).check(CommentFacts("c1", body, datetime(2026, 11, 20), "u", "A"))
    kinds = {h.kind for h in verdict.hits}
    assert {"banned_words", "first_time"} <= kinds
    assert verdict.status == "rejected"


# --- property: arbitrary mixtures of hostile fragments stay safe ------------------------------

FRAGMENTS = st.sampled_from([
    "<script>", "</script>", "<img src=x ", "onerror=alert(1)", "<a href=", '"', "'",
    "javascript:", "java\tscript:", "&#106;", "data:text/html,", "<svg", "<math>", ">", "<",
    "/>", "<p>", "<style>", "url(", "expression(", "<iframe srcdoc=", "\x00", "\u202e",
    "<!--", "-->", "<![CDATA[", "]]>", "https://ok.example", " ", "text", "=", "`",
])


@settings(max_examples=300, deadline=None)
@given(st.lists(FRAGMENTS, max_size=25).map("".join))
def test_any_mixture_of_fragments_is_safe_after_sanitising(html: str) -> None:
    assert problems(sanitise_comment(html)) == []
