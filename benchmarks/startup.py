"""Start-up benchmark: time from process start to the first painted main window.

Runs ``python -m pse_desk.app`` offscreen with ``PSE_DESK_STARTUP_PROBE`` set, several times per
database, and prints JSON lines {"metric", "value", "unit", "target", "better"}:
  startup_first_paint_demo       median seconds to the first paint, demo database (<= 0.6)
  startup_first_paint_million    the same with the 1,000,000-comment database (informational:
                                 the ratio below carries the target)
  startup_ratio_million_vs_demo  million / demo (<= 1.2)
  startup_data_ready_demo / startup_data_ready_million   seconds until the shown workspace has
                                 its data (informational: the window paints before the database
                                 opens)
  startup_data_ready_ratio_million_vs_demo   the same ratio for the data (<= 1.2)
  startup_locked_db_refused_s    seconds for ``open_store`` to refuse a database on which another
                                 process holds an exclusive transaction (<= 3: the lock probe
                                 waits 1 s, not the writers' 5 s busy timeout)
The time is measured from outside: from just before the process is spawned until its
``first-paint`` line is read, so interpreter start-up is included. With ``--smoke`` the big
database has 2,000 comments and ``million`` in the names reads ``<N>_comments``
(``startup_first_paint_<N>_comments``, ``startup_ratio_<N>_comments_vs_demo``,
``startup_data_ready_<N>_comments``, ``startup_data_ready_ratio_<N>_comments_vs_demo``:
informational, the ratio targets are for the million).

Run: .venv/bin/python benchmarks/startup.py [--runs 7] [--workspace write]
     [--demo-db PATH --million-db PATH]   (default: benchmarks/_data.ensure_demo_db)
``--smoke``: one run per database, on a default demo and one of 2,000 comments built in a
temporary folder (checks that it works, ~8 s).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
FIRST_PAINT_TARGET = 0.6
RATIO_TARGET = 1.2
LOCKED_REFUSAL_TARGET_S = 3.0
SMOKE_COMMENTS = 2_000


def database(kind: str) -> Path:
    """The demo ("demo") or the 1M-comment ("million") database, built once if missing."""
    sys.path.insert(0, str(HERE))
    try:
        from _data import ensure_demo_db  # written by the demo benchmarks

        return Path(ensure_demo_db(kind))
    except ImportError:
        pass
    path = HERE / "data" / f"startup-{kind}.sqlite"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        extra = ["--comments", "1000000"] if kind == "million" else []
        subprocess.run([sys.executable, "-m", "pse_desk.app", "--db", str(path), "demo",
                        "--quiet", *extra], check=True, cwd=ROOT)
    return path


def one_run(db: Path, probe: str, workspace: str, config: Path) -> dict[str, float]:
    env = {k: v for k, v in os.environ.items()  # as a user's Python: cached bytecode
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "PYTHONDONTWRITEBYTECODE")}
    env.update(QT_QPA_PLATFORM="offscreen", PSE_DESK_STARTUP_PROBE=probe,
               XDG_CONFIG_HOME=str(config))
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "pse_desk.app", "--db", str(db),
                             "--workspace", workspace], env=env, cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    seen: dict[str, float] = {}
    assert proc.stdout is not None
    for line in proc.stdout:
        parts = line.split()
        if len(parts) == 2 and parts[0] in ("first-paint", "data-ready"):
            seen[parts[0]] = time.perf_counter() - started
            seen[parts[0] + "-inside"] = float(parts[1])
    if proc.wait(timeout=120) != 0 or "first-paint" not in seen:
        raise SystemExit(f"start-up run failed on {db} (exit {proc.returncode})")
    return seen


def emit(metric: str, value: float, unit: str, target: float | None) -> None:
    print(json.dumps({"metric": metric, "value": round(value, 4), "unit": unit,
                      "target": target, "better": "lower"}), flush=True)


def locked_refusal_s(folder: Path) -> float:
    """Seconds for ``open_store`` to refuse a database another process holds locked."""
    from pse_desk.errors import DatabaseLockedError
    from pse_desk.store import open_store

    path = folder / "locked.sqlite"
    open_store(path).close()
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sqlite3, sys\n"
         "con = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
         "con.execute('BEGIN EXCLUSIVE')\n"
         "print('locked', flush=True)\n"
         "sys.stdin.read()\n", str(path)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert holder.stdin is not None and holder.stdout is not None
    try:
        if holder.stdout.readline().strip() != "locked":
            raise SystemExit("the lock holder did not start")
        started = time.perf_counter()
        try:
            open_store(path).close()
        except DatabaseLockedError:
            return time.perf_counter() - started
        raise SystemExit("a locked database was opened")
    finally:
        holder.stdin.close()
        holder.wait(timeout=10)


def smoke_databases(folder: Path) -> dict[str, Path]:
    sys.path.insert(0, str(HERE))
    from _data import build_demo_db

    return {"demo": build_demo_db(folder / "demo.sqlite"),
            f"{SMOKE_COMMENTS}_comments": build_demo_db(folder / "big.sqlite", SMOKE_COMMENTS)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=7, help="runs per database (>= 5)")
    parser.add_argument("--workspace", default="write",
                        choices=("write", "moderate", "layout", "editions"))
    parser.add_argument("--demo-db", type=Path, help="use this demo database")
    parser.add_argument("--million-db", type=Path, help="use this 1M-comment database")
    parser.add_argument("--smoke", action="store_true",
                        help="one run on two small databases built here: checks that it works")
    args = parser.parse_args()
    runs = 1 if args.smoke else max(5, args.runs)
    work = Path(tempfile.mkdtemp(prefix="pse-startup-"))
    config = work / "config"
    try:
        if args.smoke:
            dbs = smoke_databases(work)
        else:
            dbs = {"demo": args.demo_db or database("demo"),
                   "million": args.million_db or database("million")}
        big = next(kind for kind in dbs if kind != "demo")
        paints: dict[str, list[float]] = {kind: [] for kind in dbs}
        ready: dict[str, list[float]] = {kind: [] for kind in dbs}
        for db in dbs.values():
            one_run(db, "1", args.workspace, config)  # warm the file cache
        # alternate the two databases so a change in machine load hits both alike
        for _ in range(runs):
            for kind, db in dbs.items():
                paints[kind].append(one_run(db, "1", args.workspace, config)["first-paint"])
                ready[kind].append(one_run(db, "data", args.workspace, config)["data-ready"])
        paint = {kind: statistics.median(paints[kind]) for kind in dbs}
        data = {kind: statistics.median(ready[kind]) for kind in dbs}
        ratio_target = None if args.smoke else RATIO_TARGET
        emit("startup_first_paint_demo", paint["demo"], "s", FIRST_PAINT_TARGET)
        emit(f"startup_first_paint_{big}", paint[big], "s", None)
        emit(f"startup_ratio_{big}_vs_demo", paint[big] / paint["demo"], "ratio", ratio_target)
        for kind in dbs:
            emit(f"startup_data_ready_{kind}", data[kind], "s", None)
        emit(f"startup_data_ready_ratio_{big}_vs_demo", data[big] / data["demo"], "ratio",
             ratio_target)
        emit("startup_locked_db_refused_s", locked_refusal_s(work), "s", LOCKED_REFUSAL_TARGET_S)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
