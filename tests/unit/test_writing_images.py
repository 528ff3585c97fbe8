"""Image recognition by magic bytes, and SVG sanitising."""

from __future__ import annotations

import pytest

from pse_desk.errors import ValidationError
from pse_desk.writing.images import GIF, JPEG, PNG, SVG, WEBP, sanitise_svg, sniff

PNG_BYTES = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06"
             b"\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00"
             b"\x05\x00\x01\xff\x89\x99=\x1d\x00\x00\x00\x00IEND\xaeB`\x82")


@pytest.mark.parametrize(("data", "mime"), [
    (PNG_BYTES, PNG),
    (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", JPEG),
    (b"GIF89a\x01\x00\x01\x00", GIF),
    (b"RIFF\x24\x00\x00\x00WEBPVP8 ", WEBP),
    (b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"/>', SVG),
    (b'\xef\xbb\xbf<svg xmlns="http://www.w3.org/2000/svg"></svg>', SVG),
])
def test_images_are_recognised_by_their_first_bytes(data: bytes, mime: str) -> None:
    assert sniff(data) == mime


@pytest.mark.parametrize("data", [
    b"just some text that is not an image", b"", b"%PDF-1.7", b"<html><body>hi</body></html>",
    b"RIFF\x24\x00\x00\x00WAVEfmt ", b"PK\x03\x04 a zip file",
])
def test_other_files_are_not_images(data: bytes) -> None:
    assert sniff(data) is None


def test_svg_loses_scripts_handlers_foreign_elements_and_remote_references() -> None:
    hostile = b"""<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"
        onload="alert(1)" width="10" height="10">
      <script>alert(2)</script>
      <foreignObject><body xmlns="http://www.w3.org/1999/xhtml">x</body></foreignObject>
      <rect width="10" height="10" fill="red" onclick="alert(3)" style="fill:url(http://x/y)"/>
      <image href="https://tracker.example/p.png" width="1" height="1"/>
      <use xlink:href="https://evil.example/s.svg#a"/>
      <use href="#local"/>
      <a href="javascript:alert(4)"><circle r="2" fill="url(https://x.example/g)"/></a>
    </svg>"""
    clean = sanitise_svg(hostile).decode()
    for gone in ("script", "alert", "foreignObject", "onclick", "onload", "style", "tracker",
                 "evil.example", "javascript", "x.example", "<image"):
        assert gone not in clean
    assert "<rect" in clean
    assert 'fill="red"' in clean
    assert 'href="#local"' in clean


def test_svg_with_entities_is_refused() -> None:
    bomb = b"""<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa">
        <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>
        <svg xmlns="http://www.w3.org/2000/svg"><text>&b;</text></svg>"""
    with pytest.raises(ValidationError, match="entities"):
        sanitise_svg(bomb)


def test_broken_svg_is_refused_with_a_sentence() -> None:
    with pytest.raises(ValidationError, match="not well-formed"):
        sanitise_svg(b"<svg xmlns='http://www.w3.org/2000/svg'><rect></svg>")


def test_svg_with_invalid_utf8_is_refused_with_a_sentence() -> None:
    with pytest.raises(ValidationError, match="not well-formed"):
        sanitise_svg(b'<svg xmlns="http://www.w3.org/2000/svg"><text>caf\xe9 \xff</text></svg>')
