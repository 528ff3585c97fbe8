"""What preflight after layout finds on the laid-out pages (WeasyPrint's box tree): text that
runs past its column, and a picture that reaches the trim but not into the bleed."""

from __future__ import annotations

import base64
import io
from pathlib import Path

from PIL import Image

from pse_desk.edition.pdf import render_pdf

PAGE = "<style>@page {{ size: A4; margin: {margin}; bleed: 3mm }} body {{ margin: 0 }}</style>"


def _png() -> str:
    out = io.BytesIO()
    Image.new("RGB", (40, 40), (200, 30, 30)).save(out, "PNG")
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode()


def _codes(tmp_path: Path, html: str) -> list[str]:
    _pages, findings = render_pdf(html, tmp_path / "t.pdf", "pdf/a-2b", tmp_path.as_uri() + "/",
                                  bleed_mm=3)
    return [f.code for f in findings]


def test_a_word_too_long_for_its_column_is_text_overflow(tmp_path: Path) -> None:
    html = PAGE.format(margin="20mm") + "<p>Fine words here.</p><p>" + "x" * 400 + "</p>"
    assert _codes(tmp_path, html) == ["text_overflow"]
    assert _codes(tmp_path, PAGE.format(margin="20mm") + "<p>Short words only.</p>") == []


def test_a_picture_at_the_trim_needs_to_run_into_the_bleed(tmp_path: Path) -> None:
    flush = (PAGE.format(margin="0") + f"<img src='{_png()}' style='display:block; "
             "width: 210mm; height: 40mm'>")
    assert _codes(tmp_path, flush) == ["art_at_trim"]
    bled = (PAGE.format(margin="0") + f"<img src='{_png()}' style='display:block; "
            "margin: -3mm 0 0 -3mm; width: 216mm; height: 40mm'>")
    assert _codes(tmp_path, bled) == []
    inside = (PAGE.format(margin="20mm") + f"<img src='{_png()}' style='display:block; "
              "width: 60mm; height: 40mm'>")
    assert _codes(tmp_path, inside) == []
