"""The moderator's search box: a small query language, parsed and turned into SQL conditions.

Free words match comment text or the commenter's name (SQLite FTS5, ``comment_fts`` and
``commenter_fts``); ``"quoted words"`` match as a phrase. Operators narrow the result:

    user:NAME  user:"Ann Lee"   comments by a commenter whose name has these words
    article:TEXT               comments on articles whose title has these words, or this slug
    status:pending|approved|rejected|spam
    rule:KIND                  held by a rule of this kind (banned_words, shouting, …)
    before:YYYY-MM-DD          posted before that day
    after:YYYY-MM-DD           posted on or after that day

A word with an unknown prefix (``http://…``, ``re:``) is searched as text. Free text found in
more than ``MATCH_CAP`` comments is searched among its newest ``MATCH_CAP`` matches only (see
``newest_matches_floor``): add a word or an operator to reach further back. Every piece of user
text reaches FTS5 only as a double-quoted string with its quotes doubled, and SQL only as a bound
parameter, so no input can cause an FTS syntax error or change the SQL. Mistakes come back as a
``SearchError`` whose message is one sentence ("after: needs a date like 2026-11-01").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, column, false, literal_column, or_, select, table
from sqlalchemy.orm import Session

from pse_desk.errors import ValidationError
from pse_desk.moderation.queue import held_by, plain
from pse_desk.moderation.rules import RULE_KINDS
from pse_desk.store.model import Article, Comment, Commenter, CommentStatus

MATCH_CAP = 10_000
OPERATORS = ("user", "article", "status", "rule", "before", "after")
STATUSES = tuple(s.value for s in CommentStatus)
_TOKEN = re.compile(r'(?P<key>[A-Za-z]+):(?:"(?P<qval>[^"]*)"?|(?P<val>\S*))'
                    r'|"(?P<phrase>[^"]*)"?'
                    r"|(?P<word>\S+)")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_HAS_WORD = re.compile(r"\w")


class SearchError(ValidationError):
    """A search that cannot be understood; ``str()`` says how to fix it."""


@dataclass(frozen=True)
class SearchQuery:
    words: tuple[str, ...] = ()
    phrases: tuple[str, ...] = ()
    users: tuple[str, ...] = ()
    articles: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    rules: tuple[str, ...] = ()
    before: date | None = None
    after: date | None = None

    @property
    def is_selective(self) -> bool:
        """Whether it names text or commenters: conditions that select few comments (FTS,
        capped; a commenter's own comments), which should drive the query rather than a
        status or date index. An article has too many comments to count as selective."""
        return bool(self.fts_text() or self.users)

    @property
    def is_empty(self) -> bool:
        return self == SearchQuery()

    def fts_text(self) -> str:
        """The free text as an FTS5 query: every word and phrase, each safely quoted."""
        return fts_query(self.words, self.phrases)


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def fts_quote(text: str) -> str:
    """One FTS5 string: inside double quotes every character is literal, quotes doubled.

    Control characters become spaces: FTS5 reads the query as a C string, so a NUL would end
    it in the middle of the quotes ("unterminated string").
    """
    return '"' + _CONTROL.sub(" ", text).replace('"', '""') + '"'


def fts_query(words: tuple[str, ...] | list[str], phrases: tuple[str, ...] = ()) -> str:
    """All of ``words`` and ``phrases`` (implicit AND); pieces with no letter or digit dropped."""
    return " ".join(fts_quote(p) for p in (*words, *phrases) if _HAS_WORD.search(p))


@dataclass
class _Builder:
    words: list[str] = field(default_factory=list)
    phrases: list[str] = field(default_factory=list)
    users: list[str] = field(default_factory=list)
    articles: list[str] = field(default_factory=list)
    statuses: list[str] = field(default_factory=list)
    rules: list[str] = field(default_factory=list)
    before: date | None = None
    after: date | None = None


def _date(key: str, value: str) -> date:
    example = "2026-11-01"
    if not _DATE.fullmatch(value):
        raise SearchError(f"{key}: needs a date like {example}.")
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise SearchError(f"{key}: {value} is not a real date; use one like {example}.") \
            from exc


def _operator(b: _Builder, key: str, value: str) -> None:
    value = value.strip()
    if not value:
        what = {"user": "a name", "article": "a title word or slug", "before": "a date",
                "after": "a date", "status": "a status", "rule": "a rule kind"}[key]
        raise SearchError(f"{key}: needs {what}, as in {key}:{_EXAMPLES[key]}.")
    match key:
        case "user" | "article":
            if not _HAS_WORD.search(value):
                raise SearchError(f"{key}: needs letters or digits, as in "
                                  f"{key}:{_EXAMPLES[key]}.")
            (b.users if key == "user" else b.articles).append(value)
        case "status":
            low = value.lower()
            if low not in STATUSES:
                raise SearchError(f"status: must be one of {', '.join(STATUSES)}.")
            b.statuses.append(low)
        case "rule":
            low = value.lower()
            if low not in RULE_KINDS:
                raise SearchError(f"rule: must be one of {', '.join(RULE_KINDS)}.")
            b.rules.append(low)
        case "before":
            b.before = _date(key, value)
        case "after":
            b.after = _date(key, value)


_EXAMPLES = {"user": '"Ann Lee"', "article": "budget", "status": "pending",
             "rule": "shouting", "before": "2026-11-01", "after": "2026-11-01"}


def parse_query(text: str) -> SearchQuery:
    """Parse the search box; raise ``SearchError`` with one sentence when it makes no sense."""
    b = _Builder()
    for m in _TOKEN.finditer(text):
        key = m.group("key")
        if key is not None and key.lower() in OPERATORS:
            value = m.group("qval") if m.group("qval") is not None else m.group("val")
            _operator(b, key.lower(), value or "")
        elif key is not None:
            b.words.append(m.group())  # an unknown prefix: searched as text
        elif m.group("phrase") is not None:
            if m.group("phrase").strip():
                b.phrases.append(m.group("phrase"))
        else:
            b.words.append(m.group("word"))
    if b.before and b.after and b.after >= b.before:
        raise SearchError(f"after:{b.after} is not before before:{b.before}, so nothing "
                          "can match.")
    return SearchQuery(tuple(b.words), tuple(b.phrases), tuple(b.users), tuple(b.articles),
                       tuple(b.statuses), tuple(b.rules), b.before, b.after)


# --- SQL --------------------------------------------------------------------------------------

_COMMENT_FTS = table("comment_fts", column("rowid"), column("comment_fts"))
_COMMENTER_FTS = table("commenter_fts", column("rowid"), column("commenter_fts"))
_ARTICLE_FTS = table("article_fts", column("rowid"), column("article_fts"))


def _commenter_ids(fts: str) -> Select[Any]:
    rowids = select(_COMMENTER_FTS.c.rowid).where(_COMMENTER_FTS.c.commenter_fts.op("MATCH")(fts))
    return select(Commenter.id).where(literal_column("commenter.rowid").in_(rowids))


def _commenters_matching(fts: str) -> ColumnElement[bool]:
    return Comment.commenter_id.in_(_commenter_ids(fts))


def _comments_matching(fts: str, floor: int | None = None) -> ColumnElement[bool]:
    rowids = select(_COMMENT_FTS.c.rowid).where(_COMMENT_FTS.c.comment_fts.op("MATCH")(fts))
    if floor is not None:
        rowids = rowids.where(_COMMENT_FTS.c.rowid > floor)
    return literal_column("comment.rowid").in_(rowids)


def newest_matches_floor(session: Session, fts: str, cap: int = MATCH_CAP) -> int | None:
    """For free text matching more than ``cap`` comments, the rowid just below the newest ``cap``.

    A word found in half a million comments would otherwise be sorted by time in full before
    the first page shows; instead the search keeps to the ``cap`` most recently stored matches
    (FTS5 walks its index backwards by rowid, so this costs a few milliseconds). None when the
    text is selective enough to search everything.
    """
    stmt = (select(_COMMENT_FTS.c.rowid).where(_COMMENT_FTS.c.comment_fts.op("MATCH")(fts))
            .order_by(_COMMENT_FTS.c.rowid.desc()).limit(1).offset(cap))
    floor = session.scalar(stmt)
    return int(floor) if floor is not None else None


def _article_ids(value: str) -> Select[Any]:
    words = re.findall(r"\w+", value)
    title = "title : (" + " ".join(fts_quote(w) for w in words) + ")"
    rowids = select(_ARTICLE_FTS.c.rowid).where(_ARTICLE_FTS.c.article_fts.op("MATCH")(title))
    return select(Article.id).where(or_(Article.slug == value.strip().lower(),
                                        literal_column("article.rowid").in_(rowids)))


def _articles_matching(value: str) -> ColumnElement[bool]:
    return Comment.article_id.in_(_article_ids(value))


ID_LIST_MAX = 500  # above this many commenters or articles, keep the subquery instead


@dataclass(frozen=True)
class Resolved:
    """The ids that ``user:`` and ``article:`` values name, looked up before the main query.

    With one id, the comment query can walk ``(commenter_id, posted_at)`` or
    ``(article_id, posted_at)`` in order and stop at a page; with a subquery SQLite has to
    collect and sort every comment of every match first. ``None`` for a value means too many
    ids: the subquery is used.
    """

    users: tuple[tuple[str, ...] | None, ...] = ()
    articles: tuple[tuple[str, ...] | None, ...] = ()


def _ids(session: Session, stmt: Any) -> tuple[str, ...] | None:
    ids = tuple(session.scalars(stmt.limit(ID_LIST_MAX + 1)))
    return None if len(ids) > ID_LIST_MAX else ids


def resolve(session: Session, query: SearchQuery) -> Resolved:
    return Resolved(
        tuple(_ids(session, _commenter_ids(fts_quote(n))) for n in query.users),
        tuple(_ids(session, _article_ids(v)) for v in query.articles))


def _id_condition(column: Any, ids: tuple[str, ...]) -> ColumnElement[bool]:
    if not ids:
        return false()
    found: ColumnElement[bool] = column == ids[0] if len(ids) == 1 else column.in_(ids)
    return found


def search_conditions(query: SearchQuery, *, floor: int | None = None,
                      resolved: Resolved | None = None) -> list[ColumnElement[bool]]:
    """SQL conditions on ``comment`` for a parsed query (joined with AND by the caller).

    ``floor`` (from ``newest_matches_floor``) limits the comment-text matches to the newest.
    """
    found: list[ColumnElement[bool]] = []
    free = query.fts_text()
    if free:
        found.append(or_(_comments_matching(free, floor), _commenters_matching(free)))
    for i, name in enumerate(query.users):
        ids = resolved.users[i] if resolved else None
        found.append(_commenters_matching(fts_quote(name)) if ids is None
                     else _id_condition(Comment.commenter_id, ids))
    for i, value in enumerate(query.articles):
        ids = resolved.articles[i] if resolved else None
        found.append(_articles_matching(value) if ids is None
                     else _id_condition(Comment.article_id, ids))
    use_index = not query.is_selective
    status = Comment.status if use_index else plain(Comment.status, "status")
    posted = Comment.posted_at if use_index else plain(Comment.posted_at, "posted_at")
    if len(query.statuses) == 1:  # an equality plans like the queues do
        found.append(status == CommentStatus(query.statuses[0]))
    elif query.statuses:
        found.append(status.in_([CommentStatus(s) for s in query.statuses]))
    for i, kind in enumerate(query.rules):
        found.append(held_by(kind, f"search_rule_{i}"))
    if query.before:
        found.append(posted < datetime.combine(query.before, datetime.min.time()))
    if query.after:
        found.append(posted >= datetime.combine(query.after, datetime.min.time()))
    return found
