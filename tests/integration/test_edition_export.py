"""Exporting editions, checked by tools we did not write: pdfinfo -box, pdffonts, qpdf --check,
pikepdf (PDF/X-4 output intent, no DeviceRGB), pdftotext; and the bad inputs."""

from __future__ import annotations

import io
import os
import random
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pikepdf
import pytest
from PIL import Image

from pse_desk.demo import build_demo
from pse_desk.errors import ExportCancelled, ExportError
from pse_desk.services import edition_export as ex
from pse_desk.services.editions import list_editions
from pse_desk.store import Store, open_store
from pse_desk.store.model import Article, ArticleStatus, Asset, Edition, EditionItem

TOOLS = ("pdfinfo", "pdffonts", "qpdf", "pdftotext")
needs_tools = pytest.mark.skipif(any(shutil.which(t) is None for t in TOOLS),
                                 reason="poppler-utils and qpdf are needed (main.py installs them)")
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def newsroom(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Store, str]]:
    store = open_store(tmp_path_factory.mktemp("ed") / "newsroom.sqlite")
    build_demo(store, articles=24, comments=0)
    with store.read_session() as s:
        edition = list_editions(s)[0].id
    try:
        yield store, edition
    finally:
        store.close()


def boxes(path: Path) -> list[dict[str, list[float]]]:
    out = subprocess.run(["pdfinfo", "-box", "-f", "1", "-l", "9999", str(path)],
                         capture_output=True, text=True, check=True).stdout
    pages: dict[str, dict[str, list[float]]] = {}
    for line in out.splitlines():
        if line.startswith("Page") and "Box:" in line:
            head, values = line.split(":", 1)
            _, number, box = head.split()
            pages.setdefault(number, {})[box] = [float(v) for v in values.split()]
    return list(pages.values())


def assert_print_ready(path: Path, bleed_mm: float = 3.0) -> None:
    bleed = bleed_mm * 72 / 25.4
    pages = boxes(path)
    assert pages
    for page in pages:
        trim, bl = page["TrimBox"], page["BleedBox"]
        margins = (trim[0] - bl[0], trim[1] - bl[1], bl[2] - trim[2], bl[3] - trim[3])
        assert all(abs(m - bleed) < 0.02 for m in margins), margins
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True,
                           check=True).stdout.splitlines()[2:]
    assert fonts and all(line.split()[-5] == "yes" for line in fonts), fonts  # emb column
    check = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)
    assert check.returncode == 0 and "No syntax or stream encoding errors" in check.stdout


def assert_no_device_rgb(path: Path) -> None:
    with pikepdf.open(path) as pdf:
        intents = pdf.Root.OutputIntents
        assert intents[0].S == "/GTS_PDFX" and int(intents[0].DestOutputProfile.N) == 4
        for page in pdf.pages:
            assert page.obj.get("/Group", {}).get("/CS") != "/DeviceRGB"
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Stream):
                assert obj.get("/ColorSpace") != "/DeviceRGB"
                group = obj.get("/Group")
                assert group is None or group.get("/CS") != "/DeviceRGB"
                if obj.get("/Subtype") == "/Form" or obj.get("/Type") == "/Page":
                    ops = {str(i.operator) for i in pikepdf.parse_content_stream(obj)}
                    assert not ops & {"rg", "RG"}
        for page in pdf.pages:
            ops = {str(i.operator) for i in pikepdf.parse_content_stream(page)}
            assert not ops & {"rg", "RG"}


def text_of(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout


def edition_with(store: Store, bodies: list[tuple[str, str]], *,
                 assets: dict[str, bytes] | None = None) -> str:
    """An edition of new articles (title, Markdown) and stored images."""
    with store.session() as s:
        for ident, data in (assets or {}).items():
            s.add(Asset(id=ident, filename=f"{ident}.png", mime="image/png", data=data))
        edition = Edition(title=f"Test {random.random()}", page_size="A4", bleed_mm=3.0)
        s.add(edition)
        for i, (title, md) in enumerate(bodies):
            art = Article(slug=f"t-{random.random()}", title=title, body_md=md,
                          status=ArticleStatus.PUBLISHED, section="News")
            s.add(art)
            s.flush()
            s.add(EditionItem(edition=edition, position=i, article_id=art.id))
        s.commit()
        return edition.id


def snapshot(store: Store) -> list[tuple[object, ...]]:
    with sqlite3.connect(store.path) as con:
        return [*con.execute("SELECT * FROM edition ORDER BY id"),
                *con.execute("SELECT * FROM edition_item ORDER BY id"),
                *con.execute("SELECT * FROM layout ORDER BY id"),
                *con.execute("SELECT * FROM panel ORDER BY id"),
                *con.execute("SELECT * FROM edition_proof ORDER BY id")]


@needs_tools
def test_the_demo_edition_exports_as_pdf_x4_that_the_tools_accept(
        newsroom: tuple[Store, str], tmp_path: Path) -> None:
    store, edition = newsroom
    seen: list[tuple[int, int, str]] = []
    proof = ex.export_edition(store, edition, tmp_path / "e.pdf", "pdf/x-4",
                              lambda d, t, w: seen.append((d, t, w)))
    assert proof.findings == () and proof.pages > 4 and seen[-1][0] == seen[-1][1]
    assert_print_ready(tmp_path / "e.pdf")
    assert_no_device_rgb(tmp_path / "e.pdf")
    text = text_of(tmp_path / "e.pdf")
    assert "In this issue" in text and "last word" in text.lower()
    assert [p.name for p in tmp_path.iterdir()] == ["e.pdf"]  # no temporary file left
    with sqlite3.connect(store.path) as con:
        sha, variant, inputs = con.execute("SELECT file_sha256, variant, inputs FROM "
                                           "edition_proof WHERE id = ?", (proof.id,)).fetchone()
        assert con.execute("SELECT count(*) FROM change_log WHERE table_name = "
                           "'edition_proof' AND row_id = ?", (proof.id,)).fetchone()[0] == 1
    assert (sha, variant) == (proof.file_sha256, "pdf/x-4") and "revision_id" in inputs


@needs_tools
def test_pdf_a2b_has_its_output_intent(newsroom: tuple[Store, str], tmp_path: Path) -> None:
    store, edition = newsroom
    ex.export_edition(store, edition, tmp_path / "a.pdf", "pdf/a-2b")
    assert_print_ready(tmp_path / "a.pdf")
    with pikepdf.open(tmp_path / "a.pdf") as pdf:
        assert pdf.Root.OutputIntents[0].S == "/GTS_PDFA1"
        assert "pdfaid" in str(pdf.open_metadata())


def test_the_html_file_is_self_contained(newsroom: tuple[Store, str], tmp_path: Path) -> None:
    store, edition = newsroom
    ex.export_edition_html(store, edition, tmp_path / "e.html")
    html = (tmp_path / "e.html").read_text()
    assert "In this issue" in html and "file://" not in html and "http-equiv" in html
    assert "<script" not in html and "src=\"http" not in html


@needs_tools
def test_export_again_gives_the_same_pages_after_the_article_changed(
        newsroom: tuple[Store, str], tmp_path: Path) -> None:
    store, edition = newsroom
    first = ex.export_edition(store, edition, tmp_path / "first.pdf")
    with store.session() as s:
        item = s.query(EditionItem).filter_by(edition_id=edition).order_by(
            EditionItem.position).first()
        assert item is not None
        art = s.get(Article, item.article_id)
        assert art is not None
        old_title, art.title = art.title, "A completely different headline"
        s.commit()
    again = ex.export_again(store, first.id, tmp_path / "again.pdf")
    assert text_of(tmp_path / "again.pdf") == text_of(tmp_path / "first.pdf")
    assert again.pages == first.pages
    now = ex.export_edition(store, edition, tmp_path / "now.pdf")
    assert "A completely different headline" in text_of(tmp_path / "now.pdf")
    assert old_title.split()[0] in text_of(tmp_path / "again.pdf")
    assert now.id != first.id


def test_preflight_of_the_demo_edition_has_no_errors(newsroom: tuple[Store, str]) -> None:
    store, edition = newsroom
    assert [f for f in ex.preflight(store, edition) if f.severity == "error"] == []


def test_a_read_only_destination_is_one_sentence_and_changes_nothing(
        newsroom: tuple[Store, str], tmp_path: Path) -> None:
    if os.geteuid() == 0:
        target_dir = Path("/proc/self")  # root writes anywhere: a folder nobody can write
    else:
        target_dir = tmp_path / "ro"
        target_dir.mkdir()
        target_dir.chmod(0o500)
    store, edition = newsroom
    before = snapshot(store)
    with pytest.raises(ExportError, match=r"read-only|could not be written|Nothing was"):
        ex.export_edition(store, edition, target_dir / "e.pdf")
    assert snapshot(store) == before
    assert not (target_dir / "e.pdf").exists()


def test_a_cancel_halfway_leaves_no_file_and_changes_nothing(
        newsroom: tuple[Store, str], tmp_path: Path) -> None:
    store, edition = newsroom
    before = snapshot(store)
    steps: list[str] = []
    with pytest.raises(ExportCancelled, match="cancelled"):
        ex.export_edition(store, edition, tmp_path / "e.pdf", "pdf/x-4",
                          lambda d, t, w: steps.append(w),
                          lambda: "Laying out pages" in steps)
    assert list(tmp_path.iterdir()) == [] and snapshot(store) == before


def test_an_edition_with_no_articles_is_refused(newsroom: tuple[Store, str],
                                                tmp_path: Path) -> None:
    store, _ = newsroom
    empty = edition_with(store, [])
    assert [f.code for f in ex.preflight(store, empty)] == ["no_articles"]
    with pytest.raises(ExportError, match="no articles"):
        ex.export_edition(store, empty, tmp_path / "e.pdf")
    assert list(tmp_path.iterdir()) == []


def noise_png(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.frombytes("RGB", (width, height), os.urandom(width * height * 3)).save(
        out, "PNG", compress_level=0)
    return out.getvalue()


@needs_tools
def test_missing_corrupt_and_40_mb_pictures_and_a_2000_character_headline(
        newsroom: tuple[Store, str], tmp_path: Path) -> None:
    store, _ = newsroom
    big = noise_png(3700, 3700)
    assert len(big) > 40_000_000
    edition = edition_with(store, [
        ("x" * 2000, "Text.\n\n![gone](pse-asset:nothere)\n\n![bad](pse-asset:bad1)"),
        ("Big picture", "Text.\n\n![big](pse-asset:big1)"),
    ], assets={"bad1": b"\x89PNG\r\n\x1a\n" + b"\0" * 100, "big1": big})
    codes = {f.code for f in ex.preflight(store, edition)}
    assert {"image_missing", "image_corrupt", "headline_too_long", "image_rgb"} <= codes
    proof = ex.export_edition(store, edition, tmp_path / "e.pdf")
    assert_print_ready(tmp_path / "e.pdf")
    assert_no_device_rgb(tmp_path / "e.pdf")
    text = text_of(tmp_path / "e.pdf")
    assert "[image: gone]" in text and "[image: bad]" in text
    assert proof.pages >= 3


@pytest.mark.slow
@needs_tools
def test_a_300_page_edition_exports(newsroom: tuple[Store, str], tmp_path: Path) -> None:
    store, _ = newsroom
    para = " ".join(["The council met again and agreed the budget line by line."] * 8)
    body = "\n\n".join([para] * 60)
    edition = edition_with(store, [(f"Article {i}", body) for i in range(52)])
    proof = ex.export_edition(store, edition, tmp_path / "e.pdf")
    assert proof.pages >= 300
    assert_print_ready(tmp_path / "e.pdf")


def run_cli(*args: str, db: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pse_desk.app", "--db", str(db), *args],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)


@needs_tools
def test_the_cli_preflights_and_exports_by_issue_number(newsroom: tuple[Store, str],
                                                        tmp_path: Path) -> None:
    store, edition = newsroom
    with store.read_session() as s:
        number = s.get(Edition, edition).issue_number  # type: ignore[union-attr]
    listed = run_cli("editions", db=store.path)
    assert edition in listed.stdout
    pre = run_cli("preflight", str(number), db=store.path)
    assert pre.returncode == 0, pre.stderr
    out = run_cli("export-edition", str(number), "-o", str(tmp_path / "c.pdf"), db=store.path)
    assert out.returncode == 0, out.stderr
    assert "Exported pdf/x-4" in out.stdout and (tmp_path / "c.pdf").exists()
    bad = run_cli("export-edition", "no such", "-o", str(tmp_path / "d.pdf"), db=store.path)
    assert bad.returncode == 1 and "No edition is called" in bad.stderr
