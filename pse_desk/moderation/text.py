"""Fast text matching for the rules: word lists, links, capitals and near-duplicate sketches.

Everything here is compiled once per rule and then run per comment, so the expensive work
(building one trie-shaped regex per word list) happens when a rule is built, never per comment.
All offsets are into the comment's raw ``body`` exactly as stored, so the UI can highlight the
words that tripped a rule in the plain-text view.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

# Look-alike characters that people use to slip a word past a filter ("sp4m", "$cam", "fr33").
LOOKALIKES: dict[str, str] = {
    "a": "4@", "b": "8", "e": "3", "g": "9", "i": "1!|", "l": "1|", "o": "0",
    "s": "5$", "t": "7+", "z": "2",
}
# One optional separator between letters catches "s p a m", "s.p.a.m" and "s-p-a-m".
LETTER_GAP = r"[ ._*\-]?"
WORD_START = r"(?<!\w)"
WORD_END = r"(?!\w)"

Span = tuple[int, int]


def _letter_class(ch: str) -> str:
    extra = LOOKALIKES.get(ch, "")
    if not extra:
        return re.escape(ch)
    return "[" + re.escape(ch) + "".join(re.escape(c) for c in extra) + "]"


def _trie_pattern(words: Sequence[str], *, obfuscation: bool) -> str:
    """One alternation with shared prefixes factored out, so the engine tries each letter once.

    Python's ``re`` tries alternatives one after another; a trie keeps the work per position
    proportional to the longest matching prefix instead of the number of words.
    """
    trie: dict[str, object] = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})  # type: ignore[assignment]
        node[""] = {}

    def emit(node: dict[str, object], first: bool) -> str:
        branches: list[str] = []
        ends = "" in node
        for ch in sorted(k for k in node if k):
            child = node[ch]
            assert isinstance(child, dict)
            if ch == " ":
                piece = r"\s+"
            else:
                piece = _letter_class(ch) if obfuscation else re.escape(ch)
                if obfuscation and not first and ch.isalnum():
                    piece = LETTER_GAP + piece
            branches.append(piece + emit(child, False))
        if not branches:
            return ""
        body = "|".join(branches)
        if len(branches) == 1 and not ends:
            return branches[0] if len(branches[0]) <= 1 else "(?:" + body + ")"
        return "(?:" + body + ")" + ("?" if ends else "")

    return emit(trie, True)


def normalise_words(words: Iterable[str]) -> list[str]:
    """Lower-cased, whitespace-collapsed, de-duplicated, longest first; empty ones dropped."""
    seen: dict[str, None] = {}
    for word in words:
        clean = " ".join(str(word).lower().split())
        if clean:
            seen[clean] = None
    return sorted(seen, key=lambda w: (-len(w), w))


# --- canonical tokens: one C-level pass shared by every rule -----------------------------------

def _canon_table() -> bytes:
    """Bytes map: capitals to small letters, look-alikes to the letter they imitate (and "l" to
    "i", since "1" may stand for either), every other non-alphanumeric byte to a space."""
    table = bytearray(b" " * 256)
    for b in range(48, 58):
        table[b] = b
    for b in range(97, 123):
        table[b] = b
        table[b - 32] = b
    for letter, fakes in LOOKALIKES.items():
        for fake in fakes:
            table[ord(fake)] = ord(letter)
    return bytes(table).replace(b"l", b"i")


_CANON = _canon_table()
_SPACED = re.compile(rb"(?<![a-z0-9])[a-z0-9](?: [a-z0-9]){2,}(?![a-z0-9])")
# a cheap first look for spelled-out words: it starts with a literal, which ``re`` seeks fast
_MAYBE_SPACED = re.compile(rb" [a-z0-9] [a-z0-9] [a-z0-9](?![a-z0-9])")


class Tokens(NamedTuple):  # made once per comment: a named tuple is the cheapest to build
    """An ASCII text's canonical words (see ``_canon_table``) in order, and apart the spelled-out
    words ("s c a m" gives "scam"; usually none). Lists, not sets: a word list asks each word
    once (``frozenset.isdisjoint(list)``), which is cheaper than building a set per comment."""

    words: list[bytes]
    spelled: list[bytes]


_last_tokens: tuple[str, Tokens | None] = ("", None)


def tokens(text: str) -> Tokens | None:
    """The canonical tokens of ``text``, or None for non-ASCII text (no fast path there).

    The last result is remembered, because every word rule and the duplicate sketch of the same
    comment ask in turn; the (text, result) pair is replaced in one assignment, so threads can
    share it safely.
    """
    global _last_tokens
    last = _last_tokens
    if last[0] is text:
        return last[1]
    result: Tokens | None = None
    if text.isascii():
        canon = (" " + text).encode("ascii").translate(_CANON)
        spelled = [m.group().replace(b" ", b"") for m in _SPACED.finditer(canon)] \
            if _MAYBE_SPACED.search(canon) else []
        result = Tokens(canon.split(), spelled)
    _last_tokens = (text, result)
    return result


def canonical(word: str) -> bytes | None:
    """A listed word in canonical form, or None when it cannot take the fast path."""
    if not word.isascii():
        return None
    return word.encode("ascii").translate(_CANON).strip() or None


@dataclass(frozen=True)
class WordMatcher:
    """Whole-word, case-insensitive matching of a word list, with look-alikes and spacing.

    Most comments contain none of the words, so a set test on the comment's canonical tokens
    (shared with the other rules) decides first; only a possible hit runs the regex, which
    finds the exact text and its offsets. The regex scans the lower-cased text with a
    case-sensitive pattern (faster than ``re.IGNORECASE``); when lower-casing changes the
    text's length (a few Unicode letters do) the case-insensitive pattern is used instead.
    """

    words: tuple[str, ...]
    pattern: re.Pattern[str] | None
    folded: re.Pattern[str] | None
    # canonical first words of the list; None when some word cannot use the fast path
    keys: frozenset[bytes] | None = None

    @classmethod
    def build(cls, words: Iterable[str], *, obfuscation: bool = True) -> WordMatcher:
        clean = normalise_words(words)
        if not clean:
            return cls((), None, None)
        source = WORD_START + "(?:" + _trie_pattern(clean, obfuscation=obfuscation) + ")" + WORD_END
        firsts = [canonical(w) for w in clean]
        keys = None if not obfuscation or any(f is None for f in firsts) else \
            frozenset(f.split()[0] for f in firsts if f)
        return cls(tuple(clean), re.compile(source, re.IGNORECASE), re.compile(source), keys)

    def find(self, text: str) -> list[tuple[str, Span]]:
        """Each match as (the exact text, (start, end)) in order of appearance."""
        if self.pattern is None or self.folded is None:
            return []
        if self.keys is not None:
            toks = tokens(text)
            if toks is not None and self.keys.isdisjoint(toks.words) \
                    and self.keys.isdisjoint(toks.spelled):
                return []
        low = text.lower()
        if len(low) == len(text):
            return [(text[m.start():m.end()], m.span()) for m in self.folded.finditer(low)]
        return [(m.group(), m.span()) for m in self.pattern.finditer(text)]


LINK_RE = re.compile(r"(?:\b(?:https?|ftp)://|\bwww\.)[^\s<>\"'`]+", re.IGNORECASE)
TRAILING_PUNCT = ".,;:!?)]}"


def find_links(text: str) -> list[tuple[str, Span]]:
    """Distinct links (first occurrence each): an anchor's href and its text count once."""
    seen: set[str] = set()
    found: list[tuple[str, Span]] = []
    for m in LINK_RE.finditer(text):
        url = m.group().rstrip(TRAILING_PUNCT)
        key = url.lower()
        if key in seen:
            continue
        seen.add(key)
        found.append((url, (m.start(), m.start() + len(url))))
    return found


_ASCII_UPPER = bytes(range(65, 91))
_ASCII_LOWER = bytes(range(97, 123))
_NOT_UPPER = bytes(b for b in range(256) if b not in _ASCII_UPPER)
_NOT_LETTER = bytes(b for b in range(256) if b not in _ASCII_UPPER + _ASCII_LOWER)


def letter_counts(text: str) -> tuple[int, int]:
    """(letters, capitals) in ``text``; C-speed for ASCII, a plain count otherwise."""
    if text.isascii():
        raw = text.encode("ascii")
        return len(raw.translate(None, _NOT_LETTER)), len(raw.translate(None, _NOT_UPPER))
    letters = sum(map(str.isalpha, text))
    return letters, sum(map(str.isupper, text))


def ascii_capitals(text: str) -> int | None:
    """How many capitals an ASCII ``text`` has (one C-level pass); None for other text."""
    if not text.isascii():
        return None
    return len(text.encode("ascii").translate(None, _NOT_UPPER))


SHOUT_RUN_RE = re.compile(r"[A-Z][A-Z'’]+(?:[\s,.!?;:-]+[A-Z][A-Z'’]*)*")


def shouting_runs(text: str, limit: int = 5) -> list[tuple[str, Span]]:
    """The longest stretches written in capitals (computed only when the rule has hit)."""
    runs = [(m.group(), m.span()) for m in SHOUT_RUN_RE.finditer(text) if len(m.group()) >= 4]
    runs.sort(key=lambda r: -len(r[0]))
    return sorted(runs[:limit], key=lambda r: r[1][0])


# --- near-duplicates ----------------------------------------------------------------------------

TOKEN_RE = re.compile(r"\w+")
SKETCH_SIZE = 24
SKETCH_KEYS = 6  # how many of the smallest hashes index a sketch (DuplicateIndex)


class Sketch(NamedTuple):
    """A bottom-k sketch of a text's word trigrams (the k = ``SKETCH_SIZE`` smallest hashes).

    ``exact`` is the hash of the normalised text, for a cheap exact-duplicate check. The
    similarity of two texts is estimated by the Jaccard index of their sketches (Broder 1997,
    "On the resemblance and containment of documents"): good enough to tell a re-posted comment
    with a word or two changed (0.8–1.0) from one that merely shares a phrase (well below).
    Hashes come from Python's ``hash`` and are only meaningful within one process.
    """

    exact: int
    mins: Sequence[int]  # sorted; the index stores them packed, 8 bytes a hash
    keys: tuple[int, ...] = ()  # the first few of ``mins``, for index lookups


def sketch(text: str, known: Callable[[int], Sequence[int] | None] | None = None,
           ) -> Sketch | None:
    """The sketch of ``text``, or None when it has no words worth comparing.

    ``known`` may answer, for the hash of the normalised text, the sorted hashes of an identical
    text sketched before (a re-post), which saves hashing and sorting its trigrams again.
    """
    toks = tokens(text)
    words: list[Any] = toks.words if toks is not None else TOKEN_RE.findall(text.lower())
    if not words:
        return None
    exact = hash(tuple(words))
    if len(words) < 3:
        return Sketch(exact, (exact,), (exact,))
    if known is not None:
        mins = known(exact)
        if mins is not None:
            return Sketch(exact, mins, tuple(mins[:SKETCH_KEYS]))
    shingles = sorted(set(map(hash, zip(words, words[1:], words[2:], strict=False))))
    mins = tuple(shingles[:SKETCH_SIZE])
    return Sketch(exact, mins, mins[:SKETCH_KEYS])


def similarity(a: Sketch, b: Sketch) -> float:
    """Estimated Jaccard similarity of the two texts' word trigrams (1.0 for exact repeats)."""
    if a.exact == b.exact:
        return 1.0
    return sketch_jaccard(set(a.mins), b.mins)


def sketch_jaccard(a_mins: set[int], b_mins: Sequence[int], threshold: float = 0.0) -> float:
    """The bottom-k estimate: the share of the k smallest hashes of both sketches together
    that each sketch holds (``a_mins`` is a set, made once per lookup and reused).

    The estimate cannot exceed (shared hashes) / k, so a pair below ``threshold`` by that bound
    is answered 0.0 without sorting anything.
    """
    shared = a_mins.intersection(b_mins)
    k = max(len(a_mins), len(b_mins))
    if not shared or len(shared) < threshold * k:
        return 0.0
    union = sorted(a_mins.union(b_mins))[:k]
    return sum(1 for h in union if h in shared) / len(union)
