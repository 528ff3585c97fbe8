"""A damaged database: what is wrong with it, and getting the newsroom back without losing more.

``diagnose`` says in a sentence what is wrong with a database file, or nothing: not SQLite at
all, a write-ahead log whose header is not SQLite's (a WAL SQLite would silently ignore, and
with it the last commits), or a file that fails ``PRAGMA quick_check``. Two ways out, both of
which move the damaged file aside (``newsroom.sqlite.damaged-20261202-123000``, its ``-wal``
and ``-shm`` with it) and never write to it:

- ``restore_backup``: the newest good backup (``store.backup``) is copied in its place;
- ``recover``: every row SQLite can still read is copied, table by table, from a *copy* of the
  damaged files (opening the original, even read-only, could fold its WAL into it) into a new
  database with the desk's schema, stepping over pages that cannot be read; the full-text
  indexes are rebuilt. (The ``sqlite3`` tool's ``.recover`` would read orphaned pages too, but
  Debian 12's build lacks the ``sqlite_dbpage`` table it needs and fails with "SQL logic
  error"; this reads through SQLite's own b-trees instead.)

Either way the new file is made under a temporary name, checked, and renamed into place only
then. Standard library only: this runs before SQLAlchemy loads.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import struct
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from pse_desk.errors import SalvageError
from pse_desk.paths import fsync_folder
from pse_desk.store.backup import Backup, check_backup, list_backups
from pse_desk.store.walcheck import wal_problem

SQLITE_MAGIC = b"SQLite format 3\x00"
COMPANIONS = ("-wal", "-shm", "-journal")
_PENDING_BYTE = 0x40000000  # SQLite's lock bytes: pending, reserved, then the shared range
_LOCK_BYTES = 512
FTS_TABLES = ("article_fts", "comment_fts", "commenter_fts")


@dataclass(frozen=True)
class Diagnosis:
    path: Path
    problem: str  # what is wrong, as a clause: "it is not an SQLite database"
    readable: bool  # whether .recover can hope to read anything from it

    @property
    def sentence(self) -> str:
        return f"{self.path} is damaged: {self.problem}."


def diagnose(db_path: Path, *, full: bool = True) -> Diagnosis | None:
    """What is wrong with the database at ``db_path``, or None if it is sound (or absent).

    ``full=False`` skips ``quick_check`` (seconds on a big file) and looks only at the header
    and the WAL, as the start-up check does before the first paint."""
    try:
        with db_path.open("rb") as fh:
            head = fh.read(100)
    except FileNotFoundError:
        return None
    except OSError as exc:
        return Diagnosis(db_path, f"it cannot be read ({exc.strerror or exc})", False)
    if not head:
        return None
    if not head.startswith(SQLITE_MAGIC):
        return Diagnosis(db_path, "it is not an SQLite database", False)
    if len(head) < 100:
        return Diagnosis(db_path, "it is cut short", False)
    problem = wal_problem(db_path)
    if problem is not None:
        return Diagnosis(db_path, problem, True)
    if not full:
        return None
    problem = _quick_check(db_path)
    return None if problem is None else Diagnosis(db_path, problem, True)


def _quick_check(db_path: Path) -> str | None:
    wal = db_path.with_name(db_path.name + "-wal")
    uri = f"{db_path.as_uri()}?mode=ro" + ("" if wal.exists() else "&immutable=1")
    try:
        con = sqlite3.connect(uri, uri=True, timeout=10)
        try:
            rows = con.execute("PRAGMA quick_check(5)").fetchall()
        finally:
            con.close()
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc):
            return None  # busy, not broken: another process holds it
        return f"SQLite cannot read it ({exc})"
    except sqlite3.DatabaseError as exc:
        return f"SQLite cannot read it ({exc})"
    if rows and rows[0][0] == "ok":
        return None
    lines = [line for r in rows for line in str(r[0]).splitlines() if not line.startswith("***")]
    first = lines[0] if lines else "no answer"
    return f"it fails SQLite's integrity check ({first})"


def aside_name(db_path: Path, now: datetime | None = None) -> Path:
    """Where a damaged ``db_path`` goes: a new name beside it with the time, never taken."""
    stamp = f"{(now or datetime.now()):%Y%m%d-%H%M%S}"
    candidate = db_path.with_name(f"{db_path.name}.damaged-{stamp}")
    n = 1
    while candidate.exists():
        n += 1
        candidate = db_path.with_name(f"{db_path.name}.damaged-{stamp}-{n}")
    return candidate


def move_aside(db_path: Path, now: datetime | None = None) -> Path:
    """Rename the damaged file and its companions (``-wal``, ``-shm``) out of the way."""
    target = aside_name(db_path, now)
    for suffix in COMPANIONS:
        part = db_path.with_name(db_path.name + suffix)
        if part.exists():
            os.replace(part, target.with_name(target.name + suffix))
    if db_path.exists():
        os.replace(db_path, target)
    fsync_folder(db_path.parent)
    return target


def _place(new_file: Path, db_path: Path) -> Path | None:
    """Put the checked ``new_file`` at ``db_path``; the damaged file moved aside, if any."""
    aside = move_aside(db_path) if db_path.exists() else None
    os.replace(new_file, db_path)
    fsync_folder(db_path.parent)
    return aside


def in_use(db_path: Path) -> bool:
    """Whether another connection holds SQLite's lock on ``db_path`` (Linux: ``F_GETLK``).

    Asked without opening the file with SQLite, which could fold a damaged WAL into it: a
    WAL-mode connection that has read holds a shared lock on the lock bytes."""
    try:
        import fcntl
    except ImportError:  # not POSIX: nothing to ask
        return False
    try:
        fd = os.open(db_path, os.O_RDONLY)
    except OSError:
        return False
    try:
        probe = struct.pack("hhqqi", fcntl.F_WRLCK, 0, _PENDING_BYTE, _LOCK_BYTES, 0)
        answer = fcntl.fcntl(fd, fcntl.F_GETLK, probe)
        return bool(struct.unpack("hhqqi", answer)[0] != fcntl.F_UNLCK)
    except OSError:
        return False
    finally:
        os.close(fd)


def ensure_unused(db_path: Path) -> None:
    """Refuse to replace a database another program (another desk window) has open."""
    if db_path.exists() and in_use(db_path):
        raise SalvageError(f"{db_path} is open in another PSE Desk (or another program); "
                           "close it first. Nothing was changed.")


def newest_good_backup(db_path: Path) -> Backup | None:
    """The newest automatic backup of ``db_path`` that passes the check."""
    for candidate in list_backups(db_path):
        if check_backup(candidate.path) is None:
            return candidate
    return None


def restore_backup(backup: Path, db_path: Path) -> Path | None:
    """Replace ``db_path`` by a copy of ``backup`` (checked first); the moved-aside file."""
    ensure_unused(db_path)
    problem = check_backup(backup)
    if problem is not None:
        raise SalvageError(f"{backup} cannot be restored: {problem}. Nothing was changed.")
    temp = db_path.with_name(f".{db_path.name}.restoring")
    temp.unlink(missing_ok=True)
    try:
        src = sqlite3.connect(f"{backup.as_uri()}?mode=ro", uri=True)
        try:
            dst = sqlite3.connect(str(temp))
            try:
                src.backup(dst)
            finally:
                dst.close()
        finally:
            src.close()
        with temp.open("rb+") as fh:
            os.fsync(fh.fileno())
        return _place(temp, db_path)
    except (sqlite3.Error, OSError) as exc:
        raise SalvageError(f"{backup} could not be restored to {db_path} ({exc}); "
                           "nothing was changed.") from exc
    finally:
        temp.unlink(missing_ok=True)


def recover(db_path: Path) -> Recovered:
    """Read what can be read of the damaged ``db_path`` into a new database put in its place.

    The new database gets the desk's current schema (migrations); then every table is copied
    row by row through SQLite itself, oldest row first, from a *copy* of the damaged files.
    Where a page cannot be read, the copy steps over it to the next row that can be (see
    ``_copy_table``) and counts what it could not read. ``SalvageError`` when nothing usable
    could be read; the damaged file is then left where it was."""
    ensure_unused(db_path)
    temp = db_path.with_name(f".{db_path.name}.recovering")
    _unlink_all(temp)
    try:
        with tempfile.TemporaryDirectory(prefix="pse-desk-recover-") as work:
            copy = Path(work) / db_path.name
            shutil.copyfile(db_path, copy)
            wal = db_path.with_name(db_path.name + "-wal")
            if wal.exists() and wal_problem(db_path) is None:
                shutil.copyfile(wal, copy.with_name(copy.name + "-wal"))
            _make_schema(temp)
            tables, lost = _copy_all(copy, temp)
            _rebuild_indexes(temp)
        if not tables:
            raise SalvageError(f"Nothing could be read from {db_path}; it was left where it "
                               "was.")
        problem = check_backup(temp)
        if problem is not None:
            raise SalvageError(f"Too little could be read from {db_path} to open it "
                               f"({problem}); it was left where it was.")
        with temp.open("rb+") as fh:
            os.fsync(fh.fileno())
        aside = _place(temp, db_path)
    except (sqlite3.Error, OSError) as exc:
        raise SalvageError(f"Recovering {db_path} failed ({exc}); it was left where it "
                           "was.") from exc
    finally:
        _unlink_all(temp)
    assert aside is not None
    return Recovered(db_path, aside, tables, lost)


@dataclass(frozen=True)
class Recovered:
    path: Path
    aside: Path
    rows: dict[str, int]  # table: rows read
    unreadable: dict[str, int]  # table: stretches of rows that could not be read

    @property
    def sentence(self) -> str:
        total = sum(self.rows.values())
        gaps = sum(self.unreadable.values())
        text = f"{total:,} rows were recovered into {self.path.name}"
        if gaps:
            where = ", ".join(sorted(t for t, n in self.unreadable.items() if n))
            text += f"; {gaps:,} damaged stretch(es) could not be read ({where})"
        return f"{text}. The damaged file was kept as {self.aside.name}."


def _unlink_all(path: Path) -> None:
    for suffix in ("", *COMPANIONS):
        path.with_name(path.name + suffix).unlink(missing_ok=True)


def _make_schema(path: Path) -> None:
    # the desk's own schema, whatever survived of the damaged one (SQLAlchemy loads here)
    from pse_desk.store.db import make_engine, migrate

    engine = make_engine(path)
    try:
        migrate(engine)
    finally:
        engine.dispose()


def _columns(con: sqlite3.Connection, table: str) -> list[str]:
    return [r[1] for r in con.execute(f'PRAGMA table_info("{table}")')]


def _copy_all(source: Path, target: Path) -> tuple[dict[str, int], dict[str, int]]:
    src = sqlite3.connect(str(source))
    dst = sqlite3.connect(str(target), isolation_level=None)
    rows: dict[str, int] = {}
    lost: dict[str, int] = {}
    try:
        dst.execute("PRAGMA foreign_keys = OFF")  # a parent may be among what was lost
        dst.execute("BEGIN")
        wanted = [r[0] for r in dst.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite%' "
            "AND name != 'alembic_version' AND sql NOT LIKE 'CREATE VIRTUAL%' "
            "AND name NOT LIKE '%_fts_%'")]
        for table in wanted:
            try:
                have = set(_columns(src, table))
            except sqlite3.DatabaseError:
                have = set()
            common = [c for c in _columns(dst, table) if c in have]
            if not common:
                continue
            rows[table], lost[table] = _copy_table(src, dst, table, common)
        dst.execute("COMMIT")
    finally:
        src.close()
        dst.close()
    return {t: n for t, n in rows.items() if n}, lost


def _copy_table(src: sqlite3.Connection, dst: sqlite3.Connection, table: str,
                columns: list[str]) -> tuple[int, int]:
    """Copy ``table`` in rowid order; on a page that cannot be read, find the next rowid that
    can (doubling the step, then halving back) and go on from there."""
    names = ", ".join(f'"{c}"' for c in columns)
    select = f'SELECT rowid, {names} FROM "{table}" WHERE rowid > ? ORDER BY rowid'
    insert = (f'INSERT OR REPLACE INTO "{table}" ({names}) '
              f'VALUES ({", ".join("?" * len(columns))})')
    pos, copied, gaps = -(2**63), 0, 0
    stuck = resumed = pos
    while True:
        batch: list[tuple[object, ...]] = []
        try:
            for row in src.execute(select, (pos,)):
                batch.append(row[1:])
                pos = row[0]
                if len(batch) >= 5000:
                    dst.executemany(insert, batch)
                    copied += len(batch)
                    batch = []
            dst.executemany(insert, batch)
            return copied + len(batch), gaps
        except sqlite3.DatabaseError:
            dst.executemany(insert, batch)
            copied += len(batch)
            gaps += 1
            # no row read since the last stop: the row found readable is not; look past it
            start = pos if batch or pos != stuck else resumed
            found = _next_readable(src, table, start)
            if found is None:
                return copied, gaps
            stuck, resumed = pos, found
            pos = found - 1


class _Unreadable(Exception):
    pass


def _next_readable(src: sqlite3.Connection, table: str, after: int) -> int | None:
    """The first rowid after ``after`` whose page can be read, or None if none can."""
    probe = f'SELECT rowid FROM "{table}" WHERE rowid >= ? ORDER BY rowid LIMIT 1'

    def first_from(at: int) -> int | None:
        try:
            row = src.execute(probe, (at,)).fetchone()
        except sqlite3.DatabaseError as exc:
            raise _Unreadable from exc
        return None if row is None else int(row[0])

    step = 1
    while after + step < 2**62:
        try:
            found = first_from(after + step)
        except _Unreadable:
            step *= 2
            continue
        if found is None:
            return None  # nothing readable after the damage
        low, high = after + step // 2, after + step  # the damage ends in between
        while high - low > 1:
            mid = (low + high) // 2
            try:
                first_from(mid)
                high = mid
            except _Unreadable:
                low = mid
        return first_from(high)
    return None


def _rebuild_indexes(path: Path) -> None:
    con = sqlite3.connect(str(path))
    try:
        names = {r[0] for r in con.execute("SELECT name FROM sqlite_master")}
        for table in FTS_TABLES:
            if table in names:
                con.execute(f"INSERT INTO {table}({table}) VALUES ('rebuild')")
        con.commit()
    finally:
        con.close()
