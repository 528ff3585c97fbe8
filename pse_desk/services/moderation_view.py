"""Reads the Moderate workspace needs beyond ``services.moderation``.

- A queue or a search as a *window* of rows at any position, so a table can cover a queue of a
  million comments: rows are found from the nearest known keyset (or an end of the queue) in
  either direction, skipping the rows between on the index, and the window's size is the count.
- The ids of a whole listing (the moderator marks a queue to decide it at once).
- One comment prepared for display: its body sanitised by ``render.sanitise_comment`` (the only
  way comment HTML is made safe), whether that removed markup — and whether anything readable
  is left, since the text around a removed tag stays (``"><script …>`` leaves ``">``, which
  the pane must not show as if it were the comment: issue 8) — the words that tripped a rule,
  "why was this held?" as sentences, and its audit history.

Everything here takes a read ``Session`` and runs in a worker thread.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from html.parser import HTMLParser
from typing import Any

from sqlalchemy import ColumnElement, func, select, tuple_
from sqlalchemy.orm import Session

from pse_desk.moderation.queue import EXCERPT_CHARS, Queue, QueueFilter, QueueRow, to_row
from pse_desk.moderation.rules import KIND_LABELS
from pse_desk.moderation.search import (
    newest_matches_floor,
    parse_query,
    resolve,
    search_conditions,
)
from pse_desk.render import sanitise_comment
from pse_desk.render.text import normalise_text
from pse_desk.services.moderation import CommentDetail, comment_detail, queue_condition
from pse_desk.services.moderation_audit import AuditEntry, comment_history
from pse_desk.store.model import Article, Comment, Commenter

BODY_CHARS = 100_000  # a longer body is shown cut here, and the pane says so
MAX_HIGHLIGHTS = 50
# what an injection leaves outside the tags it tried to break out of: alone, not a comment
DEBRIS = frozenset("\"'`<>/\\=;")
Key = tuple[datetime, str]


@dataclass(frozen=True)
class Listing:
    """What the comment table shows: a queue, optionally narrowed by a search."""

    queue: Queue
    query: str = ""
    filters: QueueFilter | None = None


def listing_conditions(session: Session, listing: Listing) -> list[ColumnElement[bool]]:
    """The WHERE terms of a listing; a malformed search raises ``SearchError`` (one sentence)."""
    extra = listing.filters
    if not listing.query.strip():
        return [queue_condition(listing.queue), *(extra.conditions() if extra else [])]
    parsed = parse_query(listing.query)
    free = parsed.fts_text()
    floor = newest_matches_floor(session, free) if free and not parsed.users else None
    conditions = search_conditions(parsed, floor=floor, resolved=resolve(session, parsed))
    use_index = not parsed.is_selective
    conditions.append(queue_condition(listing.queue, use_index=use_index))
    if extra:
        conditions += extra.conditions(use_index=use_index)
    return conditions


def listing_count(session: Session, conditions: list[ColumnElement[bool]]) -> int:
    return session.scalar(select(func.count()).select_from(Comment).where(*conditions)) or 0


def listing_window(session: Session, conditions: list[ColumnElement[bool]], *,
                   newest_first: bool = True, edge: Key | None = None, skip: int = 0,
                   limit: int = 200) -> list[QueueRow]:
    """``limit`` rows, newest first, found by walking from ``edge`` (exclusive) or an end.

    ``newest_first`` walks towards older comments from ``edge`` (or the newest comment);
    otherwise it walks towards newer ones from ``edge`` (or the oldest comment). ``skip`` rows
    are passed over on the index first, so a row far from any known key costs one index walk.
    """
    key = tuple_(Comment.posted_at, Comment.id)
    if newest_first:
        order = (Comment.posted_at.desc(), Comment.id.desc())
    else:
        order = (Comment.posted_at.asc(), Comment.id.asc())
    page = select(Comment.id).where(*conditions).order_by(*order).limit(limit).offset(skip)
    if edge is not None:
        page = page.where(key < tuple_(*edge) if newest_first else key > tuple_(*edge))
    stmt = (select(Comment.id, Comment.posted_at, Comment.status, Commenter.display_name,
                   Article.title, func.substr(Comment.body, 1, EXCERPT_CHARS), Comment.reports,
                   Comment.held_reasons)
            .join(Commenter, Commenter.id == Comment.commenter_id)
            .join(Article, Article.id == Comment.article_id)
            .where(Comment.id.in_(page.scalar_subquery()))
            .order_by(Comment.posted_at.desc(), Comment.id.desc()))
    return [to_row(r) for r in session.execute(stmt)]


def listing_ids(session: Session, listing: Listing, limit: int = 100_000) -> list[str]:
    """The ids of a listing, newest first, at most ``limit`` of them."""
    conditions = listing_conditions(session, listing)
    stmt = (select(Comment.id).where(*conditions)
            .order_by(Comment.posted_at.desc(), Comment.id.desc()).limit(limit))
    return list(session.scalars(stmt))


# --- one comment for display ------------------------------------------------------------------

@dataclass(frozen=True)
class HeldReason:
    """One line of "why was this held?"."""

    rule: str          # the rule's label, e.g. "Suspect words"
    version: int
    action: str        # hold / reject / flag
    matched: tuple[str, ...]
    sentence: str

    @property
    def text(self) -> str:
        words = ", ".join(f"“{m if len(m) <= 60 else m[:59] + '…'}”" for m in self.matched[:8])
        head = f"{self.rule} (rule version {self.version}, {self.action})"
        return f"{head}: {self.sentence}" + (f" Matched: {words}." if words else "")


@dataclass(frozen=True)
class CommentView:
    detail: CommentDetail
    html: str                      # sanitised: safe to put in a QTextBrowser
    highlights: tuple[str, ...]    # the text that tripped a rule, to mark in the shown body
    reasons: tuple[HeldReason, ...]
    history: tuple[AuditEntry, ...]
    body_chars: int                # the length of the whole body
    cut: bool                      # only the first BODY_CHARS characters are shown
    markup_removed: bool = False   # the sanitiser removed tags (scripts, images, frames …)
    nothing_left: bool = False     # ... and nothing readable was left: ``html`` is empty


def _reason(hit: dict[str, Any]) -> HeldReason:
    kind = str(hit.get("kind", ""))
    matched = tuple(str(m) for m in hit.get("matched") or () if m)
    version = hit.get("rule_version")
    return HeldReason(KIND_LABELS.get(kind, kind or "Unknown rule"),
                      version if isinstance(version, int) else 1, str(hit.get("action", "hold")),
                      matched, str(hit.get("explanation", "")))


def _highlights(body: str, held: list[dict[str, Any]]) -> tuple[str, ...]:
    """The exact text of every stored span (falling back to the matched text), deduplicated."""
    found: list[str] = []
    for hit in held:
        if not isinstance(hit, dict):
            continue
        spans = hit.get("spans") or []
        for span in spans:
            if isinstance(span, list | tuple) and len(span) == 2:
                a, b = span
                if isinstance(a, int) and isinstance(b, int) and 0 <= a < b <= len(body):
                    found.append(body[a:b])
        if not spans:
            found += [str(m) for m in hit.get("matched") or () if m]
    words = [w.strip() for w in found if w.strip() and len(w.strip()) <= 200]
    return tuple(dict.fromkeys(words))[:MAX_HIGHLIGHTS]


def defuse_bidi(text: str) -> str:
    """Bidirectional embedding, override and isolate controls shown as U+FFFD: a comment must
    not be able to turn the text after it around (an RTL override hides what a link says)."""
    return text.translate(_BIDI_CONTROLS)


_BIDI_CONTROLS = {cp: 0xFFFD for cp in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))}


def comment_html(body: str) -> str:
    """The body as safe HTML: line breaks kept, then ``sanitise_comment`` (nothing else)."""
    return sanitise_comment(_with_breaks(body))


def _with_breaks(body: str) -> str:
    return defuse_bidi(body).replace("\r\n", "\n").replace("\n", "<br>\n")


class _Shape(HTMLParser):
    """How many tags (and comments, declarations) some HTML has, and its text."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags = 0
        self._text: list[str] = []
        self.feed(html)
        self.close()

    @property
    def text(self) -> str:
        return "".join(self._text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags += 1

    def handle_comment(self, data: str) -> None:
        self.tags += 1

    def handle_decl(self, decl: str) -> None:
        self.tags += 1

    def handle_pi(self, data: str) -> None:
        self.tags += 1

    def unknown_decl(self, data: str) -> None:
        self.tags += 1

    def handle_data(self, data: str) -> None:
        self._text.append(data)


@dataclass(frozen=True)
class SafeBody:
    html: str            # sanitised; empty when nothing readable was left
    markup_removed: bool
    nothing_left: bool


def safe_body(body: str) -> SafeBody:
    """``comment_html(body)``, and what sanitising it took away.

    Markup was removed when the sanitised HTML has fewer tags, or less text (a script's or a
    style's content), than what went in. Nothing is left when, besides, its text is only
    whitespace and the quotes and brackets an injection leaves around a removed tag.
    """
    given = _with_breaks(body)
    html = sanitise_comment(given)
    before, after = _Shape(normalise_text(given)), _Shape(html)
    left = after.text
    removed = after.tags < before.tags or left != before.text
    nothing = removed and all(ch.isspace() or ch in DEBRIS for ch in left)
    return SafeBody("" if nothing else html, removed, nothing)


def comment_view(session: Session, comment_id: str) -> CommentView:
    detail = comment_detail(session, comment_id)
    body = detail.body
    cut = len(body) > BODY_CHARS
    shown = body[:BODY_CHARS] if cut else body
    held = [h for h in detail.held_reasons if isinstance(h, dict)]
    safe = safe_body(shown)
    return CommentView(detail, safe.html, _highlights(shown, held),
                       tuple(_reason(h) for h in held),
                       tuple(comment_history(session, comment_id)), len(body), cut,
                       safe.markup_removed, safe.nothing_left)
