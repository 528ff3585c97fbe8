"""Our two small Python-Markdown extensions: source lines on top-level blocks, and footnote
lists left out of single-block renders.

``SourceLineExtension`` puts ``data-line="N"`` (1-based source line) on each top-level element
of a full conversion. Python-Markdown's preprocessors (raw HTML, fenced code) change the line
structure before the block parser runs, so line numbers cannot be counted there; instead a
preprocessor that runs first inserts a marker paragraph before every top-level block found by
``split_blocks`` (which never splits a construct, so a marker never lands inside one), a block
processor turns each marker into a placeholder element, and a tree processor moves the line
onto the elements that follow and removes the placeholders.

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

_MARKER_TAG = "pse-line"
_MARKER = "PSELINEMARK{}KRAMENILESP"
_MARKER_RE = re.compile(r"^PSELINEMARK(\d+)KRAMENILESP$")
_LEFTOVER_MARKER_RE = re.compile(r"PSELINEMARK\d+KRAMENILESP\n?")


class _LineMarkerPreprocessor(Preprocessor):  # type: ignore[misc]
    def run(self, lines: list[str]) -> list[str]:
        out: list[str] = []
        for block in split_blocks("\n".join(lines)):
            out.extend((_MARKER.format(block.line), "", block.text, ""))
        return out


class _LineMarkerProcessor(BlockProcessor):  # type: ignore[misc]
    def test(self, parent: etree.Element, block: str) -> bool:
        return parent is self.parser.root and _MARKER_RE.match(block) is not None

    def run(self, parent: etree.Element, blocks: list[str]) -> bool:
        match = _MARKER_RE.match(blocks.pop(0))
        assert match is not None
        etree.SubElement(parent, _MARKER_TAG, {"n": match.group(1)})
        return True


class _LineAttributeTreeprocessor(Treeprocessor):  # type: ignore[misc]
    def run(self, root: etree.Element) -> None:
        line: str | None = None
        for child in list(root):
            if child.tag == _MARKER_TAG:
                line = child.get("n")
                root.remove(child)
            elif line is not None and not _is_raw_html_placeholder(child):
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
        md.preprocessors.register(_LineMarkerPreprocessor(md), "pse_line_marker", 100)
        parser: BlockParser = md.parser
        parser.blockprocessors.register(_LineMarkerProcessor(parser), "pse_line_marker", 200)
        md.treeprocessors.register(_LineAttributeTreeprocessor(md), "pse_line_attribute", 100)
        md.postprocessors.register(_LeftoverMarkerPostprocessor(md), "pse_line_leftover", 5)


class _DropFootnoteListTreeprocessor(Treeprocessor):  # type: ignore[misc]
    def run(self, root: etree.Element) -> None:
        for child in list(root):
            if child.tag == "div" and child.get("class") == "footnote":
                root.remove(child)


class DropFootnoteListExtension(Extension):  # type: ignore[misc]
    """Leaves the footnote list out of a single block's HTML."""

    def extendMarkdown(self, md: Markdown) -> None:
        # after footnotes (50), inline (20) and the duplicate-reference pass (15)
        md.treeprocessors.register(_DropFootnoteListTreeprocessor(md), "pse_drop_footnotes", 2)
