"""Edition export benchmark: a 48-page A4 edition of the demo newsroom exported as PDF/X-4.

Prints JSON lines {"metric", "value", "unit", "target", "better"}:
  export.wall_s.48p          s, ``services.edition_export.export_edition`` end to end: read,
                             render the bodies, lay out in the child process, convert colour,
                             check the file, rename, record the proof (target <= 8)
  export.peak_rss_mb.48p     MB, peak RSS of the export's child process (target <= 400)
  export.bare_weasyprint_s.48p  s, a fresh Python process that imports WeasyPrint and writes
                             the same HTML as PDF/X-4 (informational)
  export.ratio_to_bare.48p   our wall time over bare WeasyPrint's (target <= 1.15)
  export.preflight_s.48p     s, ``services.edition_export.preflight`` (target <= 1)
  export.pages.48p           pages of the file made (informational)
  export.preview_follow_s.48p   s, in the Editions workspace (offscreen): one article changed
                             to its print preview showing the new proof, the wait after the
                             last change (0.5 s) included (target <= 3)
  export.preview_max_stall_ms.48p  ms, the longest the GUI thread did not turn meanwhile
                             (a 5 ms timer's longest gap; target <= 50)
On stderr: where the database is.

The newsroom is ``build_demo`` with 80 articles; the edition holds its 24 newest published
articles (about two pages each). ``--smoke``: 4 articles, in a temporary folder.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from sqlalchemy import select  # noqa: E402

from pse_desk.demo import build_demo  # noqa: E402
from pse_desk.edition.export_process import Job, run_export  # noqa: E402
from pse_desk.edition.values import Content  # noqa: E402
from pse_desk.services import edition_export as ex  # noqa: E402
from pse_desk.services.edition_read import load, render_articles  # noqa: E402
from pse_desk.store import open_store  # noqa: E402
from pse_desk.store.model import Article, ArticleStatus, Edition, EditionItem  # noqa: E402

BARE = """
import sys, time, weasyprint
html = open(sys.argv[1], encoding="utf-8").read()
weasyprint.HTML(string=html, base_url=sys.argv[3]).write_pdf(sys.argv[2], pdf_variant="pdf/x-4")
"""


def emit(metric: str, value: float, unit: str, target: float | None, better: str) -> None:
    print(json.dumps({"metric": metric, "value": round(value, 3), "unit": unit,
                      "target": target, "better": better}), flush=True)


def make_edition(store: object, articles: int) -> str:
    with store.session() as s:  # type: ignore[attr-defined]
        ids = list(s.scalars(select(Article.id).where(Article.status == ArticleStatus.PUBLISHED)
                             .order_by(Article.published_at.desc()).limit(articles)))
        edition = Edition(title="Benchmark edition", issue_number=999, page_size="A4")
        s.add(edition)
        for i, ident in enumerate(ids):
            s.add(EditionItem(edition=edition, position=i, article_id=ident,
                              page_break_before=i > 0))
        s.commit()
        return str(edition.id)


def preview_follow(store: object, edition_id: str) -> tuple[float, float]:
    """Seconds from an article's change to the new print preview, and the longest GUI gap."""
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QThreadPool, QTimer
    from PySide6.QtPdf import QPdfDocument
    from PySide6.QtWidgets import QApplication

    from pse_desk.ui.editions.workspace import EditionsWorkspace
    from pse_desk.ui.workers import ReadRunner

    app = QApplication.instance() or QApplication([])
    runner = ReadRunner(QThreadPool())
    runner.store = store  # type: ignore[assignment]
    ws = EditionsWorkspace(runner)
    ws.resize(1400, 850)
    ws.show()

    def wait(done: object, timeout: float = 300.0) -> None:
        end = time.perf_counter() + timeout
        while not done():  # type: ignore[operator]
            app.processEvents()
            time.sleep(0.002)
            if time.perf_counter() > end:
                raise TimeoutError("the Editions workspace did not answer in time")

    ws.refresh()
    wait(lambda: ws.current_edition() is not None)
    ids = [r.id for r in ws.master_model.rows()]
    ws.master_view.selectRow(ids.index(edition_id))
    wait(lambda: ws.printing.edition_id == edition_id)
    first: list[int] = []
    ws.printing.preview_updated.connect(lambda: first.append(1))
    ws.printing.run_preview()
    wait(lambda: ws.printing.document.status() == QPdfDocument.Status.Ready
         and not ws.printing.busy and bool(first))  # shown, its pages drawn
    with store.session() as s:  # type: ignore[attr-defined]
        item = s.scalars(select(EditionItem).where(EditionItem.edition_id == edition_id,
                                                   EditionItem.article_id.is_not(None))
                         .order_by(EditionItem.position)).first()
        article = s.get(Article, item.article_id)
        article.body_md += "\n\nA late paragraph, added while the edition was on screen.\n"
        s.commit()
    updated: list[float] = []
    ws.printing.preview_updated.connect(lambda: updated.append(time.perf_counter()))
    gaps: list[float] = []
    last = [time.perf_counter()]

    def beat() -> None:
        now = time.perf_counter()
        gaps.append(now - last[0])
        last[0] = now
    timer = QTimer(interval=5)
    timer.timeout.connect(beat)
    timer.start()
    started = time.perf_counter()
    last[0] = started
    ws.printing.contents_changed()  # as the workspace does after a change, or on show
    end = time.perf_counter() + 300
    while not updated and time.perf_counter() < end:
        app.processEvents()
        time.sleep(0.001)  # idle as an event loop does, not spinning on the GIL
    timer.stop()
    ws.prepare_to_close()
    ws.close()
    runner.wait()
    if not updated:
        raise TimeoutError("the print preview did not follow the change")
    return updated[0] - started, max(gaps) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--smoke", action="store_true")
    args = parser.parse_args()
    articles = 4 if args.smoke else 24
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        store = open_store(folder / "newsroom.sqlite")
        build_demo(store, articles=12 if args.smoke else 80, comments=0)
        print(f"database: {store.path}", file=sys.stderr)
        edition = make_edition(store, articles)
        started = time.perf_counter()
        proof = ex.export_edition(store, edition, folder / "e.pdf")
        wall = time.perf_counter() - started
        started = time.perf_counter()
        ex.preflight(store, edition)
        preflight_s = time.perf_counter() - started
        source, shown = load(store, edition)
        content = Content(source.settings, render_articles(source.texts), shown)
        work = folder / "work"
        work.mkdir()
        outcome = run_export(Job(content, "pdf/x-4", str(folder / "keep.pdf"), str(work)),
                             keep_html=True)
        (folder / "bare.html").write_text(outcome.html, encoding="utf-8")
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", BARE, str(folder / "bare.html"),
                        str(folder / "bare.pdf"), work.as_uri() + "/"], check=True)
        bare = time.perf_counter() - started
        follow_s, stall_ms = preview_follow(store, edition)
        store.close()
    emit("export.wall_s.48p", wall, "s", 8, "lower")
    emit("export.peak_rss_mb.48p", proof.peak_rss_mb, "MB", 400, "lower")
    emit("export.bare_weasyprint_s.48p", bare, "s", None, "lower")
    emit("export.ratio_to_bare.48p", wall / bare, "ratio", 1.15, "lower")
    emit("export.preflight_s.48p", preflight_s, "s", 1, "lower")
    emit("export.pages.48p", proof.pages, "pages", None, "higher")
    emit("export.preview_follow_s.48p", follow_s, "s", 3, "lower")
    emit("export.preview_max_stall_ms.48p", stall_ms, "ms", 50, "lower")


if __name__ == "__main__":
    main()
