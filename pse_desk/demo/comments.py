"""The demo's commenters and comments, generated as a stream of plain row tuples.

``CommentStream.rows()`` yields one tuple per comment (see ``ROW_FIELDS``) in an order where
a reply always follows its parent. While it runs it keeps each commenter's counts and first
comment time, and a few moderator decisions (``events``); read those after the stream ends.
Comment kinds are drawn by weight, after a first run of one comment of every kind, so even
a small demo shows the whole mix. A held comment's ``held_reasons`` and status are what the
desk's own rules find in it (``holds.DemoRules``).
"""

from __future__ import annotations

import bisect
import hashlib
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from itertools import accumulate

from pse_desk.demo import comment_text as t
from pse_desk.demo.articles import seeded_uuid
from pse_desk.demo.comment_pools import CommentPools, PooledBody
from pse_desk.demo.holds import EMPTY, DemoRules
from pse_desk.demo.vocabulary import fill, person_name
from pse_desk.moderation.facts import CommentFacts
from pse_desk.moderation.rules import Verdict
from pse_desk.store.model import Trust

ROW_FIELDS = ("id", "article_id", "parent_id", "commenter_id", "body", "posted_at", "status",
              "reports", "held_reasons")
Row = tuple[str, str, str | None, str, str, str, str, int, str]

# kind -> weight; "duplicate" emits two comments and "burst" six
KIND_WEIGHTS: dict[str, float] = {
    "ordinary": 0.60, "link1": 0.03, "reported_low": 0.04, "reported_held": 0.015,
    "unmoderated": 0.02, "first_time": 0.06, "shouting": 0.03, "links_held": 0.025,
    "pills": 0.02, "abuse": 0.01, "crypto": 0.025, "site_spam": 0.015, "hostile": 0.03,
    "banned": 0.01, "duplicate": 0.01, "burst": 0.004,
}
KINDS = tuple(KIND_WEIGHTS)
REPLYABLE = frozenset({"ordinary", "reported_low", "unmoderated", "shouting", "abuse", "hostile",
                       "link1"})
REPLY_CHANCE = 0.34
WINDOW_S = 60 * 24 * 3600  # comments fall in the 60 days before the base date
MAX_COMMENTERS = 50_000
MAX_EVENTS = 300
PARENTS_PER_ARTICLE = 200
BURST_GAP_S = 90  # between the comments of a burst: six in 7.5 minutes


@dataclass
class CommenterTally:
    id: str
    display_name: str
    email_hash: str
    group: str  # regular / first_time / spammer / banned
    first_seen: int = 0  # seconds relative to the base date
    comment_count: int = 0
    approved_count: int = 0
    rejected_count: int = 0
    spam_count: int = 0

    @property
    def trust(self) -> Trust:
        if self.group == "banned":
            return Trust.BANNED
        if self.approved_count >= 3 and not (self.rejected_count or self.spam_count):
            return Trust.TRUSTED
        return Trust.NEW


@dataclass(frozen=True)
class EventSpec:
    id: str
    comment_id: str
    action: str
    from_status: str
    to_status: str
    reason: str
    at: datetime


def commenter_count(comments: int) -> int:
    """About one commenter for six comments, capped for very large demos."""
    return max(4, min(MAX_COMMENTERS, comments // 6))


def _display_name(rng: random.Random, group: str, n: int) -> str:
    if group == "spammer":
        return rng.choice(t.SPAMMER_NAMES).replace("{n}", str(n))
    if rng.random() < 0.6:
        return person_name(rng)
    return fill(rng.choice(t.DISPLAY_HANDLES).replace("{n}", str(n % 997)), rng)


def make_commenters(rng: random.Random, count: int) -> list[CommenterTally]:
    groups = (["banned"] * max(1, count * 3 // 100) + ["spammer"] * max(1, count // 10)
              + ["first_time"] * max(1, count * 18 // 100))
    groups += ["regular"] * max(1, count - len(groups))
    out = []
    for n, group in enumerate(groups):
        name = _display_name(rng, group, n)
        address = f"{name.lower().replace(' ', '.')}.{n}@example.net"
        out.append(CommenterTally(seeded_uuid(rng), name,
                                  hashlib.sha256(address.encode()).hexdigest(), group))
    return out


class CommentStream:
    """Comments for ``articles`` (id, published_at) posted before ``base``."""

    def __init__(self, rng: random.Random, id_rng: random.Random, total: int,
                 articles: list[tuple[str, datetime | None]], base: datetime,
                 rule_ids: dict[str, str]) -> None:
        self.rng, self.id_rng, self.total, self.base = rng, id_rng, total, base
        self.rules = DemoRules(rule_ids)
        self.commenters = make_commenters(id_rng, commenter_count(total))
        self._by_group: dict[str, list[CommenterTally]] = {}
        for c in self.commenters:
            self._by_group.setdefault(c.group, []).append(c)
        self._turns: dict[str, int] = {}
        # comments go to published articles, from their publication (at most 60 days back)
        live = [a for a in articles if a[1] is not None] or articles
        self._articles = [(aid, -min(WINDOW_S, int((base - (pub or base)).total_seconds()))
                           if pub else -WINDOW_S) for aid, pub in live]
        self._parents: dict[str, list[tuple[str, int]]] = {aid: [] for aid, _ in self._articles}
        self.pools = CommentPools(rng, size=min(4000, max(300, total // 2)), rules=self.rules)
        self._cumulative = list(accumulate(KIND_WEIGHTS.values()))
        self.events: list[EventSpec] = []
        self.produced = 0
        self._chosen = 0
        self._days: dict[int, str] = {}
        self._midnight = datetime.combine(base.date(), time())
        self._since_midnight = (base - self._midnight).seconds

    # --- choosing -------------------------------------------------------------------------

    def _kind(self) -> str:
        self._chosen += 1
        if self._chosen <= len(KINDS):
            return KINDS[self._chosen - 1]  # the showcase: one of every kind first
        x = self.rng.random() * self._cumulative[-1]
        return KINDS[bisect.bisect_right(self._cumulative, x)]

    def _from(self, group_name: str, skewed: bool) -> CommenterTally:
        # everyone in a group comments once before anyone comments twice; then, for regulars,
        # a few prolific ones write most of the comments
        group = self._by_group[group_name]
        turn = self._turns.get(group_name, 0)
        if turn < len(group):
            self._turns[group_name] = turn + 1
            return group[turn]
        x = self.rng.random()
        return group[int(len(group) * (x * x if skewed else x))]

    def _regular(self) -> CommenterTally:
        return self._from("regular", skewed=True)

    def _commenter(self, kind: str) -> CommenterTally:
        if kind == "first_time":
            return self._from("first_time", skewed=False)
        if kind in ("pills", "crypto", "site_spam", "hostile"):
            return self._from("spammer", skewed=False)
        if kind == "banned":
            return self._from("banned", skewed=False)
        return self._regular()

    def _time(self, start: int) -> int:
        return start + int(self.rng.random() * -start) - 60

    def posted_text(self, seconds: int) -> str:
        # the text SQLAlchemy stores for a DateTime on SQLite; the day part is cached
        day, rest = divmod(seconds + self._since_midnight, 86_400)
        prefix = self._days.get(day)
        if prefix is None:
            prefix = (self._midnight + timedelta(days=day)).date().isoformat()
            self._days[day] = prefix
        hours, rest = divmod(rest, 3600)
        return f"{prefix} {hours:02d}:{rest // 60:02d}:{rest % 60:02d}.000000"

    # --- composing ------------------------------------------------------------------------

    def _pick(self, pool: list[PooledBody]) -> PooledBody:
        return pool[int(self.rng.random() * len(pool))]

    def _ordinary(self) -> str:
        pool = self.pools.ordinary
        return pool[int(self.rng.random() * len(pool))]

    def _event(self, comment_id: str, action: str, to_status: str, reason: str,
               posted: int) -> None:
        if len(self.events) < MAX_EVENTS:
            at = min(posted + 600 + int(self.rng.random() * 36000), -1)
            self.events.append(EventSpec(seeded_uuid(self.id_rng), comment_id, action,
                                         "pending", to_status, reason,
                                         self.base + timedelta(seconds=at)))

    def _at(self, seconds: int) -> datetime:
        return self.base + timedelta(seconds=seconds)

    def _facts(self, cid: str, body: str, posted: int, commenter: CommenterTally, aid: str,
               reports: int = 0) -> CommentFacts:
        """The comment as the rules see it."""
        return CommentFacts(cid, body, self._at(posted), commenter.id, commenter.display_name,
                            aid, reports)

    def _held(self, verdict: Verdict) -> tuple[str, str]:
        """(status, held_reasons JSON) that the rules' verdict gives a comment."""
        return verdict.status or "approved", self.rules.held_json(verdict)

    def _compose(self, kind: str, cid: str, posted: int, commenter: CommenterTally, aid: str,
                 ) -> tuple[str, str, int, str]:
        """(body, status, reports, held_reasons JSON) of one comment of ``kind``."""
        rng = self.rng
        match kind:
            case "ordinary" | "unmoderated":
                return self._ordinary(), "approved" if kind == "ordinary" else "pending", 0, \
                    EMPTY
            case "link1":
                return self.pools.with_link[int(rng.random() * len(self.pools.with_link))], \
                    "approved", 0, EMPTY
            case "reported_low":
                return self._ordinary(), "approved", rng.randint(1, 2), EMPTY
            case "reported_held":
                reports = rng.randint(3, 9)
                body = self.pools.heated[int(rng.random() * len(self.pools.heated))]
                facts = self._facts(cid, body, posted, commenter, aid, reports)
                status, held = self._held(self.rules.reported(facts))
                return body, status, reports, held
            case "first_time":
                body = self._ordinary()
                verdict = self.rules.first_time(self._facts(cid, body, posted, commenter, aid),
                                                commenter.approved_count)
                status, held = self._held(verdict)
                return body, status, 0, held
            case "banned":
                body = self._ordinary() if rng.random() < 0.5 else \
                    self.pools.heated[int(rng.random() * len(self.pools.heated))]
                status, held = self._held(self.rules.banned(
                    self._facts(cid, body, posted, commenter, aid)))
                return body, status, 0, held
        return self._compose_pooled(kind, cid, posted)

    def _compose_pooled(self, kind: str, cid: str, posted: int) -> tuple[str, str, int, str]:
        """A comment whose body comes from a pool checked by the text rules."""
        rng = self.rng
        match kind:
            case "shouting" | "links_held":
                pooled = self._pick(self.pools.shouting if kind == "shouting"
                                    else self.pools.link_lists)
                status = pooled.status
                if kind == "shouting" and rng.random() < 0.2:
                    status = "rejected"
                    self._event(cid, "reject", status, "Shouting, and no argument to answer.",
                                posted)
                return pooled.body, status, 0, pooled.held_json
            case "pills" | "abuse":
                pooled = self._pick(self.pools.pills if kind == "pills" else self.pools.abuse)
                return pooled.body, pooled.status, 0, pooled.held_json
            case "crypto" | "site_spam":
                pooled = self._pick(self.pools.crypto if kind == "crypto"
                                    else self.pools.site_spam)
                status = pooled.status
                if rng.random() < 0.7:
                    status = "spam"
                    self._event(cid, "spam", status, "Commercial spam.", posted)
                return pooled.body, status, 0, pooled.held_json
            case "hostile":
                roll = rng.random()
                if roll < 0.3:
                    pooled = self._pick(self.pools.hostile_click)
                    return pooled.body, pooled.status, 0, pooled.held_json
                pooled = self._pick(self.pools.hostile)
                if roll < 0.6:
                    self._event(cid, "reject", "rejected", "Script injection attempt.", posted)
                    return pooled.body, "rejected", 0, EMPTY
                return pooled.body, "pending", 0, EMPTY  # no rule holds it: unmoderated
        raise ValueError(kind)

    # --- emitting -------------------------------------------------------------------------

    def rows(self) -> Iterator[Row]:
        """Every comment, parents before their replies; ``total`` rows in all."""
        while self.produced < self.total:
            kind = self._kind()
            if kind == "duplicate":
                yield from self._duplicate()
            elif kind == "burst":
                yield from self._burst()
            else:
                yield self._single(kind)

    def active_commenters(self) -> list[CommenterTally]:
        """Commenters with at least one comment (call after ``rows()`` is exhausted).

        Only a demo with fewer comments than commenters leaves some out."""
        return [c for c in self.commenters if c.comment_count]

    def _article(self) -> tuple[str, int]:
        return self._articles[int(self.rng.random() * len(self._articles))]

    def _single(self, kind: str) -> Row:
        rng = self.rng
        if kind == "first_time" and self._turns.get("first_time", 0) >= len(
                self._by_group["first_time"]):
            kind = "ordinary"  # every first-timer has had their one comment
        aid, start = self._article()
        commenter = self._commenter(kind)
        parent: str | None = None
        parents = self._parents[aid]
        if kind in REPLYABLE and parents and rng.random() < REPLY_CHANCE:
            parent, parent_t = parents[int(rng.random() * len(parents))]
            posted = min(parent_t + 300 + int(rng.random() * 172_800), -60)
        else:
            posted = self._time(start)
        cid = seeded_uuid(self.id_rng)
        body, status, reports, held = self._compose(kind, cid, posted, commenter, aid)
        if parent is not None and kind == "ordinary":
            body = self.pools.replies[int(rng.random() * len(self.pools.replies))]
        return self._emit(cid, aid, parent, commenter, body, posted, status, reports, held)

    def _duplicate(self) -> Iterator[Row]:
        aid, start = self._article()
        commenter = self._regular()
        body = self._ordinary()
        first = self._time(start)
        first_id = seeded_uuid(self.id_rng)
        yield self._emit(first_id, aid, None, commenter, body, first, "approved", 0, EMPTY)
        if self.produced < self.total:
            again = min(first + 600 + int(self.rng.random() * 259_200), -60)
            cid = seeded_uuid(self.id_rng)
            verdict = self.rules.repeated(self._facts(cid, body, again, commenter, aid),
                                          first_id, self._at(first), body)
            status, held = self._held(verdict)
            yield self._emit(cid, aid, None, commenter, body, again, status, 0, held)

    def _burst(self) -> Iterator[Row]:
        aid, start = self._article()
        commenter = self._regular()
        t0 = min(self._time(start), -3600)
        for k in range(6):
            if self.produced >= self.total:
                return
            cid, body, posted = seeded_uuid(self.id_rng), self._ordinary(), t0 + k * BURST_GAP_S
            status, held = "approved", EMPTY
            if k == 5:  # the sixth within ten minutes
                earlier = [self._at(t0 + j * BURST_GAP_S) for j in range(k)]
                status, held = self._held(self.rules.in_a_burst(
                    self._facts(cid, body, posted, commenter, aid), earlier))
            yield self._emit(cid, aid, None, commenter, body, posted, status, 0, held)

    def _emit(self, cid: str, aid: str, parent: str | None, commenter: CommenterTally,
              body: str, posted: int, status: str, reports: int, held: str) -> Row:
        c = commenter
        if c.comment_count == 0 or posted < c.first_seen:
            c.first_seen = posted
        c.comment_count += 1
        if status == "approved":
            c.approved_count += 1
            parents = self._parents[aid]
            if len(parents) < PARENTS_PER_ARTICLE:
                parents.append((cid, posted))
            else:
                parents[int(self.rng.random() * PARENTS_PER_ARTICLE)] = (cid, posted)
        elif status == "rejected":
            c.rejected_count += 1
        elif status == "spam":
            c.spam_count += 1
        self.produced += 1
        return (cid, aid, parent, c.id, body, self.posted_text(posted), status, reports, held)

    def first_seen(self, commenter: CommenterTally) -> datetime:
        return self.base + timedelta(seconds=commenter.first_seen)
