"""The edition logic without a database: the print HTML and the preflight findings."""

from __future__ import annotations

import io
from decimal import Decimal

from PIL import Image

from pse_desk.edition import values as ev
from pse_desk.edition.compose import PrintedPicture, compose_html, css_string
from pse_desk.edition.pdf import rgb_to_cmyk
from pse_desk.edition.preflight import preflight


def png(size: tuple[int, int], mode: str = "RGB") -> bytes:
    out = io.BytesIO()
    Image.new(mode, size).save(out, "PNG" if mode != "CMYK" else "JPEG")
    return out.getvalue()


def content(*entries: ev.Entry, pictures: dict[str, ev.Picture] | None = None,
            title: str = "PSE Dec/Jan 26") -> ev.Content:
    return ev.Content(ev.Settings(title=title, issue_number=7), entries, pictures or {})


def codes(c: ev.Content) -> list[str]:
    return [f.code for f in preflight(c)]


ARTICLE = ev.Article(id="a1", title="Councils build again", section="Housing",
                     body_html="<p>Homes.</p>")


def test_the_print_html_has_a_cover_a_contents_and_panels_front_and_back() -> None:
    front = ev.Panel("p1", "editors_comment", "editor's comment",
                     (ev.PanelLine("Hello"),), placement=ev.FRONT)
    back = ev.Panel("p2", "last_word", "last word", (ev.PanelLine("Bye"),), placement=ev.BACK)
    html = compose_html(content(back, ARTICLE, front), ev.PDF_X4)
    assert html.index("editor&#x27;s comment") < html.index("Councils build again</h1>") \
        < html.index("last word")
    assert 'href="#art-a1"' in html and "target-counter(attr(href), page)" in html
    assert "device-cmyk(" in html and "@color-profile device-cmyk" in html
    assert "components: c, m, y, k" in html and "marks: crop cross" in html
    assert "rgb(" not in html.split("</style>")[0].split(":root")[1]


def test_the_running_head_is_escaped_as_a_css_string() -> None:
    html = compose_html(content(ARTICLE, title='A "quoted" \\ title'), ev.PDF_A2B)
    assert 'content: "A \\"quoted\\" \\\\ title · Issue 7";' in html
    assert css_string("a\nb") == '"a b"'


def test_a_picture_without_a_prepared_source_prints_its_alt_text() -> None:
    art = ev.Article(id="a1", title="T", body_html='<p><img src="pse-asset:x" alt="A map"></p>'
                     '<img src="pse-asset:y" alt="">')
    html = compose_html(content(art), ev.PDF_X4,
                        {"pse-asset:y": PrintedPicture("file:///y.jpg", 100.0)})
    assert "[image: A map]" in html and 'src="file:///y.jpg"' in html
    assert "width: 100.00mm" in html


def test_the_html_variant_loads_no_font_and_forbids_remote_loads() -> None:
    html = compose_html(content(ARTICLE), ev.HTML)
    assert "file://" not in html and "default-src 'none'" in html


def test_preflight_of_an_empty_edition_is_an_error() -> None:
    assert codes(content()) == ["no_articles"]


def test_preflight_finds_drafts_empty_panels_and_long_headlines() -> None:
    draft = ev.Article(id="a2", title="x" * 2000, status="draft")
    longish = ev.Article(id="a3", title="word " * 50)
    panel = ev.Panel("p1", "k", "empty one")
    found = preflight(content(ARTICLE, draft, longish, panel))
    by_code = {f.code: f for f in found}
    assert by_code["headline_too_long"].article_id == "a2"
    assert by_code["headline_too_long"].severity == ev.ERROR
    assert by_code["headline_long"].article_id == "a3"
    assert by_code["article_draft"].article_id == "a2"
    assert by_code["panel_empty"].panel_id == "p1"
    assert found[0].severity == ev.ERROR  # errors first


def test_preflight_names_characters_the_fonts_lack() -> None:
    art = ev.Article(id="a1", title="Plain", body_html="<p>Tea 中文 and 😀</p>")
    found = [f for f in preflight(content(art)) if f.code == "glyph_missing"]
    assert len(found) == 1 and "U+4E2D" in found[0].message and found[0].article_id == "a1"
    accents = ev.Article(id="a2", title="Café – “quotes” £5 €", body_html="<p>naïve</p>")
    assert "glyph_missing" not in codes(content(accents))


def test_preflight_of_pictures_missing_corrupt_small_and_rgb() -> None:
    pictures = {
        "pse-asset:gone": ev.Picture("pse-asset:gone", None, "a1"),
        "pse-asset:bad": ev.Picture("pse-asset:bad", b"\x89PNG\r\n\x1a\nnot really", "a1"),
        "pse-asset:small": ev.Picture("pse-asset:small", png((400, 300)), "a1"),
        "pse-asset:big": ev.Picture("pse-asset:big", png((2400, 1600), "CMYK"), "a1"),
    }
    found = {(f.code, f.image) for f in preflight(content(ARTICLE, pictures=pictures))}
    assert ("image_missing", "pse-asset:gone") in found
    assert ("image_corrupt", "pse-asset:bad") in found
    assert ("image_low_dpi", "pse-asset:small") in found
    assert ("image_rgb", "pse-asset:small") in found
    assert not {c for c, i in found if i == "pse-asset:big"}  # 350 dpi CMYK: fine


def test_rgb_black_becomes_pure_k() -> None:
    assert [float(v) for v in rgb_to_cmyk(0, 0, 0)] == [0, 0, 0, 1]
    assert [float(v) for v in rgb_to_cmyk(1, 1, 1)] == [0, 0, 0, 0]


def _pdf_with(tmp_path, *contents: bytes):  # type: ignore[no-untyped-def]
    import pikepdf

    pdf = pikepdf.new()
    for data in contents:
        pdf.add_blank_page(page_size=(200, 200))
        pdf.pages[-1].obj.Contents = pdf.make_stream(data)
    path = tmp_path / "t.pdf"
    pdf.save(path)
    return path


def _operators(path) -> list[tuple[str, list[object]]]:  # type: ignore[no-untyped-def]
    import pikepdf

    with pikepdf.open(path) as pdf:
        return [(str(i.operator), [float(v) if isinstance(v, int | float | Decimal) else v
                                   for v in i.operands])
                for page in pdf.pages for i in pikepdf.parse_content_stream(page)]


def test_rgb_operators_become_cmyk_in_plain_and_in_parsed_streams(tmp_path) -> None:
    import pikepdf

    from pse_desk.edition.compose import CMYK_PROFILE
    from pse_desk.edition.pdf import convert_rgb_to_cmyk

    plain = b"q 1 0 0 rg 0 0 10 10 re f 0.5 .5 0.5 RG 0 0 m 5 5 l S [<0036>-30<>] TJ Q"
    # a literal string that looks like an operator: the full parse keeps it a string
    literal = b"BT /F1 9 Tf (0 0 1 rg) Tj ET 0 1 0 rg /DeviceRGB cs 1 1 0 sc"
    path = _pdf_with(tmp_path, plain, literal)
    assert convert_rgb_to_cmyk(path, CMYK_PROFILE) == 2
    ops = _operators(path)
    names = [op for op, _args in ops]
    assert "rg" not in names and "RG" not in names
    assert ("k", [0.0, 1.0, 1.0, 0.0]) in ops and ("K", [0.0, 0.0, 0.0, 0.5]) in ops
    assert ("k", [1.0, 0.0, 1.0, 0.0]) in ops  # 0 1 0 rg, after the string
    shown = [args for op, args in ops if op == "Tj"]
    assert shown and bytes(shown[0][0]) == b"0 0 1 rg"  # the text is not a colour
    assert ("cs", [pikepdf.Name("/DeviceCMYK")]) in ops
    assert ("sc", [0.0, 0.0, 1.0, 0.0]) in ops
    assert "TJ" in names  # the page's text kept
