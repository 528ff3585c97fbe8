"""An edition read into ``pse_desk.edition.values``, with the record of what went in.

``read_edition`` reads the edition's settings, its live articles at their latest revision
(rendered by the killable render process: hostile text gives a sentence, not a hang), its
panels resolved in their layout now, and the stored images the articles refer to. ``inputs``
is what a proof records so the same pages can be made again: the article revision ids (or the
text itself when the live text is not a saved revision), the panels' lines as resolved, the
layout and its latest saved version, and a hash of every image.
"""

from __future__ import annotations

import hashlib
import re
import threading
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pse_desk.edition import values as ev
from pse_desk.errors import ExportError, NotFoundError
from pse_desk.render.process import RenderProcess
from pse_desk.render.standalone import asset_id_from_url
from pse_desk.services.layout.read import resolve
from pse_desk.store.db import Store
from pse_desk.store.model import (
    Article,
    Asset,
    Edition,
    EditionItem,
    LayoutVersion,
    Panel,
    Revision,
)

RENDER_DEADLINE_S = 5.0
_ASSET_REF = re.compile(r"pse-asset:/{0,2}[A-Za-z0-9-]{1,64}")


@dataclass(frozen=True)
class ArticleText:
    """What prints of an article (its text and its metadata), as a proof records it."""

    article_id: str
    revision_id: str | None
    title: str
    standfirst: str
    body_md: str
    section: str
    author: str
    source_line: str
    status: str
    page_break_before: bool


def live_edition(session: Session, edition_id: str, *,
                 include_deleted: bool = False) -> Edition:
    found = session.get(Edition, edition_id)
    if found is None or (found.deleted and not include_deleted):
        raise NotFoundError("That edition no longer exists (another desk may have removed it).")
    return found


def settings_of(edition: Edition) -> ev.Settings:
    return ev.Settings(title=edition.title, issue_number=edition.issue_number,
                       issue_date=edition.issue_date, page_size=edition.page_size,
                       bleed_mm=edition.bleed_mm, crop_marks=edition.crop_marks,
                       cross_marks=edition.cross_marks, toc=edition.toc)


def settings_json(s: ev.Settings) -> dict[str, Any]:
    return {"title": s.title, "issue_number": s.issue_number,
            "issue_date": s.issue_date.isoformat() if s.issue_date else None,
            "page_size": s.page_size, "bleed_mm": s.bleed_mm, "crop_marks": s.crop_marks,
            "cross_marks": s.cross_marks, "toc": s.toc}


def settings_from_json(d: dict[str, Any]) -> ev.Settings:
    issue = d.get("issue_date")
    return ev.Settings(title=str(d.get("title", "")), issue_number=d.get("issue_number"),
                       issue_date=date.fromisoformat(issue) if issue else None,
                       page_size=str(d.get("page_size", "A4")),
                       bleed_mm=float(d.get("bleed_mm", 3.0)),
                       crop_marks=bool(d.get("crop_marks", True)),
                       cross_marks=bool(d.get("cross_marks", True)), toc=bool(d.get("toc", True)))


def _latest_revision(session: Session, art: Article) -> str | None:
    rev = session.scalars(select(Revision).where(
        Revision.article_id == art.id, Revision.deleted.is_(False))
        .order_by(Revision.created_at.desc(), Revision.id.desc()).limit(1)).first()
    if rev is None or (rev.title, rev.standfirst, rev.body_md) != (
            art.title, art.standfirst, art.body_md):
        return None  # the live text is not a saved revision: the proof keeps the text itself
    return rev.id


def _article_text(session: Session, item: EditionItem, art: Article) -> ArticleText:
    return ArticleText(art.id, _latest_revision(session, art), art.title, art.standfirst,
                       art.body_md, art.section, art.author, art.source_line,
                       art.status.value, item.page_break_before)


def _panel(session: Session, item: EditionItem, panel: Panel,
           resolved: dict[str, dict[str, ev.Panel]]) -> ev.Panel | None:
    if panel.layout_id not in resolved:
        resolved[panel.layout_id] = {
            p.panel.id: ev.Panel(p.panel.id, p.panel.key, p.panel.title, tuple(
                ev.PanelLine(i.title, i.item_date, i.summary) for i in p.items))
            for p in resolve(session, panel.layout_id).panels()}
    found = resolved[panel.layout_id].get(panel.id)
    if found is None:
        return None
    return ev.Panel(found.id, found.key, found.title, found.lines, item.placement,
                    item.page_break_before)


@dataclass(frozen=True)
class EditionSource:
    """The edition as read: its settings, what prints, and the proof's record of it."""

    settings: ev.Settings
    texts: tuple[ArticleText | ev.Panel, ...]
    layout_id: str | None
    layout_version_id: str | None


def read_source(session: Session, edition_id: str) -> EditionSource:
    edition = live_edition(session, edition_id)
    items = session.scalars(select(EditionItem).where(
        EditionItem.edition_id == edition_id, EditionItem.deleted.is_(False))
        .order_by(EditionItem.position, EditionItem.id)).all()
    resolved: dict[str, dict[str, ev.Panel]] = {}
    texts: list[ArticleText | ev.Panel] = []
    for item in items:
        if item.article_id is not None:
            art = session.get(Article, item.article_id)
            if art is not None and not art.deleted:
                texts.append(_article_text(session, item, art))
        elif item.panel_id is not None:
            panel = session.get(Panel, item.panel_id)
            if panel is not None and not panel.deleted:
                shown = _panel(session, item, panel, resolved)
                if shown is not None:
                    texts.append(shown)
    version = None
    if edition.layout_id:
        version = session.scalars(select(LayoutVersion.id).where(
            LayoutVersion.layout_id == edition.layout_id, LayoutVersion.deleted.is_(False))
            .order_by(LayoutVersion.created_at.desc()).limit(1)).first()
    return EditionSource(settings_of(edition), tuple(texts), edition.layout_id, version)


def pictures(session: Session, texts: tuple[ArticleText | ev.Panel, ...]
             ) -> dict[str, ev.Picture]:
    found: dict[str, ev.Picture] = {}
    for text in texts:
        if not isinstance(text, ArticleText):
            continue
        for url in dict.fromkeys(_ASSET_REF.findall(text.body_md)):
            ident = asset_id_from_url(url)
            asset = session.get(Asset, ident) if ident else None
            data = asset.data if asset is not None and not asset.deleted else None
            found.setdefault(f"pse-asset:{ident}", ev.Picture(f"pse-asset:{ident}", data,
                                                               text.article_id))
    return found


_RENDERER: list[RenderProcess] = []
_RENDERER_LOCK = threading.Lock()


def renderer() -> RenderProcess:
    """The render process the edition's reads share (started on first use, kept: starting one
    costs most of a second). Its ``render`` calls are serialised by its own lock."""
    with _RENDERER_LOCK:
        if not _RENDERER:
            _RENDERER.append(RenderProcess())
        return _RENDERER[0]


def render_articles(texts: tuple[ArticleText | ev.Panel, ...]) -> tuple[ev.Entry, ...]:
    """The entries with every article's body rendered (sanitised blocks) in the render
    process; an article whose text cannot be rendered stops the export with its sentence."""
    entries: list[ev.Entry] = []
    worker = renderer()  # the shared render process: started once, kept
    for text in texts:
        if not isinstance(text, ArticleText):
            entries.append(text)
            continue
        outcome = worker.render(text.body_md, 0, RENDER_DEADLINE_S)
        if outcome.result is None:
            raise ExportError(f"“{text.title[:60]}” could not be rendered "
                              f"({outcome.failure or 'unknown reason'}); nothing was "
                              "exported.")
        entries.append(ev.Article(
            id=text.article_id, title=text.title, body_html=outcome.result.body_html(),
            standfirst=text.standfirst, section=text.section, author=text.author,
            source_line=text.source_line, status=text.status,
            page_break_before=text.page_break_before))
    return tuple(entries)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def inputs_json(source: EditionSource, shown: dict[str, ev.Picture]) -> dict[str, Any]:
    articles, panels = [], []
    for t in source.texts:
        if isinstance(t, ArticleText):
            entry: dict[str, Any] = {k: v for k, v in t.__dict__.items()
                                     if k not in ("title", "standfirst", "body_md")}
            if t.revision_id is None:
                entry.update(title=t.title, standfirst=t.standfirst, body_md=t.body_md)
            articles.append({"kind": "article", **entry})
        else:
            panels.append({"kind": "panel", "panel_id": t.id, "key": t.key, "title": t.title,
                           "placement": t.placement, "page_break_before": t.page_break_before,
                           "lines": [{"title": ln.title, "summary": ln.summary,
                                      "item_date": ln.item_date.isoformat()
                                      if ln.item_date else None} for ln in t.lines]})
    order = [("article", t.article_id) if isinstance(t, ArticleText) else ("panel", t.id)
             for t in source.texts]
    return {"order": order, "articles": articles, "panels": panels,
            "layout_id": source.layout_id, "layout_version_id": source.layout_version_id,
            "images": {url: sha256(p.data) if p.data is not None else None
                       for url, p in shown.items()}}


def _text_again(session: Session, d: dict[str, Any]) -> ArticleText:
    title, standfirst, body = d.get("title"), d.get("standfirst"), d.get("body_md")
    if d.get("revision_id"):
        rev = session.get(Revision, d["revision_id"])
        if rev is None:
            raise ExportError("A revision this proof printed is no longer in the database; "
                              "it cannot be made again.")
        title, standfirst, body = rev.title, rev.standfirst, rev.body_md
    return ArticleText(str(d["article_id"]), d.get("revision_id"), str(title or ""),
                       str(standfirst or ""), str(body or ""), str(d.get("section", "")),
                       str(d.get("author", "")), str(d.get("source_line", "")),
                       str(d.get("status", "published")), bool(d.get("page_break_before")))


def source_again(session: Session, settings: dict[str, Any],
                 inputs: dict[str, Any]) -> EditionSource:
    """The source a proof recorded: the same revisions and panel lines, whatever changed."""
    articles = {a["article_id"]: _text_again(session, a) for a in inputs.get("articles", [])}
    panels = {p["panel_id"]: ev.Panel(
        p["panel_id"], p["key"], p["title"], tuple(ev.PanelLine(
            ln["title"], date.fromisoformat(ln["item_date"]) if ln.get("item_date") else None,
            ln.get("summary", "")) for ln in p.get("lines", [])),
        p.get("placement", ev.INLINE), bool(p.get("page_break_before")))
        for p in inputs.get("panels", [])}
    texts = tuple(articles[i] if kind == "article" else panels[i]
                  for kind, i in inputs.get("order", []))
    return EditionSource(settings_from_json(settings), texts, inputs.get("layout_id"),
                         inputs.get("layout_version_id"))


def load(store: Store, edition_id: str) -> tuple[EditionSource, dict[str, ev.Picture]]:
    with store.read_session() as s:
        source = read_source(s, edition_id)
        return source, pictures(s, source.texts)
