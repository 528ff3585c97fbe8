"""The site page: fills ``resources/site/page.html`` with an article, its comments and panels.

One template serves three places (DESIGN.md): the live preview, the HTML export and, with
``mode="print"``, the PDF export. The page is modelled on the magazine's site: a masthead with
the magazine's name and the section navigation, the article column (section label, title,
"Source: …" line, standfirst, body, comment box) and the sidebar panels in their order.

Safety: every string from the article, layout or comments is escaped here, comment bodies go
through ``sanitise_comment``, links are kept only for http(s), mailto and site-relative URLs,
and the template itself loads nothing from the network (system fonts only). ``body_html`` must
be the output of our own pipeline (``RenderResult.body_html()``: sanitised blocks); without it
the body is rendered here, in this process — use ``RenderProcess`` for text you do not trust
to render in time.

The body is ``<div id="pse-body">`` whose children are the blocks, each
``<div class="pse-block" data-block="ID" data-line="N">``, so the preview can patch blocks.
Services map ORM rows to the plain dataclasses below.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from string import Template
from urllib.parse import urlsplit

from pygments.formatters import HtmlFormatter

from pse_desk.paths import RESOURCES
from pse_desk.render.markdown import BlockRenderer
from pse_desk.render.sanitise import sanitise_comment

SITE_DIR = RESOURCES / "site"
SITE_CSS = "site.css"
PRINT_CSS = "print.css"
MODES = ("screen", "print")
NO_COMMENTS = "There are no comments. Why not be the first?"
_SAFE_SCHEMES = frozenset({"http", "https", "mailto", ""})
_PYGMENTS_STYLE = "friendly"


@dataclass(frozen=True)
class PageComment:
    """An approved comment; ``body_html`` is untrusted and sanitised when the page is made."""

    author: str
    body_html: str
    posted_at: datetime | None = None


@dataclass(frozen=True)
class PageArticle:
    title: str
    body_md: str = ""
    standfirst: str = ""
    section: str = ""
    source_line: str = ""  # "Source: PSE Jun/Jul 17" (the "Source: " prefix is added if absent)
    author: str = ""
    published_at: date | None = None
    comments: Sequence[PageComment] = ()
    allow_remote_images: bool = False


@dataclass(frozen=True)
class PagePanelItem:
    title: str
    url: str = ""
    item_date: date | None = None
    summary: str = ""


@dataclass(frozen=True)
class PagePanel:
    key: str
    title: str
    items: Sequence[PagePanelItem] = ()
    more_label: str = ""  # "more videos >"
    more_url: str = ""
    summary_chars: int | None = 150  # summaries are cut at a word boundary, as on the site
    item_more_label: str = "more >"


@dataclass(frozen=True)
class PageLayout:
    site_name: str = "PSE"
    site_title: str = "Public Sector Executive"
    tagline: str = "News and analysis for leaders across the public sector"
    sections: Sequence[tuple[str, str]] = ()  # (label, url) of the navigation
    sidebar: Sequence[PagePanel] = ()
    main: Sequence[PagePanel] = ()  # the main column's strip of panels below the article
    footer_panels: Sequence[PagePanel] = ()
    footer: str = "PSE — Public Sector Executive"


DEFAULT_SECTIONS: tuple[tuple[str, str], ...] = tuple(
    (label, "/" + label.lower().replace(" & ", "-").replace(" ", "-")) for label in (
        "News", "Service Transformation", "Health & Care", "Finance", "Devolution", "Digital",
        "Workforce", "Housing", "Events"))


# The regions a page can hold panels in, in page order (the order de-duplication reads them:
# the sidebar stands beside the article from the top, the strip comes below the comments, the
# footer last), each with its template placeholder and its name for people.
REGIONS: tuple[tuple[str, str, str], ...] = (
    ("sidebar", "sidebar", "Sidebar"),
    ("main", "main_panels", "Main column strip"),
    ("footer", "footer_panels", "Footer"),
)


def template_regions() -> tuple[str, ...]:
    """The regions the site template really has (those whose placeholder it holds), in page
    order. A layout's panel in any other region is not shown on the page."""
    text = _template().template
    return tuple(name for name, slot, _label in REGIONS
                 if f"${slot}" in text or f"${{{slot}}}" in text)


def region_label(region: str) -> str:
    """"Sidebar", "Main column strip", "Footer"; an unknown region by its own name."""
    return next((label for name, _slot, label in REGIONS if name == region), region)


def default_layout() -> PageLayout:
    """The masthead and navigation with no panels (the CLI and tests use it)."""
    return PageLayout(sections=DEFAULT_SECTIONS, sidebar=(), main=())


# --- resources ---------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def _template() -> Template:
    return Template((SITE_DIR / "page.html").read_text(encoding="utf-8"))


@lru_cache(maxsize=4)
def stylesheet_text(name: str) -> str:
    """The text of ``site.css`` (with the Pygments classes appended) or ``print.css``; this is
    what a preview serves under those names beside the page."""
    if name not in (SITE_CSS, PRINT_CSS):
        raise ValueError(f"unknown stylesheet {name!r}")
    text = (SITE_DIR / name).read_text(encoding="utf-8")
    if name == SITE_CSS:
        pygments_css = HtmlFormatter(style=_PYGMENTS_STYLE).get_style_defs(".codehilite")
        text += "\n/* code highlighting (Pygments) */\n" + pygments_css + "\n"
    return text


# --- small pieces ------------------------------------------------------------------------------

def _e(text: str) -> str:
    return html.escape(text, quote=True)


def safe_href(url: str) -> str | None:
    """``url`` if it is safe as a link (http, https, mailto, site-relative or a fragment)."""
    url = url.strip()
    if not url or any(ord(c) < 32 for c in url):
        return None
    try:
        scheme = urlsplit(url).scheme.lower()
    except ValueError:
        return None
    return url if scheme in _SAFE_SCHEMES else None


def _link(text_html: str, url: str, css_class: str) -> str:
    href = safe_href(url)
    if href is None:
        return f'<span class="{css_class}">{text_html}</span>'
    return f'<a class="{css_class}" href="{_e(href)}">{text_html}</a>'


def format_date(value: date | None) -> str:
    """dd/mm/yyyy, as the site shows dates."""
    return value.strftime("%d/%m/%Y") if value is not None else ""


def _shorten(text: str, limit: int | None) -> str:
    text = " ".join(text.split())
    if limit is None or len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut.rstrip(",;:.") + "..."


def _panel_item(item: PagePanelItem, panel: PagePanel) -> str:
    parts = ['<li class="pse-panel-item">']
    if item.item_date is not None:
        parts.append(f'<span class="pse-item-date">{format_date(item.item_date)}</span>')
    parts.append(_link(_e(item.title), item.url, "pse-item-title"))
    if item.summary:
        more = ""
        if safe_href(item.url) and panel.item_more_label:
            more = " " + _link(_e(panel.item_more_label), item.url, "pse-more")
        summary = _e(_shorten(item.summary, panel.summary_chars))
        parts.append(f'<p class="pse-item-summary">{summary}{more}</p>')
    parts.append("</li>")
    return "".join(parts)


def render_panel(panel: PagePanel) -> str:
    """One panel: title, items (date, title, summary, "more >") and its "more …" link."""
    items = "".join(_panel_item(item, panel) for item in panel.items)
    more = ""
    if panel.more_label:
        link = _link(_e(panel.more_label), panel.more_url, "pse-more")
        more = f'<p class="pse-panel-more">{link}</p>'
    return (f'<section class="pse-panel pse-panel-{_e(panel.key)}" data-panel="{_e(panel.key)}">'
            f'<h2 class="pse-panel-title">{_e(panel.title)}</h2>'
            f'<ul class="pse-panel-items">{items}</ul>{more}</section>')


def render_comments(comments: Sequence[PageComment]) -> str:
    """The comment box: the count (or the site's invitation), approved comments, the form."""
    if not comments:
        heading = f'<h2>Comments</h2><p class="pse-no-comments">{_e(NO_COMMENTS)}</p>'
        listing = ""
    else:
        count = len(comments)
        heading = f"<h2>{count} comment{'s' if count != 1 else ''}</h2>"
        items = []
        for comment in comments:
            when = ""
            if comment.posted_at is not None:
                when = f" <time>{_e(comment.posted_at.strftime('%d/%m/%Y %H:%M'))}</time>"
            items.append(
                f'<li class="pse-comment"><p class="pse-comment-meta">'
                f'<span class="pse-comment-author">{_e(comment.author)}</span>{when}</p>'
                f'<div class="pse-comment-body">{sanitise_comment(comment.body_html)}</div></li>')
        listing = f'<ol class="pse-comment-list">{"".join(items)}</ol>'
    form = ('<div class="pse-comment-form"><h3>Add your comment</h3>'
            '<div class="pse-comment-box" aria-hidden="true"></div></div>')
    return heading + listing + form


def _styles(mode: str, inline: bool) -> str:
    names = [SITE_CSS] + ([PRINT_CSS] if mode == "print" else [])
    if inline:
        return "\n".join(f"<style>\n{stylesheet_text(n)}</style>" for n in names)
    return "\n".join(f'<link rel="stylesheet" href="{n}">' for n in names)


def _security(inline: bool, allow_remote_images: bool) -> str:
    """A Content-Security-Policy for self-contained pages: nothing runs, nothing remote loads
    (except https images when the article allows them)."""
    if not inline:
        return ""
    images = "data:" + (" https:" if allow_remote_images else "")
    policy = (f"default-src 'none'; img-src {images}; style-src 'unsafe-inline'; "
              "font-src data:; form-action 'none'; base-uri 'none'")
    return f'<meta http-equiv="Content-Security-Policy" content="{policy}">'


def _source_line(source: str, author: str) -> str:
    parts = [_e(source)] if source else []
    if author.strip():
        parts.append(f'<span class="pse-author">By {_e(author.strip())}</span>')
    return f'<p class="pse-source">{" · ".join(parts)}</p>' if parts else ""


def _body(article: PageArticle) -> str:
    result = BlockRenderer().render(article.body_md,
                                    allow_remote_images=article.allow_remote_images)
    return result.body_html()


def render_page(article: PageArticle, layout: PageLayout, *, body_html: str | None = None,
                mode: str = "screen", base_css_inline: bool = False) -> str:
    """The whole site page for ``article`` (see the module docstring)."""
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}, not {mode!r}")
    source = article.source_line.strip()
    if source and not source.lower().startswith("source:"):
        source = "Source: " + source
    nav = "".join(f"<li>{_link(_e(label), url, 'pse-nav-link')}</li>"
                  for label, url in layout.sections)
    return _template().substitute(
        security=_security(base_css_inline, article.allow_remote_images),
        page_title=_e(f"{article.title} — {layout.site_name}" if article.title
                      else layout.site_title),
        styles=_styles(mode, base_css_inline),
        mode=mode,
        site_name=_e(layout.site_name),
        site_title=_e(layout.site_title),
        tagline=_e(layout.tagline),
        nav=nav,
        section=_e(article.section),
        title=_e(article.title),
        source=_source_line(source, article.author),
        standfirst=(f'<p class="pse-standfirst">{_e(article.standfirst)}</p>'
                    if article.standfirst else ""),
        body=body_html if body_html is not None else _body(article),
        comments=render_comments(article.comments),
        main_panels="\n".join(render_panel(p) for p in layout.main),
        sidebar="\n".join(render_panel(p) for p in layout.sidebar),
        footer_panels="\n".join(render_panel(p) for p in layout.footer_panels),
        footer=_e(layout.footer),
    )
