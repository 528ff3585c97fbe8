"""The edition's PDF: WeasyPrint lays out the print HTML, then pikepdf converts what it leaves
in DeviceRGB under a CMYK output intent.

WeasyPrint 70 writes the PDF/X-4 output intent from the ``@color-profile device-cmyk`` rule
(its ``components:`` descriptor must list four components), draws CSS ``device-cmyk()``
colours as DeviceCMYK and puts transparency groups in the profile's space. It does not convert
anything else (WeasyPrint issue 2723): its crop and cross marks are drawn in RGB black, as is
any colour of its user-agent stylesheet that ours does not override, and RGB images stay
DeviceRGB. Our images are converted to CMYK before it sees them (``images``); what remains is
rewritten here, so the file has no DeviceRGB at all: ``rg``/``RG`` become ``k``/``K`` by the
naive conversion (black stays pure K), DeviceRGB ``cs``/``CS`` and their ``sc``/``scn`` become
DeviceCMYK, RGB groups take the output profile and any RGB image is converted with the profile.
"""

from __future__ import annotations

import hashlib
import io
import re
import uuid
from collections.abc import Iterator, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import pikepdf
from PIL import ImageCms

from pse_desk.edition import pdfscan
from pse_desk.edition.values import PDF_X4, WARNING, Finding

_CMYK = pikepdf.Name("/DeviceCMYK")


def render_pdf(html: str, target: Path, variant: str, base_url: str,
               bleed_mm: float = 0.0) -> tuple[int, list[Finding]]:
    """Lay out ``html`` and write ``target``; the number of pages, and what the layout shows
    is wrong (``layout_findings``). Imports WeasyPrint here: it is slow to import and only the
    export process needs it."""
    import weasyprint

    document = weasyprint.HTML(string=html, base_url=base_url).render()
    document.write_pdf(target, pdf_variant=variant, pdf_identifier=True)
    return len(document.pages), layout_findings(document, bleed_mm)


_PX_PER_MM = 96 / 25.4
_SLACK_PX = 1.0


def _boxes(box: Any) -> Iterator[Any]:
    yield box
    for child in getattr(box, "children", ()) or ():
        yield from _boxes(child)


def _overflow(page_box: Any, number: int) -> Finding | None:
    """Text (a line) that runs past the page's content box: a word, address or table too wide
    for its column, cut off or running into the margin."""
    from weasyprint.formatting_structure import boxes

    right = page_box.content_box_x() + page_box.width + _SLACK_PX
    for box in _boxes(page_box):
        if isinstance(box, boxes.LineBox) and box.position_x + box.width > right:
            text = " ".join("".join(getattr(b, "text", "") for b in _boxes(box)).split())
            return Finding("text_overflow", WARNING, (
                f"Text on page {number} runs past its column (“{text[:50]}…”): a long word, "
                "address or table; break or shorten it."), page=number)
    return None


def _art_at_trim(page_box: Any, number: int, bleed_mm: float) -> Finding | None:
    """A picture that reaches the trim edge but not into the bleed: trimming may leave a white
    sliver along it."""
    from weasyprint.formatting_structure import boxes

    width, height = page_box.margin_width(), page_box.margin_height()
    reach = max(bleed_mm, 0.0) * _PX_PER_MM - _SLACK_PX
    near = 1.0 * _PX_PER_MM
    for box in _boxes(page_box):
        if not isinstance(box, boxes.ReplacedBox):
            continue
        x, y = box.border_box_x(), box.border_box_y()
        x2, y2 = x + box.border_width(), y + box.border_height()
        edges = ((x, -x), (width - x2, x2 - width), (y, -y), (height - y2, y2 - height))
        if any(gap <= near and beyond < reach for gap, beyond in edges):
            return Finding("art_at_trim", WARNING, (
                f"A picture on page {number} reaches the edge of the page but not into the "
                f"{bleed_mm:g} mm bleed, so trimming may leave a white sliver: extend it into "
                "the bleed or keep it inside the margins."), page=number)
    return None


def _stable_document_id(pdf: pikepdf.Pdf) -> None:
    """WeasyPrint's PDF/X metadata names the document with a random UUID; name it instead by
    what its pages draw, so exporting a proof again gives the same file."""
    digest = hashlib.sha256()
    for page in pdf.pages:
        contents = page.obj.get("/Contents")
        streams = contents if isinstance(contents, pikepdf.Array) else [contents]
        for stream in streams:
            if isinstance(stream, pikepdf.Stream):
                digest.update(stream.read_raw_bytes())
    stable = uuid.UUID(bytes=digest.digest()[:16], version=5)
    with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
        if "xmpMM:DocumentID" in meta:
            meta["xmpMM:DocumentID"] = f"xmp.did:{stable}"
    if "/ID" in pdf.trailer:  # made again from the content when saved (deterministic_id)
        del pdf.trailer["/ID"]


def layout_findings(document: Any, bleed_mm: float) -> list[Finding]:
    """What the laid-out pages show is wrong: text past its column, art at the trim."""
    found: list[Finding] = []
    for number, page in enumerate(document.pages, start=1):
        page_box = page._page_box
        for finding in (_overflow(page_box, number), _art_at_trim(page_box, number, bleed_mm)):
            if finding is not None:
                found.append(finding)
    return found


def rgb_to_cmyk(r: float, g: float, b: float) -> list[Decimal]:
    k = 1 - max(r, g, b)
    values = [0.0, 0.0, 0.0, 1.0] if k >= 1 else [(1 - v - k) / (1 - k) for v in (r, g, b)] + [k]
    return [Decimal(f"{min(max(v, 0.0), 1.0):.4f}") for v in values]


def _numbers(operands: Sequence[object]) -> list[float]:
    return [float(v) for v in operands]  # type: ignore[arg-type]


def _rewrite_ops(ops: Sequence[Any],
                 resources: pikepdf.Dictionary) -> tuple[list[object], bool]:
    """The instructions with RGB colour turned into CMYK; whether anything changed."""
    spaces = resources.get("/ColorSpace", pikepdf.Dictionary())
    out: list[object] = []
    rgb = {"fill": False, "stroke": False}
    changed = False
    for ins in ops:
        op, args = str(ins.operator), list[Any](ins.operands)
        if op in ("rg", "RG") and len(args) == 3:
            out.append(pikepdf.ContentStreamInstruction(
                rgb_to_cmyk(*_numbers(args)), pikepdf.Operator("k" if op == "rg" else "K")))
            changed = True
            continue
        if op in ("cs", "CS") and args:
            side = "fill" if op == "cs" else "stroke"
            name = args[0]
            space = spaces.get(str(name), name) if isinstance(name, pikepdf.Name) else name
            rgb[side] = pdfscan.is_rgb_space(space) and str(name) == "/DeviceRGB"
            if rgb[side]:
                args, changed = [_CMYK], True
        elif op in ("sc", "scn", "SC", "SCN") and len(args) == 3 \
                and rgb["fill" if op.islower() else "stroke"]:
            args, changed = rgb_to_cmyk(*_numbers(args)), True
        out.append(pikepdf.ContentStreamInstruction(args, pikepdf.Operator(op)))
    return out, changed


def _convert_image(image: pikepdf.Stream, profile: Path) -> None:
    pil = pikepdf.PdfImage(image).as_pil_image().convert("RGB")
    transform = ImageCms.buildTransform(ImageCms.createProfile("sRGB"),
                                        ImageCms.getOpenProfile(str(profile)), "RGB", "CMYK")
    cmyk = ImageCms.applyTransform(pil, transform)
    assert cmyk is not None  # applyTransform returns None only when converting in place
    out = io.BytesIO()
    cmyk.save(out, "JPEG", quality=90)
    image.write(out.getvalue(), filter=pikepdf.Name("/DCTDecode"))
    image.ColorSpace = _CMYK
    image.BitsPerComponent = 8
    for key in ("/DecodeParms", "/Decode"):
        if key in image:
            del image[key]


def _intent_profile(pdf: pikepdf.Pdf) -> pikepdf.Object | None:
    for intent in pdf.Root.get("/OutputIntents", pikepdf.Array()):
        profile = intent.get("/DestOutputProfile")
        if profile is not None:
            return profile
    return None


# ``r g b rg`` (or ``RG``) as whole tokens: a delimiter or white space on either side
_EDGE = rb"\s\[\]<>{}/%()"
_NUMBER = rb"([-+]?(?:\d+\.?\d*|\.\d+))"
_RGB_OPERATOR = re.compile(rb"(?<![^" + _EDGE + rb"])" + rb"\s+".join([_NUMBER] * 3)
                           + rb"\s+(rg|RG)(?![^" + _EDGE + rb"])")
_INLINE_IMAGE = re.compile(rb"(?<!\S)BI(?!\S)")


def _cmyk_operator(match: re.Match[bytes]) -> bytes:
    values = rgb_to_cmyk(*(float(match[i]) for i in (1, 2, 3)))
    return b" ".join(str(v).encode("ascii") for v in values) \
        + (b" k" if match[4] == b"rg" else b" K")


def _rewrite_plain(data: bytes) -> tuple[bytes, bool] | None:
    """The fast way for what WeasyPrint writes: ``rg``/``RG`` rewritten in the bytes, the
    rest untouched. None when the stream needs the full parse: a literal string or inline
    image (bytes that only look like operators) or a DeviceRGB colour space."""
    if b"(" in data or b"DeviceRGB" in data or _INLINE_IMAGE.search(data):
        return None
    out, count = _RGB_OPERATOR.subn(_cmyk_operator, data)
    return out, count > 0


def _content_bytes(d: Any) -> bytes:
    if not d.is_page:
        return bytes(d.owner.read_bytes())
    contents = d.owner.get("/Contents")
    streams = contents if isinstance(contents, pikepdf.Array) else [contents]
    return b"\n".join(bytes(s.read_bytes()) for s in streams if isinstance(s, pikepdf.Stream))


def convert_rgb_to_cmyk(path: Path, profile: Path) -> int:
    """Rewrite ``path`` in place with no DeviceRGB left; how many things were converted."""
    count = 0
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        intent = _intent_profile(pdf)
        for d in pdfscan.drawn(pdf):
            plain = _rewrite_plain(_content_bytes(d))
            if plain is not None:
                data, changed = plain
            else:
                ops, changed = _rewrite_ops(list(pikepdf.parse_content_stream(d.owner)),
                                            d.resources)
                data = pikepdf.unparse_content_stream(ops)  # type: ignore[arg-type]
            if changed:
                if d.is_page:
                    d.owner.Contents = pdf.make_stream(data)
                else:
                    d.owner.write(data)
                count += 1
        for _page, group in pdfscan.groups(pdf):
            if pdfscan.is_rgb_space(group.get("/CS")):
                group.CS = pikepdf.Array([pikepdf.Name("/ICCBased"), intent]) \
                    if intent is not None else _CMYK
                count += 1
        for _page, image in pdfscan.images(pdf):
            if pdfscan.is_rgb_space(image.get("/ColorSpace")):
                _convert_image(image, profile)
                count += 1
        _stable_document_id(pdf)
        # the same input gives the same bytes (a reproducible proof): no fresh /ID, no clock
        pdf.save(path, deterministic_id=True)
    return count


def make_pdf(html: str, target: Path, variant: str, base_url: str, profile: Path,
             bleed_mm: float = 0.0) -> tuple[int, list[Finding]]:
    """The PDF for ``variant`` at ``target``; its page count and the layout's findings."""
    pages, findings = render_pdf(html, target, variant, base_url, bleed_mm)
    if variant == PDF_X4:
        convert_rgb_to_cmyk(target, profile)
    return pages, findings
