"""Start-up benchmark: time from process start to the first painted main window.

Runs ``python -m pse_desk.app`` offscreen with ``PSE_DESK_STARTUP_PROBE`` set, several times per
database, and prints JSON lines {"metric", "value", "unit", "target", "better"}:
  startup_first_paint_demo       median seconds to the first paint, demo database (<= 0.6)
  startup_first_paint_million    the same with the 1,000,000-comment database
  startup_ratio_million_vs_demo  million / demo (<= 1.2)
  startup_data_ready_demo / _million   seconds until the shown workspace has its data
                                 (informative: the window paints before the database opens)
The time is measured from outside: from just before the process is spawned until its
``first-paint`` line is read, so interpreter start-up is included.

Run: .venv/bin/python benchmarks/startup.py [--runs 7] [--workspace write]
     [--demo-db PATH --million-db PATH]   (default: benchmarks/_data.ensure_demo_db)
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
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=7, help="runs per database (>= 5)")
    parser.add_argument("--workspace", default="write",
                        choices=("write", "moderate", "layout", "editions"))
    parser.add_argument("--demo-db", type=Path, help="use this demo database")
    parser.add_argument("--million-db", type=Path, help="use this 1M-comment database")
    args = parser.parse_args()
    given = {"demo": args.demo_db, "million": args.million_db}
    runs = max(5, args.runs)
    config = Path(tempfile.mkdtemp(prefix="pse-startup-"))
    try:
        dbs = {kind: given[kind] or database(kind) for kind in ("demo", "million")}
        paints: dict[str, list[float]] = {"demo": [], "million": []}
        ready: dict[str, list[float]] = {"demo": [], "million": []}
        for db in dbs.values():
            one_run(db, "1", args.workspace, config)  # warm the file cache
        # alternate the two databases so a change in machine load hits both alike
        for _ in range(runs):
            for kind, db in dbs.items():
                paints[kind].append(one_run(db, "1", args.workspace, config)["first-paint"])
                ready[kind].append(one_run(db, "data", args.workspace, config)["data-ready"])
        medians = {kind: {"paint": statistics.median(paints[kind]),
                          "ready": statistics.median(ready[kind])} for kind in dbs}
        for kind in dbs:
            emit(f"startup_first_paint_{kind}", medians[kind]["paint"], "s",
                 FIRST_PAINT_TARGET if kind == "demo" else None)
        emit("startup_ratio_million_vs_demo",
             medians["million"]["paint"] / medians["demo"]["paint"], "ratio", RATIO_TARGET)
        for kind in ("demo", "million"):
            emit(f"startup_data_ready_{kind}", medians[kind]["ready"], "s", None)
        emit("startup_data_ready_ratio_million_vs_demo",
             medians["million"]["ready"] / medians["demo"]["ready"], "ratio", RATIO_TARGET)
    finally:
        shutil.rmtree(config, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
