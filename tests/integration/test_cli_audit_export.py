"""`pse-desk audit-export` writes the moderation audit log as CSV."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pse_desk.app", *args],
                          capture_output=True, text=True, timeout=120, check=False)


def test_audit_export_writes_every_demo_decision_as_a_csv_row(tmp_path: Path) -> None:
    db, out = tmp_path / "n.sqlite", tmp_path / "audit.csv"
    assert _cli("--db", str(db), "demo", "--articles", "4", "--comments", "150",
                "--quiet").returncode == 0
    done = _cli("--db", str(db), "audit-export", str(out), "--actor", "demo")
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert rows, "the demo writes moderation events"
    assert {r["actor"] for r in rows} == {"demo"}
    assert f"{len(rows):,} audit rows written" in done.stdout


def test_audit_export_to_a_missing_folder_says_so_in_one_sentence(tmp_path: Path) -> None:
    db = tmp_path / "n.sqlite"
    assert _cli("--db", str(db), "demo", "--articles", "2", "--comments", "20",
                "--quiet").returncode == 0
    done = _cli("--db", str(db), "audit-export", str(tmp_path / "no" / "such" / "a.csv"))
    assert done.returncode != 0
    assert "Traceback" not in done.stderr


def test_audit_export_reads_a_database_in_a_read_only_folder_and_changes_nothing(
        tmp_path: Path) -> None:
    from test_migrations import run_with_folder_read_only

    folder = tmp_path / "archive"
    folder.mkdir()
    db, out = folder / "n.sqlite", tmp_path / "audit.csv"
    assert _cli("--db", str(db), "demo", "--articles", "3", "--comments", "80",
                "--quiet").returncode == 0
    before = sorted(p.name for p in folder.iterdir()), db.read_bytes()
    done = run_with_folder_read_only(folder, [sys.executable, "-m", "pse_desk.app", "--db",
                                              str(db), "audit-export", str(out)])
    assert done.returncode == 0, done.stderr
    assert "audit rows written" in done.stdout
    assert len(list(csv.DictReader(out.open(encoding="utf-8")))) > 0
    assert (sorted(p.name for p in folder.iterdir()), db.read_bytes()) == before


def test_audit_export_of_a_missing_database_says_so_and_creates_nothing(tmp_path: Path) -> None:
    done = _cli("--db", str(tmp_path / "none.sqlite"), "audit-export", str(tmp_path / "a.csv"))
    assert done.returncode == 1
    assert done.stderr.strip().endswith("does not exist or is empty: there is no newsroom to "
                                        "read.")
    assert not (tmp_path / "none.sqlite").exists()
