"""Layout resolve benchmark: the site's layout resolved on a newsroom of 100,000 published
articles, and the cost of moving a panel. No Qt.

Prints JSON lines {"metric", "value", "unit", "target", "better"}:
  layout.resolve_ms.median.<N>   ms, median of the runs of
                                 ``pse_desk.services.layout.read.resolve(session)`` (the demo's
                                 "web" layout, active, at the present moment: its four
                                 latest-articles panels, picked and link panels, pins and
                                 de-duplication), each in a fresh read session, on a newsroom of
                                 <N> published articles (target <= 20)
  layout.resolve_ms.p95.<N>      the 95th percentile of the same runs (informational)
  layout.move_write_ms.median    ms, median of ``move_panel`` calls: one panel row, its outbox
                                 entry and the layout version the move saves (informational)
On stderr: where the database is, how many articles it has, the slowest run.

The newsroom is the demo (``build_demo``: its two layouts and 24 articles) with published
articles added in bulk (SQLAlchemy Core, one transaction) up to <N>, newest first every few
minutes back from today, in the demo's sections and with its tags. It is built once into
``benchmarks/data/layout_<N>.sqlite`` (gitignored; a marker beside it, as ``_data.py`` does,
says which schema and demo made it) and reused; ``--db PATH`` uses that file instead (built
there if it holds no newsroom yet). The moves run on a copy, so the database stays as built.

Run: .venv/bin/python benchmarks/layout_resolve.py [--articles 100000] [--runs 50] [--db PATH]
``--smoke``: 2,000 articles, 5 runs, in a temporary folder (checks that it works, a few seconds).
"""

from __future__ import annotations

import argparse
import fcntl
import json
import random
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from sqlalchemy import func, insert, select  # noqa: E402

from pse_desk.demo import DEMO_VERSION, build_demo  # noqa: E402
from pse_desk.demo.article_text import SECTIONS  # noqa: E402
from pse_desk.demo.build import demo_base  # noqa: E402
from pse_desk.services.layout import edit, read  # noqa: E402
from pse_desk.store import Store, open_store  # noqa: E402
from pse_desk.store.migrations import HEAD_REVISION  # noqa: E402
from pse_desk.store.model import Article, ArticleStatus, utcnow  # noqa: E402

DATA = HERE / "data"
BATCH = 10_000
STEP = timedelta(minutes=7)  # 100,000 articles reach back about sixteen months
MOVES = 21  # the first is a warm-up (it also saves the layout's baseline version)


def emit(metric: str, value: float, unit: str, target: float | None, better: str) -> None:
    print(json.dumps({"metric": metric, "value": round(value, 3), "unit": unit,
                      "target": target, "better": better}), flush=True)


def note(text: str) -> None:
    print(f"# {text}", file=sys.stderr, flush=True)


# --- the newsroom ----------------------------------------------------------------------------

def published_count(store: Store) -> int:
    with store.read_session() as s:
        return int(s.scalar(select(func.count()).select_from(Article).where(
            Article.status == ArticleStatus.PUBLISHED, Article.deleted.is_(False))) or 0)


def _article_rows(store: Store, count: int, base: datetime, rng: random.Random
                  ) -> list[dict[str, Any]]:
    now = utcnow()
    rows = []
    for n in range(count):
        section = SECTIONS[n % len(SECTIONS)]
        title = f"{section.name} briefing {n + 1}: what changed this week"
        rows.append({
            "id": str(uuid.UUID(int=rng.getrandbits(128), version=4)), "hlc": store.clock.now(),
            "origin": store.device_id, "deleted": False, "created_at": now, "updated_at": now,
            "slug": f"briefing-{n + 1}", "title": title,
            "standfirst": f"The week in {section.name.lower()}, in five minutes.",
            "body_md": f"A short briefing on {section.name.lower()}.\n", "section": section.name,
            "author": f"Reporter {n % 40 + 1}", "source_line": "", "status": "published",
            "tags": rng.sample(section.tags, rng.randint(1, 3)),
            "published_at": base - STEP * (n + 1) - timedelta(seconds=rng.randint(0, 59)),
            "imported_html": False, "allow_remote_images": False, "has_conflict": False})
    return rows


def build_newsroom(path: Path, articles: int) -> None:
    """The demo newsroom at ``path`` (a new file) with published articles added up to
    ``articles``, in one transaction of bulk inserts."""
    started = time.perf_counter()
    store = open_store(path)
    try:
        base = demo_base()
        build_demo(store, articles=24, comments=0, base=base)
        missing = max(0, articles - published_count(store))
        rows = _article_rows(store, missing, base, random.Random("layout-resolve"))
        table = Article.__table__
        with store.engine.begin() as conn:
            for start in range(0, len(rows), BATCH):
                conn.execute(insert(table), rows[start:start + BATCH])
        store.checkpoint()
    finally:
        store.close()
    note(f"built {path} in {time.perf_counter() - started:.1f} s")


def _marker(articles: int) -> str:
    return f"schema={HEAD_REVISION} demo={DEMO_VERSION} articles={articles}\n"


def cached_newsroom(articles: int) -> Path:
    """``benchmarks/data/layout_<N>.sqlite``, built first if missing or out of date."""
    DATA.mkdir(parents=True, exist_ok=True)
    path = DATA / f"layout_{articles}.sqlite"
    marker = DATA / f"layout_{articles}.sqlite.ok"
    with (DATA / f".layout_{articles}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if path.exists() and marker.exists() and marker.read_text() == _marker(articles):
            return path
        marker.unlink(missing_ok=True)
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        note(f"building the {articles:,}-article newsroom at {path} (once) ...")
        build_newsroom(path, articles)
        marker.write_text(_marker(articles))
    return path


def given_newsroom(path: Path, articles: int) -> Path:
    """``--db``: the file as it is, or built there if it holds no newsroom yet."""
    if path.exists():
        store = open_store(path)
        try:
            with store.read_session() as s:
                empty = not s.scalar(select(func.count()).select_from(Article))
        finally:
            store.close()
        if not empty:
            return path
    build_newsroom(path, articles)
    return path


# --- the figures -----------------------------------------------------------------------------

def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def bench_resolve(path: Path, runs: int) -> int:
    store = open_store(path)
    try:
        count = published_count(store)
        with store.read_session() as s:  # warm up: the page cache, the template, imports
            layout_id = read.active_layout_id(s)
            resolved = read.resolve(s)
        times = []
        for _ in range(runs):
            with store.read_session() as s:
                start = time.perf_counter()
                read.resolve(s)
                times.append((time.perf_counter() - start) * 1000)
    finally:
        store.close()
    shown = sum(len(p.items) for p in resolved.panels())
    emit(f"layout.resolve_ms.median.{count}", statistics.median(times), "ms",
         20, "lower")
    emit(f"layout.resolve_ms.p95.{count}", percentile(times, 0.95), "ms", None, "lower")
    note(f"resolve: layout {layout_id}, {len(resolved.panels())} panels showing {shown} items, "
         f"{count:,} published articles, {runs} runs, slowest {max(times):.1f} ms")
    return count


def bench_move(path: Path) -> None:
    with tempfile.TemporaryDirectory(prefix="pse-layout-move-") as tmp:
        copy = Path(tmp) / path.name
        for suffix in ("", "-wal"):
            if Path(f"{path}{suffix}").exists():
                shutil.copyfile(f"{path}{suffix}", f"{copy}{suffix}")
        store = open_store(copy)
        try:
            with store.read_session() as s:
                layout = read.load_layout(s, read.active_layout_id(s) or "")
            panel = next(p for p in layout.panels if p.region == "sidebar")
            times = []
            for n in range(MOVES):
                region, index = ("main", 0) if n % 2 == 0 else ("sidebar", 0)
                start = time.perf_counter()
                edit.move_panel(store, panel.id, region, index, actor="benchmark")
                times.append((time.perf_counter() - start) * 1000)
        finally:
            store.close()
    emit("layout.move_write_ms.median", statistics.median(times[1:]), "ms", None, "lower")
    note(f"move: {MOVES - 1} moves of “{panel.title}”, slowest {max(times[1:]):.1f} ms")


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--db", help="a newsroom to use (built there if it holds none)")
    parser.add_argument("--smoke", action="store_true",
                        help="2,000 articles and 5 runs in a temporary folder")
    args = parser.parse_args()
    if args.smoke:
        args.articles, args.runs = 2_000, 5
    with tempfile.TemporaryDirectory(prefix="pse-layout-resolve-") as tmp:
        if args.smoke:
            path = Path(tmp) / "smoke.sqlite"
            build_newsroom(path, args.articles)
        elif args.db:
            path = given_newsroom(Path(args.db), args.articles)
        else:
            path = cached_newsroom(args.articles)
        note(f"database: {path}")
        bench_resolve(path, args.runs)
        bench_move(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
