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
        store.close()
    emit("export.wall_s.48p", wall, "s", 8, "lower")
    emit("export.peak_rss_mb.48p", proof.peak_rss_mb, "MB", 400, "lower")
    emit("export.bare_weasyprint_s.48p", bare, "s", None, "lower")
    emit("export.ratio_to_bare.48p", wall / bare, "ratio", 1.15, "lower")
    emit("export.preflight_s.48p", preflight_s, "s", 1, "lower")
    emit("export.pages.48p", proof.pages, "pages", None, "higher")


if __name__ == "__main__":
    main()
