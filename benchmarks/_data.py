"""Benchmark databases: the demo newsroom and the 1,000,000-comment one, built once, reused.

``ensure_demo_db(kind)`` returns ``benchmarks/data/<kind>.sqlite`` (gitignored), building it
with the project's own CLI (``pse-desk --db PATH demo``) when it is missing, incomplete, or
was made by an older schema or demo generator. A marker file beside it, written only after
a successful build, says which; a lock keeps two benchmarks from building the same file.
``build_demo_db(path, comments)`` builds a throw-away one (the benchmarks' ``--smoke`` runs
use a small one in a temporary folder).
"""

from __future__ import annotations

import fcntl
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DATA = HERE / "data"
KINDS: dict[str, list[str]] = {
    "demo": [],
    "million": ["--comments", "1000000"],
}


def _expected_marker(kind: str) -> str:
    from pse_desk.demo import DEMO_VERSION
    from pse_desk.store.migrations import HEAD_REVISION

    return f"schema={HEAD_REVISION} demo={DEMO_VERSION} args={' '.join(KINDS[kind])}\n"


def _remove(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def build_demo_db(path: Path, comments: int | None = None) -> Path:
    """A new demo newsroom at ``path`` (``comments`` comments, or the demo's default)."""
    extra = [] if comments is None else ["--comments", str(comments)]
    subprocess.run([sys.executable, "-m", "pse_desk.app", "--db", str(path), "demo", "--quiet",
                    *extra], check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    return path


def ensure_demo_db(kind: str) -> Path:
    """The ``kind`` ("demo" or "million") database, built first if it is not up to date."""
    if kind not in KINDS:
        raise ValueError(f"unknown demo database {kind!r}; choose from {', '.join(KINDS)}")
    DATA.mkdir(parents=True, exist_ok=True)
    path = DATA / f"{kind}.sqlite"
    marker = DATA / f"{kind}.sqlite.ok"
    expected = _expected_marker(kind)
    with (DATA / f".{kind}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if path.exists() and marker.exists() and marker.read_text() == expected:
            return path
        marker.unlink(missing_ok=True)
        _remove(path)
        print(f"# building the {kind} database at {path} (once) ...", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "pse_desk.app", "--db", str(path), "demo",
                        "--quiet", *KINDS[kind]], check=True, cwd=ROOT,
                       stdout=subprocess.DEVNULL)
        marker.write_text(expected)
    return path


if __name__ == "__main__":
    for name in sys.argv[1:] or list(KINDS):
        print(ensure_demo_db(name))
