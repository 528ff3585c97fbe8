"""Images in articles: insert one from a file, and fetch it for the preview's URL scheme.

An image is stored in the database (an ``Asset`` row) and referred to in Markdown as
``pse-asset:<id>``, never as a path on disk, so the preview, every export and every synced desk
see the same picture. A file is accepted when its bytes say it is a PNG, JPEG, GIF, WebP or SVG
image; SVG is sanitised when stored and again when served, and always served as an image.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

from pse_desk.errors import NotFoundError, ValidationError
from pse_desk.store.db import Store
from pse_desk.store.model import Asset
from pse_desk.writing.images import SVG, sanitise_svg, sniff

SCHEME = "pse-asset"
MAX_IMAGE_BYTES = 20 * 1024 * 1024
MAX_FILENAME = 255


@dataclass(frozen=True)
class InsertedImage:
    asset_id: str
    mime: str
    markdown: str  # what the editor inserts at the cursor


@dataclass(frozen=True)
class AssetData:
    mime: str
    data: bytes


def asset_url(asset_id: str) -> str:
    return f"{SCHEME}:{asset_id}"


def image_markdown(asset_id: str, alt: str = "") -> str:
    """``![alt](pse-asset:<id>)`` with brackets and backslashes in the alt text escaped."""
    escaped = " ".join(alt.split()).replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")
    return f"![{escaped}]({asset_url(asset_id)})"


def _display_name(path: Path) -> str:
    name = os.fsdecode(path.name)
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:  # undecodable bytes came through as lone surrogates
        raise ValidationError("The file name is not valid UTF-8; rename the file and insert it "
                              "again.") from None
    return name[:MAX_FILENAME]


def read_image(path: str | os.PathLike[str] | bytes) -> tuple[str, str, bytes]:
    """File name, MIME type and bytes of an image file; ValidationError when it is not one."""
    file = Path(os.fsdecode(path))
    name = _display_name(file)
    try:
        info = file.stat()
    except FileNotFoundError:
        raise ValidationError(f"The file {name} does not exist.") from None
    except OSError as exc:
        raise ValidationError(f"The file {name} cannot be read ({exc.strerror}).") from None
    if not stat.S_ISREG(info.st_mode):
        raise ValidationError(f"{name} is not a file; choose an image file.")
    if info.st_size == 0:
        raise ValidationError(f"The file {name} is empty; choose an image file.")
    if info.st_size > MAX_IMAGE_BYTES:
        raise ValidationError(f"The image {name} is {info.st_size / 1048576:.1f} MB; images may "
                              f"be at most {MAX_IMAGE_BYTES // 1048576} MB.")
    try:
        with file.open("rb") as fh:
            data = fh.read(MAX_IMAGE_BYTES + 1)
    except OSError as exc:
        raise ValidationError(f"The file {name} cannot be read ({exc.strerror}).") from None
    if len(data) > MAX_IMAGE_BYTES:  # it grew while we looked
        raise ValidationError(f"The image {name} is larger than "
                              f"{MAX_IMAGE_BYTES // 1048576} MB.")
    mime = sniff(data)
    if mime is None:
        raise ValidationError(f"{name} is not an image PSE Desk can use; choose a PNG, JPEG, "
                              "GIF, WebP or SVG file.")
    if mime == SVG:
        data = sanitise_svg(data)
    return name, mime, data


def insert_image(store: Store, path: str | os.PathLike[str] | bytes, *,
                 article_id: str | None = None, alt: str = "") -> InsertedImage:
    """Store the image at ``path`` and return the Markdown that shows it."""
    name, mime, data = read_image(path)
    with store.session() as s:
        asset = Asset(article_id=article_id, filename=name, mime=mime, data=data)
        s.add(asset)
        s.commit()
        return InsertedImage(asset.id, mime, image_markdown(asset.id, alt))


def fetch_asset(store: Store, asset_id: str) -> AssetData:
    """MIME type and bytes of an image for the URL scheme handler.

    The type comes from the bytes, not from the row (rows arrive from other desks too), and SVG
    is sanitised again before it is served.
    """
    with store.read_session() as s:
        asset = s.get(Asset, asset_id)
        if asset is None or asset.deleted:
            raise NotFoundError("This image is not in the database (it may have been deleted).")
        data = asset.data
    mime = sniff(data)
    if mime is None:
        raise NotFoundError("This stored file is not an image and is not shown.")
    if mime == SVG:
        try:
            data = sanitise_svg(data)
        except ValidationError:
            raise NotFoundError("This stored SVG image is not safe to show.") from None
    return AssetData(mime, data)
