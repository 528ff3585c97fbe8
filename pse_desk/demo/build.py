"""``build_demo``: fill an empty database with the deterministic demo newsroom, in one go.

Everything is written in one transaction: the small tables (rules, articles and their first
revisions, panels, the edition, moderation events) through the ORM, so the outbox stamps them;
commenters and comments in bulk (``bulk``). Content depends only on the seed: ids and text are
drawn from seeded generators, and dates count back from the start of the day the demo is built
(``demo_base``; ``BASE_DATE`` for a build that must not depend on the day), so its newest
comments are from the last day and "try on past comments" finds them; only the sync columns
(HLC, created_at, updated_at) carry the real time of the build.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pse_desk.demo import bulk
from pse_desk.demo.articles import ArticleDraft, make_articles, seeded_uuid
from pse_desk.demo.comments import CommenterTally, CommentStream
from pse_desk.demo.layout import WEB_LAYOUT_ID, make_edition, make_layouts
from pse_desk.demo.rules import DEFAULT_RULES, RULE_VERSION
from pse_desk.errors import ValidationError
from pse_desk.store import outbox
from pse_desk.store.db import Store
from pse_desk.store.model import (
    Article,
    ArticleStatus,
    Layout,
    ModerationEvent,
    Panel,
    Revision,
    RevisionKind,
    Rule,
    utcnow,
)

DEMO_VERSION = 3  # raise when the generated content changes, so cached demo databases rebuild
BASE_DATE = datetime(2026, 10, 1, 9, 0)  # a fixed base, for builds that must not move
ACTOR = "demo"
MAX_ARTICLES = 10_000
MAX_COMMENTS = 20_000_000

Progress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class DemoSummary:
    articles: int
    layouts: int
    panels: int
    comments: int
    commenters: int
    editions: int
    rules: int
    moderation_events: int

    def __str__(self) -> str:
        plural = "" if self.editions == 1 else "s"
        return (f"{self.articles:,} articles, {self.layouts} layouts of {self.panels} panels, "
                f"{self.comments:,} comments "
                f"from {self.commenters:,} commenters, {self.editions} edition{plural}")


def _rng(seed: int, stream: str) -> random.Random:
    # one generator per stream, so more comments never changes the articles of a seed
    return random.Random(f"pse-desk-demo:{seed}:{stream}")


def _check_arguments(articles: int, comments: int) -> None:
    if not 1 <= articles <= MAX_ARTICLES:
        raise ValidationError(f"--articles must be between 1 and {MAX_ARTICLES:,}; "
                              f"{articles:,} was given.")
    if not 0 <= comments <= MAX_COMMENTS:
        raise ValidationError(f"--comments must be between 0 and {MAX_COMMENTS:,}; "
                              f"{comments:,} was given.")


def _refuse_if_not_empty(store: Store) -> None:
    with store.read_session() as s:
        if s.scalar(select(func.count()).select_from(Article)) or \
                s.scalar(select(func.count()).select_from(Panel)):
            raise ValidationError(f"{store.path} already holds a newsroom; choose a new --db "
                                  "path for the demo.")


@contextmanager
def _bulk_unit_of_work(store: Store) -> Iterator[Session]:
    """A writing session like ``store.session()``, on one connection left out of WAL mode.

    The outbox hook stamps the ORM rows as usual (same clock); leaving without ``commit()``
    rolls everything back, and the connection returns to WAL mode either way.
    """
    with store.engine.connect() as conn:
        driver = conn.connection.driver_connection
        assert driver is not None
        with bulk.rollback_journal(driver), \
                Session(bind=conn, info={outbox.CLOCK_KEY: store.clock},
                        expire_on_commit=False) as s:
            yield s


def _add_rules(s: Session, rng: random.Random) -> dict[str, str]:
    ids = {}
    for spec in DEFAULT_RULES:
        rule = Rule(id=seeded_uuid(rng), kind=spec.kind, params=dict(spec.params),
                    action=spec.action, enabled=True, description=spec.description,
                    version=RULE_VERSION)
        s.add(rule)
        ids[spec.kind] = rule.id
    return ids


def _add_articles(s: Session, drafts: list[ArticleDraft], rng: random.Random) -> None:
    for d in drafts:
        s.add(Article(id=d.id, slug=d.slug, title=d.title, standfirst=d.standfirst,
                      body_md=d.body_md, section=d.section, author=d.author,
                      source_line=d.source_line, tags=list(d.tags), status=d.status,
                      published_at=d.published_at))
        imported = d.status is ArticleStatus.PUBLISHED
        s.add(Revision(id=seeded_uuid(rng), article_id=d.id, title=d.title,
                       standfirst=d.standfirst, body_md=d.body_md,
                       kind=RevisionKind.IMPORT if imported else RevisionKind.MANUAL,
                       label="Imported from the print edition" if imported else "First draft",
                       author=d.author))


def _commenter_row(c: CommenterTally, stream: CommentStream) -> dict[str, Any]:
    return {"id": c.id, "display_name": c.display_name, "email_hash": c.email_hash,
            "first_seen": stream.first_seen(c), "trust": c.trust.value,
            "comment_count": c.comment_count, "approved_count": c.approved_count,
            "rejected_count": c.rejected_count, "spam_count": c.spam_count}


def _add_comments(s: Session, store: Store, stream: CommentStream,
                  progress: Progress | None) -> tuple[int, int]:
    con = s.connection().connection.driver_connection
    assert con is not None
    now = utcnow()
    tables = ("comment", "commenter")
    with bulk.large_cache(con), bulk.fts_suspended(con, tables), \
            bulk.indexes_suspended(con, tables):
        # commenters first (comments refer to them), their counts once the comments are in
        rows = bulk.insert_commenters(con, (_commenter_row(c, stream) for c in stream.commenters),
                                      store.clock, store.device_id, now)
        comments = bulk.insert_comments(con, stream.rows(), stream.total, store.clock,
                                        store.device_id, bulk.sql_value(now), progress)
        for row, tally in zip(rows, stream.commenters, strict=True):
            row.update(_commenter_row(tally, stream))
        bulk.finish_commenters(con, rows)
        if progress:
            progress(0, 1, "search index")  # rebuilt as the block ends
    if progress:
        progress(1, 1, "search index")
    return comments, len(rows)


def demo_base(today: date | None = None) -> datetime:
    """Where the demo's dates end: the start (UTC) of the day it is built."""
    return datetime.combine(today or utcnow().date(), time())


def build_demo(store: Store, *, articles: int = 24, comments: int = 500, seed: int = 1,
               progress: Progress | None = None, base: datetime | None = None) -> DemoSummary:
    """Build the demo newsroom in an empty database; refuse (changing nothing) otherwise.

    Its dates count back from ``base`` (default: the start of today, ``demo_base``).
    """
    _check_arguments(articles, comments)
    _refuse_if_not_empty(store)
    base = base or demo_base()
    issue = base.date().replace(day=1)  # the edition of this month's issue
    drafts = make_articles(articles, _rng(seed, "articles"), base)
    with _bulk_unit_of_work(store) as s:
        rule_ids = _add_rules(s, _rng(seed, "rules"))
        _add_articles(s, drafts, _rng(seed, "revisions"))
        layout_rng = _rng(seed, "layout")
        web = s.get(Layout, WEB_LAYOUT_ID) or Layout(id=WEB_LAYOUT_ID, name="web", active=True)
        layouts, panels = make_layouts(layout_rng, drafts, base, web)
        s.add_all([web, *layouts, *panels])
        s.flush()  # the edition's items name panels by id alone (no relationship to order by)
        s.add(make_edition(layout_rng, drafts, panels, issue))
        s.flush()
        if progress:
            progress(articles, articles, "articles")
        stream = CommentStream(_rng(seed, "comments"), _rng(seed, "comment-ids"), comments,
                               [(d.id, d.published_at) for d in drafts], base, rule_ids)
        written, commenters = _add_comments(s, store, stream, progress)
        s.add_all(ModerationEvent(id=e.id, comment_id=e.comment_id, actor=ACTOR,
                                  action=e.action, from_status=e.from_status,
                                  to_status=e.to_status, reason=e.reason, at=e.at)
                  for e in stream.events)
        s.commit()
    return DemoSummary(articles=len(drafts), layouts=1 + len(layouts), panels=len(panels),
                       comments=written, commenters=commenters, editions=1, rules=len(rule_ids),
                       moderation_events=len(stream.events))
