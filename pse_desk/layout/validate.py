"""What is wrong with a panel, in sentences: warnings on stored panels (never an exception, so a
panel synced in from another desk in any state still shows), and refusals of bad input before it
is saved.

Warnings say what the page does about the problem ("… it is not shown", "… shows 50"), so a
person knows both the cause and its effect. Refusals are one sentence each, for the dialog that
asked.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Mapping, Sequence
from datetime import datetime
from urllib.parse import urlsplit

from pse_desk.layout.pins import ends_before_start, is_live, overlap_of, overlapping_pairs
from pse_desk.layout.values import (
    LATEST,
    LINKS,
    MAX_ITEMS,
    MAX_SUMMARY_CHARS,
    MAX_TITLE_CHARS,
    MIN_ITEMS,
    SOURCE_KINDS,
    ArticleFacts,
    Item,
    Panel,
    Source,
    Vocabulary,
    Warning,
)
from pse_desk.layout.wording import count, item_name, moment, plural, quoted, source_text

SAFE_SCHEMES = ("http", "https", "mailto")
MAX_KEY_CHARS = 40
_STRIPPED = re.compile(r"[\t\n\r]")  # browsers drop these inside an address ("java\tscript:")


def safe_url(url: str) -> bool:
    """Whether a page may link to ``url``: a web or mail address, or a path on the site
    ("/news/…"). ``javascript:``, ``data:``, protocol-relative ("//host") and anything with
    control characters are not."""
    text = _STRIPPED.sub("", url).strip()
    if not text or any(unicodedata.category(c) in ("Cc", "Cf") for c in text):
        return False
    if text.startswith("/"):
        return not text.startswith("//") and "\\" not in text[:2]
    try:
        parts = urlsplit(text)
    except ValueError:  # an unbalanced "[" in the host, say
        return False
    if parts.scheme.lower() not in SAFE_SCHEMES:
        return False
    return parts.scheme.lower() == "mailto" or bool(parts.netloc)


def _shown_url(url: str) -> str:
    return quoted(url, 40)


# --- refusals: input checked before it is saved ---------------------------------------------

def _too_long(what: str, text: str, limit: int) -> str | None:
    if len(text) <= limit:
        return None
    return f"{what} can be at most {count(limit)} characters; this one has {count(len(text))}."


def pin_refusal(pinned_from: datetime | None, pinned_until: datetime | None) -> str | None:
    if pinned_from is not None and pinned_until is not None and pinned_until <= pinned_from:
        return (f"The pin would end ({moment(pinned_until)}) before it starts "
                f"({moment(pinned_from)}); pick an end after the start.")
    return None


def item_refusal(title: str, url: str, summary: str, pinned: bool,
                 pinned_from: datetime | None, pinned_until: datetime | None,
                 is_link: bool) -> str | None:
    """Why an item (``is_link``: an external link; else an article) cannot be saved, or None."""
    refusal = _too_long("A title", title, MAX_TITLE_CHARS) or _too_long(
        "A summary", summary, MAX_SUMMARY_CHARS)
    if refusal is None and is_link:
        if not url.strip():
            refusal = "A link needs an address (https://…)."
        elif len(url) > 2000:
            refusal = _too_long("An address", url, 2000)
        elif not safe_url(url):
            refusal = (f"{_shown_url(url)} cannot be linked: use a web address (http:// or "
                       "https://), a mail address (mailto:) or a path on the site (/news/…).")
        elif not title.strip():
            refusal = "A link needs a title, which the panel shows."
    if refusal is None and pinned:
        refusal = pin_refusal(pinned_from, pinned_until)
    return refusal


def panel_refusal(title: str, item_count: int, source: Source) -> str | None:
    """Why a panel with these settings cannot be saved, or None."""
    if not title.strip():
        return "A panel needs a title, which the page shows above it."
    refusal = _too_long("A panel's title", title, MAX_TITLE_CHARS)
    if refusal is None and not MIN_ITEMS <= item_count <= MAX_ITEMS:
        refusal = (f"A panel shows {MIN_ITEMS} to {MAX_ITEMS} items; "
                   f"{count(item_count)} is out of range.")
    if refusal is None and source.kind not in SOURCE_KINDS:
        refusal = f"{quoted(source.kind)} is not a source a panel can have."
    if refusal is None:
        names = [*source.sections, *source.tags, source.author]
        refusal = next((_too_long("A section, tag or author", n, 120) for n in names
                        if len(n) > 120), None)
    return refusal


def unique_key(title: str, taken: Collection[str]) -> str:
    """A key for a new panel: its title as lowercase ASCII words joined by "_", cut to 40
    characters, with "_2", "_3" … when the layout already has it; "panel" for a title with no
    letters or digits."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    base = "_".join(re.findall(r"[a-z0-9]+", ascii_title.lower()))[:MAX_KEY_CHARS].strip("_")
    base = base or "panel"
    if base not in taken:
        return base
    n = 2
    while f"{base}_{n}" in taken:
        n += 1
    return f"{base}_{n}"


# --- warnings: what is wrong with a stored panel ---------------------------------------------

def _warn(code: str, message: str, panel: Panel, item: Item | None = None) -> Warning:
    return Warning(code, message, panel.id, item.id if item is not None else None)


def _setting_warnings(panel: Panel, regions: Sequence[str]) -> list[Warning]:
    found = []
    if panel.region not in regions:
        found.append(_warn("unplaced", (
            f"This panel's region {quoted(panel.region)} is not on the page any more; the "
            "panel waits in the Unplaced tray until you move it to a region."), panel))
    if not MIN_ITEMS <= panel.item_count <= MAX_ITEMS:
        shows = max(MIN_ITEMS, min(MAX_ITEMS, panel.item_count))
        found.append(_warn("count_range", (
            f"It is set to show {plural(panel.item_count, 'item')}, outside {MIN_ITEMS} to "
            f"{MAX_ITEMS}; it shows at most {count(shows)}."), panel))
    if panel.source.kind not in SOURCE_KINDS:
        found.append(_warn("unknown_source", (
            f"Its source {quoted(panel.source.kind)} is not one this desk knows (a newer desk "
            "may have set it); it shows only its pinned items."), panel))
    if len(panel.title) > MAX_TITLE_CHARS:
        found.append(_warn("long_text", (
            f"Its title has {count(len(panel.title))} characters; the page shows the first "
            f"{count(MAX_TITLE_CHARS)}."), panel))
    if panel.more_url and not safe_url(panel.more_url):
        found.append(_warn("unsafe_link", (
            f"Its “more” address {_shown_url(panel.more_url)} cannot be linked safely; the "
            "page shows the text without a link."), panel))
    return found


def _missing(names: Sequence[str], known: frozenset[str], casefold: bool = False) -> list[str]:
    wanted = {n.casefold() for n in known} if casefold else known
    return [n for n in names if (n.casefold() if casefold else n) not in wanted]


def _source_warnings(panel: Panel, vocabulary: Vocabulary | None,
                     matched: int | None) -> list[Warning]:
    source = panel.source
    if source.kind != LATEST:
        return []
    if vocabulary is not None:
        unknown = [*(f"section {quoted(n)}" for n in _missing(source.sections,
                                                              vocabulary.sections)),
                   *(f"tag {quoted(n)}" for n in _missing(source.tags, vocabulary.tags)),
                   *(f"author {quoted(n)}" for n in _missing(
                       [source.author.strip()] if source.author.strip() else [],
                       vocabulary.authors, casefold=True))]
        named = len(source.sections) + len(source.tags) + bool(source.author.strip())
        if unknown and len(unknown) == named:
            return [_warn("no_match", (
                f"No article has the {' or '.join(unknown)}, so it matches nothing; check "
                "the spelling or pick another."), panel)]
        if unknown:
            return [_warn("no_match", (
                f"No article has the {' or '.join(unknown)}; that part of the source matches "
                "nothing."), panel)]
    if matched == 0:
        return [_warn("no_match", (
            f"No published article matches its source ({source_text(source)}) at this "
            "moment."), panel)]
    return []


def _item_warnings(panel: Panel, articles: Mapping[str, ArticleFacts],
                   at: datetime) -> list[Warning]:
    found = []
    for item in panel.items:
        what = "pinned article" if item.pinned else "article"
        if item.article_id is not None:
            facts = articles.get(item.article_id)
            if facts is None or facts.deleted:
                name = facts.title if facts is not None else item.title or "(a deleted article)"
                found.append(_warn("article_gone", (
                    f"The {what} {quoted(name)} was deleted; it is not shown. Remove it from "
                    "the panel or restore the article."), panel, item))
            elif not facts.published:
                found.append(_warn("article_unpublished", (
                    f"The {what} {quoted(facts.title)} is not published; it is not shown "
                    "until it is."), panel, item))
        elif not safe_url(item.url):
            found.append(_warn("unsafe_link", (
                f"The link {quoted(item_name(item, None))} has an address that cannot be "
                f"linked safely ({_shown_url(item.url)}); it is shown without a link."),
                panel, item))
        if len(item.title) > MAX_TITLE_CHARS or len(item.summary) > MAX_SUMMARY_CHARS:
            found.append(_warn("long_text", (
                f"The item {quoted(item_name(item, None))} is longer than the page shows; it "
                f"is cut to {count(MAX_TITLE_CHARS)} characters of title and "
                f"{count(MAX_SUMMARY_CHARS)} of summary."), panel, item))
        if item.pinned and ends_before_start(item):
            assert item.pinned_from is not None and item.pinned_until is not None
            found.append(_warn("pin_backwards", (
                f"The pin on {quoted(_title_of(item, articles))} ends "
                f"({moment(item.pinned_until)}) before it starts ({moment(item.pinned_from)}), "
                "so it is never shown."), panel, item))
    return found


def _title_of(item: Item, articles: Mapping[str, ArticleFacts]) -> str:
    facts = articles.get(item.article_id) if item.article_id else None
    return item_name(item, facts.title if facts is not None else None)


def _overlap_warnings(panel: Panel, articles: Mapping[str, ArticleFacts],
                      at: datetime) -> list[Warning]:
    pins = sorted((i for i in panel.items if i.pinned), key=lambda i: (i.rank, i.id))
    found = []
    for first, second in overlapping_pairs(pins, at):
        start, end = overlap_of(first, second)
        when = (f"from {moment(start)}" if start else "from now") + (
            f" to {moment(end)}" if end else " on")
        found.append(_warn("pin_overlap", (
            f"The pins on {quoted(_title_of(first, articles))} and "
            f"{quoted(_title_of(second, articles))} overlap {when}; both are on top then, "
            f"{quoted(_title_of(first, articles))} first."), panel, second))
        if len(found) >= 20:  # enough to act on; a panel of thousands of pins says no more
            break
    return found


def panel_warnings(panel: Panel, regions: Sequence[str], articles: Mapping[str, ArticleFacts],
                   at: datetime, vocabulary: Vocabulary | None = None, *, shown: int | None = None,
                   matched: int | None = None, skipped: int = 0) -> list[Warning]:
    """Every warning of a stored panel. ``shown``: how many items it shows at ``at`` (for the
    "shows nothing" warning); ``matched``: how many articles its latest source matched;
    ``skipped``: how many it left out because panels higher on the page show them."""
    found = _setting_warnings(panel, regions)
    found += _source_warnings(panel, vocabulary, matched)
    found += _item_warnings(panel, articles, at)
    found += _overlap_warnings(panel, articles, at)
    if panel.enabled and shown == 0:
        why = ("add links" if panel.source.kind == LINKS else
               "pick articles" if panel.source.kind != LATEST else "widen its source")
        if skipped:
            why = (f"its {plural(skipped, 'article')} {'is' if skipped == 1 else 'are'} "
                   "already shown higher on the page; untick de-duplication, move it up, "
                   + why)
        pending = [i for i in panel.items if i.pinned and not is_live(i, at)
                   and not ends_before_start(i)]
        later = (f"; {plural(len(pending), 'pin')} will show later" if pending else "")
        found.append(_warn("empty", (
            f"This panel is enabled but shows nothing at {moment(at)}{later}: {why}, or "
            "disable it."), panel))
    return found


def describe(warnings: Sequence[Warning]) -> str:
    """Warnings as one text (a tooltip)."""
    return "\n".join(w.message for w in warnings)

