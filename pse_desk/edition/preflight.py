"""Preflight of an edition before it is rendered: plain functions over ``values.Content``, each
returning findings a person can act on (what, where, and what to do).

``preflight(content)`` runs them all. Errors are what makes a proof wrong (no articles, a
missing or damaged image, a glyph the fonts lack, a headline that cannot fit); warnings what a
printer or an editor would question (a picture below 300 dpi, an article still in draft, an
empty panel, a long headline); notes what the export does by itself (an RGB picture is
converted to CMYK for print).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from pse_desk.edition import fonts
from pse_desk.edition.images import (
    MIN_DPI,
    ImageFacts,
    ImageUnreadable,
    dpi_at,
    inspect_image,
    printed_width_mm,
)
from pse_desk.edition.values import (
    ERROR,
    NOTE,
    WARNING,
    Article,
    Content,
    Finding,
)

TITLE_PT = 22.0  # .pse-title's size in edition.css
AVERAGE_CHAR_EM = 0.52  # Liberation Sans Bold, mixed-case English text
HEADLINE_WARN_LINES = 4
HEADLINE_MAX_LINES = 10  # more lines than this leave no room for the article on its page


def _quoted(title: str, limit: int = 60) -> str:
    title = " ".join(title.split()) or "(untitled)"
    return f"“{title[:limit]}…”" if len(title) > limit else f"“{title}”"


def no_articles(content: Content) -> Iterator[Finding]:
    if not content.articles:
        yield Finding("no_articles", ERROR, "The edition has no articles: add at least one "
                                            "before exporting it.")


def drafts(content: Content) -> Iterator[Finding]:
    for a in content.articles:
        if a.status == "draft":
            yield Finding("article_draft", WARNING, f"{_quoted(a.title)} is still a draft: "
                          "mark it ready or take it out of the edition.", article_id=a.id)


def empty_panels(content: Content) -> Iterator[Finding]:
    for p in content.panels:
        if not p.lines:
            yield Finding("panel_empty", WARNING, f"The panel “{p.title}” has nothing to show "
                          "and prints as a heading alone: fill it or leave it out.",
                          panel_id=p.id)


def headline_lines(title: str, column_mm: float) -> float:
    chars_per_line = column_mm / (TITLE_PT * 25.4 / 72 * AVERAGE_CHAR_EM)
    return len(" ".join(title.split())) / chars_per_line


def headlines(content: Content) -> Iterator[Finding]:
    column = content.settings.column_mm
    for a in content.articles:
        lines = headline_lines(a.title, column)
        if lines > HEADLINE_MAX_LINES:
            yield Finding("headline_too_long", ERROR, f"The headline {_quoted(a.title)} runs to "
                          f"about {lines:.0f} lines and will not fit above its article: "
                          "shorten it.", article_id=a.id)
        elif lines > HEADLINE_WARN_LINES:
            yield Finding("headline_long", WARNING, f"The headline {_quoted(a.title)} runs to "
                          f"about {lines:.0f} lines: consider a shorter one.", article_id=a.id)


def _glyphs(where: str, text: str, font_file: str, *, article_id: str | None = None,
            panel_id: str | None = None) -> Iterator[Finding]:
    missing = fonts.missing_in(text, font_file)
    if missing:
        yield Finding("glyph_missing", ERROR, f"{where} uses characters the print fonts "
                      f"lack ({fonts.describe(missing)}): they would print in another font or "
                      "as boxes; replace them.", article_id=article_id, panel_id=panel_id)


def glyphs(content: Content) -> Iterator[Finding]:
    yield from _glyphs(f"The edition title {_quoted(content.settings.title)}",
                       content.settings.title, fonts.SANS)
    for a in content.articles:
        prose, code = fonts.body_text(a.body_html)
        yield from _glyphs(f"The headline of {_quoted(a.title)}", a.title + a.section,
                           fonts.SANS, article_id=a.id)
        yield from _glyphs(f"The text of {_quoted(a.title)}", a.standfirst + prose,
                           fonts.SERIF, article_id=a.id)
        yield from _glyphs(f"The code in {_quoted(a.title)}", code, fonts.MONO,
                           article_id=a.id)
    for p in content.panels:
        text = p.title + "".join(line.title + line.summary for line in p.lines)
        yield from _glyphs(f"The panel “{p.title}”", text, fonts.SANS, panel_id=p.id)


def _image_findings(url: str, article: Article | None, facts: ImageFacts,
                    content: Content) -> Iterator[Finding]:
    refs = {"image": url, "article_id": article.id if article else None}
    where = f" in {_quoted(article.title)}" if article else ""
    dpi = dpi_at(facts, printed_width_mm(facts, content.settings))
    if dpi < MIN_DPI:
        yield Finding("image_low_dpi", WARNING, f"A picture{where} prints at {dpi:.0f} dpi "
                      f"({facts.width}×{facts.height} pixels), below the {MIN_DPI} dpi print "
                      "needs: use a larger original.", **refs)  # type: ignore[arg-type]
    if facts.is_rgb:
        yield Finding("image_rgb", NOTE, f"A picture{where} is RGB: it is converted to CMYK "
                      "with the print profile.", **refs)  # type: ignore[arg-type]


def images(content: Content) -> Iterator[Finding]:
    by_id = {a.id: a for a in content.articles}
    for url, picture in content.pictures.items():
        article = by_id.get(picture.article_id)
        where = f" in {_quoted(article.title)}" if article else ""
        refs = {"image": url, "article_id": article.id if article else None}
        if picture.data is None:
            yield Finding("image_missing", ERROR, f"A picture{where} ({url}) is not in the "
                          "database: its alt text prints instead; insert it again.",
                          **refs)  # type: ignore[arg-type]
            continue
        try:
            facts = inspect_image(picture.data)
        except ImageUnreadable as exc:
            yield Finding("image_corrupt", ERROR, f"A picture{where} ({url}) cannot be read "
                          f"({exc}): its alt text prints instead; insert it again.",
                          **refs)  # type: ignore[arg-type]
            continue
        yield from _image_findings(url, article, facts, content)


CHECKS: tuple[Callable[[Content], Iterator[Finding]], ...] = (
    no_articles, drafts, empty_panels, headlines, glyphs, images)
_ORDER = {ERROR: 0, WARNING: 1, NOTE: 2}


def preflight(content: Content) -> list[Finding]:
    """Every finding, errors first, each kind in the edition's order."""
    found = [f for check in CHECKS for f in check(content)]
    return sorted(found, key=lambda f: _ORDER.get(f.severity, 3))


