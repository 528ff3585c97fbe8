"""Opening a database: migrations on open, and every kind of bad file refused untouched.

Each refusal is checked twice: the store raises our error class, and the command line
(``python -m pse_desk.app --db X db upgrade``) prints one sentence on stderr and exits 1.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from pse_desk.errors import (
    CorruptDatabaseError,
    DatabaseError,
    DatabaseLockedError,
    DatabaseReadOnlyError,
    NotADatabaseError,
    SchemaTooNewError,
)
from pse_desk.store import db as store_db
from pse_desk.store import open_store, preflight
from pse_desk.store.migrations import HEAD_REVISION, KNOWN_REVISIONS
from pse_desk.store.migrations.runner import script_heads, script_revisions


def make_database(path: Path) -> Path:
    open_store(path).close()
    return path


def revision_of(path: Path) -> str:
    con = sqlite3.connect(path)
    try:
        return str(con.execute("SELECT version_num FROM alembic_version").fetchone()[0])
    finally:
        con.close()


def folder_snapshot(folder: Path) -> dict[str, bytes]:
    """Every file in the folder and its bytes: a refused database gains no companions."""
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def run_cli(db: Path | str, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pse_desk.app", "--db", str(db), *extra,
                           "db", "upgrade"], capture_output=True, text=True, timeout=60,
                          check=False)


def assert_one_sentence_and_exit_1(result: subprocess.CompletedProcess[str],
                                   *words: str) -> None:
    message = result.stderr.strip()
    assert result.returncode == 1, result
    assert "Traceback" not in message, message
    assert len(message.splitlines()) == 1, message
    assert message.startswith("pse-desk: ") and message.endswith("."), message
    for word in words:
        assert word in message, message


# --- a healthy database ----------------------------------------------------------------------

def test_a_new_database_is_migrated_to_the_head_revision(db_path: Path) -> None:
    make_database(db_path)
    assert revision_of(db_path) == HEAD_REVISION


def test_known_revisions_match_alembics_script_directory() -> None:
    assert script_revisions() == KNOWN_REVISIONS
    assert script_heads() == (HEAD_REVISION,)


def test_opening_an_up_to_date_database_again_keeps_its_data(db_path: Path) -> None:
    make_database(db_path)
    con = sqlite3.connect(db_path)
    con.execute("INSERT INTO rule (id, hlc, origin, deleted, created_at, updated_at, kind, "
                "params, action, enabled, description, version) VALUES ('r1', '', '', 0, "
                "'2026-10-01', '2026-10-01', 'first_time', '{}', 'hold', 1, 'kept', 1)")
    con.commit()
    con.close()
    make_database(db_path)
    con = sqlite3.connect(db_path)
    assert con.execute("SELECT description FROM rule").fetchall() == [("kept",)]
    con.close()


def test_db_upgrade_command_reports_the_revision(db_path: Path) -> None:
    result = run_cli(db_path)
    assert result.returncode == 0, result.stderr
    assert HEAD_REVISION in result.stdout
    assert revision_of(db_path) == HEAD_REVISION


# --- refused files ---------------------------------------------------------------------------

def test_a_database_from_a_newer_schema_is_refused_and_not_changed(db_path: Path) -> None:
    make_database(db_path)
    con = sqlite3.connect(db_path)
    con.execute("UPDATE alembic_version SET version_num = '9999'")
    con.commit()
    con.close()
    before = folder_snapshot(db_path.parent)

    with pytest.raises(SchemaTooNewError) as caught:
        open_store(db_path)
    assert "newer" in str(caught.value)
    assert folder_snapshot(db_path.parent) == before

    assert_one_sentence_and_exit_1(run_cli(db_path), "newer PSE Desk", "9999")
    assert folder_snapshot(db_path.parent) == before


def test_a_text_file_is_refused_as_not_a_database_and_not_changed(tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("Deadline for the Oct/Nov issue is Friday.\n")
    before = folder_snapshot(tmp_path)

    with pytest.raises(NotADatabaseError):
        open_store(notes)
    assert folder_snapshot(tmp_path) == before

    assert_one_sentence_and_exit_1(run_cli(notes), "not a PSE Desk database")
    assert folder_snapshot(tmp_path) == before


def test_another_programs_sqlite_database_is_refused_and_not_changed(tmp_path: Path) -> None:
    other = tmp_path / "places.sqlite"
    con = sqlite3.connect(other)
    con.execute("CREATE TABLE bookmark (url TEXT)")
    con.commit()
    con.close()
    before = folder_snapshot(tmp_path)

    with pytest.raises(NotADatabaseError):
        open_store(other)
    assert_one_sentence_and_exit_1(run_cli(other), "another program")
    assert folder_snapshot(tmp_path) == before


def test_a_folder_given_as_the_database_is_refused(tmp_path: Path) -> None:
    with pytest.raises(NotADatabaseError):
        open_store(tmp_path)
    assert_one_sentence_and_exit_1(run_cli(tmp_path), "not a PSE Desk database")
    assert list(tmp_path.iterdir()) == []


def test_a_damaged_file_with_a_valid_header_is_refused_and_not_changed(tmp_path: Path) -> None:
    damaged = tmp_path / "damaged.sqlite"
    garbage = bytes((i * 7919 + 13) % 251 for i in range(16 * 1024))
    damaged.write_bytes(b"SQLite format 3\x00" + garbage)
    before = folder_snapshot(tmp_path)

    with pytest.raises(CorruptDatabaseError):
        open_store(damaged)
    assert folder_snapshot(tmp_path) == before

    assert_one_sentence_and_exit_1(run_cli(damaged), "damaged")
    assert folder_snapshot(tmp_path) == before


def test_a_truncated_database_is_refused_as_damaged_and_not_changed(tmp_path: Path) -> None:
    whole = make_database(tmp_path / "whole.sqlite").read_bytes()
    truncated = tmp_path / "truncated.sqlite"
    truncated.write_bytes(whole[: len(whole) // 3])  # a copy that stopped a third of the way
    before = folder_snapshot(tmp_path)

    with pytest.raises(CorruptDatabaseError):
        open_store(truncated)
    assert_one_sentence_and_exit_1(run_cli(truncated), "damaged")
    assert folder_snapshot(tmp_path) == before


# --- a database locked by another process ----------------------------------------------------

@pytest.fixture
def locked_database(db_path: Path) -> Iterator[Path]:
    """A database on which another process holds an exclusive transaction."""
    make_database(db_path)
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sqlite3, sys\n"
         "con = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
         "con.execute('BEGIN EXCLUSIVE')\n"
         "con.execute(\"UPDATE sync_state SET hub_identity = 'busy'\")\n"
         "print('locked', flush=True)\n"
         "sys.stdin.read()\n", str(db_path)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "locked"
        yield db_path
    finally:
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait(timeout=10)


def test_a_database_locked_by_another_process_is_refused_by_the_short_lock_probe(
        locked_database: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # quickly: the preflight's probe (a 1 s wait) finds the lock before an engine is made,
    # whose writers would each wait the 5 s busy timeout; the seconds are measured by
    # benchmarks/startup.py (startup_locked_db_refused_s)
    engines: list[object] = []
    real_make_engine = store_db.make_engine
    monkeypatch.setattr(store_db, "make_engine", lambda *a, **k: engines.append(a) or
                        real_make_engine(*a, **k))
    with pytest.raises(DatabaseLockedError) as refused:
        open_store(locked_database)
    assert engines == []
    assert isinstance(refused.value.__cause__, sqlite3.OperationalError)
    assert "locked" in str(refused.value.__cause__)
    assert preflight.LOCK_PROBE_S < store_db.BUSY_TIMEOUT_MS / 1000

    assert_one_sentence_and_exit_1(run_cli(locked_database), "locked by another program")


# --- a read-only location --------------------------------------------------------------------

OPEN_AND_NAME_THE_ERROR = (
    "import sys\n"
    "from pse_desk.store import open_store\n"
    "try:\n"
    "    open_store(sys.argv[1]).close()\n"
    "except Exception as exc:\n"
    "    print(type(exc).__name__)\n"
    "else:\n"
    "    print('opened')\n"
)


def unshare_works() -> bool:
    if shutil.which("unshare") is None or shutil.which("mount") is None:
        return False
    probe = subprocess.run(["unshare", "--mount", "--propagation", "private", "true"],
                           capture_output=True, check=False)
    return probe.returncode == 0


def run_with_folder_read_only(folder: Path, argv: list[str]) -> subprocess.CompletedProcess[str]:
    """Run ``argv`` while ``folder`` is truly read-only for it.

    Root ignores file modes, so as root the folder is bind-mounted read-only over itself in a
    private mount namespace that only this command sees; other users get ``chmod 555``.
    """
    if os.geteuid() != 0:
        folder.chmod(0o555)
        try:
            return subprocess.run(argv, capture_output=True, text=True, timeout=60,
                                  check=False)
        finally:
            folder.chmod(0o755)
    if not unshare_works():
        pytest.skip("running as root without `unshare --mount`: root ignores file modes, so "
                    "there is no way to make a folder read-only here")
    script = 'mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" && shift && exec "$@"'
    return subprocess.run(["unshare", "--mount", "--propagation", "private", "--",
                           "sh", "-c", script, "sh", str(folder), *argv],
                          capture_output=True, text=True, timeout=60, check=False)


def test_a_new_database_in_a_read_only_folder_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "shelf"
    folder.mkdir()
    target = folder / "newsroom.sqlite"

    result = run_with_folder_read_only(
        folder, [sys.executable, "-c", OPEN_AND_NAME_THE_ERROR, str(target)])
    assert result.stdout.strip() == DatabaseReadOnlyError.__name__, result.stderr

    cli = run_with_folder_read_only(
        folder, [sys.executable, "-m", "pse_desk.app", "--db", str(target), "db", "upgrade"])
    assert_one_sentence_and_exit_1(cli, "read-only")
    assert list(folder.iterdir()) == []


def test_an_existing_database_in_a_read_only_folder_is_refused_and_not_changed(
        tmp_path: Path) -> None:
    folder = tmp_path / "shelf"
    folder.mkdir()
    target = make_database(folder / "newsroom.sqlite")
    before = folder_snapshot(folder)

    result = run_with_folder_read_only(
        folder, [sys.executable, "-c", OPEN_AND_NAME_THE_ERROR, str(target)])
    assert result.stdout.strip() == DatabaseReadOnlyError.__name__, result.stderr

    cli = run_with_folder_read_only(
        folder, [sys.executable, "-m", "pse_desk.app", "--db", str(target), "db", "upgrade"])
    assert_one_sentence_and_exit_1(cli, "read-only")
    assert folder_snapshot(folder) == before


def test_every_refusal_is_a_database_error_with_a_sentence() -> None:
    path = "/srv/newsroom.sqlite"
    errors = [NotADatabaseError(path), DatabaseReadOnlyError(path), DatabaseLockedError(path),
              SchemaTooNewError(path, "9999"), CorruptDatabaseError(path, "bad page")]
    for error in errors:
        assert isinstance(error, DatabaseError)
        sentence = str(error)
        assert path in sentence
        assert sentence.endswith(".") and "\n" not in sentence
