"""Demo build benchmark: time to build the demo newsroom, default and with 1,000,000 comments.

Each build is a fresh ``pse-desk --db PATH demo --quiet`` process in a temporary folder, timed
from outside (interpreter start-up and the final commit included). Prints JSON lines
{"metric", "value", "unit", "target", "better"}:
  demo_build_default        seconds for the default demo (24 articles, 500 comments), median
                            (target 5)
  demo_build_1m_comments    seconds for --comments 1000000 (target 60)
  demo_build_<N>_comments   the same with ``--comments N`` other than 1,000,000 (informational:
                            the target is for the million)
and, on stderr, the CPU seconds the big build used and the size of the database it wrote.

Run: .venv/bin/python benchmarks/demo_build.py [--runs 3] [--skip-million] [--comments N]
``--smoke``: one default build and one with 2,000 comments (checks that it works, ~3 s).
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_TARGET = 5.0
MILLION_TARGET = 60.0
MILLION = 1_000_000


def _child_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def build_once(folder: Path, extra: list[str]) -> tuple[float, float, int]:
    """(wall seconds, CPU seconds, database bytes) of one demo build into a new file."""
    path = folder / f"demo-{time.monotonic_ns()}.sqlite"
    cpu_before = _child_cpu()
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "pse_desk.app", "--db", str(path), "demo", "--quiet",
                    *extra], check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - started
    size = sum(p.stat().st_size for p in folder.glob(f"{path.name}*"))
    for p in folder.glob(f"{path.name}*"):
        p.unlink()
    return wall, _child_cpu() - cpu_before, size


def emit(metric: str, value: float, target: float | None) -> None:
    print(json.dumps({"metric": metric, "value": round(value, 3), "unit": "s",
                      "target": target, "better": "lower"}), flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs of the default build (3)")
    parser.add_argument("--skip-million", action="store_true",
                        help="only time the default demo")
    parser.add_argument("--comments", type=int, default=MILLION,
                        help="comments of the big build (1,000,000)")
    parser.add_argument("--smoke", action="store_true",
                        help="one default build and one of 2,000 comments: checks that it works")
    args = parser.parse_args()
    if args.smoke:
        args.runs, args.comments, args.skip_million = 1, 2_000, False
    with tempfile.TemporaryDirectory(prefix="pse-demo-bench-") as tmp:
        folder = Path(tmp)
        runs = [build_once(folder, []) for _ in range(max(1, args.runs))]
        emit("demo_build_default", statistics.median(r[0] for r in runs), DEFAULT_TARGET)
        if not args.skip_million:
            wall, cpu, size = build_once(folder, ["--comments", str(args.comments)])
            if args.comments == MILLION:
                emit("demo_build_1m_comments", wall, MILLION_TARGET)
            else:
                emit(f"demo_build_{args.comments}_comments", wall, None)
            print(f"# {args.comments:,} comments: {cpu:.1f} s CPU, database "
                  f"{size / 1e6:.0f} MB", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
