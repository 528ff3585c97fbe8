"""Walking a PDF's content with pikepdf: every content stream (pages, form XObjects at any
depth, annotation appearances) with its resources, every image and transparency group. Used
both to convert what WeasyPrint leaves in DeviceRGB and to check the file afterwards."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pikepdf


@dataclass
class Drawn:
    """A content stream (a page or a form XObject) and the resources its operators name."""

    owner: pikepdf.Object  # the page dictionary or the form's stream
    resources: pikepdf.Dictionary
    page: int  # 1-based page it is drawn on (the first one when shared)
    is_page: bool


def _dict(obj: object) -> pikepdf.Dictionary:
    return obj if isinstance(obj, pikepdf.Dictionary) else pikepdf.Dictionary()


def _forms(resources: pikepdf.Dictionary) -> Iterator[pikepdf.Stream]:
    for _name, xobj in _dict(resources.get("/XObject")).items():
        if isinstance(xobj, pikepdf.Stream) and xobj.get("/Subtype") == "/Form":
            yield xobj
    for _name, pattern in _dict(resources.get("/Pattern")).items():
        if isinstance(pattern, pikepdf.Stream) and pattern.get("/PatternType") == 1:
            yield pattern


def drawn(pdf: pikepdf.Pdf) -> Iterator[Drawn]:
    """Each content stream once, pages first, then what they draw, depth first."""
    seen: set[tuple[int, int]] = set()
    for number, page in enumerate(pdf.pages, start=1):
        resources = _dict(page.obj.get("/Resources"))
        yield Drawn(page.obj, resources, number, True)
        stack = list(_forms(resources))
        for annot in page.obj.get("/Annots", pikepdf.Array()):
            for _key, ap in _dict(_dict(annot).get("/AP")).items():
                if isinstance(ap, pikepdf.Stream):
                    stack.append(ap)
        while stack:
            form = stack.pop()
            if form.objgen in seen and form.objgen != (0, 0):
                continue
            seen.add(form.objgen)
            form_resources = _dict(form.get("/Resources"))
            yield Drawn(form, form_resources, number, False)
            stack.extend(_forms(form_resources))


def images(pdf: pikepdf.Pdf) -> Iterator[tuple[int, pikepdf.Stream]]:
    """(page, image XObject) for every image, each once."""
    seen: set[tuple[int, int]] = set()
    for d in drawn(pdf):
        for _name, xobj in _dict(d.resources.get("/XObject")).items():
            if isinstance(xobj, pikepdf.Stream) and xobj.get("/Subtype") == "/Image" \
                    and xobj.objgen not in seen:
                seen.add(xobj.objgen)
                yield d.page, xobj


def groups(pdf: pikepdf.Pdf) -> Iterator[tuple[int, pikepdf.Dictionary]]:
    """(page, transparency group dictionary) of every page and form that has one."""
    for d in drawn(pdf):
        group = d.owner.get("/Group")
        if isinstance(group, pikepdf.Dictionary):
            yield d.page, group


def fonts(pdf: pikepdf.Pdf) -> Iterator[tuple[int, str, pikepdf.Dictionary]]:
    """(page, name, font dictionary) of every font a content stream uses, each once."""
    seen: set[tuple[int, int]] = set()
    for d in drawn(pdf):
        for _name, font in _dict(d.resources.get("/Font")).items():
            if isinstance(font, pikepdf.Dictionary) and font.objgen not in seen:
                seen.add(font.objgen)
                yield d.page, str(font.get("/BaseFont", "")), font


def is_rgb_space(space: object) -> bool:
    """DeviceRGB itself, or a colour space array built on it (Indexed, ICCBased N=3 has none)."""
    if isinstance(space, pikepdf.Name):
        return str(space) in ("/DeviceRGB", "/RGB")
    if isinstance(space, pikepdf.Array) and len(space) > 0:
        kind = str(space[0])
        if kind == "/Indexed" and len(space) > 1:
            return is_rgb_space(space[1])
        if kind in ("/Separation", "/DeviceN") and len(space) > 2:
            return is_rgb_space(space[2])
    return False
