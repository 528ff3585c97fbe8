"""Open exports as use cases: articles as Markdown for Hugo and Jekyll, comments as CSV, and
the whole-newsroom dump with its restore.

Every export is written under a temporary name beside its target and renamed into place once
complete (a folder's files each into the folder), so a cancelled or failed export leaves no
half file under the name chosen. Long work reports ``progress(done, total, what)`` and stops
at the next batch when ``cancel()`` returns true (``WorkCancelled``). The formats are
``pse_desk.interchange.front_matter`` and ``pse_desk.interchange.dump``; the audit trail's CSV
is ``services.moderation.audit.export_audit_csv``.
"""

from __future__ import annotations

import csv
import gzip
import json
import os
import shutil
import sqlite3
import tempfile
import zlib
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any, cast

from sqlalchemy import select

from pse_desk.errors import DumpFileError, WorkCancelled
from pse_desk.interchange import dump
from pse_desk.interchange.front_matter import ArticleFile, file_name, markdown_file
from pse_desk.moderation.audit import csv_safe
from pse_desk.paths import atomic_writer, fsync_folder
from pse_desk.services.moderation.audit import export_audit_csv
from pse_desk.store import bulk
from pse_desk.store.db import Store, open_store
from pse_desk.store.migrations import HEAD_REVISION
from pse_desk.store.model import Article, ArticleStatus

__all__ = ["DumpSummary", "export_audit_csv", "export_comments_csv", "export_dump",
           "export_markdown", "restore_dump"]

DumpSummary = dump.DumpSummary
Progress = Callable[[int, int, str], None]
Cancel = Callable[[], bool]

GZIP_LEVEL = 1  # a dump compresses to about a quarter even so; higher levels cost more time
GZIP_MAGIC = b"\x1f\x8b"
CSV_BATCH = 5000
COMMENT_COLUMNS = ("id", "posted_at", "status", "article_id", "article", "parent_id",
                   "commenter_id", "commenter", "reports", "held_for", "body")
_COMMENTS_SQL = (
    "SELECT c.id, c.posted_at, c.status, c.article_id, a.title, c.parent_id, c.commenter_id, "
    "m.display_name, c.reports, c.held_reasons, c.body FROM comment c "
    "JOIN article a ON a.id = c.article_id JOIN commenter m ON m.id = c.commenter_id "
    "WHERE c.deleted = 0 ORDER BY c.posted_at, c.id")


def _check(cancel: Cancel | None, what: str) -> None:
    if cancel is not None and cancel():
        raise WorkCancelled(f"The {what} was cancelled; no file was written.")


def _driver(session: Any) -> sqlite3.Connection:
    con = session.connection().connection.driver_connection  # begins the read transaction
    assert isinstance(con, sqlite3.Connection)
    return con


# --- Markdown ----------------------------------------------------------------------------------

def _article_files(store: Store) -> list[ArticleFile]:
    with store.read_session() as s:
        rows = s.scalars(select(Article).where(Article.deleted.is_(False))
                         .order_by(Article.created_at, Article.id)).all()
        return [ArticleFile(a.id, a.slug, a.title, a.standfirst, a.body_md, a.section,
                            a.author, list(a.tags or ()), a.status is ArticleStatus.PUBLISHED,
                            a.published_at, a.created_at, a.updated_at) for a in rows]


def export_markdown(store: Store, folder: str | os.PathLike[str], *,
                    progress: Progress | None = None, cancel: Cancel | None = None) -> int:
    """Every live article as ``YYYY-MM-DD-slug.md`` in ``folder`` (made if missing; files of
    the same name are replaced, others left alone); returns how many files."""
    target = Path(folder)
    made = not target.exists()
    target.mkdir(exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=target, prefix=".pse-desk-export-"))
    try:
        articles = _article_files(store)
        taken: set[str] = set()
        names = []
        for done, article in enumerate(articles, 1):
            _check(cancel, "Markdown export")
            name, slug = file_name(article, taken)
            taken.add(slug)
            (staging / name).write_text(markdown_file(article, slug), encoding="utf-8",
                                        newline="")
            names.append(name)
            if progress is not None:
                progress(done, len(articles), "articles")
        for name in names:  # each file complete before it takes its name
            os.replace(staging / name, target / name)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        if made and not any(target.iterdir()):
            target.rmdir()
        raise
    staging.rmdir()
    fsync_folder(target)
    return len(names)


# --- comments CSV ------------------------------------------------------------------------------

def _held_for(raw: object) -> str:
    if not raw or raw == "[]":
        return ""
    try:
        hits = json.loads(str(raw))
    except ValueError:
        return ""
    kinds = [str(h.get("kind", "")) for h in hits if isinstance(h, dict)] \
        if isinstance(hits, list) else []
    return "; ".join(dict.fromkeys(k for k in kinds if k))


def export_comments_csv(store: Store, path: str | os.PathLike[str], *,
                        progress: Progress | None = None, cancel: Cancel | None = None) -> int:
    """Every live comment, oldest first, one CSV row each (cells a spreadsheet shows as text,
    never runs as a formula); returns how many rows."""
    target = Path(path)
    count = 0
    with store.read_session() as s, atomic_writer(target) as raw:
        con = _driver(s)
        (total,) = con.execute("SELECT count(*) FROM comment WHERE deleted = 0").fetchone()
        out = open(raw.fileno(), "w", encoding="utf-8", newline="", closefd=False)  # noqa: SIM115
        with out:
            writer = csv.writer(out)
            writer.writerow(COMMENT_COLUMNS)
            cur = con.execute(_COMMENTS_SQL)
            while rows := cur.fetchmany(CSV_BATCH):
                _check(cancel, "comments export")
                writer.writerows([csv_safe(v) for v in (
                    r[0], str(r[1])[:19], r[2], r[3], r[4], r[5] or "", r[6], r[7], r[8],
                    _held_for(r[9]), r[10])] for r in rows)
                count += len(rows)
                if progress is not None:
                    progress(count, total, "comments")
    return count


# --- the dump ----------------------------------------------------------------------------------

def export_dump(store: Store, path: str | os.PathLike[str], *,
                progress: Progress | None = None, cancel: Cancel | None = None,
                compress: bool | None = None) -> DumpSummary:
    """The whole newsroom (every synced row) as a dump file, gzipped when ``compress`` (by
    default: when the name ends in ``.gz``). One read transaction: one moment of the desk."""
    target = Path(path)
    if compress is None:
        compress = target.suffix == ".gz"
    created = datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    with store.read_session() as s, atomic_writer(target) as raw:
        con = _driver(s)
        if not compress:
            return dump.write_dump(con, raw, schema=HEAD_REVISION, created_at=created,
                                   progress=progress, cancel=cancel)
        with gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=GZIP_LEVEL, mtime=0) as out:
            return dump.write_dump(con, cast(IO[bytes], out), schema=HEAD_REVISION,
                                   created_at=created, progress=progress, cancel=cancel)


def _open_dump(fh: IO[bytes]) -> IO[bytes]:
    start = fh.read(2)
    fh.seek(0)
    if start == GZIP_MAGIC:
        return cast(IO[bytes], gzip.GzipFile(fileobj=fh, mode="rb"))
    return fh


def restore_dump(path: str | os.PathLike[str], target: Store | str | os.PathLike[str], *,
                 progress: Progress | None = None,
                 cancel: Cancel | None = None) -> DumpSummary:
    """Restore a dump into ``target``: an open desk, or a database file (made if missing, and
    removed again if the restore fails). The database must hold no newsroom yet; all of the
    dump goes in, in one transaction, or nothing does."""
    if isinstance(target, Store):
        return _restore_into(Path(path), target, progress, cancel)
    db = Path(target)
    existed = db.exists()
    store = open_store(db)
    try:
        return _restore_into(Path(path), store, progress, cancel)
    except BaseException:
        store.close()
        if not existed:
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(f"{db}{suffix}").unlink(missing_ok=True)
        raise
    finally:
        store.close()  # safe twice


def _restore_into(path: Path, store: Store, progress: Progress | None,
                  cancel: Cancel | None) -> DumpSummary:
    store.check_write(*(spec.name for spec in dump.dump_tables()))  # a moderator's desk: no
    name = str(path)
    with path.open("rb") as fh, _open_dump(fh) as inp, store.engine.connect() as conn:
        con = conn.connection.driver_connection
        assert isinstance(con, sqlite3.Connection)
        reader = None
        try:
            reader = dump.DumpReader(inp, name)
            with bulk.rollback_journal(con):
                con.execute("BEGIN IMMEDIATE")
                try:
                    summary = dump.load_dump(con, reader, our_schema=HEAD_REVISION,
                                             progress=progress, cancel=cancel)
                    _commit(con, name, reader)
                except BaseException:
                    if con.in_transaction:
                        con.execute("ROLLBACK")
                    raise
        except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
            raise DumpFileError(name, f"its compressed data is damaged or cut short ({exc})",
                                reader.line if reader else 1) from None
        newest = dump.newest_stamp(con)
    if newest:
        store.clock.observe(newest)  # later edits here sort after every restored row
    return summary


def _commit(con: sqlite3.Connection, name: str, reader: dump.DumpReader) -> None:
    try:
        con.execute("COMMIT")
    except sqlite3.IntegrityError:  # the deferred foreign keys, checked at the end
        raise DumpFileError(name, "its rows refer to rows it does not hold", reader.line) \
            from None
