"""Our two small Python-Markdown extensions: source lines on top-level blocks, and footnote
lists left out of single-block renders.

``SourceLineExtension`` puts ``data-line="N"`` (1-based source line) on each top-level element
of a full conversion. Python-Markdown's preprocessors (raw HTML, fenced code) change the line
structure before the block parser runs, so line numbers cannot be counted there; instead a
preprocessor that runs first inserts a marker paragraph before every top-level block found by
``split_blocks`` (which never splits a construct, so a marker never lands inside one), a block
processor consumes each marker and notes how many top-level elements exist at that point, and
a tree processor puts the line on the elements made after it.

``DropFootnoteListExtension`` removes the ``<div class="footnote">`` that the footnotes
extension appends: when a single block is rendered with stub definitions (to number its
references), the list belongs to the document's own footnotes block, not to this block.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

from markdown import Markdown
from markdown.blockparser import BlockParser
from markdown.blockprocessors import BlockProcessor
from markdown.extensions import Extension
from markdown.postprocessors import Postprocessor
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import HTML_PLACEHOLDER_RE

from pse_desk.render.blocks import split_blocks

_MARKER = "PSELINEMARK{}KRAMENILESP"
_MARKER_RE = re.compile(r"^PSELINEMARK(\d+)KRAMENILESP$")
_LEFTOVER_MARKER_RE = re.compile(r"PSELINEMARK\d+KRAMENILESP\n?")


class _LineMarkerPreprocessor(Preprocessor):  # type: ignore[misc]
    def __init__(self, md: Markdown, starts: list[tuple[int, str]]) -> None:
        super().__init__(md)
        self.starts = starts

    def run(self, lines: list[str]) -> list[str]:
        self.starts.clear()
        out: list[str] = []
        for block in split_blocks("\n".join(lines)):
            out.extend((_MARKER.format(block.line), "", block.text, ""))
        return out


class _LineMarkerProcessor(BlockProcessor):  # type: ignore[misc]
    """Consumes a marker and notes how many top-level elements exist at that point: it adds
    no element, so processors that look at the previous sibling see what they would see
    without markers."""

    def __init__(self, parser: BlockParser, starts: list[tuple[int, str]]) -> None:
        super().__init__(parser)
        self.starts = starts

    def test(self, parent: etree.Element, block: str) -> bool:
        return parent is self.parser.root and _MARKER_RE.match(block) is not None

    def run(self, parent: etree.Element, blocks: list[str]) -> bool:
        match = _MARKER_RE.match(blocks.pop(0))
        assert match is not None
        self.starts.append((len(parent), match.group(1)))
        return True


class _LineAttributeTreeprocessor(Treeprocessor):  # type: ignore[misc]
    def __init__(self, md: Markdown, starts: list[tuple[int, str]]) -> None:
        super().__init__(md)
        self.starts = starts

    def run(self, root: etree.Element) -> None:
        children = list(root)
        bounds = [index for index, _ in self.starts[1:]] + [len(children)]
        for (first, line), end in zip(self.starts, bounds, strict=True):
            for child in children[first:end]:
                if not _is_raw_html_placeholder(child):
                    child.set("data-line", line)


def _is_raw_html_placeholder(element: etree.Element) -> bool:
    # A <p> holding only a raw-HTML placeholder is swapped for the raw HTML by matching the
    # literal "<p>placeholder</p>": an attribute on it would break that swap.
    return element.tag == "p" and not len(element) and bool(
        element.text and HTML_PLACEHOLDER_RE.fullmatch(element.text.strip()))


class _LeftoverMarkerPostprocessor(Postprocessor):  # type: ignore[misc]
    """Removes a marker that ended up inside raw HTML (a split the parser disagreed with)."""

    def run(self, text: str) -> str:
        return _LEFTOVER_MARKER_RE.sub("", text) if "PSELINEMARK" in text else text


class SourceLineExtension(Extension):  # type: ignore[misc]
    """``data-line="N"`` on every top-level element of a full conversion."""

    def extendMarkdown(self, md: Markdown) -> None:
        starts: list[tuple[int, str]] = []  # (top-level elements so far, line) per block
        md.preprocessors.register(_LineMarkerPreprocessor(md, starts), "pse_line_marker", 100)
        parser: BlockParser = md.parser
        parser.blockprocessors.register(_LineMarkerProcessor(parser, starts),
                                        "pse_line_marker", 200)
        md.treeprocessors.register(_LineAttributeTreeprocessor(md, starts),
                                   "pse_line_attribute", 100)
        md.postprocessors.register(_LeftoverMarkerPostprocessor(md), "pse_line_leftover", 5)


class _DropFootnoteListTreeprocessor(Treeprocessor):  # type: ignore[misc]
    def run(self, root: etree.Element) -> None:
        for child in list(root):
            if child.tag == "div" and child.get("class") == "footnote":
                root.remove(child)


class DropFootnoteListExtension(Extension):  # type: ignore[misc]
    """Leaves the footnote list out of a single block's HTML."""

    def extendMarkdown(self, md: Markdown) -> None:
        # after footnotes (50), inline (20) and the duplicate-reference pass (15), before the
        # table of contents (5) so headings inside the dropped list stay out of the outline
        md.treeprocessors.register(_DropFootnoteListTreeprocessor(md), "pse_drop_footnotes", 12)
