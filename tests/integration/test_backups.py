"""Backups (online backup API, checked, rotated) and getting a damaged database back."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from pse_desk.errors import BackupError, SalvageError
from pse_desk.store import backup, salvage
from pse_desk.store.db import Store, open_store


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pse_desk.app", *args],
                          capture_output=True, text=True, timeout=180, check=False)


@pytest.fixture(scope="module")
def newsroom(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small demo newsroom, built once; tests copy it."""
    db = tmp_path_factory.mktemp("newsroom") / "newsroom.sqlite"
    done = _cli("--db", str(db), "demo", "--articles", "12", "--comments", "3000", "--quiet")
    assert done.returncode == 0, done.stderr
    return db


@pytest.fixture
def desk(newsroom: Path, tmp_path: Path) -> Path:
    target = tmp_path / "newsroom.sqlite"
    shutil.copyfile(newsroom, target)
    return target


def _rows(db: Path, table: str) -> list[tuple[object, ...]]:
    con = sqlite3.connect(db)
    try:
        return con.execute(f"SELECT * FROM {table} ORDER BY id").fetchall()
    finally:
        con.close()


def _add_article(store: Store, title: str) -> None:
    from pse_desk.store.model import Article

    with store.session() as s:
        s.add(Article(slug=title.lower().replace(" ", "-"), title=title, body_md="Text."))
        s.commit()


def test_a_backup_holds_commits_still_in_the_wal_and_passes_the_check(desk: Path) -> None:
    store = open_store(desk)
    try:
        _add_article(store, "Only in the WAL")
        wal = desk.with_name(desk.name + "-wal")
        assert wal.exists() and wal.stat().st_size > 0  # a file copy would miss it
        made = backup.back_up(desk)
    finally:
        store.close()
    assert made.path.parent == backup.backup_folder(desk)
    assert backup.check_backup(made.path) is None
    titles = {r[0] for r in sqlite3.connect(made.path).execute("SELECT title FROM article")}
    assert "Only in the WAL" in titles
    assert not list(made.path.parent.glob(".*partial"))  # no temporary left behind


def test_rotation_keeps_seven_days_and_four_weeks(desk: Path) -> None:
    start = datetime(2026, 9, 1, 9, 0)
    for day in range(35):  # two a day for five weeks
        for hour in (9, 17):
            backup.back_up(desk, now=start + timedelta(days=day, hours=hour - 9))
    kept = backup.list_backups(desk)
    stamps = [b.taken_at for b in kept]
    last = start + timedelta(days=34, hours=8)
    assert stamps[0] == last
    days = {s.date() for s in stamps}
    # the last 7 days, one (the evening one) each, plus the newest of 4 ISO weeks
    assert {last.date() - timedelta(days=n) for n in range(7)} <= days
    assert all(s.hour == 17 for s in stamps)
    weeks = {tuple(s.isocalendar())[:2] for s in stamps}
    assert len(weeks) == 4
    assert len(kept) <= 7 + 4


def test_rotation_drops_nothing_when_the_newest_backup_is_damaged(desk: Path) -> None:
    for day in range(10):
        backup.back_up(desk, now=datetime(2026, 10, 1 + day, 12))
    before = backup.list_backups(desk)
    before[0].path.write_bytes(b"not a database at all" * 100)
    assert backup.rotate(desk) == []
    assert len(backup.list_backups(desk)) == len(before)


def test_a_backup_that_fails_its_check_is_not_kept(desk: Path, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(backup, "check_backup", lambda _p: "it fails SQLite's check (test)")
    with pytest.raises(BackupError, match="was not kept"):
        backup.write_backup(desk, tmp_path / "out.sqlite")
    assert not (tmp_path / "out.sqlite").exists()
    assert not list(tmp_path.glob(".*partial"))


def _damage(db: Path, table: str) -> None:
    """Overwrite one leaf page of ``table`` in the middle (as a bad sector would)."""
    con = sqlite3.connect(db)
    try:
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        page_size = con.execute("PRAGMA page_size").fetchone()[0]
        pages = [r[0] for r in con.execute(
            "SELECT pageno FROM dbstat WHERE name = ? AND pagetype = 'leaf' ORDER BY pageno",
            (table,))]
    finally:
        con.close()
    victim = pages[len(pages) // 2]
    with db.open("r+b") as fh:
        fh.seek((victim - 1) * page_size)
        fh.write(b"\xde\xad" * (page_size // 2))


def test_a_damaged_database_is_diagnosed(desk: Path) -> None:
    assert salvage.diagnose(desk) is None
    _damage(desk, "comment")
    found = salvage.diagnose(desk)
    assert found is not None and found.readable
    assert "malformed" in found.problem or "integrity check" in found.problem
    assert salvage.diagnose(desk, full=False) is None  # the quick look sees only headers


def test_a_file_that_is_not_sqlite_and_a_foreign_wal_are_diagnosed(tmp_path: Path,
                                                                  desk: Path) -> None:
    junk = tmp_path / "junk.sqlite"
    junk.write_text("Dear editor, this is a letter, not a database.\n" * 10)
    found = salvage.diagnose(junk)
    assert found is not None and found.problem == "it is not an SQLite database"
    desk.with_name(desk.name + "-wal").write_bytes(b"\x00" * 4096)
    found = salvage.diagnose(desk, full=False)
    assert found is not None and "write-ahead log" in found.problem


def test_recover_reads_every_readable_row_and_keeps_the_damaged_file(desk: Path) -> None:
    articles = _rows(desk, "article")
    comments = set(_rows(desk, "comment"))
    _damage(desk, "comment")
    damaged_bytes = desk.read_bytes()
    done = salvage.recover(desk)
    assert done.aside.read_bytes() == damaged_bytes  # moved aside, never written
    assert salvage.diagnose(desk) is None
    assert _rows(desk, "article") == articles  # undamaged tables come back whole
    got = set(_rows(desk, "comment"))
    assert got <= comments
    assert len(got) > 0.9 * len(comments)  # one page lost, not the table
    assert done.unreadable["comment"] >= 1
    assert "damaged stretch" in done.sentence
    store = open_store(desk)  # and the desk opens it, search included
    try:
        con = sqlite3.connect(desk)
        hits = con.execute("SELECT count(*) FROM comment_fts").fetchone()[0]
        assert hits == len(got)
    finally:
        store.close()


def test_recover_of_a_file_with_nothing_readable_leaves_it_where_it_was(tmp_path: Path) -> None:
    junk = tmp_path / "newsroom.sqlite"
    junk.write_bytes(b"SQLite format 3\x00" + b"\xff" * 8000)
    before = junk.read_bytes()
    with pytest.raises(SalvageError):
        salvage.recover(junk)
    assert junk.read_bytes() == before
    assert not list(tmp_path.glob("*.damaged-*"))


def test_restore_puts_the_backup_in_place_and_moves_the_damaged_file_aside(desk: Path) -> None:
    made = backup.back_up(desk)
    articles = _rows(desk, "article")
    _damage(desk, "article")
    aside = salvage.restore_backup(made.path, desk)
    assert aside is not None and aside.exists()
    assert _rows(desk, "article") == articles
    assert made.path.exists()  # the backup stays a backup


def test_restore_refuses_a_database_another_desk_has_open(desk: Path) -> None:
    made = backup.back_up(desk)
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); "
         "c.execute('SELECT count(*) FROM article').fetchall(); print('open', flush=True); "
         "sys.stdin.read()", str(desk)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
        with pytest.raises(SalvageError, match="open in another PSE Desk"):
            salvage.restore_backup(made.path, desk)
    finally:
        holder.communicate("", timeout=30)
    assert salvage.restore_backup(made.path, desk) is not None


def test_the_cli_backs_up_checks_restores_and_recovers(desk: Path) -> None:
    done = _cli("--db", str(desk), "backup")
    assert done.returncode == 0, done.stderr
    assert "checked" in done.stdout
    assert _cli("--db", str(desk), "db", "check").returncode == 0
    _damage(desk, "comment")
    checked = _cli("--db", str(desk), "db", "check")
    assert checked.returncode == 1
    assert "pse-desk restore" in checked.stderr and "Traceback" not in checked.stderr
    restored = _cli("--db", str(desk), "restore")
    assert restored.returncode == 0, restored.stderr
    assert "kept as" in restored.stdout
    assert _cli("--db", str(desk), "db", "check").returncode == 0
    _damage(desk, "comment")
    recovered = _cli("--db", str(desk), "db", "recover")
    assert recovered.returncode == 0, recovered.stderr
    assert "rows were recovered" in recovered.stdout
    assert len(list(desk.parent.glob("newsroom.sqlite.damaged-*"))) == 2


def test_opening_a_database_whose_wal_is_not_sqlites_refuses_and_keeps_the_wal(
        desk: Path) -> None:
    from pse_desk.errors import CorruptDatabaseError

    wal = desk.with_name(desk.name + "-wal")
    wal.write_bytes(b"\x07" * 4096)
    with pytest.raises(CorruptDatabaseError, match="write-ahead log"):
        open_store(desk)
    assert wal.read_bytes() == b"\x07" * 4096  # SQLite never saw it, so never dropped it


def test_rotation_keeps_the_last_backup_from_before_a_recovery(desk: Path) -> None:
    before = backup.back_up(desk, now=datetime(2026, 11, 3, 9))
    _damage(desk, "comment")
    salvage.recover(desk)  # the damaged file goes aside with today's stamp
    for hour in (10, 11, 12):  # backups of the recovered (smaller) database
        backup.back_up(desk, now=datetime.now().replace(hour=hour) + timedelta(days=1))
    for day in range(1, 40, 3):  # past 7 days and 4 weeks of newer backups
        backup.back_up(desk, now=datetime.now() + timedelta(days=day + 1))
    assert before.path.exists(), "the last whole state before the damage was rotated away"
