"""Dump benchmark: the whole-newsroom JSON dump of the 1,000,000-comment database, both ways.

Prints JSON lines {"metric", "value", "unit", "target", "better"}:
  dump.export_rows_per_s       rows/s, ``services.exporting.export_dump`` to a plain .jsonl
                               file, end to end (one read transaction, checksum, fsync,
                               rename) (target >= 50,000)
  dump.restore_rows_per_s      rows/s, ``services.exporting.restore_dump`` of that file into a
                               new database file, end to end (checks, one transaction, indexes
                               and search rebuilt) (target >= 50,000)
  dump.restored_equal          1 when every synced table of the restored database equals the
                               source's row for row (``SELECT *`` in id order), else 0
                               (target 1)
  dump.export_gz_rows_per_s    rows/s, the same export gzipped (``.jsonl.gz``; informational)
  dump.size_mb                 MB, the plain dump's size (informational)
  dump.gz_size_mb              MB, the gzipped dump's size (informational)
On stderr: the steps and their timings.

The newsroom is ``benchmarks/data/million.sqlite`` (``_data.py``, built once and only read
here); the dumps and the restored database go in a temporary folder, removed afterwards.
Run: .venv/bin/python benchmarks/dump.py       ``--smoke``: a 2,000-comment newsroom.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
import tempfile
import time
from contextlib import closing
from itertools import zip_longest
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE)]

from _data import build_demo_db, ensure_demo_db  # noqa: E402

from pse_desk.services.exporting import export_dump, restore_dump  # noqa: E402
from pse_desk.store import open_read_only  # noqa: E402
from pse_desk.store.model import SYNCED_TABLES  # noqa: E402


def emit(metric: str, value: float, unit: str, target: float | None, better: str) -> None:
    print(json.dumps({"metric": metric, "value": round(value, 3), "unit": unit,
                      "target": target, "better": better}), flush=True)


def say(text: str) -> None:
    print(f"# {text}", file=sys.stderr, flush=True)


def equal_row_for_row(a: Path, b: Path) -> bool:
    """Every synced table the same in both, compared row by row in id order (streamed)."""
    with closing(sqlite3.connect(f"{a.as_uri()}?mode=ro", uri=True)) as x, \
            closing(sqlite3.connect(b)) as y:
        for table in SYNCED_TABLES:
            sql = f'SELECT * FROM "{table}" ORDER BY id'
            mine, theirs = x.execute(sql), y.execute(sql)
            while True:
                left, right = mine.fetchmany(5000), theirs.fetchmany(5000)
                if any(p != q for p, q in zip_longest(left, right)):
                    say(f"{table} differs")
                    return False
                if not left:
                    break
    return True


def timed_export(source: Path, out: Path) -> tuple[int, float]:
    store = open_read_only(source)
    try:
        start = time.perf_counter()
        total = export_dump(store, out).total
        return total, time.perf_counter() - start
    finally:
        store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="a 2,000-comment newsroom")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="pse-dump-bench-") as tmp:
        folder = Path(tmp)
        if args.smoke:
            source = build_demo_db(folder / "source.sqlite", 2000)
        else:
            source = ensure_demo_db("million")
        say(f"newsroom: {source}")
        plain, packed, restored = (folder / "n.jsonl", folder / "n.jsonl.gz",
                                   folder / "restored.sqlite")
        total, seconds = timed_export(source, plain)
        say(f"export: {total:,} rows in {seconds:.1f} s, {plain.stat().st_size / 1e6:.0f} MB")
        start = time.perf_counter()
        restore_dump(plain, restored)
        back = time.perf_counter() - start
        say(f"restore: {back:.1f} s")
        equal = equal_row_for_row(source, restored)
        say(f"restored database equal row for row: {equal}")
        emit("dump.export_rows_per_s", total / seconds, "rows/s", 50_000, "higher")
        emit("dump.restore_rows_per_s", total / back, "rows/s", 50_000, "higher")
        emit("dump.restored_equal", 1 if equal else 0, "bool", 1, "higher")
        restored.unlink()
        _total, gz_seconds = timed_export(source, packed)
        say(f"gzipped export: {gz_seconds:.1f} s, {packed.stat().st_size / 1e6:.0f} MB")
        emit("dump.export_gz_rows_per_s", total / gz_seconds, "rows/s", None, "higher")
        emit("dump.size_mb", plain.stat().st_size / 1e6, "MB", None, "lower")
        emit("dump.gz_size_mb", packed.stat().st_size / 1e6, "MB", None, "lower")


if __name__ == "__main__":
    main()
