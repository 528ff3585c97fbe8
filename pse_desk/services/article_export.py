"""Export article as HTML: the article as one standalone, sanitised HTML file (a use case).

``export_article_html`` reads the page around the article (``services.page``), renders the
given text in a killable render process with a deadline (hostile text gives one sentence, not a
hang), embeds the stored images the text refers to, writes ``render.standalone.standalone_html``
and says what it left out. The Write workspace runs it off the GUI thread; its file dialog
proposes ``suggested_file_name``.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from pse_desk.errors import DeskError, NotFoundError, ValidationError
from pse_desk.paths import write_atomically
from pse_desk.render.process import RenderProcess
from pse_desk.render.standalone import Assets, standalone_html
from pse_desk.services.assets import fetch_asset
from pse_desk.services.page import load_page
from pse_desk.services.revisions import ArticleText
from pse_desk.writing.slugs import slugify

if TYPE_CHECKING:
    from pse_desk.store import Store

EXPORT_DEADLINE_S = 5.0
_ASSET_REF = re.compile(r"pse-asset:/{0,2}([A-Za-z0-9-]{1,64})")


class ExportError(DeskError):
    """The article could not be exported; str() is one sentence."""


def suggested_file_name(title: str) -> str:
    return f"{slugify(title)}.html"


def referenced_assets(store: Store, md: str) -> Assets:
    """The stored images ``md`` refers to (missing ones are left out: they show their alt)."""
    found: dict[str, tuple[str, bytes]] = {}
    for asset_id in dict.fromkeys(_ASSET_REF.findall(md)):
        try:
            asset = fetch_asset(store, asset_id)
        except NotFoundError:
            continue
        found[asset_id] = (asset.mime, asset.data)
    return found


@dataclass(frozen=True)
class Exported:
    path: Path
    notes: tuple[str, ...]  # what the page left out and why, one sentence each

    @property
    def sentence(self) -> str:
        return " ".join((f"Exported the article to {self.path}.", *self.notes))


def left_out_sentences(dropped: list[str]) -> tuple[str, ...]:
    """What an export says of the images it left out (their alt text stands in for them)."""
    remote = sorted({u for u in dropped if u.lower().startswith(("http://", "https://"))})
    stored = {u for u in dropped if u.startswith("pse-asset:")}
    others = len(set(dropped)) - len(remote) - len(stored)
    notes = []
    if remote:
        n = len(remote)
        notes.append(f"{n} remote image{'s were' if n != 1 else ' was'} left out ("
                     f"{', '.join(remote[:3])}{' …' if n > 3 else ''}): this article does not "
                     "load remote images; turn on View > Load remote images to keep https "
                     "images, which the page then fetches when it is opened.")
    if stored:
        were = "images were" if len(stored) != 1 else "image was"
        notes.append(f"{len(stored)} stored {were} not found in the database and left out.")
    if others:
        were = "images were" if others != 1 else "image was"
        notes.append(f"{others} {were} left out: only images stored in the desk (and https "
                     "images, where allowed) are kept.")
    return tuple(notes)


def export_article_html(store: Store, article_id: str, text: ArticleText,
                        target: str | os.PathLike[str]) -> Exported:
    """Write the article (with ``text``, the editor's) to ``target``; says what it left out."""
    data = load_page(store, article_id)
    article = replace(data.article, title=text.title, standfirst=text.standfirst,
                      body_md=text.body_md)
    with RenderProcess() as worker:
        # remote sources are kept in the rendered blocks (nothing is fetched there) so that
        # the page's own sanitising drops them and says so; see ``left_out_sentences``
        outcome = worker.render(text.body_md, 0, EXPORT_DEADLINE_S, allow_remote_images=True)
    if outcome.result is None:
        raise ExportError(outcome.failure or "This text could not be rendered, so it was not "
                                             "exported.")
    dropped: list[str] = []
    html = standalone_html(text.body_md, article, data.layout,
                           referenced_assets(store, text.body_md), rendered=outcome.result,
                           dropped_images=dropped)
    path = Path(target)
    if path.suffix.lower() not in (".html", ".htm"):
        path = path.with_name(path.name + ".html")
    try:
        # all at once: a reader (or a crash) never finds half a page under the name
        write_atomically(path, html.encode("utf-8", errors="replace"))
    except OSError as exc:
        raise ValidationError(f"{path} could not be written ({exc.strerror}).") from None
    return Exported(path, left_out_sentences(dropped))
