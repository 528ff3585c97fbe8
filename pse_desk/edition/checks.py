"""Preflight after export: checks of the PDF file itself (pikepdf), as findings.

Every page has a TrimBox and a BleedBox, the BleedBox exceeding the TrimBox by the bleed on
every side; every font is embedded; the output intent is there (GTS_PDFX with a four-component
profile for PDF/X-4, GTS_PDFA1 for PDF/A); and under the CMYK intent nothing is DeviceRGB: no
image, no transparency group, no colour space and no ``rg``/``RG`` operator.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pikepdf

from pse_desk.edition import pdfscan
from pse_desk.edition.values import ERROR, PDF_A2B, PDF_X4, Finding

MM_TO_PT = 72 / 25.4
BOX_TOLERANCE_PT = 0.1
_EMBEDDED = ("/FontFile", "/FontFile2", "/FontFile3")


def _box(page: pikepdf.Dictionary, name: str) -> list[float] | None:
    box = page.get(name)
    if not isinstance(box, pikepdf.Array) or len(box) != 4:
        return None
    return [float(v) for v in box]


def page_boxes(pdf: pikepdf.Pdf, bleed_mm: float) -> Iterator[Finding]:
    bleed = bleed_mm * MM_TO_PT
    for number, page in enumerate(pdf.pages, start=1):
        trim, bleed_box = _box(page.obj, "/TrimBox"), _box(page.obj, "/BleedBox")
        if trim is None or bleed_box is None:
            yield Finding("page_box_missing", ERROR, f"Page {number} has no TrimBox or "
                          "BleedBox: a printer cannot tell where to cut.", page=number)
            continue
        margins = (trim[0] - bleed_box[0], trim[1] - bleed_box[1], bleed_box[2] - trim[2],
                   bleed_box[3] - trim[3])
        if any(abs(m - bleed) > BOX_TOLERANCE_PT for m in margins):
            shown = ", ".join(f"{m / MM_TO_PT:.2f}" for m in margins)
            yield Finding("bleed_box_wrong", ERROR, f"Page {number}'s BleedBox exceeds its "
                          f"TrimBox by {shown} mm, not the {bleed_mm:g} mm bleed.", page=number)


def _descriptor(font: pikepdf.Dictionary) -> pikepdf.Dictionary | None:
    if font.get("/Subtype") == "/Type3":
        return None  # drawn with the file's own glyph procedures: nothing to embed
    if font.get("/Subtype") == "/Type0":
        descendants = font.get("/DescendantFonts")
        if not isinstance(descendants, pikepdf.Array) or not descendants:
            return pikepdf.Dictionary()
        font = descendants[0]  # type: ignore[assignment]
    found = font.get("/FontDescriptor")
    return found if isinstance(found, pikepdf.Dictionary) else pikepdf.Dictionary()


def embedded_fonts(pdf: pikepdf.Pdf) -> Iterator[Finding]:
    for page, name, font in pdfscan.fonts(pdf):
        descriptor = _descriptor(font)
        if descriptor is not None and not any(k in descriptor for k in _EMBEDDED):
            yield Finding("font_not_embedded", ERROR, f"The font {name.lstrip('/')} is not "
                          "embedded: the printer would substitute another.", page=page)


def output_intent(pdf: pikepdf.Pdf, variant: str) -> Iterator[Finding]:
    wanted = {PDF_X4: "/GTS_PDFX", PDF_A2B: "/GTS_PDFA1"}.get(variant)
    if wanted is None:
        return
    for intent in pdf.Root.get("/OutputIntents", pikepdf.Array()):
        profile = intent.get("/DestOutputProfile")
        components = int(profile.get("/N", 0)) if isinstance(profile, pikepdf.Stream) else 0
        if str(intent.get("/S")) == wanted and components == (4 if variant == PDF_X4 else 3):
            return
    yield Finding("output_intent_missing", ERROR, f"The file has no {wanted[5:]} output intent "
                  "with its colour profile: it is not a valid "
                  f"{variant.upper().replace('PDF/', 'PDF/')} file.")


def _rgb_operators(pdf: pikepdf.Pdf) -> Iterator[Finding]:
    for d in pdfscan.drawn(pdf):
        for ins in pikepdf.parse_content_stream(d.owner, "rg RG cs CS"):
            op = str(ins.operator)
            if op in ("rg", "RG") or (ins.operands and str(ins.operands[0]) == "/DeviceRGB"):
                yield Finding("device_rgb", ERROR, f"Page {d.page} paints in DeviceRGB "
                              f"({op}): a CMYK printer rejects it.", page=d.page)
                break


def no_device_rgb(pdf: pikepdf.Pdf) -> Iterator[Finding]:
    for page, image in pdfscan.images(pdf):
        if pdfscan.is_rgb_space(image.get("/ColorSpace")):
            yield Finding("device_rgb_image", ERROR, f"An image on page {page} is DeviceRGB.",
                          page=page)
    for page, group in pdfscan.groups(pdf):
        if pdfscan.is_rgb_space(group.get("/CS")):
            yield Finding("device_rgb_group", ERROR, f"A transparency group on page {page} "
                          "blends in DeviceRGB.", page=page)
    for d in pdfscan.drawn(pdf):
        spaces = d.resources.get("/ColorSpace", pikepdf.Dictionary())
        for name, space in spaces.items():
            if pdfscan.is_rgb_space(space):
                yield Finding("device_rgb_space", ERROR, f"Page {d.page} names an RGB colour "
                              f"space ({name}).", page=d.page)
    yield from _rgb_operators(pdf)


def check_pdf(path: Path, variant: str, bleed_mm: float) -> tuple[int, list[Finding]]:
    """The page count of the file at ``path`` and what is wrong with it for ``variant``."""
    with pikepdf.open(path) as pdf:
        found = [*page_boxes(pdf, bleed_mm), *embedded_fonts(pdf), *output_intent(pdf, variant)]
        if variant == PDF_X4:
            found.extend(no_device_rgb(pdf))
        return len(pdf.pages), found
