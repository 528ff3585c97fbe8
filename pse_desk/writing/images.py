"""Recognising image files by their first bytes, and making SVG safe to show.

A file is an image when its content says so (magic bytes), whatever its name. SVG is XML and may
carry scripts, event handlers and remote references: ``sanitise_svg`` keeps drawing elements and
presentation attributes only, and rejects documents that cannot be parsed or that declare
entities (a "billion laughs" document must not expand).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from pse_desk.errors import ValidationError

PNG = "image/png"
JPEG = "image/jpeg"
GIF = "image/gif"
WEBP = "image/webp"
SVG = "image/svg+xml"
EXTENSIONS = {PNG: "png", JPEG: "jpg", GIF: "gif", WEBP: "webp", SVG: "svg"}

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
SVG_ELEMENTS = frozenset({
    "svg", "g", "defs", "title", "desc", "symbol", "use", "path", "rect", "circle", "ellipse",
    "line", "polyline", "polygon", "text", "tspan", "textPath", "linearGradient",
    "radialGradient", "stop", "clipPath", "mask", "pattern", "marker", "filter", "feGaussianBlur",
    "feOffset", "feBlend", "feColorMatrix", "feMerge", "feMergeNode", "feFlood", "feComposite",
})
SVG_ATTRIBUTES = frozenset({
    "id", "class", "x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r", "rx", "ry", "width",
    "height", "d", "points", "viewBox", "preserveAspectRatio", "transform", "fill", "stroke",
    "stroke-width", "stroke-linecap", "stroke-linejoin", "stroke-dasharray", "stroke-opacity",
    "fill-opacity", "fill-rule", "clip-rule", "opacity", "font-family", "font-size",
    "font-weight", "font-style", "text-anchor", "dominant-baseline", "offset", "stop-color",
    "stop-opacity", "gradientUnits", "gradientTransform", "patternUnits", "clip-path", "mask",
    "marker-start", "marker-mid", "marker-end", "markerWidth", "markerHeight", "refX", "refY",
    "orient", "dx", "dy", "rotate", "textLength", "version", "stdDeviation", "in", "in2",
    "result", "mode", "values", "type", "flood-color", "flood-opacity", "operator", "visibility",
    "display", "href",
})
UNSAFE_VALUE = re.compile(r"javascript:|data:|url\(\s*['\"]?\s*(?!#)|expression\(|@import",
                          re.IGNORECASE)


def sniff(data: bytes) -> str | None:
    """The MIME type of an image from its first bytes, or None when it is not one we take."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith((b"GIF87a", b"GIF89a")):
        return GIF
    if len(data) >= 12 and data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return WEBP
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<?xml", b"<svg", b"<!--", b"<!doctype svg")) and b"<svg" in data[:4096]:
        return SVG
    return None


def _local(name: str) -> str:
    return name.rsplit("}", 1)[-1]


def sanitise_svg(data: bytes) -> bytes:
    """An SVG reduced to drawing elements and safe attributes; ValidationError if unusable."""
    if b"<!ENTITY" in data or b"<!entity" in data:
        raise ValidationError("This SVG declares XML entities, which PSE Desk does not accept; "
                              "export it again without them.")
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise ValidationError(f"This SVG file is not well-formed XML ({exc}).") from exc
    if _local(root.tag) != "svg":
        raise ValidationError("This file is XML but not an SVG image.")
    _clean(root)
    ET.register_namespace("", SVG_NS)
    ET.register_namespace("xlink", XLINK_NS)
    cleaned: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return cleaned


def _clean(element: ET.Element) -> None:
    for child in list(element):
        if not isinstance(child.tag, str) or _local(child.tag) not in SVG_ELEMENTS:
            element.remove(child)
            continue
        _clean(child)
    for name in list(element.attrib):
        local = _local(name)
        value = element.attrib[name]
        keep = local in SVG_ATTRIBUTES and not UNSAFE_VALUE.search(value)
        if local == "href" and not value.startswith("#"):
            keep = False  # only references inside the document: nothing remote, no data: URLs
        if not keep:
            del element.attrib[name]
