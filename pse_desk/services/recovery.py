"""Crash recovery: snapshots of the text being typed, and bringing them back after a crash.

The editor writes a snapshot of every article with unsaved changes at most about a second after
a change; a normal save or close clears it. Every save supersedes the snapshot: the
revision services call ``settle`` after each autosave, named revision, restore and split, so a
snapshot never outlives the save of its text. After a crash (or SIGKILL, or a power cut), the
next launch asks ``pending_recoveries`` which articles have a snapshot whose text no revision
holds, and ``recover`` saves that text as an autosave revision labelled "recovered after a crash".
A snapshot whose text some revision already holds (a kill between a save and its ``settle``, say,
or a snapshot of text that a later restore replaced) was saved: it is dropped, never offered.

Snapshots are journal files, one per article, beside the database (``newsroom.sqlite.recovery/
<article id>.json``), not rows in it. Why files: a snapshot must never wait — a sync, import or
bulk moderation holding SQLite's single write lock would make it queue for seconds, exactly when
typing is at risk — and it must survive a power cut, which WAL with ``synchronous=NORMAL`` does
not promise for the last commits. Each file is written to a temporary name, fsynced, renamed over
the old one with ``os.replace`` (atomic on POSIX and Windows) and the folder fsynced: a reader
sees the old snapshot or the new one, never half of one. They are local only and never synced.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pse_desk.errors import NotFoundError
from pse_desk.paths import write_atomically
from pse_desk.store.db import Store
from pse_desk.store.model import Article, Revision, RevisionKind, utcnow

RECOVERED_LABEL = "recovered after a crash"
FORMAT = 1
SAFE_ID = re.compile(r"^[A-Za-z0-9-]{1,64}$")
SUFFIX = ".json"


@dataclass(frozen=True)
class Snapshot:
    """The state of one open article's editor, as the recovery journal keeps it."""

    article_id: str
    title: str
    standfirst: str
    body_md: str
    cursor: int = 0  # character position of the text cursor in the body
    written_at: str = ""  # ISO time (UTC), filled in when written


@dataclass(frozen=True)
class PendingRecovery:
    article_id: str
    title: str  # the title in the snapshot
    written_at: datetime
    saved_chars: int  # length of the saved body
    recovered_chars: int  # length of the body in the snapshot


@dataclass(frozen=True)
class Recovered:
    article_id: str
    revision_id: str
    cursor: int


def journal_folder(db_path: str | os.PathLike[str]) -> Path:
    path = Path(db_path)
    return path.with_name(path.name + ".recovery")


class RecoveryJournal:
    """Snapshot files in one folder; safe to use from a worker thread (no shared state)."""

    def __init__(self, folder: str | os.PathLike[str]) -> None:
        self.folder = Path(folder)

    def _file(self, article_id: str) -> Path:
        if not SAFE_ID.match(article_id):
            raise ValueError(f"not an article id: {article_id!r}")
        return self.folder / f"{article_id}{SUFFIX}"

    def write(self, snapshot: Snapshot) -> None:
        """Write the snapshot durably and atomically (replacing the article's previous one)."""
        target = self._file(snapshot.article_id)
        record = asdict(snapshot) | {"format": FORMAT,
                                     "written_at": utcnow().isoformat(timespec="milliseconds")}
        # surrogatepass: an editor can hold a lone surrogate (half of a pasted emoji)
        data = json.dumps(record, ensure_ascii=False).encode("utf-8", "surrogatepass")
        self.folder.mkdir(parents=True, exist_ok=True)
        write_atomically(target, data)

    def read(self, article_id: str) -> Snapshot | None:
        """The article's snapshot, or None (also for a file that cannot be read)."""
        try:
            raw: Any = json.loads(self._file(article_id).read_bytes()
                                  .decode("utf-8", "surrogatepass"))
            fields = {k: raw[k] for k in Snapshot.__dataclass_fields__}
            snapshot = Snapshot(**fields)
            datetime.fromisoformat(snapshot.written_at)
        except (OSError, ValueError, KeyError, TypeError):
            return None
        if snapshot.article_id != article_id:
            return None
        return snapshot

    def clear(self, article_id: str) -> None:
        self._file(article_id).unlink(missing_ok=True)

    def article_ids(self) -> list[str]:
        if not self.folder.is_dir():
            return []
        return sorted(p.stem for p in self.folder.glob(f"*{SUFFIX}")
                      if SAFE_ID.match(p.stem))


def journal_for(store: Store) -> RecoveryJournal:
    return RecoveryJournal(journal_folder(store.path))


def write_snapshot(store: Store, snapshot: Snapshot) -> None:
    journal_for(store).write(snapshot)


def clear_snapshot(store: Store, article_id: str) -> None:
    """After a normal save or close: nothing is left to recover for this article."""
    journal_for(store).clear(article_id)


def settle(store: Store, article_id: str) -> None:
    """A save of the editor's text just committed: the snapshot it supersedes goes.

    Writes run one at a time in order (the desk's write queue), so a snapshot of text typed
    after this save is written after this call and stays.
    """
    journal_for(store).clear(article_id)


def _saved_somewhere(session: Session, article: Article, snapshot: Snapshot) -> bool:
    """True when the live text or any live revision of the article holds the snapshot's text.

    Compared inside SQLite, so big bodies are not read into Python.
    """
    if (article.body_md == snapshot.body_md and article.title == snapshot.title
            and article.standfirst == snapshot.standfirst):
        return True
    held = session.scalar(
        select(func.count()).select_from(Revision)
        .where(Revision.article_id == article.id, Revision.deleted.is_(False),
               Revision.body_md == snapshot.body_md, Revision.title == snapshot.title,
               Revision.standfirst == snapshot.standfirst))
    return bool(held)


def pending_recoveries(store: Store) -> list[PendingRecovery]:
    """Articles whose snapshot holds text that no revision holds, oldest snapshot first.

    Snapshots of saved text are cleared on the way; snapshots of articles this database does
    not have are left alone.
    """
    journal = journal_for(store)
    pending: list[PendingRecovery] = []
    with store.read_session() as s:
        for article_id in journal.article_ids():
            snapshot = journal.read(article_id)
            article = s.get(Article, article_id)
            if snapshot is None or article is None:
                continue
            if _saved_somewhere(s, article, snapshot):
                journal.clear(article_id)
                continue
            pending.append(PendingRecovery(article_id, snapshot.title,
                                           datetime.fromisoformat(snapshot.written_at),
                                           len(article.body_md), len(snapshot.body_md)))
    pending.sort(key=lambda p: p.written_at)
    return pending


def recover(store: Store, article_id: str) -> Recovered:
    """Save the snapshot's text as the article's text and as an autosave revision, then clear it.

    A deleted article is brought back: a delete never swallows words written after it.
    """
    journal = journal_for(store)
    snapshot = journal.read(article_id)
    if snapshot is None:
        raise NotFoundError("There is nothing to recover for this article.")
    with store.session() as s:
        article = s.scalar(select(Article).where(Article.id == article_id))
        if article is None:
            raise NotFoundError("The article of this recovered text is not in this database.")
        article.deleted = False
        article.title = snapshot.title
        article.standfirst = snapshot.standfirst
        article.body_md = snapshot.body_md
        revision = Revision(article_id=article_id, title=snapshot.title,
                            standfirst=snapshot.standfirst, body_md=snapshot.body_md,
                            kind=RevisionKind.AUTOSAVE, label=RECOVERED_LABEL)
        s.add(revision)
        s.commit()
        revision_id = revision.id
    journal.clear(article_id)
    return Recovered(article_id, revision_id, snapshot.cursor)


def discard_recovery(store: Store, article_id: str) -> None:
    """The user chose to keep the saved text: forget the snapshot."""
    journal_for(store).clear(article_id)
