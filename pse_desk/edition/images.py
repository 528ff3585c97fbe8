"""Images for print: what a stored image is, how wide it prints and at what resolution, and its
conversion for the PDF variant (CMYK JPEG through the shipped ICC profile for PDF/X-4, sRGB
JPEG or PNG for PDF/A), done before WeasyPrint sees it — WeasyPrint embeds images as they come.

A picture prints at the column's width, or narrower when it is so tall that a page could not
hold it (at most ``MAX_HEIGHT_SHARE`` of the page's text height), so its printed size is known
before layout and preflight can say its resolution. Images are scaled down to ``MAX_DPI`` at
their printed size: more only makes the file bigger.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageCms, UnidentifiedImageError

from pse_desk.edition.values import PDF_X4, Settings

MIN_DPI = 300
MAX_DPI = 450
MAX_HEIGHT_SHARE = 0.6
MAX_PIXELS = 120_000_000  # above this Pillow's decoder is refused (a decompression bomb)
JPEG_QUALITY = 90


class ImageUnreadable(ValueError):
    """The bytes are not an image Pillow can read; str() says why."""


@dataclass(frozen=True)
class ImageFacts:
    width: int
    height: int
    mode: str  # Pillow's mode: RGB, RGBA, CMYK, L, P …
    format: str

    @property
    def is_rgb(self) -> bool:
        return self.mode in ("RGB", "RGBA", "P", "LA", "RGBX")


def inspect_image(data: bytes) -> ImageFacts:
    """The size and colour mode of an image (reads the header, and verifies the data)."""
    try:
        with Image.open(io.BytesIO(data)) as img:
            facts = ImageFacts(img.width, img.height, img.mode, img.format or "")
            if facts.width * facts.height > MAX_PIXELS:
                raise ImageUnreadable(f"it has {facts.width}×{facts.height} pixels, more than "
                                      "print needs or memory allows")
            img.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError,
            Image.DecompressionBombError) as exc:
        if isinstance(exc, ImageUnreadable):
            raise
        raise ImageUnreadable("the file is damaged or not an image") from None
    return facts


def printed_width_mm(facts: ImageFacts, settings: Settings) -> float:
    width = settings.column_mm
    top, _side, bottom = settings.margins_mm
    max_height = (settings.size_mm[1] - top - bottom) * MAX_HEIGHT_SHARE
    if facts.width and facts.height * width / facts.width > max_height:
        width = max_height * facts.width / facts.height
    return width


def dpi_at(facts: ImageFacts, width_mm: float) -> float:
    return facts.width / (width_mm / 25.4) if width_mm > 0 else 0.0


@lru_cache(maxsize=2)
def _transform(profile: str, source_mode: str) -> ImageCms.ImageCmsTransform:
    srgb = ImageCms.createProfile("sRGB")
    cmyk = ImageCms.getOpenProfile(profile)
    return ImageCms.buildTransform(srgb, cmyk, source_mode, "CMYK",
                                   renderingIntent=ImageCms.Intent.RELATIVE_COLORIMETRIC)


def _flatten(img: Image.Image) -> Image.Image:
    """RGB on white (transparency flattened: print has no alpha); CMYK and grey stay."""
    if img.mode in ("CMYK", "L", "RGB"):
        return img
    rgba = img.convert("RGBA")
    white = Image.new("RGB", rgba.size, (255, 255, 255))
    white.paste(rgba, mask=rgba.getchannel("A"))
    return white


def convert_for_print(data: bytes, width_mm: float, variant: str, profile: Path) -> bytes:
    """The image as a JPEG for ``variant``, at most ``MAX_DPI`` at ``width_mm``."""
    with Image.open(io.BytesIO(data)) as opened:
        opened.load()
        img = _flatten(opened)
    max_px = max(1, round(width_mm / 25.4 * MAX_DPI))
    if img.width > max_px:
        img = img.resize((max_px, max(1, round(img.height * max_px / img.width))),
                         Image.Resampling.LANCZOS)
    if variant == PDF_X4:
        if img.mode != "CMYK":
            converted = ImageCms.applyTransform(img.convert("RGB"),
                                                _transform(str(profile), "RGB"))
            assert converted is not None  # None only for a conversion in place
            img = converted
    elif img.mode not in ("RGB", "L"):
        img = img.convert("RGB")
    out = io.BytesIO()
    img.save(out, "JPEG", quality=JPEG_QUALITY)
    return out.getvalue()
