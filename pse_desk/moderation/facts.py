"""What a rule may look at: the comment (``CommentFacts``) and what is known around it.

``RuleContext`` carries the commenter's history counts, the times of their recent comments and a
``DuplicateIndex`` of recent texts. Services fill these from the database (see
``moderation.context``); the rules themselves never see a session, so they run anywhere — in a
benchmark, on past comments, or in a test — and stay fast.
"""

from __future__ import annotations

import struct
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from math import ceil
from typing import Final

from pse_desk.moderation.text import SKETCH_KEYS, SKETCH_SIZE, Sketch, sketch, sketch_jaccard


@dataclass(frozen=True, slots=True)
class CommentFacts:
    """One comment as the rules see it; ``body`` is the raw text (offsets point into it)."""

    id: str
    body: str
    posted_at: datetime
    commenter_id: str = ""
    commenter_name: str = ""
    article_id: str = ""
    reports: int = 0


# An indexed text: (comment id, posted at, exact hash, the sketch's hashes packed 8 bytes each).
# A plain tuple of atoms, which the garbage collector stops tracking (it never untracks a named
# tuple), so a pass over 100,000 comments keeps a week of these without every collection
# walking them; the buckets that hold them are plain tuples for the same reason.
RecentText = tuple[str, datetime, int, bytes]
ID: Final = 0
POSTED: Final = 1
EXACT: Final = 2
MINS: Final = 3


def _unpack(mins: bytes) -> memoryview:
    return memoryview(mins).cast("q")


_PACKERS = [struct.Struct(f"{n}q") for n in range(SKETCH_SIZE + 1)]


def _packer(n: int) -> struct.Struct:
    return _PACKERS[n] if n <= SKETCH_SIZE else struct.Struct(f"{n}q")


def _pack(mins: Sequence[int]) -> bytes:
    return _packer(len(mins)).pack(*mins)


def _first_keys(mins: bytes) -> tuple[int, ...]:
    """The index keys of a packed sketch: its first (smallest) ``SKETCH_KEYS`` hashes."""
    return _PACKERS[min(SKETCH_KEYS, len(mins) >> 3)].unpack_from(mins)


def may_reach(ours: set[int], theirs: bytes, threshold: float) -> bool:
    """False only when ``sketch_jaccard(ours, <theirs unpacked>, threshold)`` is certainly below
    ``threshold`` (> 0): a cheap exact test before the full one, for the many candidates that
    share a key or two by chance.

    ``sketch_jaccard`` answers 0.0 unless the sketches share ``need`` = ceil(threshold * k)
    hashes; then at most len - need of their (sorted) hashes are missing from ours, so one of
    their largest len - need + 1 must be among ours.
    """
    k_ours, k_theirs = len(ours), len(theirs) >> 3
    need = ceil(threshold * (k_ours if k_ours > k_theirs else k_theirs))
    if need > (k_theirs if k_theirs < k_ours else k_ours):
        return False
    return not ours.isdisjoint(
        _packer(k_theirs - need + 1).unpack_from(theirs, (need - 1) << 3))


@dataclass(frozen=True, slots=True)
class DuplicateMatch:
    comment_id: str
    posted_at: datetime
    similarity: float


class DuplicateIndex:
    """Recent comment texts, found again by the smallest hashes of their trigram sketches.

    A text at least 90% similar to an indexed one shares, with high probability, some of its
    few smallest trigram hashes; those hashes are the only keys, so a lookup costs a handful of
    dictionary probes however many texts are indexed. A key that turns up in more than
    ``BUCKET`` texts is a stock phrase ("i agree with"), not evidence of copying: it stops being
    a key (like a stop word), so common phrases never make lookups slow. Exact repeats are
    found by the hash of the whole normalised text. Entries older than ``keep`` behind the
    newest one are forgotten as new ones arrive.
    """

    KEYS = SKETCH_KEYS
    BUCKET = 8

    def __init__(self, keep: timedelta = timedelta(days=7)) -> None:
        self.keep = keep
        self._exact: dict[int, RecentText] = {}
        # a bucket is a tuple (replaced on growth, at most BUCKET long), so it is untracked too
        self._by_key: dict[int, tuple[RecentText, ...]] = {}
        self._common: set[int] = set()
        self._order: deque[RecentText] = deque()
        self._oldest_kept: datetime | None = None

    def __len__(self) -> int:
        return len(self._order)

    def sketch(self, text: str) -> Sketch | None:
        """``sketch(text)``, taking the hashes of an indexed identical text when there is one."""
        return sketch(text, self._known)

    def _known(self, exact: int) -> tuple[int, ...] | None:
        same = self._exact.get(exact)
        return None if same is None else tuple(_unpack(same[MINS]))

    def add(self, comment_id: str, posted_at: datetime, text: str | Sketch | None) -> None:
        sk = sketch(text) if isinstance(text, str) else text
        if sk is None:
            return
        entry: RecentText = (comment_id, posted_at, sk.exact, _pack(sk.mins))
        self._exact[sk.exact] = entry
        by_key, common = self._by_key, self._common
        for key in sk.keys or sk.mins[: self.KEYS]:
            bucket = by_key.get(key)
            if bucket is None:
                if key not in common:
                    by_key[key] = (entry,)
            elif len(bucket) < self.BUCKET:
                by_key[key] = (*bucket, entry)
            else:
                del by_key[key]
                common.add(key)
        order = self._order
        order.append(entry)
        if order[0][POSTED] < posted_at - self.keep:
            self._expire(posted_at - self.keep)

    def _expire(self, cutoff: datetime) -> None:
        while self._order and self._order[0][POSTED] < cutoff:
            old = self._order.popleft()
            if self._exact.get(old[EXACT]) is old:
                del self._exact[old[EXACT]]
            for key in _first_keys(old[MINS]):
                bucket = self._by_key.get(key)
                # stale entries in a bucket are skipped at lookup; drop a bucket once all are
                if bucket and bucket[-1][POSTED] < cutoff:
                    del self._by_key[key]

    def best_match(self, sk: Sketch, *, exclude_id: str, since: datetime, threshold: float,
                   ) -> DuplicateMatch | None:
        """The most similar indexed text posted since ``since`` (not ``exclude_id`` itself)."""
        same = self._exact.get(sk.exact)
        if same is not None and same[ID] != exclude_id and same[POSTED] >= since:
            return DuplicateMatch(same[ID], same[POSTED], 1.0)
        best: DuplicateMatch | None = None
        mins: set[int] | None = None
        by_key = self._by_key
        for key in sk.keys or sk.mins[: self.KEYS]:
            bucket = by_key.get(key)
            if bucket is None:
                continue
            for cid, posted, _, packed in bucket:
                if cid == exclude_id or posted < since:
                    continue
                if mins is None:
                    mins = set(sk.mins)
                if threshold > 0 and not may_reach(mins, packed, threshold):
                    continue
                score = sketch_jaccard(mins, _unpack(packed), threshold)
                if score >= threshold and (best is None or score > best.similarity):
                    best = DuplicateMatch(cid, posted, score)
        return best


@dataclass(slots=True)
class RuleContext:
    """What is known around a comment when the rules run on it."""

    commenter_trust: str = "new"           # new / trusted / banned
    approved_count: int = 0                # the commenter's approved comments (before this one)
    comment_count: int = 0
    recent_posted_at: Sequence[datetime] = ()  # the commenter's other recent comments
    duplicates: DuplicateIndex = field(default_factory=DuplicateIndex)
    sketch: Sketch | None = None  # this comment's sketch when the caller has made it already
