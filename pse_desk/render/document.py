"""A Markdown file rendered to a standalone page through the preview's pipeline (the CLI).

``read_markdown`` decodes a file as UTF-8, replacing undecodable bytes and saying so in one
sentence; ``render_markdown_page`` renders through ``RenderProcess`` (a killable worker with
the same deadline as the preview) and raises ``RenderError`` with one sentence naming the line
where the trouble starts when the text cannot be rendered in time. A block too large or too
deeply nested to format is kept whole as plain text, and the page says which (``problems``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from pse_desk.errors import RenderError, ValidationError
from pse_desk.render.page import PageArticle, default_layout
from pse_desk.render.process import RenderProcess
from pse_desk.render.standalone import standalone_html

_TITLE_LINE = re.compile(r"#[ \t]+(.+?)[ \t#]*$")


def read_markdown(path: Path) -> tuple[str, str | None]:
    """The file's text and, when it was not valid UTF-8, a warning sentence."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ValidationError(f"{path} does not exist.") from None
    except IsADirectoryError:
        raise ValidationError(f"{path} is a folder, not a Markdown file.") from None
    except OSError as exc:
        raise ValidationError(f"{path} cannot be read ({exc.strerror}).") from None
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        text = data.decode("utf-8", errors="replace")
        return text, (f"{path} is not valid UTF-8 (the first bad byte is at offset {exc.start}); "
                      "undecodable bytes are shown as \ufffd.")


def split_title(md: str, fallback: str) -> tuple[str, str]:
    """The title from a first-line ``# heading`` (that line left blank, so line numbers hold),
    else ``fallback``; and the body."""
    first, newline, rest = md.lstrip("\ufeff").partition("\n")
    match = _TITLE_LINE.fullmatch(first.strip())
    if match is None:
        return fallback, md
    return match.group(1), newline + rest


@dataclass(frozen=True)
class RenderedPage:
    html: str
    problems: tuple[str, ...]  # blocks shown (whole) as plain text, one sentence each


def render_markdown_page(md: str, *, fallback_title: str,
                         deadline_s: float = 2.0) -> RenderedPage:
    """``md`` as one standalone HTML page holding all of its text; ``RenderError`` when it
    cannot be rendered in time."""
    title, body = split_title(md, fallback_title)
    with RenderProcess() as worker:
        outcome = worker.render(body, 0, deadline_s)
    if outcome.result is None:
        raise RenderError(outcome.failure or "The text could not be rendered.")
    article = PageArticle(title=title, body_md=body)
    page = standalone_html(body, article, default_layout(), {}, rendered=outcome.result)
    return RenderedPage(page, outcome.result.problems)
