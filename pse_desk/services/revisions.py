"""Revisions of an article: named saves, autosaves, restores, the timeline, thinning, compare.

Every kind stands on one timeline, newest first. Saving a revision also sets the article's
live text, in the same unit of work. Autosave skips when nothing changed since the latest
revision. Restoring never destroys: it adds a revision of kind ``restore``. Autosaves are
thinned (``thin_autosaves``, run by a worker when an article is closed) to the last of each
10-minute window; the others become tombstones with their text blanked (rows are synced, so
they are never removed, but their words need not be kept twice).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, inspect, literal_column, select
from sqlalchemy.orm import Session, defer
from sqlalchemy.orm.attributes import set_committed_value

from pse_desk.errors import NotFoundError
from pse_desk.services import recovery
from pse_desk.services.articles import live_article
from pse_desk.store.db import Store
from pse_desk.store.model import Article, Revision, RevisionKind, utcnow
from pse_desk.writing.diff import Segment
from pse_desk.writing.diff import compare as compare_texts

THIN_WINDOW = timedelta(minutes=10)
MAX_LABEL = 200


@dataclass(frozen=True)
class RevisionSummary:
    """A line of the timeline (no text: a timeline of big articles stays small)."""

    id: str
    article_id: str
    kind: RevisionKind
    label: str
    author: str
    created_at: datetime
    title: str


@dataclass(frozen=True)
class RevisionText:
    summary: RevisionSummary
    title: str
    standfirst: str
    body_md: str


@dataclass(frozen=True)
class ArticleText:
    """What a revision records: the title, the standfirst and the Markdown body."""

    title: str
    standfirst: str
    body_md: str


def _summary(rev: Revision) -> RevisionSummary:
    return RevisionSummary(rev.id, rev.article_id, rev.kind, rev.label, rev.author,
                           rev.created_at, rev.title)


def _add_revision(session: Session, article: Article, text: ArticleText, kind: RevisionKind,
                  *, label: str = "", author: str = "") -> Revision:
    unloaded = inspect(article).unloaded  # a deferred body is set, not read to compare
    for attr in ("title", "standfirst", "body_md"):
        value = getattr(text, attr)
        if attr in unloaded or getattr(article, attr) != value:
            setattr(article, attr, value)
    revision = Revision(article_id=article.id, title=text.title, standfirst=text.standfirst,
                        body_md=text.body_md, kind=kind, label=label.strip()[:MAX_LABEL],
                        author=author)
    session.add(revision)
    return revision


def save_revision(store: Store, article_id: str, text: ArticleText, *,
                  kind: RevisionKind = RevisionKind.MANUAL, label: str = "",
                  author: str = "") -> RevisionSummary:
    """Save the text as the article's live text and as a revision (Ctrl+S: a named one).

    The crash-recovery snapshot it supersedes goes (``recovery.settle``), as with every save.
    """
    with store.session() as s:
        article = live_article(s, article_id)
        revision = _add_revision(s, article, text, kind, label=label, author=author)
        s.commit()
        summary = _summary(revision)
    recovery.settle(store, article_id)
    return summary


def _latest(session: Session, article_id: str) -> str | None:
    """The revision written last on this desk (or pulled last from the hub).

    Found by rowid, newest first, so SQLite reads one row: every column stored after a big
    ``body_md`` costs a walk along its overflow pages, and ordering by ``created_at`` would
    walk them for every revision of the article.
    """
    row = session.execute(
        select(Revision.id)
        .where(Revision.article_id == article_id, Revision.deleted.is_(False))
        .order_by(literal_column("revision.rowid").desc()).limit(1)).first()
    return row[0] if row is not None else None


def _same_text(session: Session, revision_id: str, text: ArticleText) -> bool:
    # compared inside SQLite: the body is not read into Python to be compared there
    return session.scalar(
        select(func.count()).select_from(Revision)
        .where(Revision.id == revision_id, Revision.body_md == text.body_md,
               Revision.title == text.title, Revision.standfirst == text.standfirst)) == 1


def autosave(store: Store, article_id: str, text: ArticleText, *,
             author: str = "") -> RevisionSummary | None:
    """Save an autosave revision unless the text equals the latest revision (then None).

    Thinning is not done here (tombstoning a window's autosaves of a big article takes far
    longer than the autosave budget): call ``thin_autosaves`` from a worker when the article
    is closed or switched away from, and at quit.
    """
    with store.session() as s:
        latest = _latest(s, article_id)
        if latest is not None and _same_text(s, latest, text):
            s.rollback()
            recovery.settle(store, article_id)  # the latest revision holds this text
            return None
        # the live body is compared inside SQLite and never read into Python (it can be MBs)
        found = s.execute(select(Article, Article.body_md == text.body_md)
                          .where(Article.id == article_id)
                          .options(defer(Article.body_md))).first()
        if found is None or found[0].deleted:
            raise NotFoundError("This article no longer exists; it may have been deleted.")
        article, same_body = found
        if same_body:
            set_committed_value(article, "body_md", text.body_md)
        revision = _add_revision(s, article, text, RevisionKind.AUTOSAVE, author=author)
        s.commit()
        summary = _summary(revision)
    recovery.settle(store, article_id)
    return summary


def timeline(store: Store, article_id: str) -> list[RevisionSummary]:
    """Every live revision of the article, all kinds, newest first."""
    with store.read_session() as s:
        rows = s.execute(
            select(Revision.id, Revision.article_id, Revision.kind, Revision.label,
                   Revision.author, Revision.created_at, Revision.title)
            .where(Revision.article_id == article_id, Revision.deleted.is_(False))
            .order_by(Revision.created_at.desc(), Revision.hlc.desc()))
        return [RevisionSummary(*row) for row in rows]


def _live_revision(session: Session, revision_id: str) -> Revision:
    revision = session.get(Revision, revision_id)
    if revision is None or revision.deleted:
        raise NotFoundError("This revision is no longer kept (older autosaves are thinned).")
    return revision


def get_revision(store: Store, revision_id: str) -> RevisionText:
    with store.read_session() as s:
        rev = _live_revision(s, revision_id)
        return RevisionText(_summary(rev), rev.title, rev.standfirst, rev.body_md)


def restore_label(kind: RevisionKind, label: str, created_at: datetime) -> str:
    """How a restore revision names what it brought back, in words a person uses."""
    when = f"{created_at:%d %b %Y, %H:%M}"
    if kind is RevisionKind.MANUAL:
        return f"Restored “{label}” (saved {when})" if label else \
            f"Restored the revision saved {when}"
    what = {RevisionKind.AUTOSAVE: "the autosave of", RevisionKind.RESTORE: "the text restored on",
            RevisionKind.CONFLICT: "the conflict copy of",
            RevisionKind.IMPORT: "the imported text of",
            RevisionKind.MERGE: "the merged text of"}[kind]
    return f"Restored {what} {when}"


def restore(store: Store, revision_id: str, *, author: str = "") -> RevisionSummary:
    """Make an old revision's text the live text again, as a new revision of kind restore."""
    with store.session() as s:
        old = _live_revision(s, revision_id)
        article = live_article(s, old.article_id)
        label = restore_label(old.kind, old.label, old.created_at)
        revision = _add_revision(s, article, ArticleText(old.title, old.standfirst, old.body_md),
                                 RevisionKind.RESTORE, label=label, author=author)
        s.commit()
        summary = _summary(revision)
    recovery.settle(store, summary.article_id)
    return summary


def _window(at: datetime) -> int:
    return int((at - datetime(2000, 1, 1)) // THIN_WINDOW)


def _window_start(at: datetime) -> datetime:
    return datetime(2000, 1, 1) + _window(at) * THIN_WINDOW


def _thin(session: Session, article_id: str, *, before: datetime) -> int:
    rows = session.execute(
        select(Revision.id, Revision.created_at)
        .where(Revision.article_id == article_id, Revision.deleted.is_(False),
               Revision.kind == RevisionKind.AUTOSAVE, Revision.created_at < before)
        .order_by(Revision.created_at, Revision.hlc)).all()
    last_of_window: dict[int, str] = {}
    for revision_id, created_at in rows:
        last_of_window[_window(created_at)] = revision_id
    kept = set(last_of_window.values())
    doomed = [r[0] for r in rows if r[0] not in kept]
    if not doomed:
        return 0
    stale = session.scalars(select(Revision).where(Revision.id.in_(doomed)).options(
        defer(Revision.body_md), defer(Revision.title), defer(Revision.standfirst)))
    for revision in stale:
        revision.deleted = True
        revision.body_md = revision.title = revision.standfirst = ""
    return len(doomed)


def thin_autosaves(store: Store, article_id: str, *, now: datetime | None = None) -> int:
    """Keep the last autosave of each closed 10-minute window; return how many were thinned.

    Named, manual, restore, conflict and import revisions are always kept, and so is every
    autosave of the window that is still open.
    """
    with store.session() as s:
        count = _thin(s, article_id, before=_window_start(now or utcnow()))
        s.commit()
        return count


def compare(a: str, b: str) -> list[Segment]:
    """Word-level differences of two texts, for side-by-side highlighting."""
    return compare_texts(a, b)


def compare_revisions(store: Store, old_id: str, new_id: str) -> list[Segment]:
    """Compare the bodies of two revisions (the older one first)."""
    return compare(get_revision(store, old_id).body_md, get_revision(store, new_id).body_md)
