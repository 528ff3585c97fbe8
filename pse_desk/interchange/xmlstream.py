"""Streaming an untrusted XML export through lxml safely, in bounded memory.

Real exports carry control characters XML forbids (WordPress copies them from pasted text),
which stop libxml2 dead, as raw bytes and as character references (``&#1;``); ``CleanReader``
deletes both from the bytes before the parser reads them, counts the bytes for a progress bar
and asks a cancel flag as it goes. ``iter_elements`` runs ``iterparse`` with entities left
unexpanded, no network and no huge-tree mode (a billion laughs or an external entity reads
nothing), frees each element once the caller has it, and turns lxml's syntax errors into one
``ImportFileError`` sentence with line and column.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime
from typing import BinaryIO

from lxml import etree

from pse_desk.errors import ImportCancelled, ImportFileError

CHUNK = 256 * 1024
# C0 controls but tab, line feed and carriage return: never part of a UTF-8 multibyte
# sequence, so deleting the bytes is safe whatever the text around them
ILLEGAL = bytes(b for b in range(0x20) if b not in (0x09, 0x0A, 0x0D))
# a character reference to a code point XML 1.0 forbids: those C0 controls, a UTF-16
# surrogate, U+FFFE and U+FFFF (libxml2 refuses the file at the first one)
ILLEGAL_REF = re.compile(
    rb"&#(?:0*(?:[0-8]|1[124-9]|2[0-9]|3[01]|5529[6-9]|55[3-9][0-9]{2}|56[0-9]{3}"
    rb"|57[0-2][0-9]{2}|573[0-3][0-9]|5734[0-3]|6553[45]);"
    rb"|[xX]0*(?:[0-8]|[bBcCeEfF]|1[0-9a-fA-F]|[dD][89a-fA-F][0-9a-fA-F]{2}|[fF]{3}[eEfF]);)")
LONGEST_REF = 12  # "&#x0000FFFE;": a reference cut by a chunk's end is held back this far

Progress = Callable[[int, int, str], None]
Cancel = Callable[[], bool] | threading.Event


def cancel_requested(cancel: Cancel | None) -> bool:
    if cancel is None:
        return False
    if isinstance(cancel, threading.Event):
        return cancel.is_set()
    return bool(cancel())


class CleanReader:
    """A binary file-like ``read`` without XML-illegal control characters.

    ``done`` is the bytes read from the file so far (before stripping), ``stripped`` how many
    were deleted; ``progress(done, total, what)`` and ``cancel`` are asked once per chunk.
    """

    def __init__(self, raw: BinaryIO, total: int, *, progress: Progress | None = None,
                 cancel: Cancel | None = None, what: str = "reading") -> None:
        self.raw = raw
        self.total = total
        self.done = 0
        self.stripped = 0
        self.progress = progress
        self.cancel = cancel
        self.what = what
        self._held = b""  # the start of a character reference the last chunk cut

    def read(self, size: int = CHUNK) -> bytes:
        if cancel_requested(self.cancel):
            raise ImportCancelled()
        data = self.raw.read(CHUNK if size is None or size < 0 else max(size, CHUNK))
        self.done += len(data)
        clean = data.translate(None, ILLEGAL)
        self.stripped += len(data) - len(clean)
        clean, self._held = self._held + clean, b""
        if data:  # at the end of the file nothing more can complete a held reference
            cut = clean.rfind(b"&", max(0, len(clean) - LONGEST_REF))
            if cut >= 0 and b";" not in clean[cut:]:
                clean, self._held = clean[:cut], clean[cut:]
        if b"&#" in clean:
            clean, refs = ILLEGAL_REF.subn(b"", clean)
            self.stripped += refs
        if self.progress is not None:
            self.progress(self.done, self.total, self.what)
        if not clean and data:  # all of it held or stripped: an empty read would mean the end
            return self.read(size)
        return clean


def syntax_error(name: str, exc: etree.XMLSyntaxError) -> ImportFileError:
    """One sentence for an XML syntax error: what, and where."""
    line, column = exc.position if exc.position else (exc.lineno or 0, 0)
    message = re.sub(r",? *line \d+, column \d+\s*$", "", (exc.msg or str(exc)).strip())
    message = message.rstrip(". ")
    if line <= 0:
        return ImportFileError(f"{name} is empty or not XML; nothing was imported.")
    if message.startswith(("Document is empty", "Start tag expected", "no element found")):
        reason = "it is empty or not XML"
    elif "Premature end of data" in message or "EndTag" in message \
            or "expected '>'" in message or "Extra content" in message:
        reason = f"the file is cut short or broken ({message})"
    else:
        reason = message
    return ImportFileError(f"{name} is not a readable export: {reason}, at line {line}, "
                           f"column {column}; nothing was imported.")


def iter_elements(source: CleanReader, name: str, tags: Iterable[str], *, depth: int,
                  roots: Iterable[str], root_check: Callable[[etree._Element], None],
                  ) -> Iterator[etree._Element]:
    """The elements named in ``tags`` that end ``depth`` levels under the root, each cleared
    (with the siblings before it) once the caller has it: memory stays bounded by one element.

    ``roots`` are the root tags the format may have (also asked of lxml, so the root's start
    is seen); ``root_check`` sees the root element as soon as the first element starts and
    raises ImportFileError for a file of another kind.
    """
    context = etree.iterparse(
        source, events=("start", "end"), tag=[*roots, *tags],
        resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False,
        remove_comments=True, remove_pis=True)
    checked = False
    try:
        for event, elem in context:
            if not checked:
                checked = True
                root_check(elem.getroottree().getroot())
            if event == "start":
                continue
            level, up = 0, elem.getparent()
            while up is not None:
                level += 1
                up = up.getparent()
            if level != depth:
                continue
            yield elem
            parent = elem.getparent()
            elem.clear(keep_tail=False)
            if parent is not None:
                while elem.getprevious() is not None:
                    del parent[0]
    except etree.XMLSyntaxError as exc:
        raise syntax_error(name, exc) from None
    if not checked:
        if context.root is None:
            raise ImportFileError(f"{name} is empty or not XML; nothing was imported.")
        root_check(context.root)


def text_of(elem: etree._Element | None) -> str:
    """The text of ``elem`` (CDATA included), stripped; "" for a missing element."""
    if elem is None:
        return ""
    return (elem.text or "").strip()


def raw_text_of(elem: etree._Element | None) -> str:
    """The text of ``elem`` exactly as written (a body keeps its line breaks)."""
    if elem is None:
        return ""
    return elem.text or ""


NO_DATE = frozenset({"", "0000-00-00 00:00:00", "0000-00-00T00:00:00", "0000-00-00"})


def parse_date(text: str, *, name: str, elem: etree._Element | None, what: str,
               ) -> datetime | None:
    """``text`` as naive UTC; None for WordPress's "no date"; ImportFileError otherwise."""
    text = text.strip()
    if text in NO_DATE:
        return None
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        line = elem.sourceline if elem is not None else 0
        raise ImportFileError(f"{name} has a date that cannot be read at line {line} "
                              f"(“{text[:40]}” in {what}); nothing was imported.") from None
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value
