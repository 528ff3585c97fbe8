"""Markdown to HTML for the site: one full conversion, and an incremental block renderer.

``markdown_to_html(md)`` is one Python-Markdown conversion with the extensions a news site
needs (tables, fenced code, attribute lists, abbreviations, definition lists, footnotes, a
table of contents, sane lists, smart quotes, Pygments highlighting with CSS classes) plus
``data-line`` on top-level blocks. It does not sanitise: callers pass the result through
``sanitise_article``.

``BlockRenderer`` is what the live preview uses: the text is split into top-level blocks
(``split_blocks``; from one render to the next only around the change), each block is converted
on its own and its sanitised HTML is cached by its text, so a keystroke costs one block's
conversion whatever the length of the article.
``render(md)`` returns every block (id, first line, HTML) and which ids changed or went away
since the previous call, so the preview patches only those. A block's id is a hash of its text
(plus a counter for repeated texts): an edited block gets a new id, an unchanged one keeps it.

How blocks stay correct on their own:

* reference links: every ``[id]: url`` of the text is collected once; a block is rendered
  with the definitions of the labels it mentions appended, and its cache key includes them;
* footnotes: a block that refers to footnotes is rendered after stub definitions of every
  footnote label in document order, so its reference numbers match the whole document; the
  footnote list itself is one extra block at the end, made from all footnote definitions;
* abbreviations: the ``*[ABBR]: ...`` definitions whose abbreviation occurs in a block are
  appended to it;
* headings: ids come from the toc extension and are made unique across blocks afterwards
  (``intro``, ``intro_1`` …), as a full conversion would do; the outline lists them.

Known limits (honest list). A property test renders random mixes of paragraphs, lists, quotes,
fences, raw HTML, headings, tables, definition lists and links both ways and compares; what is
known to differ from one full conversion:

* ``[TOC]`` inside a block only lists that block's headings;
* a footnote referred to from two blocks gets the same ``fnref`` id in both, and the list has
  one backlink, to the first;
* a raw HTML block that is never closed swallows the rest of the text in a full conversion,
  but only its own block here; a raw HTML block used as the term of a definition list starts
  a list of its own here;
* a footnote or link definition written with no blank line before a construct that an earlier
  Python-Markdown block processor claims (a setext underline, a ``: definition``) may be read
  as a definition here but as text there;
* inside a block, elements carry no ``data-line`` of their own: the block container has it.

Text is normalised first (``normalise_text``): NUL and other control characters and lone
surrogates become U+FFFD, line ends become ``\\n``.
"""

from __future__ import annotations

import hashlib
import html
import re
import threading
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, replace
from typing import Any, NamedTuple

from markdown import Markdown
from markdown.extensions.toc import unique

from pse_desk.render.blocks import Block, IncrementalSplitter, split_blocks
from pse_desk.render.definitions import Definitions, bracketed_labels, collect_definitions
from pse_desk.render.extensions import DropFootnoteListExtension, SourceLineExtension
from pse_desk.render.sanitise import sanitise_article
from pse_desk.render.text import normalise_text

__all__ = [
    "Block",
    "BlockRenderer",
    "Heading",
    "RenderResult",
    "RenderedBlock",
    "markdown_to_html",
    "normalise_text",
    "split_blocks",
]

_HEADING_ID_IN_HTML = r'(<h[1-6][^>]*? id=")({})(")'
MAX_BLOCK_CHARS = 1_000_000
MAX_NESTING = 64
_PLAIN_PREVIEW_CHARS = 20_000
_STUB_END = "[pse-stub-end]: #"

EXTENSIONS: tuple[str, ...] = (
    "fenced_code", "footnotes", "attr_list", "def_list", "tables", "abbr", "md_in_html",
    "toc", "sane_lists", "smarty", "codehilite",
)
EXTENSION_CONFIGS: dict[str, dict[str, Any]] = {
    "codehilite": {"css_class": "codehilite", "noclasses": False, "guess_lang": False},
    "footnotes": {"USE_DEFINITION_ORDER": True},
    "tables": {"use_align_attribute": True},
    "toc": {"toc_depth": "1-6"},
}


def new_markdown(*, source_lines: bool = False, drop_footnote_list: bool = False) -> Markdown:
    """A Python-Markdown instance with our extensions (reuse it with ``reset()``)."""
    extensions: list[Any] = list(EXTENSIONS)
    if source_lines:
        extensions.append(SourceLineExtension())
    if drop_footnote_list:
        extensions.append(DropFootnoteListExtension())
    return Markdown(extensions=extensions, extension_configs=EXTENSION_CONFIGS,
                    output_format="html")


_local = threading.local()


def markdown_to_html(md: str) -> str:
    """One full conversion with ``data-line`` on top-level blocks; not sanitised."""
    converter: Markdown | None = getattr(_local, "full", None)
    if converter is None:
        converter = _local.full = new_markdown(source_lines=True)
    converter.reset()
    return str(converter.convert(normalise_text(md)))


def block_base_id(text: str) -> str:
    """The id of a block with this text (repeats of the same text get ``.1``, ``.2`` …)."""
    return "b" + hashlib.blake2b(text.encode("utf-8"), digest_size=8).hexdigest()


def source_blocks(md: str, splitter: IncrementalSplitter | None = None,
                  ) -> tuple[list[Block], Definitions]:
    """The blocks ``BlockRenderer`` renders, in order: those of ``split_blocks`` and, when the
    text defines footnotes, a last block holding all footnote definitions."""
    text = normalise_text(md)
    blocks = splitter.split(text) if splitter is not None else split_blocks(text)
    definitions = collect_definitions(blocks)
    if definitions.footnotes:
        # each definition follows a line that renders to nothing, so it is read mid-block as
        # in the text (a definition first in a block could be read as a setext heading)
        text = "\n\n".join(_STUB_END + "\n" + definitions.footnotes[label]
                             for label in definitions.footnote_order)
        blocks.append(Block(text, definitions.footnote_line))
    return blocks, definitions


@dataclass(frozen=True, slots=True)
class Heading:
    level: int
    text: str
    id: str
    line: int


class RenderedBlock(NamedTuple):
    """One block of a render: its id, first source line and sanitised HTML."""

    id: str
    line: int
    html: str


@dataclass(frozen=True)
class RenderResult:
    """Every block in order, what changed since the previous render, outline and problems."""

    blocks: tuple[RenderedBlock, ...]
    changed: frozenset[str]
    removed: frozenset[str]
    outline: tuple[Heading, ...] = ()
    problems: tuple[str, ...] = ()

    def body_html(self) -> str:
        """The children of ``<div id="pse-body">``: one container per block."""
        return "".join(block_container(b) for b in self.blocks)


def block_container(block: RenderedBlock) -> str:
    return (f'<div class="pse-block" data-block="{block.id}" data-line="{block.line}">'
            f"{block.html}</div>")


@dataclass(frozen=True, slots=True)
class _Rendered:
    html: str
    headings: tuple[tuple[int, str, str], ...]  # level, text, id
    problem: str | None = None  # "too large", "too deeply nested" …


@dataclass(slots=True)
class _BlockInfo:
    base_id: str
    labels: frozenset[str]
    footnote_refs: bool


ProgressCallback = Callable[[int, int], None]


class BlockRenderer:
    """Renders Markdown block by block with a cache of sanitised block HTML.

    The cache holds at least every block of the latest render; when it grows past
    ``cache_size`` (or twice the document) it keeps only those.
    """

    def __init__(self, *, sanitise: bool = True, cache_size: int = 4096) -> None:
        self._sanitise = sanitise
        self._cache_size = cache_size
        self._cache: dict[tuple[Any, ...], _Rendered] = {}
        self._info: dict[str, _BlockInfo] = {}
        self._previous_blocks: dict[str, RenderedBlock] = {}
        self._splitter = IncrementalSplitter()  # a keystroke re-splits only around itself
        self._block_md = new_markdown(drop_footnote_list=True)
        self._footnote_md = new_markdown()
        self.hits = 0
        self.misses = 0

    def render(self, md: str, *, allow_remote_images: bool = False,
               progress: ProgressCallback | None = None,
               plain: Collection[str] = ()) -> RenderResult:
        """Render ``md``; ``progress(index, line)`` is called before each block that is not in
        the cache; blocks whose base id is in ``plain`` are shown as plain text."""
        blocks, definitions = source_blocks(md, self._splitter)
        footnotes_index = len(blocks) - 1 if definitions.footnotes else -1
        rendered: list[RenderedBlock] = []
        keys: list[tuple[Any, ...]] = []
        outline: list[Heading] = []
        problems: list[str] = []
        seen_ids: dict[str, int] = {}
        heading_ids: set[str] = set()
        cache, infos = self._cache, self._info
        misses_before = self.misses
        no_definitions = definitions.empty
        previous = self._previous_blocks  # reused as they are when nothing about them changed
        for index, (text, line) in enumerate(blocks):
            info = infos.get(text) or self._new_info(text)
            key = ((text, allow_remote_images) if no_definitions else
                   _cache_key(text, info, definitions, allow_remote_images,
                              index == footnotes_index))
            keys.append(key)
            entry = cache.get(key)
            if entry is None:
                if progress is not None:
                    progress(index, line)
                entry = self._render_block(text, info, definitions, allow_remote_images,
                                           index == footnotes_index, info.base_id in plain)
                cache[key] = entry
            base_id = info.base_id
            if base_id in seen_ids:
                seen_ids[base_id] += 1
                block_id = f"{base_id}.{seen_ids[base_id] - 1}"
            else:
                seen_ids[base_id] = 1
                block_id = base_id
            block_html = entry.html
            if entry.headings:
                block_html = _unique_headings(entry, line, heading_ids, outline)
            if entry.problem:
                problems.append(f"The block at line {line} {entry.problem}.")
            old = previous.get(block_id)
            if old is not None and old.line == line and old.html is block_html:
                rendered.append(old)
            else:
                rendered.append(RenderedBlock(block_id, line, block_html))
        self.hits += len(blocks) - (self.misses - misses_before)
        return self._result(rendered, keys, outline, problems)

    def _result(self, rendered: list[RenderedBlock], keys: list[tuple[Any, ...]],
                outline: list[Heading], problems: list[str]) -> RenderResult:
        previous = self._previous_blocks
        current = {b.id: b for b in rendered}
        changed = frozenset(b.id for b in rendered
                            if (old := previous.get(b.id)) is None or old.html != b.html)
        removed = frozenset(previous.keys() - current.keys())
        self._previous_blocks = current
        if len(self._cache) > max(self._cache_size, 2 * len(rendered)):
            self._cache = {key: self._cache[key] for key in keys}
        return RenderResult(tuple(rendered), changed, removed, tuple(outline), tuple(problems))

    def reset_changes(self) -> None:
        """Forget the previous render: the next result reports every block as changed."""
        self._previous_blocks = {}

    # --- per block -----------------------------------------------------------------------

    def _new_info(self, text: str) -> _BlockInfo:
        info = _BlockInfo(block_base_id(text), bracketed_labels(text), "[^" in text)
        if len(self._info) > 4 * self._cache_size:
            self._info.clear()
        self._info[text] = info
        return info

    def _render_block(self, text: str, info: _BlockInfo, definitions: Definitions,
                      remote: bool, is_footnotes: bool, plain: bool) -> _Rendered:
        self.misses += 1
        if plain:
            return _plain_block(text, "could not be rendered in time and is shown as plain text")
        if len(text) > MAX_BLOCK_CHARS:
            return _plain_block(text, f"is too large to format ({len(text) / 1e6:.1f} million "
                                      "characters) and is shown as plain text")
        if _nesting_depth(text) > MAX_NESTING:
            return _plain_block(text, "nests lists or quotes too deeply to format and is shown "
                                      "as plain text")
        source = self._source_with_definitions(text, info, definitions, is_footnotes)
        converter = self._footnote_md if is_footnotes else self._block_md
        try:
            converter.reset()
            body = str(converter.convert(source))
            tokens: list[dict[str, Any]] = list(getattr(converter, "toc_tokens", []))
        except (RecursionError, MemoryError, ValueError, IndexError, KeyError,
                AttributeError, TypeError, AssertionError):
            converter.reset()
            return _plain_block(text, "could not be formatted (the Markdown parser failed on "
                                      "it) and is shown as plain text")
        if self._sanitise:
            body = sanitise_article(body, allow_remote_images=remote)
        return _Rendered(body, tuple(_flatten(tokens)))

    @staticmethod
    def _source_with_definitions(text: str, info: _BlockInfo, definitions: Definitions,
                                 is_footnotes: bool) -> str:
        if definitions.empty:
            return text
        parts: list[str] = []
        if info.footnote_refs and not is_footnotes:
            parts.extend(f"[^{label}]: -" for label in definitions.footnote_order)
            parts.append("\n" + _STUB_END + "\n")
        parts.append(text)
        parts.extend(_references(text, info, definitions))
        parts.extend(d for a, d in definitions.abbreviations.items() if a in text)
        return "\n\n".join(parts) if len(parts) > 1 else text

    @property
    def cache_len(self) -> int:
        return len(self._cache)


def _references(text: str, info: _BlockInfo, definitions: Definitions) -> tuple[str, ...]:
    """The link definitions a block mentions."""
    found = (definitions.references.get(label) for label in sorted(info.labels))
    return tuple(d for d in found if d is not None)


def _cache_key(text: str, info: _BlockInfo, definitions: Definitions, remote: bool,
               is_footnotes: bool) -> tuple[Any, ...]:
    """The block's text plus exactly the definitions its HTML depends on."""
    references = _references(text, info, definitions)
    footnotes = definitions.footnote_order if info.footnote_refs or is_footnotes else ()
    abbreviations = tuple(d for a, d in definitions.abbreviations.items() if a in text)
    return (text, remote, references, footnotes, abbreviations, is_footnotes)


def _unique_headings(entry: _Rendered, line: int, used: set[str],
                     outline: list[Heading]) -> str:
    """The block's HTML with heading ids made unique across the document; the outline grows.

    Headings are renamed in document order, each searched after the previous one, so a
    rename never hits a heading that was renamed already.
    """
    parts: list[str] = []
    html_text, position = entry.html, 0
    for level, text, heading_id in entry.headings:
        final_id = unique(heading_id, used) if heading_id in used else heading_id
        used.add(final_id)
        outline.append(Heading(level, text, final_id, line))
        if final_id == heading_id:
            continue  # nearly always: only a repeated heading text needs a new id
        found = re.compile(_HEADING_ID_IN_HTML.format(re.escape(heading_id))).search(
            html_text, position)
        if found is None:
            continue
        parts.append(html_text[position:found.start(2)])
        parts.append(final_id)
        position = found.end(2)
    if not parts:
        return html_text
    parts.append(html_text[position:])
    return "".join(parts)


def _flatten(tokens: Iterable[dict[str, Any]]) -> Iterable[tuple[int, str, str]]:
    for token in tokens:
        yield int(token["level"]), html.unescape(str(token["name"])), str(token["id"])
        yield from _flatten(token.get("children", []))


def _nesting_depth(text: str) -> int:
    """A cheap upper bound of list / quote nesting: deepest indentation (in steps of four
    columns, Python-Markdown's list indent) or longest run of ``>`` at a line start."""
    if len(text) < MAX_NESTING * 4:
        return 0
    deepest = 0
    for line in text.split("\n"):
        stripped = line.lstrip(" \t>")
        lead = line[:len(line) - len(stripped)]
        depth = max((lead.count(" ") + 4 * lead.count("\t")) // 4, lead.count(">"))
        deepest = max(deepest, depth)
    return deepest


_CUT_MARK = '<div class="pse-unrendered pse-cut">'


def plain_block_html(text: str, problem: str, *, whole: bool = False) -> str:
    """A block that could not be formatted, as escaped plain text under a note saying why.

    The live preview shows the first ``_PLAIN_PREVIEW_CHARS`` of it (a page holding megabytes
    of one block would stall the view); ``whole`` (exports, ``pse-desk render``) keeps all of it.
    """
    shown = text if whole else text[:_PLAIN_PREVIEW_CHARS]
    more = len(text) - len(shown)
    tail = f"\n… ({more:,} more characters not shown)" if more else ""
    note = f"This block {problem}."
    opening = _CUT_MARK if more else '<div class="pse-unrendered">'
    return (f'{opening}<p class="pse-note">{html.escape(note)}</p>'
            f"<pre>{html.escape(shown)}{html.escape(tail)}</pre></div>")


def is_cut(block_html: str) -> bool:
    """True for a plain block that shows only the start of its text (see ``whole_text``)."""
    return block_html.startswith(_CUT_MARK)


def whole_text(rendered: RenderResult, md: str) -> RenderResult:
    """``rendered`` with every cut plain block holding its whole text: a page that is saved or
    exported never drops words, however long the block."""
    cut = {b.line for b in rendered.blocks if is_cut(b.html)}
    if not cut:
        return rendered
    texts = {line: text for text, line in source_blocks(md)[0] if line in cut}
    problems = {line: p for p in rendered.problems
                for line in cut if p.startswith(f"The block at line {line} ")}
    blocks = tuple(
        b._replace(html=plain_block_html(texts[b.line], _problem_words(problems.get(b.line)),
                                         whole=True))
        if b.line in texts else b for b in rendered.blocks)
    return replace(rendered, blocks=blocks)


def _problem_words(sentence: str | None) -> str:
    """'The block at line 4 is too large ….' -> 'is too large …'."""
    if not sentence:
        return "could not be formatted and is shown as plain text"
    return sentence.split(" ", 5)[-1].rstrip(".")


def _plain_block(text: str, problem: str) -> _Rendered:
    return _Rendered(plain_block_html(text, problem), (), problem)
