"""Sync benchmark: a real PostgreSQL hub (started here), the 1,000,000-comment newsroom.

Prints JSON lines {"metric", "value", "unit", "target", "better"}:
  sync.upload_rows_per_s          rows/s, the newsroom's first push from the desk that built it
                                  (as an editor, then as a moderator; informational)
  sync.initial_pull_rows_per_s    rows/s, ``sync()`` of an empty desk: the whole newsroom from
                                  one snapshot of the hub (target >= 25,000)
  sync.initial_pull_peak_rss_mb   MB, the peak resident memory of that desk's process
                                  (target <= 500)
  sync.bulk_copy_rows_per_s       rows/s, a plain bulk copy of the same rows: COPY out of
                                  PostgreSQL (the same query, in key order), executemany into
                                  an empty desk database with the same tables but no
                                  full-text triggers or secondary indexes, one transaction
                                  (informational)
  sync.initial_pull_ratio         our initial pull's rows/s over the bulk copy's (target >= 0.5)
  sync.push_rows_per_s            rows/s, the push of 100,000 local changes (a moderator
                                  approving 100,000 comments: their rows and audit events)
                                  (target >= 10,000)
  sync.incremental_round_trip_ms  ms, the median ``sync()`` of a desk that has 10 changes to
                                  send while the hub holds 10 from another desk, on loopback
                                  (target <= 300)
On stderr: the steps and their timings.

The hub is a throw-away PostgreSQL cluster (``tests/integration/pg_server.py``: initdb in a
temporary folder, loopback only, fsync off as for tests), made ready with ``hub init``; desks
log in as their own users with passwords. The newsroom is ``benchmarks/data/million.sqlite``
(``_data.py``, built once); the benchmark works on a copy of it. The initial pull and the bulk
copy each run in a fresh child process, so their memory is their own.

Run: .venv/bin/python benchmarks/sync.py [--rounds 5]
``--smoke``: a 2,000-comment newsroom and 10,000 pushed changes, in a temporary folder.
Needs the Debian package postgresql (``python3 main.py test`` installs it).
"""

from __future__ import annotations

import argparse
import json
import resource
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(ROOT), str(HERE), str(ROOT / "tests" / "integration")]

PASSWORD = "bench"


def emit(metric: str, value: float, unit: str, target: float | None, better: str) -> None:
    print(json.dumps({"metric": metric, "value": round(value, 3), "unit": unit,
                      "target": target, "better": better}), flush=True)


def say(text: str) -> None:
    print(f"# {text}", file=sys.stderr, flush=True)


def copy_database(source: Path, target: Path) -> None:
    """An exact copy through SQLite's backup API (a file copy could miss the WAL)."""
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)


# --- children: one measured job each, its result as one JSON line ----------------------------

def child_pull(db: Path, url: str) -> dict[str, Any]:
    from pse_desk.services import sync as sync_service
    from pse_desk.store import open_store

    store = open_store(db)
    try:
        sync_service.save_settings(store, url, "moderator")
        started = time.perf_counter()
        report = sync_service.sync(store, url=url)
        seconds = time.perf_counter() - started
    finally:
        store.close()
    if not report.ok or not report.snapshot:
        raise SystemExit(f"the initial pull failed: {report.message}")
    return {"rows": report.pulled, "seconds": seconds,
            "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def child_copy(db: Path, url: str) -> dict[str, Any]:
    """The plain bulk copy: COPY out, executemany in, one transaction, no sync logic."""
    import psycopg
    from psycopg import sql

    from pse_desk.interchange.dump import self_reference_indexes
    from pse_desk.store import open_store
    from pse_desk.store.model import SYNCED_TABLES
    from pse_desk.sync import replicate

    open_store(db).close()  # the same schema, empty
    raw = sqlite3.connect(db, isolation_level=None)
    # plain: no full-text triggers and no secondary indexes to keep (a desk's first pull
    # builds both once at its end, inside the time measured for it) -- but the index over a
    # reply's parent stays: with deferred foreign keys, every comment that arrives while a
    # reply waits for its parent is looked for among the waiting rows, a whole-table scan
    # without it (the copy then takes hours, not a minute)
    keep = set(self_reference_indexes(SYNCED_TABLES))
    for kind, name in raw.execute("SELECT type, name FROM sqlite_master WHERE sql IS NOT NULL "
                                  "AND type IN ('trigger', 'index')").fetchall():
        if name not in keep:
            raw.execute(f'DROP {kind.upper()} "{name}"')
    raw.execute("PRAGMA journal_mode = WAL")
    raw.execute("PRAGMA synchronous = NORMAL")
    raw.execute("PRAGMA foreign_keys = ON")
    started = time.perf_counter()
    rows = 0
    with psycopg.connect(url, autocommit=True) as conn:
        raw.execute("BEGIN")
        raw.execute("PRAGMA defer_foreign_keys = ON")
        for table in SYNCED_TABLES:
            columns, names, types = replicate._select_list(replicate._table(table))
            query = sql.SQL("COPY (SELECT {} FROM {} ORDER BY id) TO STDOUT (FORMAT BINARY)"
                            ).format(columns, sql.Identifier(table))
            placeholders = ", ".join("?" for _ in names)
            insert = (f'INSERT OR REPLACE INTO "{table}" ({", ".join(names)}) '
                      f"VALUES ({placeholders})")
            with conn.cursor().copy(query) as copy:
                copy.set_types(types)
                chunk: list[tuple[Any, ...]] = []
                for record in copy.rows():
                    chunk.append(record)
                    if len(chunk) >= 5000:
                        raw.executemany(insert, chunk)
                        rows += len(chunk)
                        chunk = []
                if chunk:
                    raw.executemany(insert, chunk)
                    rows += len(chunk)
        raw.execute("COMMIT")
    seconds = time.perf_counter() - started
    raw.close()
    return {"rows": rows, "seconds": seconds,
            "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def run_child(kind: str, db: Path, url: str) -> dict[str, Any]:
    done = subprocess.run([sys.executable, __file__, "--child", kind, "--db", str(db),
                           "--hub", url], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"the {kind} child failed:\n{done.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


# --- the run ----------------------------------------------------------------------------------

def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--child", choices=("pull", "copy"))
    parser.add_argument("--db", type=Path)
    parser.add_argument("--hub")
    args = parser.parse_args()
    if args.child:
        job = child_pull if args.child == "pull" else child_copy
        print(json.dumps(job(args.db, args.hub)))
        return

    from _data import build_demo_db, ensure_demo_db
    from pg_server import PgUnavailable, start_server

    try:
        server = start_server()
    except PgUnavailable as exc:
        raise SystemExit(f"PostgreSQL: {exc}") from exc
    # a kill (SIGTERM) still stops the server and removes its folder
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        with tempfile.TemporaryDirectory(prefix="pse-sync-bench-") as tmp:
            run(server, Path(tmp), args, build_demo_db, ensure_demo_db)
    finally:
        server.stop()


def run(server: Any, tmp: Path, args: argparse.Namespace, build_demo_db: Any,
        ensure_demo_db: Any) -> None:
    from pse_desk.services import sync as sync_service
    from pse_desk.services.moderation import decisions
    from pse_desk.store import open_store
    from pse_desk.store.model import Comment, CommentStatus

    admin = server.create_database("newsroom")
    t0 = time.perf_counter()
    sync_service.init_hub(admin)
    say(f"hub init: {time.perf_counter() - t0:.2f} s")
    for role in ("editor", "moderator"):
        for n in (1, 2):
            server.create_login(f"{role}{n}", PASSWORD, member_of=f"pse_{role}")

    def url(role: str, n: int = 1) -> str:
        return f"postgresql://{role}{n}:{PASSWORD}@127.0.0.1:{server.port}/newsroom"

    source = (build_demo_db(tmp / "source.sqlite", comments=2000) if args.smoke
              else ensure_demo_db("million"))
    first = tmp / "first.sqlite"
    copy_database(source, first)

    # the first push: the desk that built the newsroom uploads it, as each role in turn
    store = open_store(first)
    try:
        uploaded, seconds = 0, 0.0
        for role in ("editor", "moderator"):
            report = sync_service.sync(store, url=url(role), role=role)
            if not report.ok:
                raise SystemExit(f"upload as {role}: {report.message}")
            uploaded += report.pushed
            seconds += report.seconds
            say(f"upload as {role}: {report.pushed:,} rows in {report.seconds:.1f} s")
        emit("sync.upload_rows_per_s", uploaded / seconds, "rows/s", None, "higher")
        sync_service.save_settings(store, url("moderator"), "moderator")
    finally:
        store.close()

    pull = run_child("pull", tmp / "late.sqlite", url("moderator", 2))
    say(f"initial pull: {pull['rows']:,} rows in {pull['seconds']:.1f} s, "
        f"peak {pull['rss_mb']:.0f} MB")
    copy = run_child("copy", tmp / "plain.sqlite", url("moderator", 2))
    say(f"bulk copy: {copy['rows']:,} rows in {copy['seconds']:.1f} s")
    ours, plain = pull["rows"] / pull["seconds"], copy["rows"] / copy["seconds"]
    emit("sync.initial_pull_rows_per_s", ours, "rows/s", 25000, "higher")
    emit("sync.initial_pull_peak_rss_mb", pull["rss_mb"], "MB", 500, "lower")
    emit("sync.bulk_copy_rows_per_s", plain, "rows/s", None, "higher")
    emit("sync.initial_pull_ratio", ours / plain, "ratio", 0.5, "higher")

    # 100,000 local changes pushed (10,000 in the smoke run)
    changes = 10_000 if args.smoke else 100_000
    store = open_store(first)
    try:
        sync_service.apply_role(store, "moderator")
        with store.read_session() as s:
            pending = list(s.scalars(
                Comment.__table__.select().with_only_columns(Comment.id)
                .where(Comment.status != CommentStatus.APPROVED).limit(changes // 2)))
        decisions.decide_many(store, pending, "approve", "bench")
        report = sync_service.sync(store, url=url("moderator"))
        if not report.ok:
            raise SystemExit(f"push: {report.message}")
        say(f"push: {report.pushed:,} rows in {report.seconds:.2f} s")
        emit("sync.push_rows_per_s", report.pushed / report.seconds, "rows/s", 10000, "higher")
    finally:
        store.close()

    # incremental: 10 changes each way, on the late desk, which holds the whole newsroom
    a, b = open_store(first), open_store(tmp / "late.sqlite")
    try:
        sync_service.apply_role(b, "moderator")
        assert sync_service.sync(b, url=url("moderator", 2)).ok
        times = []
        with a.read_session() as s:
            ids = list(s.scalars(Comment.__table__.select().with_only_columns(Comment.id)
                                 .limit(40 * args.rounds)))
        for r in range(args.rounds):
            mine = ids[40 * r:40 * r + 20]
            theirs = ids[40 * r + 20:40 * r + 40]
            for cid in mine[:10]:
                decisions.decide(a, [cid], "spam", actor="a")
            assert sync_service.sync(a, url=url("moderator")).ok
            for cid in theirs[:10]:
                decisions.decide(b, [cid], "reject", actor="b")
            report = sync_service.sync(b, url=url("moderator", 2))
            assert report.ok, report.message
            times.append(report.seconds * 1000)
            say(f"incremental round {r + 1}: sent {report.pushed}, received {report.pulled}, "
                f"{report.seconds * 1000:.0f} ms")
        emit("sync.incremental_round_trip_ms", statistics.median(times), "ms", 300, "lower")
    finally:
        a.close()
        b.close()


if __name__ == "__main__":
    main()
