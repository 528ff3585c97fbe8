"""The edition as one standalone HTML file: its fonts inside it, cut down to what it sets, and
its pictures inside it as sRGB (a CMYK picture converted), nothing loaded from anywhere."""

from __future__ import annotations

import base64
import io
import re
from pathlib import Path

from PIL import Image

from pse_desk.demo.build import build_demo
from pse_desk.edition import values as ev
from pse_desk.services import edition_export as ex
from pse_desk.services import editions
from pse_desk.services.edition_export import _data_uri
from pse_desk.store import open_store


def test_the_html_edition_carries_its_fonts_and_loads_nothing(tmp_path: Path) -> None:
    store = open_store(tmp_path / "h.sqlite")
    try:
        build_demo(store, articles=8, comments=0)
        with store.read_session() as s:
            ident = editions.list_editions(s)[0].id
        ex.export_edition_html(store, ident, tmp_path / "edition.html")
    finally:
        store.close()
    html = (tmp_path / "edition.html").read_text(encoding="utf-8")
    faces = re.findall(r"@font-face \{[^}]*\}", html)
    assert len(faces) == 7 and all("data:font/ttf;base64," in f for f in faces)
    assert "local(" not in html and "file:" not in html and "http://" not in html.split(
        "<body", 1)[0].replace("http://www.w3.org", "")
    assert len(html.encode()) < 1_500_000  # cut down: the seven whole fonts are 2.6 MB


def test_a_cmyk_picture_goes_into_the_html_as_an_srgb_jpeg() -> None:
    out = io.BytesIO()
    Image.new("CMYK", (30, 20), (0, 200, 200, 0)).save(out, "JPEG")
    uri = _data_uri(ev.Picture("pse-asset:x", out.getvalue(), "a1"))
    assert uri is not None and uri.startswith("data:image/jpeg;base64,")
    shown = Image.open(io.BytesIO(base64.b64decode(uri.split(",", 1)[1])))
    assert shown.mode == "RGB" and shown.size == (30, 20)
