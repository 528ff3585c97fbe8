"""Crash safety: SIGKILL at random moments, and a power cut, lose nothing that was saved.

A real subprocess (``crash_worker.py``) autosaves, decides comments and imports WordPress
files through the desk's services and says what it saved after each commit; it is killed at
50 random moments, and after each kill the database passes ``PRAGMA integrity_check`` and holds
every change it had reported. (Killing a desk mid-sync is covered by the hypothesis test in
``test_sync_stateful.py``, against a real PostgreSQL.) The power cut copies the database and
its WAL while a writer is frozen mid-work, the WAL cut at a random length as a disk that lost
its unsynced tail would leave it: each copy opens, passes the check and holds a prefix of the
work.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
SAMPLE = HERE.parent / "data" / "wxr-1.2-sample.xml"
KILLS = 50

pytestmark = pytest.mark.slow


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pse_desk.app", *args],
                          capture_output=True, text=True, timeout=180, check=False)


def _wxr_files(folder: Path, count: int) -> None:
    text = SAMPLE.read_text(encoding="utf-8")
    for k in range(count):  # a site of its own each, so each file imports new rows
        site = f"https://site{k}.example.org"
        (folder / f"site{k}.xml").write_text(
            text.replace("https://review.example.org", site)
                .replace("<title>Parish councils", f"<title>Crash import {k}: Parish councils"),
            encoding="utf-8")


def _check(db: Path, saved: list[str]) -> None:
    con = sqlite3.connect(db)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        for line in saved:
            _, kind, *rest = line.split()
            if kind == "autosave":
                article, marker = rest
                found = con.execute(
                    "SELECT count(*) FROM revision WHERE article_id = ? AND instr(body_md, ?)",
                    (article, f"\n{marker}\n")).fetchone()[0]
                assert found == 1, f"autosave {marker} reported saved is missing"
            elif kind == "decision":
                comment, status = rest
                found = con.execute("SELECT count(*) FROM moderation_event WHERE comment_id = ? "
                                    "AND to_status = ?", (comment, status)).fetchone()[0]
                assert found >= 1, f"decision {status} on {comment} reported saved is missing"
            else:
                k = Path(rest[0]).stem.removeprefix("site")
                # revisions, not the live title: a later autosave may retitle the article
                found = con.execute("SELECT count(*) FROM revision WHERE title LIKE ?",
                                    (f"Crash import {k}:%",)).fetchone()[0]
                assert found >= 1, f"import of {rest[0]} reported saved is missing"
    finally:
        con.close()


def _run_until_killed(db: Path, seed: int, wxr: Path, after_s: float) -> list[str]:
    child = subprocess.Popen([sys.executable, str(HERE / "crash_worker.py"), str(db), str(seed),
                              str(wxr)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True)
    assert child.stdout is not None
    ready = child.stdout.readline()  # the work starts once the database is open
    assert ready.strip() == "ready", child.stderr.read() if child.stderr else ""
    time.sleep(after_s)
    child.send_signal(signal.SIGKILL)
    out, err = child.communicate(timeout=30)
    assert child.returncode == -signal.SIGKILL, err[-2000:]
    return [line for line in out.splitlines() if line.startswith("saved ")]


def test_fifty_kills_mid_work_lose_nothing_reported_saved(tmp_path: Path) -> None:
    db = tmp_path / "newsroom.sqlite"
    assert _cli("--db", str(db), "demo", "--articles", "10", "--comments", "400",
                "--quiet").returncode == 0
    wxr = tmp_path / "wxr"
    wxr.mkdir()
    _wxr_files(wxr, 8)
    rng = random.Random(13)
    every: list[str] = []
    for kill in range(KILLS):
        saved = _run_until_killed(db, kill, wxr, rng.uniform(0.05, 1.5))
        every += saved
        _check(db, every)
    kinds = {line.split()[1] for line in every}
    assert kinds == {"autosave", "decision", "import"}, "every kind of work was killed midway"


WRITER = """
import sys
from pse_desk.store import open_store
from pse_desk.store.model import Article
store = open_store(sys.argv[1])
n = 0
while True:
    with store.session() as s:
        s.add(Article(slug=f"a-{n}", title=f"Article {n}", body_md="x" * 3000))
        s.commit()
    n += 1
"""


def test_a_power_cut_leaves_a_database_that_opens_with_a_prefix_of_the_work(
        tmp_path: Path) -> None:
    db = tmp_path / "newsroom.sqlite"
    assert _cli("--db", str(db), "db", "upgrade").returncode == 0
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(db)])
    rng = random.Random(7)
    try:
        time.sleep(1.0)
        for cut in range(12):
            time.sleep(rng.uniform(0.05, 0.4))
            os.kill(writer.pid, signal.SIGSTOP)  # the instant of the cut: the files as they are
            try:
                copy = tmp_path / f"cut{cut}" / "newsroom.sqlite"
                copy.parent.mkdir()
                shutil.copyfile(db, copy)
                wal = db.with_name(db.name + "-wal")
                if wal.exists():
                    data = wal.read_bytes()
                    keep = rng.randint(min(32, len(data)), len(data))  # the unsynced tail lost
                    copy.with_name(copy.name + "-wal").write_bytes(data[:keep])
            finally:
                os.kill(writer.pid, signal.SIGCONT)
            con = sqlite3.connect(copy)
            try:
                assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
                numbers = sorted(int(r[0].removeprefix("a-")) for r in
                                 con.execute("SELECT slug FROM article"))
                assert numbers == list(range(len(numbers))), "not a prefix of the work"
            finally:
                con.close()
    finally:
        writer.kill()
        writer.wait(timeout=30)
