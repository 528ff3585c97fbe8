"""Writing checks over a Markdown article, each finding a click away from its line.

The checks follow what public-sector style guides ask for: images need alt text, heading
levels go down one at a time (the outline is how screen-reader users navigate), link text says
where it goes ("click here" tells nobody anything out of context), sentences stay under 35
words, and the article as a whole reads as plain English (Flesch reading ease).
"""

from __future__ import annotations

import enum
import functools
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from pse_desk.writing.outline import outline
from pse_desk.writing.prose import (
    ATX,
    BLOCK_PREFIX,
    INLINE_LINK,
    REF_LINK,
    blank_code,
    mask,
)

LONG_SENTENCE_WORDS = 35
VAGUE_LINK_TEXT = frozenset({"click here", "here", "read more", "this link", "more", "link",
                             "click", "this", "this page", "click this link", "find out more"})
HTML_IMG = re.compile(r"<img\b[^<>]*>", re.IGNORECASE)
HTML_ALT = re.compile(r"\balt\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s>]+))", re.IGNORECASE)
# a sentence ends at . ! or ? (with closing quotes or brackets) before a space or the line end
SENTENCE_TOKEN = re.compile(r"\w+(?:['’.]\w+)*|(?<![.!?])[.!?]++['’\"”)\]]*+(?=\s|$)")
ABBREVIATIONS = frozenset({"e.g", "i.e", "mr", "mrs", "ms", "dr", "prof", "st", "no", "vs",
                           "cf", "approx", "dept", "govt", "cllr", "rt", "hon", "nb"})
MIN_WORDS_FOR_READABILITY = 10
NO_ALT_TEXT = "This image has no alt text; describe it for readers who cannot see it."
VOWEL_GROUPS = re.compile(r"[aeiouy]+")


class Severity(enum.Enum):
    INFO = "info"
    WARNING = "warning"


@dataclass(frozen=True)
class Finding:
    kind: str  # image_alt, heading_level, link_text, long_sentence, readability
    line: int  # 1-based
    column: int  # 0-based
    message: str  # one sentence
    severity: Severity = Severity.WARNING


@dataclass(frozen=True)
class Readability:
    score: float  # Flesch reading ease: higher is easier, 60-70 is plain English
    words: int
    sentences: int
    syllables: int

    @property
    def verdict(self) -> str:
        s = self.score
        if s >= 80:
            return "easy to read: plain English most readers follow at first reading"
        if s >= 60:
            return "plain English that most adults read easily"
        if s >= 50:
            return "fairly difficult; shorter sentences and everyday words would help"
        if s >= 30:
            return "difficult; split long sentences and prefer short, common words"
        return "very difficult, for specialists; rewrite it in plain English for a general reader"


@dataclass(frozen=True)
class Sentence:
    line: int
    column: int
    words: int
    syllables: int


def check(text: str) -> list[Finding]:
    """Every finding of every check, in the order of the text (readability first)."""
    parts = sentences(text)
    findings = [*images_without_alt(text), *skipped_heading_levels(text), *vague_links(text),
                *long_sentences(text, found=parts)]
    findings.sort(key=lambda f: (f.line, f.column))
    score = readability(text, found=parts)
    if score is not None:
        findings.insert(0, readability_finding(score))
    return findings


def _links(line: str) -> list[re.Match[str]]:
    """Inline and reference links and images of a line, in the order they stand."""
    found = [*INLINE_LINK.finditer(line), *REF_LINK.finditer(line)]
    return sorted(found, key=lambda m: m.start())


def images_without_alt(text: str) -> Iterator[Finding]:
    for number, line in enumerate(blank_code(text), start=1):
        starts = [m.start() for m in _links(line) if m.group(1) == "!" and not m.group(2).strip()]
        for m in HTML_IMG.finditer(line):
            alt = HTML_ALT.search(m.group())
            if alt is None or not "".join(g or "" for g in alt.groups()).strip():
                starts.append(m.start())
        for start in sorted(starts):
            yield Finding("image_alt", number, start, NO_ALT_TEXT)


def skipped_heading_levels(text: str) -> Iterator[Finding]:
    previous = 1  # the article's title is the page's level-1 heading
    for heading in outline(text):
        if heading.level > previous + 1:
            yield Finding("heading_level", heading.line, 0,
                          f"This level-{heading.level} heading follows a level-{previous} "
                          f"heading; use level {previous + 1} ({'#' * (previous + 1)}) so the "
                          "outline has no gap.")
        previous = heading.level


def vague_links(text: str) -> Iterator[Finding]:
    for number, line in enumerate(blank_code(text), start=1):
        for m in _links(line):
            if m.group(1) != "!":
                label = " ".join(re.sub(r"[^\w\s]", " ", m.group(2)).lower().split())
                if label in VAGUE_LINK_TEXT:
                    yield Finding("link_text", number, m.start(),
                                  f"The link text \"{m.group(2).strip()}\" does not say where "
                                  "it leads; name the destination instead.")


def _block_starts(text: str) -> list[bool]:
    """Lines that start a new block for sentence purposes: headings, list items, table rows."""
    starts = []
    for line in text.split("\n"):
        prefix = BLOCK_PREFIX.match(line)
        starts.append(bool(ATX.match(line)) or line.lstrip().startswith("|")
                      or bool(prefix and prefix.group().strip()))
    return starts


@functools.lru_cache(maxsize=65536)
def syllables(word: str) -> int:
    """An estimate good enough for a reading-ease score (vowel groups, silent final e)."""
    w = word.lower().replace("’", "'")
    if len(w) <= 3:
        return 1
    count = len(VOWEL_GROUPS.findall(w))
    if w.endswith("e") and not w.endswith(("le", "ee", "ye")) and count > 1:
        count -= 1
    if w.endswith(("ed", "es")) and not w.endswith(("ted", "ded", "ses", "zes", "ces", "ges")) \
            and count > 1:
        count -= 1
    return max(1, count)


def sentences(text: str) -> list[Sentence]:
    """The sentences of the prose (code, syntax and URLs left out), with where each starts."""
    found: list[Sentence] = []
    current: list[tuple[int, int, int]] = []  # line, column, syllables of each word

    def close() -> None:
        if current:
            found.append(Sentence(current[0][0], current[0][1], len(current),
                                  sum(s for _, _, s in current)))
            current.clear()

    masked = mask(text)
    for number, (line, starts) in enumerate(zip(masked, _block_starts(text), strict=True), 1):
        if not line.strip() or starts:
            close()
        previous_word, previous_end = "", -1
        for m in SENTENCE_TOKEN.finditer(line):
            token = m.group()
            if token[0] in ".!?":
                abbreviation = (token[0] == "." and previous_end == m.start()
                                and previous_word.lower() in ABBREVIATIONS)
                if current and not abbreviation:
                    close()
                continue
            current.append((number, m.start(), syllables(token)))
            previous_word, previous_end = token, m.end()
    close()
    return found


def long_sentences(text: str, limit: int = LONG_SENTENCE_WORDS, *,
                   found: Sequence[Sentence] | None = None) -> Iterator[Finding]:
    for s in sentences(text) if found is None else found:
        if s.words > limit:
            yield Finding("long_sentence", s.line, s.column,
                          f"This sentence has {s.words} words; sentences over {limit} words are "
                          "hard to follow, so consider splitting it.")


def readability(text: str, found: Sequence[Sentence] | None = None) -> Readability | None:
    """Flesch reading ease of the prose; None when there is too little prose to judge."""
    parts = sentences(text) if found is None else found
    words = sum(s.words for s in parts)
    if words < MIN_WORDS_FOR_READABILITY:
        return None
    syllable_count = sum(s.syllables for s in parts)
    score = 206.835 - 1.015 * (words / len(parts)) - 84.6 * (syllable_count / words)
    return Readability(round(score, 1), words, len(parts), syllable_count)


def readability_finding(score: Readability) -> Finding:
    severity = Severity.INFO if score.score >= 60 else Severity.WARNING
    return Finding("readability", 1, 0,
                   f"Reading ease {score.score:.0f} out of 100 over {score.words} words — "
                   f"{score.verdict}.", severity)

