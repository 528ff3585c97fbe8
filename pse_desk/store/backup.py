"""Backups of the local database: made with SQLite's online backup API, verified, rotated.

A backup is never a file copy: in WAL mode the newest commits live in ``-wal`` until a
checkpoint, and a copy taken mid-write can be torn. ``sqlite3.Connection.backup`` copies a
consistent snapshot page by page while the desk keeps writing. Each backup is written under a
temporary name in the backup folder, checked (``PRAGMA quick_check`` and our schema table),
fsynced and only then renamed to its final name; only after that are old backups dropped, so a
failed backup never costs a good one.

The automatic backups live beside the database, in ``newsroom.sqlite.backups/``, one file per
backup named by its time (``newsroom-20261202-123000.sqlite``). Rotation keeps the newest backup
of each of the last 7 days that have one and the newest of each of the last 4 ISO weeks that
have one (a desk left closed for a month still has its last good week). A backup the user writes
to a file of their choosing (``pse-desk backup -o FILE``) is theirs and never rotated.

Standard library only: the recovery dialog uses this before SQLAlchemy has loaded.
"""

from __future__ import annotations

import os
import re
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from pse_desk.errors import BackupError
from pse_desk.paths import fsync_folder

KEEP_DAILY = 7
KEEP_WEEKLY = 4
DAILY_EVERY = timedelta(hours=24)
STAMP_FORMAT = "%Y%m%d-%H%M%S"
_NAME = re.compile(r"^(?P<stem>.+)-(?P<stamp>\d{8}-\d{6})(?:-(?P<n>\d+))?\.sqlite$")
PAGES_PER_STEP = -1  # one step: a step that another connection's write follows restarts


@dataclass(frozen=True)
class Backup:
    path: Path
    taken_at: datetime
    size: int

    @property
    def label(self) -> str:
        return f"{self.taken_at:%a %d %b %Y, %H:%M}"


def backup_folder(db_path: Path) -> Path:
    """Where the automatic backups of ``db_path`` live: ``<name>.backups`` beside it."""
    return db_path.with_name(db_path.name + ".backups")


def list_backups(db_path: Path) -> list[Backup]:
    """The automatic backups of ``db_path``, newest first (unfinished temporaries skipped)."""
    folder = backup_folder(db_path)
    if not folder.is_dir():
        return []
    found: list[Backup] = []
    for entry in folder.iterdir():
        match = _NAME.match(entry.name)
        if match is None or not entry.is_file():
            continue
        try:
            taken = datetime.strptime(match["stamp"], STAMP_FORMAT)
            size = entry.stat().st_size
        except (ValueError, OSError):
            continue
        found.append(Backup(entry, taken, size))
    found.sort(key=lambda b: (b.taken_at, b.path.name), reverse=True)
    return found


def check_backup(path: Path) -> str | None:
    """Why the file at ``path`` is not a good backup of a desk, or None when it is."""
    try:
        con = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        return f"it cannot be opened ({exc})"
    try:
        result = con.execute("PRAGMA quick_check").fetchone()
        if not result or result[0] != "ok":
            return f"it fails SQLite's check ({result[0] if result else 'no answer'})"
        if not con.execute("SELECT 1 FROM sqlite_master WHERE type='table' "
                           "AND name='alembic_version'").fetchone():
            return "it is not a PSE Desk database"
        if not con.execute("SELECT 1 FROM alembic_version").fetchone():
            return "it is not a PSE Desk database"
    except sqlite3.Error as exc:
        return f"it cannot be read ({exc})"
    finally:
        con.close()
    return None


def _copy(source: Path, target: Path, progress: Callable[[int, int], None] | None) -> None:
    src = sqlite3.connect(f"{source.as_uri()}?mode=ro", uri=True, timeout=30)
    try:
        dst = sqlite3.connect(str(target))
        try:
            def step(_status: int, remaining: int, total: int) -> None:
                if progress is not None:
                    progress(total - remaining, total)

            src.backup(dst, pages=PAGES_PER_STEP, progress=step)
            # a backup opens in rollback-journal mode; a restored desk turns WAL on at open
            dst.execute("PRAGMA journal_mode=DELETE")
        finally:
            dst.close()
    finally:
        src.close()


def write_backup(db_path: Path, target: Path, *,
                 progress: Callable[[int, int], None] | None = None) -> Backup:
    """Back ``db_path`` up to ``target`` (a new file: never one that exists), verified.

    Written under a temporary name beside ``target``, checked, fsynced and renamed; a
    failure leaves no file and raises ``BackupError`` with a sentence."""
    if not db_path.exists():
        raise BackupError(f"There is no database at {db_path} to back up.")
    target.parent.mkdir(parents=True, exist_ok=True)
    temp = target.with_name(f".{target.name}.partial")
    temp.unlink(missing_ok=True)
    try:
        _copy(db_path, temp, progress)
        problem = check_backup(temp)
        if problem is not None:
            raise BackupError(f"The backup of {db_path} was not kept: {problem}.")
        with temp.open("rb+") as fh:
            os.fsync(fh.fileno())
        if target.exists():
            raise BackupError(f"{target} already exists; choose another name.")
        os.replace(temp, target)
        fsync_folder(target.parent)
    except sqlite3.Error as exc:
        raise BackupError(f"The backup of {db_path} failed: {exc}. "
                          "Nothing was changed.") from exc
    except OSError as exc:
        raise BackupError(f"The backup could not be written to {target.parent}: "
                          f"{exc.strerror or exc}.") from exc
    finally:
        temp.unlink(missing_ok=True)
    stat = target.stat()
    return Backup(target, datetime.fromtimestamp(stat.st_mtime), stat.st_size)


def back_up(db_path: Path, *, now: datetime | None = None,
            progress: Callable[[int, int], None] | None = None) -> Backup:
    """One automatic backup into the backup folder, then rotation; the new backup."""
    now = (now or datetime.now()).replace(microsecond=0)
    folder = backup_folder(db_path)
    stem = db_path.stem
    name = f"{stem}-{now:{STAMP_FORMAT}}.sqlite"
    n = 1
    while (folder / name).exists():  # two in one second: numbered, never overwritten
        n += 1
        name = f"{stem}-{now:{STAMP_FORMAT}}-{n}.sqlite"
    made = write_backup(db_path, folder / name, progress=progress)
    made = Backup(made.path, now, made.size)
    rotate(db_path, now=now)
    return made


def kept(stamps: Iterable[datetime]) -> set[datetime]:
    """Which backup times rotation keeps: the newest of each of the last ``KEEP_DAILY`` days
    that have a backup, and the newest of each of the last ``KEEP_WEEKLY`` ISO weeks."""
    newest_per_day: dict[object, datetime] = {}
    newest_per_week: dict[object, datetime] = {}
    for stamp in stamps:
        day = stamp.date()
        week = tuple(stamp.isocalendar())[:2]
        if day not in newest_per_day or stamp > newest_per_day[day]:
            newest_per_day[day] = stamp
        if week not in newest_per_week or stamp > newest_per_week[week]:
            newest_per_week[week] = stamp
    days = sorted(newest_per_day.values(), reverse=True)[:KEEP_DAILY]
    weeks = sorted(newest_per_week.values(), reverse=True)[:KEEP_WEEKLY]
    return set(days) | set(weeks)


def rotate(db_path: Path, *, now: datetime | None = None) -> list[Path]:
    """Drop the automatic backups rotation does not keep; the paths dropped. The newest is
    always kept, and nothing is dropped unless the newest passes the check."""
    backups = list_backups(db_path)
    if not backups or check_backup(backups[0].path) is not None:
        return []
    keep = kept(b.taken_at for b in backups) | _before_damage(db_path, backups)
    dropped: list[Path] = []
    seen: set[datetime] = set()
    for b in backups:  # newest first: of two with the same second, the later name stays
        if b.taken_at in keep and b.taken_at not in seen:
            seen.add(b.taken_at)
            continue
        try:
            b.path.unlink()
            dropped.append(b.path)
        except OSError:
            continue  # a file we cannot remove is left; it costs space, not data
    return dropped


def _before_damage(db_path: Path, backups: list[Backup]) -> set[datetime]:
    """The newest backup before each time the database was found damaged and replaced
    (``<name>.damaged-<stamp>`` beside it): the last whole state, kept whatever the rotation
    says, since a recovered database may hold less than it."""
    protected: set[datetime] = set()
    for aside in db_path.parent.glob(f"{db_path.name}.damaged-*"):
        match = re.match(r".*\.damaged-(\d{8}-\d{6})", aside.name)
        if match is None:
            continue
        try:
            damaged_at = datetime.strptime(match[1], STAMP_FORMAT)
        except ValueError:
            continue
        older = [b.taken_at for b in backups if b.taken_at <= damaged_at]
        if older:
            protected.add(max(older))
    return protected


def due(db_path: Path, *, now: datetime | None = None, every: timedelta = DAILY_EVERY) -> bool:
    """Whether an automatic backup is due: none yet, the newest is older than ``every``."""
    backups = list_backups(db_path)
    now = now or datetime.now()
    return not backups or now - backups[0].taken_at >= every


def changed_since_backup(db_path: Path) -> bool:
    """Whether the database (or its WAL) changed after the newest backup was taken."""
    backups = list_backups(db_path)
    if not backups:
        return True
    newest = backups[0].path.stat().st_mtime
    for part in (db_path, db_path.with_name(db_path.name + "-wal")):
        try:
            if part.stat().st_mtime > newest:
                return True
        except OSError:
            continue
    return False
