"""The edition's print HTML: cover, table of contents, articles and panels in print order.

One HTML document and one stylesheet (``resources/edition/edition.css``, filled in here): page
size plus bleed, crop and cross marks (WeasyPrint's ``bleed`` and ``marks``), running heads
with the edition title and the article's section, page numbers from ``counter(page)``, a table
of contents with ``target-counter``. The article parts keep the site page's class names, so the
printed article looks like the site's print stylesheet. Every string is escaped here; bodies
are our render pipeline's sanitised HTML, and their ``pse-asset:`` images are replaced by the
sources the caller prepared (a converted file for the PDF, a ``data:`` URI for the HTML file),
or by their alt text when there is none.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from string import Template

from pse_desk.edition.values import HTML, PDF_X4, Article, Content, Panel, Settings
from pse_desk.paths import RESOURCES

EDITION_CSS = RESOURCES / "edition" / "edition.css"
FONTS_DIR = RESOURCES / "fonts"
CMYK_PROFILE = RESOURCES / "icc" / "artifex-cmyk-swop.icc"

# family, weight, style, file: the shipped Liberation fonts (SIL OFL 1.1, resources/fonts)
FONT_FACES: tuple[tuple[str, str, str, str], ...] = (
    ("PSE Serif", "normal", "normal", "LiberationSerif-Regular.ttf"),
    ("PSE Serif", "bold", "normal", "LiberationSerif-Bold.ttf"),
    ("PSE Serif", "normal", "italic", "LiberationSerif-Italic.ttf"),
    ("PSE Serif", "bold", "italic", "LiberationSerif-BoldItalic.ttf"),
    ("PSE Sans", "normal", "normal", "LiberationSans-Regular.ttf"),
    ("PSE Sans", "bold", "normal", "LiberationSans-Bold.ttf"),
    ("PSE Mono", "normal", "normal", "LiberationMono-Regular.ttf"),
)
# The palette in CMYK (0–1); sRGB values are derived from it for PDF/A and HTML.
PALETTE: dict[str, tuple[float, float, float, float]] = {
    "ink": (0.0, 0.0, 0.0, 1.0),
    "muted": (0.0, 0.0, 0.0, 0.65),
    "rule": (0.0, 0.0, 0.0, 0.2),
    "wash": (0.0, 0.0, 0.0, 0.05),
    "paper": (0.0, 0.0, 0.0, 0.0),
    "navy": (1.0, 0.75, 0.0, 0.55),
    "accent": (0.0, 1.0, 0.85, 0.15),
}
_IMG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_ATTR = re.compile(r'\b(src|alt)="([^"]*)"', re.IGNORECASE)


@dataclass(frozen=True)
class PrintedPicture:
    """What an image becomes on the page: its source and its printed width."""

    src: str
    width_mm: float


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def css_string(text: str) -> str:
    """``text`` as a CSS string literal (quotes, backslashes and line ends escaped)."""
    cleaned = " ".join(text.split())
    return '"' + cleaned.replace("\\", "\\\\").replace('"', '\\"') + '"'


def cmyk_to_rgb(c: float, m: float, y: float, k: float) -> tuple[int, int, int]:
    """The naive conversion (no profile): good enough for the screen and for PDF/A."""
    return tuple(round(255 * (1 - v) * (1 - k)) for v in (c, m, y))  # type: ignore[return-value]


def palette_css(variant: str) -> str:
    lines = []
    for name, cmyk in PALETTE.items():
        if variant == PDF_X4:
            value = "device-cmyk({})".format(" ".join(f"{v:g}" for v in cmyk))
        else:
            value = "rgb({} {} {})".format(*cmyk_to_rgb(*cmyk))
        lines.append(f"  --{name}: {value};")
    return "\n".join(lines)


def inline_font_faces_css(text: str, fonts_dir: Path = FONTS_DIR) -> str:
    """@font-face rules with the shipped fonts inside, each cut down (fontTools) to the
    characters of ``text``: the standalone HTML file loads nothing, and still sets in the
    edition's own type. A font that cannot be read or cut is named by its system name."""
    import base64
    import io

    from fontTools import subset

    wanted = sorted({ord(c) for c in text} | set(range(0x20, 0x7F)))
    rules = []
    for family, weight, style, name in FONT_FACES:
        options = subset.Options()
        options.layout_features = ["*"]
        options.notdef_outline = True
        try:
            font = subset.load_font(str(fonts_dir / name), options)
            cutter = subset.Subsetter(options)
            cutter.populate(unicodes=wanted)
            cutter.subset(font)
            out = io.BytesIO()
            subset.save_font(font, out, options)
        except (OSError, ValueError, KeyError, AssertionError):
            source = f'local("{name.rsplit(".", 1)[0]}")'
        else:
            source = f'url("data:font/ttf;base64,{base64.b64encode(out.getvalue()).decode()}")'
        rules.append(f'@font-face {{ font-family: "{family}"; font-weight: {weight}; '
                     f"font-style: {style}; src: {source}; }}")
    return "\n".join(rules)


def font_faces_css(fonts_dir: Path | None) -> str:
    """@font-face rules for the shipped fonts (none when ``fonts_dir`` is None: the HTML file
    loads nothing, so it names the families with system fallbacks)."""
    if fonts_dir is None:
        return ('@font-face { font-family: "PSE Serif"; src: local("Liberation Serif"), '
                'local("Times New Roman"); }\n'
                '@font-face { font-family: "PSE Sans"; src: local("Liberation Sans"), '
                'local("Arial"); }\n'
                '@font-face { font-family: "PSE Mono"; src: local("Liberation Mono"), '
                'local("Courier New"); }')
    return "\n".join(
        f'@font-face {{ font-family: "{family}"; font-weight: {weight}; font-style: {style}; '
        f'src: url("{(fonts_dir / name).resolve().as_uri()}"); }}'
        for family, weight, style, name in FONT_FACES)


@lru_cache(maxsize=1)
def _stylesheet() -> Template:
    return Template(EDITION_CSS.read_text(encoding="utf-8"))


def stylesheet(settings: Settings, variant: str, *, fonts_dir: Path | None = FONTS_DIR,
               profile: Path = CMYK_PROFILE) -> str:
    marks = " ".join(m for m, on in (("crop", settings.crop_marks),
                                     ("cross", settings.cross_marks)) if on) or "none"
    top, side, bottom = settings.margins_mm
    color_profile = ""
    if variant == PDF_X4:
        color_profile = (f'@color-profile device-cmyk {{ src: url("{profile.resolve().as_uri()}");'
                         " components: c, m, y, k; }")
    return _stylesheet().substitute(
        color_profile=color_profile, font_faces=font_faces_css(fonts_dir),
        palette=palette_css(variant), page_size=settings.page_size
        if settings.page_size in ("A4", "A5") else "A4",
        bleed=f"{settings.bleed:g}", marks=marks, margin_top=f"{top:g}",
        margin_side=f"{side:g}", margin_bottom=f"{bottom:g}",
        running_title=css_string(running_title(settings)))


def running_title(settings: Settings) -> str:
    parts = [settings.title]
    if settings.issue_number is not None:
        parts.append(f"Issue {settings.issue_number}")
    return " · ".join(p for p in parts if p)


def issue_line(settings: Settings) -> str:
    parts = []
    if settings.issue_number is not None:
        parts.append(f"Issue {settings.issue_number}")
    if settings.issue_date is not None:
        parts.append(settings.issue_date.strftime("%B %Y"))
    return " · ".join(parts)


def _picture(tag: str, pictures: Mapping[str, PrintedPicture]) -> str:
    attrs = {k.lower(): html.unescape(v) for k, v in _ATTR.findall(tag)}
    found = pictures.get(attrs.get("src", ""))
    alt = attrs.get("alt", "")
    if found is None:
        label = f"[image: {alt}]" if alt else "[image]"
        return f'<span class="pse-missing-image">{_e(label)}</span>'
    return (f'<img src="{_e(found.src)}" alt="{_e(alt)}" '
            f'style="width: {found.width_mm:.2f}mm">')


def body_with_pictures(body_html: str, pictures: Mapping[str, PrintedPicture]) -> str:
    return _IMG.sub(lambda m: _picture(m.group(0), pictures), body_html)


def anchor(article: Article) -> str:
    return "art-" + re.sub(r"[^A-Za-z0-9_-]", "-", article.id)


def _article(article: Article, pictures: Mapping[str, PrintedPicture]) -> str:
    source = article.source_line.strip()
    if source and not source.lower().startswith("source:"):
        source = "Source: " + source
    meta = [_e(source)] if source else []
    if article.author.strip():
        meta.append(f"By {_e(article.author.strip())}")
    parts = [f'<article class="pse-article{" ed-break" if article.page_break_before else ""}" '
             f'id="{anchor(article)}" data-article="{_e(article.id)}">',
             f'<p class="pse-section-label">{_e(article.section)}</p>',
             f'<h1 class="pse-title">{_e(article.title)}</h1>']
    if meta:
        parts.append(f'<p class="pse-source">{" · ".join(meta)}</p>')
    if article.standfirst:
        parts.append(f'<p class="pse-standfirst">{_e(article.standfirst)}</p>')
    parts.append(f'<div class="pse-body">{body_with_pictures(article.body_html, pictures)}'
                 "</div></article>")
    return "".join(parts)


def _panel(panel: Panel) -> str:
    lines = []
    for line in panel.lines:
        when = (f'<span class="ed-date">{line.item_date:%d/%m/%Y}</span>'
                if line.item_date else "")
        summary = f"<p>{_e(line.summary)}</p>" if line.summary else ""
        lines.append(f'<li>{when}<span class="ed-line-title">{_e(line.title)}</span>'
                     f"{summary}</li>")
    brk = " ed-break" if panel.page_break_before else ""
    return (f'<section class="ed-panel{brk}" data-panel="{_e(panel.id)}">'
            f"<h2>{_e(panel.title)}</h2><ul>{''.join(lines)}</ul></section>")


def _cover(content: Content) -> str:
    settings = content.settings
    toc = ""
    if settings.toc and content.articles:
        items = "".join(
            f'<li><a href="#{anchor(a)}"><span class="ed-toc-section">{_e(a.section)}</span>'
            f"{_e(a.title)}</a></li>" for a in content.articles)
        toc = f'<nav class="ed-toc"><h2>In this issue</h2><ol>{items}</ol></nav>'
    return ('<section class="ed-cover"><div class="ed-masthead"><span class="ed-logo">PSE'
            '</span><span class="ed-site">Public Sector Executive</span></div>'
            f'<h1 class="ed-title">{_e(settings.title)}</h1>'
            f'<p class="ed-issue">{_e(issue_line(settings))}</p>{toc}</section>')


def settings_text(settings: Settings) -> str:
    return f"{running_title(settings)} {issue_line(settings)}"


def compose_html(content: Content, variant: str,
                 pictures: Mapping[str, PrintedPicture] | None = None, *,
                 fonts_dir: Path | None = FONTS_DIR, created: str = "") -> str:
    """The whole edition as one HTML document for ``variant`` (pdf/x-4, pdf/a-2b or html).

    ``created`` (ISO 8601) fixes the PDF's dates, so a proof made again matches its first."""
    shown = pictures or {}
    body = [_cover(content)]
    for entry in content.ordered():
        body.append(_article(entry, shown) if isinstance(entry, Article) else _panel(entry))
    dates = (f'<meta name="dcterms.created" content="{_e(created)}">'
             f'<meta name="dcterms.modified" content="{_e(created)}">') if created else ""
    security = ""
    if variant == HTML:
        security = ('<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
                    "img-src data:; style-src 'unsafe-inline'; font-src data:; "
                    "form-action 'none'; base-uri 'none'\">")
    css = stylesheet(content.settings, variant, fonts_dir=None if variant == HTML else fonts_dir)
    if variant == HTML:  # the fonts go inside the file, cut down to what it sets
        css = css.replace(font_faces_css(None), inline_font_faces_css(
            "".join(body) + settings_text(content.settings)))
    return ('<!DOCTYPE html>\n<html lang="en-GB"><head><meta charset="utf-8">'
            f"{security}<title>{_e(running_title(content.settings))}</title>{dates}"
            f'<style>\n{css}\n</style></head><body class="ed-edition">'
            + "\n".join(body) + "</body></html>")
