"""The newsroom data model in SQLAlchemy 2 typed ORM; the same tables live on the hub.

Every synced table mixes in ``Synced``: a UUID text id made on the device that created the row,
the HLC of its last change, the device it came from, a tombstone flag and timestamps. Those
columns are filled by ``store.outbox`` when the session flushes, together with a ``change_log``
entry, so services never stamp rows themselves.
"""

from __future__ import annotations

import enum
import uuid
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Enum,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    """Naive UTC: what both SQLite and PostgreSQL ``timestamp`` columns store here."""
    return datetime.now(UTC).replace(tzinfo=None)


def new_id() -> str:
    return str(uuid.uuid4())


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON}


def _enum(cls: type[enum.Enum], name: str) -> Enum:
    # Stored as text with a CHECK constraint on both SQLite and PostgreSQL; values, not names.
    return Enum(cls, name=name, native_enum=False, create_constraint=True, length=16,
                values_callable=lambda e: [m.value for m in e], validate_strings=True)


class Synced:
    """Columns every synced row has (see DESIGN.md, "Data model")."""

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    hlc: Mapped[str] = mapped_column(String(64), default="", index=False)
    origin: Mapped[str] = mapped_column(String(64), default="")
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


# --- enumerations -----------------------------------------------------------------------------

class ArticleStatus(enum.Enum):
    DRAFT = "draft"
    READY = "ready"
    PUBLISHED = "published"


class RevisionKind(enum.Enum):
    AUTOSAVE = "autosave"
    MANUAL = "manual"
    RESTORE = "restore"
    CONFLICT = "conflict"
    IMPORT = "import"
    MERGE = "merge"  # two desks' changes merged by themselves on sync


class CommentStatus(enum.Enum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    SPAM = "spam"


class Trust(enum.Enum):
    NEW = "new"
    TRUSTED = "trusted"
    BANNED = "banned"


class RuleAction(enum.Enum):
    HOLD = "hold"
    REJECT = "reject"
    FLAG = "flag"


# --- editorial --------------------------------------------------------------------------------

class Article(Synced, Base):
    __tablename__ = "article"

    slug: Mapped[str] = mapped_column(String(200), unique=True)
    title: Mapped[str] = mapped_column(Text, default="")
    standfirst: Mapped[str] = mapped_column(Text, default="")
    body_md: Mapped[str] = mapped_column(Text, default="")
    section: Mapped[str] = mapped_column(String(80), default="")
    author: Mapped[str] = mapped_column(String(120), default="")
    source_line: Mapped[str] = mapped_column(String(200), default="")  # "Source: PSE Jun/Jul 17"
    tags: Mapped[list[Any]] = mapped_column(JSON, default=list)
    status: Mapped[ArticleStatus] = mapped_column(_enum(ArticleStatus, "article_status"),
                                                  default=ArticleStatus.DRAFT)
    published_at: Mapped[datetime | None] = mapped_column(DateTime)
    # raw HTML came from an import and must be sanitised wherever it is shown
    imported_html: Mapped[bool] = mapped_column(Boolean, default=False)
    allow_remote_images: Mapped[bool] = mapped_column(Boolean, default=False)
    has_conflict: Mapped[bool] = mapped_column(Boolean, default=False)

    revisions: Mapped[list[Revision]] = relationship(back_populates="article",
                                                     order_by="Revision.created_at")

    __table_args__ = (
        Index("ix_article_status_updated", "status", "updated_at"),
        Index("ix_article_section", "section"),
        Index("ix_article_status_published", "status", "published_at"),  # latest-news panels
    )


class Revision(Synced, Base):
    """Append-only history of an article's text; every kind stands on one timeline."""

    __tablename__ = "revision"

    article_id: Mapped[str] = mapped_column(ForeignKey("article.id"), index=True)
    title: Mapped[str] = mapped_column(Text, default="")
    standfirst: Mapped[str] = mapped_column(Text, default="")
    body_md: Mapped[str] = mapped_column(Text, default="")
    kind: Mapped[RevisionKind] = mapped_column(_enum(RevisionKind, "revision_kind"))
    label: Mapped[str] = mapped_column(String(200), default="")
    author: Mapped[str] = mapped_column(String(120), default="")

    article: Mapped[Article] = relationship(back_populates="revisions")


class Asset(Synced, Base):
    """An image stored in the database and served to the preview by a local URL scheme."""

    __tablename__ = "asset"

    article_id: Mapped[str | None] = mapped_column(ForeignKey("article.id"), index=True)
    filename: Mapped[str] = mapped_column(String(255), default="")
    mime: Mapped[str] = mapped_column(String(100), default="application/octet-stream")
    data: Mapped[bytes] = mapped_column(LargeBinary)


# --- moderation -------------------------------------------------------------------------------

class Commenter(Synced, Base):
    __tablename__ = "commenter"

    display_name: Mapped[str] = mapped_column(String(200))
    email_hash: Mapped[str] = mapped_column(String(64), default="", index=True)
    first_seen: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    trust: Mapped[Trust] = mapped_column(_enum(Trust, "trust"), default=Trust.NEW)
    comment_count: Mapped[int] = mapped_column(Integer, default=0)
    approved_count: Mapped[int] = mapped_column(Integer, default=0)
    rejected_count: Mapped[int] = mapped_column(Integer, default=0)
    spam_count: Mapped[int] = mapped_column(Integer, default=0)


class Comment(Synced, Base):
    """A reader comment. ``body`` is raw and untrusted: show it only through the sanitiser.

    ``held_reasons`` is a list of rule hits, each
    ``{"rule_id", "rule_version", "kind", "action", "matched": [str, ...], "explanation"}``,
    kept with the comment so "why was this held?" has an answer after the rule changes.
    """

    __tablename__ = "comment"

    article_id: Mapped[str] = mapped_column(ForeignKey("article.id"))
    parent_id: Mapped[str | None] = mapped_column(ForeignKey("comment.id"))
    commenter_id: Mapped[str] = mapped_column(ForeignKey("commenter.id"))
    body: Mapped[str] = mapped_column(Text, default="")
    posted_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    status: Mapped[CommentStatus] = mapped_column(_enum(CommentStatus, "comment_status"),
                                                  default=CommentStatus.PENDING)
    reports: Mapped[int] = mapped_column(Integer, default=0)
    held_reasons: Mapped[list[Any]] = mapped_column(JSON, default=list)

    __table_args__ = (
        Index("ix_comment_status_posted", "status", "posted_at"),
        Index("ix_comment_article_posted", "article_id", "posted_at"),
        Index("ix_comment_commenter_posted", "commenter_id", "posted_at"),
        Index("ix_comment_parent", "parent_id"),
        Index("ix_comment_reports", "reports"),
    )


class ModerationEvent(Synced, Base):
    """Append-only audit trail: who did what to which comment, when and why."""

    __tablename__ = "moderation_event"

    comment_id: Mapped[str] = mapped_column(ForeignKey("comment.id"), index=True)
    actor: Mapped[str] = mapped_column(String(120))
    action: Mapped[str] = mapped_column(String(40))
    from_status: Mapped[str] = mapped_column(String(16), default="")
    to_status: Mapped[str] = mapped_column(String(16), default="")
    reason: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)


class Rule(Synced, Base):
    __tablename__ = "rule"

    kind: Mapped[str] = mapped_column(String(40))
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    action: Mapped[RuleAction] = mapped_column(_enum(RuleAction, "rule_action"),
                                               default=RuleAction.HOLD)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    description: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(Integer, default=1)


# --- layout -----------------------------------------------------------------------------------
# Regions and source kinds are plain text (no CHECK): the site template says which regions
# exist, and a row a newer desk wrote is a warning in the Layout workspace, not a failed sync.
# Order is a fractional-index key (``rank``), so a move writes one row (pse_desk.layout.ranks).

class Layout(Synced, Base):
    """A named arrangement of the site's panels ("web", "print"); one is active for the site."""

    __tablename__ = "layout"

    name: Mapped[str] = mapped_column(String(80))
    active: Mapped[bool] = mapped_column(Boolean, default=False)
    description: Mapped[str] = mapped_column(Text, default="")

    panels: Mapped[list[Panel]] = relationship(back_populates="layout", order_by="Panel.rank")


class Panel(Synced, Base):
    __tablename__ = "panel"

    layout_id: Mapped[str] = mapped_column(ForeignKey("layout.id"), index=True)
    key: Mapped[str] = mapped_column(String(60))  # unique among the live panels of a layout
    title: Mapped[str] = mapped_column(String(200))
    region: Mapped[str] = mapped_column(String(40), default="sidebar")
    rank: Mapped[str] = mapped_column(String(64), default="a0")
    item_count: Mapped[int] = mapped_column(Integer, default=3)
    source: Mapped[str] = mapped_column(String(16), default="latest")  # latest / picked / links
    source_sections: Mapped[list[Any]] = mapped_column(JSON, default=list)
    source_tags: Mapped[list[Any]] = mapped_column(JSON, default=list)
    source_author: Mapped[str] = mapped_column(String(120), default="")
    more_label: Mapped[str] = mapped_column(String(120), default="")  # "more videos >"
    more_url: Mapped[str] = mapped_column(Text, default="")
    dedupe: Mapped[bool] = mapped_column(Boolean, default=True)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)

    layout: Mapped[Layout] = relationship(back_populates="panels")
    items: Mapped[list[PanelItem]] = relationship(back_populates="panel",
                                                  order_by="PanelItem.rank")


class PanelItem(Synced, Base):
    __tablename__ = "panel_item"

    panel_id: Mapped[str] = mapped_column(ForeignKey("panel.id"), index=True)
    article_id: Mapped[str | None] = mapped_column(ForeignKey("article.id"))
    title: Mapped[str] = mapped_column(Text, default="")
    url: Mapped[str] = mapped_column(Text, default="")
    item_date: Mapped[date | None] = mapped_column(Date)
    summary: Mapped[str] = mapped_column(Text, default="")
    rank: Mapped[str] = mapped_column(String(64), default="a0")
    pinned: Mapped[bool] = mapped_column(Boolean, default=False)
    pinned_from: Mapped[datetime | None] = mapped_column(DateTime)
    pinned_until: Mapped[datetime | None] = mapped_column(DateTime)

    panel: Mapped[Panel] = relationship(back_populates="items")


class LayoutVersion(Synced, Base):
    """A saved state of one layout: every saved change adds one, and restoring one adds another
    (the later versions stay). ``snapshot`` is ``pse_desk.layout.snapshot``'s JSON."""

    __tablename__ = "layout_version"

    layout_id: Mapped[str] = mapped_column(ForeignKey("layout.id"), index=True)
    label: Mapped[str] = mapped_column(Text, default="")  # what changed, in words
    kind: Mapped[str] = mapped_column(String(16), default="change")  # baseline/change/restore
    author: Mapped[str] = mapped_column(String(120), default="")
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


# --- editions ---------------------------------------------------------------------------------

class Edition(Synced, Base):
    """A printed issue: its settings, and the named layout whose panels print (``layout_id``;
    ``None``: no panels beyond the ones its items name)."""

    __tablename__ = "edition"

    title: Mapped[str] = mapped_column(String(200))
    issue_number: Mapped[int | None] = mapped_column(Integer)
    issue_date: Mapped[date | None] = mapped_column(Date)
    page_size: Mapped[str] = mapped_column(String(20), default="A4")  # A4 / A5
    bleed_mm: Mapped[float] = mapped_column(default=3.0)
    crop_marks: Mapped[bool] = mapped_column(Boolean, default=True)
    cross_marks: Mapped[bool] = mapped_column(Boolean, default=True)
    toc: Mapped[bool] = mapped_column(Boolean, default=True)  # a table of contents up front
    layout_id: Mapped[str | None] = mapped_column(ForeignKey("layout.id"))
    status: Mapped[str] = mapped_column(String(20), default="draft")

    items: Mapped[list[EditionItem]] = relationship(back_populates="edition",
                                                    order_by="EditionItem.position")


class EditionItem(Synced, Base):
    """An article or a panel of an edition, in ``position`` order. A panel's ``placement``
    says where it prints: "front" (before the articles), "back" (after them) or "inline"
    (where it stands among the articles); articles are always inline. Plain text, no CHECK:
    a value a newer desk wrote prints inline."""

    __tablename__ = "edition_item"

    edition_id: Mapped[str] = mapped_column(ForeignKey("edition.id"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    article_id: Mapped[str | None] = mapped_column(ForeignKey("article.id"))
    panel_id: Mapped[str | None] = mapped_column(ForeignKey("panel.id"))
    page_break_before: Mapped[bool] = mapped_column(Boolean, default=False)
    placement: Mapped[str] = mapped_column(String(16), default="inline")

    edition: Mapped[Edition] = relationship(back_populates="items")


class EditionProof(Synced, Base):
    """One exported proof of an edition: what went in, so "Export again" gives the same pages.

    ``settings`` holds the edition's print settings at the time; ``inputs`` the exact article
    revision ids (``{"articles": [{"article_id", "revision_id"}…], "panels": [...resolved
    items...], "layout_version_id"}``); ``file_sha256`` and ``pages`` describe the file made.
    """

    __tablename__ = "edition_proof"

    edition_id: Mapped[str] = mapped_column(ForeignKey("edition.id"), index=True)
    variant: Mapped[str] = mapped_column(String(20))  # pdf/x-4, pdf/a-2b, html
    file_name: Mapped[str] = mapped_column(Text, default="")
    file_sha256: Mapped[str] = mapped_column(String(64), default="")
    pages: Mapped[int] = mapped_column(Integer, default=0)
    settings: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    inputs: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


# --- local only -------------------------------------------------------------------------------

class ChangeLog(Base):
    """The outbox: one entry per changed synced row, written in the same transaction.

    ``payload`` holds the row's values after the change; ``base_hlc`` the HLC the change was
    made on (empty for a new row), so the hub can tell a concurrent edit from a plain update.
    """

    __tablename__ = "change_log"
    # numbers are never reused once pushed entries are deleted: the hub recognises a batch
    # it already applied by them
    __table_args__ = (Index("ix_change_log_row_id", "row_id"), {"sqlite_autoincrement": True})

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    table_name: Mapped[str] = mapped_column(String(40))
    row_id: Mapped[str] = mapped_column(String(36))
    hlc: Mapped[str] = mapped_column(String(64))
    base_hlc: Mapped[str] = mapped_column(String(64), default="")
    payload: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class SyncState(Base):
    """One row: this device's identity and how far it has pulled from the hub."""

    __tablename__ = "sync_state"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, default=1)
    device_id: Mapped[str] = mapped_column(String(64))
    hub_identity: Mapped[str] = mapped_column(String(200), default="")
    last_pulled_seq: Mapped[int] = mapped_column(Integer, default=0)
    last_sync_at: Mapped[datetime | None] = mapped_column(DateTime)
    last_sync_error: Mapped[str] = mapped_column(Text, default="")
    hub_url: Mapped[str] = mapped_column(Text, default="")  # never holds a password
    role: Mapped[str] = mapped_column(String(16), default="")  # editor / moderator / ""
    clock_offset_ms: Mapped[int | None] = mapped_column(Integer)  # hub clock minus ours
    # per role, the last outbox number the hub acknowledged: {"editor": 1234}
    acked: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class SyncBase(Base):
    """Per article, the version this desk last exchanged with the hub: the common ancestor
    of a three-way merge when both sides changed the text since."""

    __tablename__ = "sync_base"

    article_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    hlc: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(Text, default="")
    standfirst: Mapped[str] = mapped_column(Text, default="")
    body_md: Mapped[str] = mapped_column(Text, default="")
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)


class SyncRun(Base):
    """The sync log: one row per run, with what moved and what went wrong."""

    __tablename__ = "sync_run"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    started_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime)
    hub: Mapped[str] = mapped_column(Text, default="")
    outcome: Mapped[str] = mapped_column(String(16), default="running")
    pushed: Mapped[int] = mapped_column(Integer, default=0)
    pulled: Mapped[int] = mapped_column(Integer, default=0)
    merged: Mapped[int] = mapped_column(Integer, default=0)
    conflicts: Mapped[int] = mapped_column(Integer, default=0)
    refused: Mapped[int] = mapped_column(Integer, default=0)
    message: Mapped[str] = mapped_column(Text, default="")
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


SYNCED_MODELS: tuple[type[Base], ...] = (
    Article, Revision, Asset, Commenter, Comment, ModerationEvent, Rule, Layout, Panel,
    PanelItem, LayoutVersion, Edition, EditionItem, EditionProof,
)
SYNCED_TABLES: tuple[str, ...] = tuple(m.__tablename__ for m in SYNCED_MODELS)
