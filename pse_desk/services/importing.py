"""Importing a WordPress (WXR) or Disqus export into the newsroom, one transaction per file.

``import_file`` streams the file through ``pse_desk.interchange`` and writes what it yields:
posts become articles (ORM: few, and each has revisions), comments and commenters go in
through the DB-API in batches as the demo's bulk load does (``pse_desk.demo.bulk``), with
``change_log`` entries whose payload is NULL, parents before children. Every row's id is a
UUID 5 over (source kind, site or forum, source id), so importing a file again finds what it
brought the first time and adds nothing, and two desks importing the same file make the same
rows. When the stream ends, the imported comments go through the newsroom's moderation rules
in posting order (``RuleRunner``); the hits are stored as ``held_reasons`` and the status the
source gave is kept. Any error or a cancel leaves the database as it was; a dry run does all
of it and rolls back.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sqlite3
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, BinaryIO
from urllib.parse import unquote, urlsplit

from markdownify import markdownify
from sqlalchemy import select
from sqlalchemy.orm import Session

from pse_desk.demo.bulk import sql_literal, sql_value
from pse_desk.errors import ImportCancelled, ImportFileError, ValidationError
from pse_desk.interchange.disqus import read_disqus
from pse_desk.interchange.records import (
    Record,
    Skipped,
    Source,
    SourceComment,
    SourcePost,
    SourceThread,
)
from pse_desk.interchange.wxr import read_wxr
from pse_desk.interchange.xmlstream import Cancel, CleanReader, Progress, cancel_requested
from pse_desk.moderation.engine import CommenterState, RuleRunner
from pse_desk.moderation.facts import CommentFacts
from pse_desk.moderation.rules import rules_from_rows
from pse_desk.render.sanitise import sanitise_article
from pse_desk.store import bulk, outbox
from pse_desk.store.db import Store
from pse_desk.store.model import Article, ArticleStatus, Revision, RevisionKind, Rule, utcnow
from pse_desk.writing.slugs import slugify, unique_slug

# the namespace of every imported row's UUID 5: never change it, or re-imports duplicate
ID_NAMESPACE = uuid.UUID("5b0f3a0e-8f1e-4c52-9a57-6d2f0d7e4a11")
READERS: dict[str, Callable[..., Iterator[Record]]] = {"wxr": read_wxr, "disqus": read_disqus}
SOURCE_NAME = {"wxr": "WordPress", "disqus": "Disqus"}
BATCH = 20_000
RULES_STEP = 10_000  # comments between a progress report (and a cancel check) in the rules
BULK_FILE_BYTES = 32 * 1024 * 1024  # above this, indexes and search triggers wait till the end
CACHE_KIB = 16 * 1024  # the load's page cache (and sort buffer): the target is 300 MB in all
MAX_SECTION, MAX_AUTHOR, MAX_NAME = 80, 120, 200

COMMENT_INSERT = (
    "INSERT OR IGNORE INTO comment (id, hlc, origin, deleted, created_at, updated_at, "
    "article_id, parent_id, commenter_id, body, posted_at, status, reports, held_reasons) "
    "VALUES (?, ?, {origin}, 0, {stamp}, {stamp}, ?, ?, ?, ?, ?, ?, 0, '[]')")
COMMENTER_INSERT = (
    "INSERT OR IGNORE INTO commenter (id, hlc, origin, deleted, created_at, updated_at, "
    "display_name, email_hash, first_seen, trust, comment_count, approved_count, "
    "rejected_count, spam_count) VALUES (?, ?, {origin}, 0, {stamp}, {stamp}, ?, ?, ?, 'new', "
    "0, 0, 0, 0)")
# every comment of the commenters this import touched, counted in one pass (one index)
COUNTS_SELECT = (
    "SELECT commenter_id, count(*), sum(status = 'approved'), sum(status = 'rejected'), "
    "sum(status = 'spam'), min(posted_at) FROM comment INDEXED BY ix_comment_commenter_posted "
    "WHERE commenter_id IN (SELECT commenter_id FROM comment WHERE rowid > ?) "
    "GROUP BY commenter_id")
COUNTS_UPDATE = (
    "UPDATE commenter SET comment_count = ?, approved_count = ?, rejected_count = ?, "
    "spam_count = ?, first_seen = min(first_seen, ?) WHERE id = ?")
RULES_COLUMNS = ("c.rowid, c.id, c.body, c.posted_at, c.commenter_id, m.display_name, "
                 "c.status, c.article_id")
RULES_SELECT = (
    f"SELECT {RULES_COLUMNS}, 1 FROM comment c JOIN commenter m ON m.id = c.commenter_id "
    "WHERE c.rowid > ? ORDER BY c.posted_at, c.rowid")
# the new comments and, beside them in time, the desk's own comments of the rules' window
# (before, among and after the new ones), which a rate limit or a duplicate counts too
RULES_SELECT_WITH_DESK = (
    f"SELECT {RULES_COLUMNS}, 1 FROM comment c JOIN commenter m ON m.id = c.commenter_id "
    "WHERE c.rowid > :first "
    f"UNION ALL SELECT {RULES_COLUMNS}, 0 FROM comment c "
    "JOIN commenter m ON m.id = c.commenter_id "
    "WHERE c.rowid <= :first AND c.deleted = 0 AND c.posted_at >= :since "
    "AND c.posted_at <= :until ORDER BY 4, 1")


@dataclass
class ImportSummary:
    """What an import brought in, what it left out and why; ``str()`` says it in sentences."""

    kind: str
    file: str
    dry_run: bool = False
    articles: int = 0
    stubs: int = 0  # Disqus threads with no article in the desk: stub articles made
    matched_threads: int = 0
    comments: int = 0
    commenters: int = 0
    held: int = 0  # imported comments that a moderation rule has something to say about
    already: Counter[str] = field(default_factory=Counter)  # found from an earlier import
    skipped: Counter[str] = field(default_factory=Counter)
    stripped_characters: int = 0
    seconds: float = 0.0

    def sentences(self) -> list[str]:
        verb = "Would import" if self.dry_run else "Imported"
        source = SOURCE_NAME.get(self.kind, self.kind)
        made = [f"{self.articles:,} articles"] if self.kind == "wxr" else [
            f"{self.stubs:,} stub articles for threads the desk did not have",
            f"{self.matched_threads:,} threads matched to articles"]
        out = [f"{verb} {', '.join(made)}, {self.comments:,} comments and "
               f"{self.commenters:,} new commenters from {source} export {self.file} "
               f"({self.seconds:.1f} s)."]
        if self.held:
            out.append(f"Moderation rules have something to say about {self.held:,} of the "
                       "comments (see “why held” in Moderate); their statuses are the "
                       "export's.")
        if self.already:
            found = ", ".join(f"{n:,} {what}" for what, n in sorted(self.already.items()))
            out.append(f"Already in the desk from an earlier import: {found}.")
        if self.skipped:
            left = "; ".join(f"{n:,} {why}" for why, n in sorted(self.skipped.items()))
            out.append(f"Left out: {left}.")
        if self.stripped_characters:
            out.append(f"Removed {self.stripped_characters:,} control characters that XML "
                       "does not allow.")
        if self.dry_run:
            out.append("Nothing was written (dry run).")
        return out

    def __str__(self) -> str:
        return "\n".join(self.sentences())


def stable_id(*parts: str) -> str:
    """The UUID 5 of an imported row: the same parts give the same id on every desk."""
    return str(uuid.uuid5(ID_NAMESPACE, "\x1f".join(parts)))


def email_hash(address: str) -> str:
    """How the desk keys a commenter by address (sha256 of the address, lower case)."""
    return hashlib.sha256(address.strip().lower().encode()).hexdigest()


# --- HTML to the desk's Markdown -------------------------------------------------------------

_BLOCK_START = re.compile(r"^\s*<(p|div|h[1-6]|ul|ol|li|blockquote|pre|table|figure|hr|img)\b",
                          re.I)


def wordpress_paragraphs(html: str) -> str:
    """WordPress stores paragraphs as blank lines (``wpautop`` adds the ``<p>`` when it shows
    the post): wrap the blank-line blocks that are not block elements already."""
    if "\n\n" not in html:
        return html
    blocks = [b for b in re.split(r"\n\s*\n", html) if b.strip()]
    return "\n".join(b if _BLOCK_START.match(b) else f"<p>{b.strip()}</p>" for b in blocks)


def html_to_markdown(html: str) -> str:
    """Imported HTML, sanitised first, as Markdown."""
    clean = sanitise_article(wordpress_paragraphs(html))
    text = markdownify(clean, heading_style="ATX", bullets="-", escape_misc=False)
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def slug_from_link(link: str) -> str:
    """The last segment of a URL's path (``/2017/06/bus-services/`` → ``bus-services``)."""
    path = unquote(urlsplit(link).path) if link else ""
    parts = [p for p in path.split("/") if p]
    return parts[-1] if parts else ""


# --- the unit of work ------------------------------------------------------------------------

@contextmanager
def _unit_of_work(store: Store, big: bool) -> Iterator[Session]:
    """A writing session on one connection; a big load leaves WAL mode for its duration."""
    with store.engine.connect() as conn:
        driver = conn.connection.driver_connection
        assert isinstance(driver, sqlite3.Connection)
        with ExitStack() as stack:
            stack.enter_context(temp_on_disk(driver))  # before the transaction begins
            if big:
                stack.enter_context(bulk.rollback_journal(driver))
            s = stack.enter_context(Session(bind=conn, info={outbox.CLOCK_KEY: store.clock},
                                            expire_on_commit=False))
            yield s


@contextmanager
def temp_on_disk(con: sqlite3.Connection) -> Iterator[None]:
    """Sorts and index builds spill to a temporary file, not memory, for the load: the desk
    keeps its temporary tables in memory, where sorting a million comments would cost
    hundreds of megabytes."""
    (before,) = con.execute("PRAGMA temp_store").fetchone()
    # only outside a transaction; where SQLite refuses, the load sorts in memory
    with suppress(sqlite3.OperationalError):
        con.execute("PRAGMA temp_store = FILE")
    try:
        yield
    finally:
        with suppress(sqlite3.OperationalError):
            con.execute(f"PRAGMA temp_store = {int(before)}")


@contextmanager
def load_cache(con: sqlite3.Connection) -> Iterator[None]:
    """A larger page cache for the load and one sorting thread: SQLite gives each sorter
    thread a buffer the size of the cache, so ``bulk.large_cache``'s four would take the
    memory past the target on a million comments."""
    (before,) = con.execute("PRAGMA cache_size").fetchone()
    (threads,) = con.execute("PRAGMA threads").fetchone()
    con.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
    con.execute("PRAGMA threads = 0")
    try:
        yield
    finally:
        con.execute(f"PRAGMA cache_size = {int(before)}")
        con.execute(f"PRAGMA threads = {int(threads)}")


class _Import:
    """One file's import inside one session (see the module docstring)."""

    def __init__(self, s: Session, store: Store, summary: ImportSummary,
                 progress: Progress | None, cancel: Cancel | None) -> None:
        self.s = s
        con = s.connection().connection.driver_connection
        assert isinstance(con, sqlite3.Connection)
        self.con = con
        self.clock = store.clock
        self.summary = summary
        self.progress = progress
        self.cancel = cancel
        self.now = utcnow()
        stamp = sql_literal(str(sql_value(self.now)))
        origin = sql_literal(store.device_id)
        self.comment_sql = COMMENT_INSERT.format(origin=origin, stamp=stamp)
        self.commenter_sql = COMMENTER_INSERT.format(origin=origin, stamp=stamp)
        self.source = Source("", "")
        self.slugs: set[str] = {r[0] for r in con.execute("SELECT slug FROM article")}
        self.comment_rows: list[tuple[Any, ...]] = []
        self.commenter_rows: list[tuple[Any, ...]] = []
        self.commenters: dict[str, str] = {}  # key (email hash or name) → commenter id
        self.known_commenters: dict[str, CommenterState] = {}  # those the desk had before
        self.articles_pending = 0
        (self.first_comment,) = con.execute(
            "SELECT coalesce(max(rowid), 0) FROM comment").fetchone()
        (self.first_commenter,) = con.execute(
            "SELECT coalesce(max(rowid), 0) FROM commenter").fetchone()
        # Disqus: threads by id, and the article each resolved to
        self.threads: dict[str, SourceThread] = {}
        self.thread_articles: dict[str, str] = {}
        self.titles: dict[str, str] | None = None
        self.seen_comments: set[str] = set()
        self.waiting: dict[str, list[SourceComment]] = {}

    # --- ids ------------------------------------------------------------------------------
    def row_id(self, what: str, source_id: str) -> str:
        return stable_id(self.source.kind, self.source.identity, what, source_id)

    def skip(self, reason: str, count: int = 1) -> None:
        self.summary.skipped[reason] += count

    # --- the stream -----------------------------------------------------------------------
    def run(self, records: Iterable[Record]) -> None:
        for record in records:
            if isinstance(record, SourcePost):
                self.post(record)
            elif isinstance(record, SourceComment):
                self.disqus_comment(record)
            elif isinstance(record, SourceThread):
                self.threads[record.source_id] = record
            elif isinstance(record, Skipped):
                self.skip(record.reason, record.count)
            elif isinstance(record, Source):
                self.source = record
        self.finish_waiting()
        self.flush_rows()

    # --- WordPress posts --------------------------------------------------------------------
    def post(self, post: SourcePost) -> None:
        article_id = self.row_id("post", post.source_id)
        if self.con.execute("SELECT 1 FROM article WHERE id = ?", (article_id,)).fetchone():
            self.summary.already["articles"] += 1
        else:
            self.add_article(article_id, post)
            self.summary.articles += 1
        fallback = post.published_at or self.now
        ids = {c.source_id for c in post.comments}
        for comment in self.parents_first(post.comments, ids):
            self.add_comment(comment, article_id, fallback)

    def parents_first(self, comments: list[SourceComment], ids: set[str],
                      ) -> Iterator[SourceComment]:
        """A post's comments with every parent before its replies (the outbox and the
        hub's foreign keys need that order); a reply to a comment not imported stands alone."""
        done: set[str] = set()
        waiting: dict[str, list[SourceComment]] = {}
        for comment in comments:
            parent = comment.parent_source_id
            if parent is not None and parent not in ids:
                self.skip("reply links to comments not imported (the replies are kept, "
                          "unthreaded)")
                comment.parent_source_id = parent = None
            if parent is not None and parent not in done:
                waiting.setdefault(parent, []).append(comment)
                continue
            ready = [comment]
            while ready:
                c = ready.pop()
                done.add(c.source_id)
                yield c
                ready.extend(waiting.pop(c.source_id, ()))
        for orphans in waiting.values():  # a loop of parents: keep them, unthreaded
            for c in orphans:
                c.parent_source_id = None
                yield c

    def add_article(self, article_id: str, post: SourcePost) -> None:
        slug = unique_slug(slugify(post.slug or post.title), self.slugs)
        self.slugs.add(slug)
        markdown = html_to_markdown(post.html)
        status = ArticleStatus(post.status)
        author = post.author[:MAX_AUTHOR]
        self.s.add(Article(
            id=article_id, slug=slug, title=post.title, body_md=markdown,
            section=post.section[:MAX_SECTION], author=author, tags=post.tags, status=status,
            published_at=post.published_at, imported_html=True))
        label = f"Imported from WordPress (post {post.source_id}): the original HTML"
        self.s.add(Revision(id=stable_id(article_id, "original-html"), article_id=article_id,
                            title=post.title, body_md=post.html, kind=RevisionKind.IMPORT,
                            label=label[:200], author=author, created_at=self.now))
        self.s.add(Revision(id=stable_id(article_id, "markdown"), article_id=article_id,
                            title=post.title, body_md=markdown, kind=RevisionKind.MANUAL,
                            label="Converted to Markdown on import", author=author,
                            created_at=self.now + timedelta(microseconds=1)))
        self.articles_pending += 1

    # --- Disqus threads and posts --------------------------------------------------------------
    def disqus_comment(self, comment: SourceComment) -> None:
        parent = comment.parent_source_id
        if parent is not None and parent not in self.seen_comments:
            self.waiting.setdefault(parent, []).append(comment)
            return
        ready = [comment]
        while ready:
            c = ready.pop()
            self.seen_comments.add(c.source_id)
            self.add_disqus_comment(c)
            ready.extend(self.waiting.pop(c.source_id, ()))

    def finish_waiting(self) -> None:
        """Replies whose parent never came: threaded to one an earlier import brought, or
        kept unthreaded."""
        for parent, replies in list(self.waiting.items()):
            known = self.con.execute("SELECT 1 FROM comment WHERE id = ?",
                                     (self.row_id("comment", parent),)).fetchone()
            for c in replies:
                if not known:
                    c.parent_source_id = None
                    self.skip("reply links to comments not in the export (the replies are "
                              "kept, unthreaded)")
                self.seen_comments.add(c.source_id)
                self.add_disqus_comment(c)
                # their own replies wait under their ids
                for child in self.waiting.pop(c.source_id, ()):
                    self.disqus_comment(child)
        self.waiting.clear()

    def add_disqus_comment(self, c: SourceComment) -> None:
        thread = self.threads.get(c.thread_source_id)
        if thread is None:
            self.skip("Disqus posts whose thread is not in the export")
            return
        article_id = self.thread_articles.get(thread.source_id)
        if article_id is None:
            article_id = self.thread_articles[thread.source_id] = self.thread_article(thread)
        self.add_comment(c, article_id, thread.created_at or self.now)

    def thread_article(self, thread: SourceThread) -> str:
        """The article a thread's comments belong to: one the desk has by the link's slug or
        by the exact title, else a stub article made for it (found again on a re-import)."""
        stub_id = self.row_id("thread", thread.source_id)
        if self.con.execute("SELECT 1 FROM article WHERE id = ?", (stub_id,)).fetchone():
            self.summary.already["stub articles"] += 1
            return stub_id
        slug = slug_from_link(thread.link)
        if slug:
            found = self.con.execute("SELECT id FROM article WHERE slug = ? AND deleted = 0",
                                     (slugify(slug),)).fetchone()
            if found:
                self.summary.matched_threads += 1
                return str(found[0])
        if self.titles is None:
            self.titles = {}
            for aid, title in self.con.execute(
                    "SELECT id, title FROM article WHERE deleted = 0 ORDER BY rowid"):
                self.titles.setdefault(title, aid)
        if thread.title in self.titles:
            self.summary.matched_threads += 1
            return self.titles[thread.title]
        self.add_stub(stub_id, thread, slug)
        return stub_id

    def add_stub(self, stub_id: str, thread: SourceThread, slug: str) -> None:
        title = thread.title or thread.link or f"Disqus thread {thread.source_id}"
        new_slug = unique_slug(slugify(slug or title), self.slugs)
        self.slugs.add(new_slug)
        body = (f"Imported from Disqus (forum {self.source.identity}, thread "
                f"{thread.source_id}): the comments left on {thread.link or 'a page'} "
                f"(“{thread.title}”). The article itself was not in the desk when they were "
                "imported.\n")
        self.s.add(Article(id=stub_id, slug=new_slug, title=title, body_md=body,
                           status=ArticleStatus.DRAFT, imported_html=True, tags=[],
                           published_at=thread.created_at))
        self.s.add(Revision(id=stable_id(stub_id, "stub"), article_id=stub_id, title=title,
                            body_md=body, kind=RevisionKind.IMPORT,
                            label="Made for a Disqus thread on import", created_at=self.now))
        self.articles_pending += 1
        self.summary.stubs += 1

    # --- comments and commenters ----------------------------------------------------------
    def commenter_id(self, c: SourceComment, posted: datetime) -> str:
        name = (c.author_name or "Anonymous")[:MAX_NAME]
        key = email_hash(c.author_email) if c.author_email else "name\x1f" + name
        found = self.commenters.get(key)
        if found is not None:
            return found
        if c.author_email:
            row = self.con.execute("SELECT id, trust, approved_count FROM commenter "
                                   "WHERE email_hash = ? ORDER BY rowid LIMIT 1",
                                   (key,)).fetchone()
            new_id = stable_id("commenter", key)
        else:
            new_id = self.row_id("commenter", name)
            row = self.con.execute("SELECT id, trust, approved_count FROM commenter "
                                   "WHERE id = ?", (new_id,)).fetchone()
        if row is not None:
            self.known_commenters[row[0]] = CommenterState(trust=row[1], approved=row[2])
            self.commenters[key] = row[0]
            return str(row[0])
        self.commenter_rows.append((new_id, self.clock.now(), name,
                                    key if c.author_email else "", sql_value(posted)))
        self.commenters[key] = new_id
        return new_id

    def add_comment(self, c: SourceComment, article_id: str, fallback: datetime) -> None:
        posted = c.posted_at or fallback
        parent = c.parent_source_id
        self.comment_rows.append((
            self.row_id("comment", c.source_id), self.clock.now(), article_id,
            self.row_id("comment", parent) if parent is not None else None,
            self.commenter_id(c, posted), c.body, sql_value(posted), c.status))
        if len(self.comment_rows) >= BATCH:
            self.flush_rows()

    def flush_rows(self) -> None:
        """Write what waits, parents first: articles, commenters, then comments."""
        if cancel_requested(self.cancel):
            raise ImportCancelled()
        if self.articles_pending:
            self.s.flush()
            self.s.expunge_all()  # the session need not remember 10,000 articles
            self.articles_pending = 0
        if self.commenter_rows:
            cur = self.con.executemany(self.commenter_sql, self.commenter_rows)
            self.summary.commenters += max(cur.rowcount, 0)
            self.commenter_rows = []
        if self.comment_rows:
            cur = self.con.executemany(self.comment_sql, self.comment_rows)
            added = max(cur.rowcount, 0)
            self.summary.comments += added
            if added < len(self.comment_rows):
                self.summary.already["comments"] += len(self.comment_rows) - added
            self.comment_rows = []

    # --- after the stream -------------------------------------------------------------------
    def check_rules(self) -> None:
        """The newsroom's rules over the new comments in posting order; hits become their
        ``held_reasons`` (as the desk stores them), statuses stay the export's."""
        rows = self.s.scalars(select(Rule).where(Rule.deleted.is_(False))).all()
        rules = rules_from_rows(rows)
        if not rules or not self.summary.comments:
            return
        runner = RuleRunner(rules, self.known_commenters)
        update = "UPDATE comment SET held_reasons = ? WHERE rowid = ?"
        held: list[tuple[str, int]] = []
        total = self.summary.comments
        encoded: dict[object, str] = {}
        done = 0
        for rowid, cid, body, posted, commenter, name, status, article, new in \
                self._rules_rows(runner):
            facts = CommentFacts(cid, body, datetime.fromisoformat(posted), commenter, name,
                                 article)
            if not new:
                runner.observe(facts)
                continue
            done += 1
            verdict = runner.check(facts, approved=status == "approved")
            if verdict.hits:
                text = encoded.get(verdict)
                if text is None:
                    text = json.dumps(verdict.held_reasons)
                    if len(encoded) < 10_000:
                        encoded[verdict] = text
                held.append((text, rowid))
            if done % RULES_STEP == 0:
                if cancel_requested(self.cancel):
                    raise ImportCancelled()
                if self.progress is not None:
                    self.progress(done, total, "moderation rules")
                if len(held) >= BATCH:
                    self.con.executemany(update, held)
                    self.summary.held += len(held)
                    held = []
        self.con.executemany(update, held)
        self.summary.held += len(held)

    def _rules_rows(self, runner: RuleRunner) -> Iterator[tuple[Any, ...]]:
        """The new comments in posting order, with the desk's own of the rules' window."""
        first = self.first_comment
        window = runner.window
        if not window or not self.con.execute("SELECT 1 FROM comment WHERE rowid <= ? "
                                              "LIMIT 1", (first,)).fetchone():
            return self.con.execute(RULES_SELECT, (first,))
        low, high = self.con.execute("SELECT min(posted_at), max(posted_at) FROM comment "
                                     "WHERE rowid > ?", (first,)).fetchone()
        stored = "%Y-%m-%d %H:%M:%S.%f"  # as SQLAlchemy keeps a DateTime on SQLite
        since = (datetime.fromisoformat(low) - window).strftime(stored)
        return self.con.execute(RULES_SELECT_WITH_DESK,
                                {"first": first, "since": since, "until": high})

    def finish(self) -> None:
        """Counts of the commenters touched, then the outbox: commenters before comments."""
        con = self.con
        counts = [(*rest, first, cid) for cid, *rest, first in con.execute(
            COUNTS_SELECT, (self.first_comment,))]
        con.executemany(COUNTS_UPDATE, counts)
        changed = [row[-1] for row in counts]
        con.execute("INSERT INTO change_log (table_name, row_id, hlc, base_hlc, payload) "
                    "SELECT 'commenter', id, hlc, '', NULL FROM commenter WHERE rowid > ? "
                    "ORDER BY rowid", (self.first_commenter,))
        # commenters the desk had before: a new version of their row (new counts)
        known = [cid for cid in changed if cid in self.known_commenters]
        for chunk in bulk.batches(known, 10_000):
            for cid in chunk:
                (old,) = con.execute("SELECT hlc FROM commenter WHERE id = ?",
                                     (cid,)).fetchone()
                hlc = self.clock.now()
                con.execute("UPDATE commenter SET hlc = ?, updated_at = ? WHERE id = ?",
                            (hlc, sql_value(self.now), cid))
                con.execute("INSERT INTO change_log (table_name, row_id, hlc, base_hlc, "
                            "payload) VALUES ('commenter', ?, ?, ?, NULL)", (cid, hlc, old))
        con.execute("INSERT INTO change_log (table_name, row_id, hlc, base_hlc, payload) "
                    "SELECT 'comment', id, hlc, '', NULL FROM comment WHERE rowid > ? "
                    "ORDER BY rowid", (self.first_comment,))


def _open_export(path: Path) -> tuple[BinaryIO, int]:
    try:
        raw = path.open("rb")
        return raw, os.fstat(raw.fileno()).st_size
    except FileNotFoundError:
        raise ImportFileError(f"{path} does not exist; nothing was imported.") from None
    except IsADirectoryError:
        raise ImportFileError(f"{path} is a folder, not an export file; nothing was "
                              "imported.") from None
    except PermissionError:
        raise ImportFileError(f"{path} cannot be read (permission denied); nothing was "
                              "imported.") from None


def import_file(store: Store, path: str | os.PathLike[str], kind: str, *,
                dry_run: bool = False, progress: Progress | None = None,
                cancel: Cancel | None = None) -> ImportSummary:
    """Import one WordPress (``kind="wxr"``) or Disqus (``"disqus"``) export, all or nothing.

    ``progress(done, total, what)`` hears bytes read of the file's size, then the rules'
    pass over the new comments; ``cancel`` (a callable or a ``threading.Event``) stops it
    with ``ImportCancelled`` and nothing written. A malformed file raises ``ImportFileError``
    (one sentence with the line and column). ``dry_run`` does everything and rolls back.
    """
    reader = READERS.get(kind)
    if reader is None:
        raise ValidationError(f"There is no import format “{kind}”; the formats are "
                              f"{', '.join(READERS)}.")
    store.check_write("article", "revision", "comment", "commenter")
    path = Path(path)
    started = time.perf_counter()
    summary = ImportSummary(kind=kind, file=path.name, dry_run=dry_run)
    raw, total = _open_export(path)
    big = total > BULK_FILE_BYTES
    with raw, _unit_of_work(store, big) as s:
        job = _Import(s, store, summary, progress, cancel)
        source = CleanReader(raw, total, progress=progress, cancel=cancel)
        records = reader(source, path.name)
        with ExitStack() as stack:
            if big:  # a big load: rebuild the search index and indexes once, at the end
                stack.enter_context(load_cache(job.con))
                stack.enter_context(bulk.fts_suspended(job.con, ("comment", "commenter")))
                with bulk.indexes_suspended(job.con, ("comment", "commenter"),
                                            keep=("ix_comment_parent",
                                                  "ix_commenter_email_hash")):
                    job.run(records)
            else:
                job.run(records)
            job.check_rules()
            job.finish()
            if progress is not None:
                progress(1, 1, "search index")
        summary.stripped_characters = source.stripped
        summary.seconds = time.perf_counter() - started
        if dry_run:
            s.rollback()
        else:
            s.commit()
    return summary

