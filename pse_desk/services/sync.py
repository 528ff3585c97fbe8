"""Sync with the newsroom hub: settings, Test connection, one sync run, the sync log.

``sync(store)`` is one run: connect, check the hub's schema and identity, measure the clock
offset, pull (the whole newsroom from one snapshot when this desk is empty), push, and pull
and push again while the hub refused stale articles (another desk changed them meanwhile;
the pull merges them). Each batch is its own transaction on both sides, so a cut or a cancel
leaves both consistent and the next run finishes the job. Every run is written to the sync
log (``sync_run``) with its counts and error. Nothing here raises for a dead hub: the report
says what happened, and local work stays queued.

The password is never stored in the database or QSettings: it comes from the OS keyring
(``keyring``), or libpq's own ~/.pgpass or service file, which psycopg reads by itself.
"""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import psycopg
import sqlalchemy as sa

from pse_desk.errors import DeskError, SyncError
from pse_desk.services.hub_settings import ROLES, HubSettings, apply_role, save_settings, settings
from pse_desk.store import bulk
from pse_desk.store.db import Store
from pse_desk.store.model import SYNCED_TABLES, SyncRun, SyncState, utcnow
from pse_desk.sync import hub as hubs
from pse_desk.sync import replicate as rep
from pse_desk.sync.roles import ROLE_WORDS
from pse_desk.sync.urls import display_url

__all__ = [
    "ROLES",
    "HubSettings",
    "SyncReport",
    "apply_role",
    "init_hub",
    "save_settings",
    "settings",
    "status",
    "sync",
    "sync_log",
    "test_connection",
]

log = logging.getLogger(__name__)

KEYRING_SERVICE = "pse-desk hub"
DEFAULT_INTERVAL_S = 30
PUSH_BATCH = 2000
PULL_BATCH = 5000
ROUNDS = 3
SNAPSHOT_CACHE_KIB = 96 * 1024  # SQLite's page cache while a first pull loads (memory ≤ 500 MB)

Progress = Callable[[str, int, int], None]  # (what, done, total)


# --- settings ---------------------------------------------------------------------------------

def password_for(url: str) -> str | None:
    """The hub password from the OS keyring (None: libpq's passfile or none)."""
    try:
        import keyring
        from keyring.errors import KeyringError

        return keyring.get_password(KEYRING_SERVICE, display_url(url))
    except (ImportError, KeyringError, RuntimeError):  # no keyring backend on this machine
        return None


def keep_password(url: str, password: str) -> str:
    """Put the password in the OS keyring; the sentence says where it went."""
    try:
        import keyring
        from keyring.errors import KeyringError

        keyring.set_password(KEYRING_SERVICE, display_url(url), password)
        return "The password is kept in the system keyring."
    except (ImportError, KeyringError, RuntimeError) as exc:
        log.info("no keyring: %s", exc)
        return ("This machine has no system keyring, so the password was not kept: put it "
                "in ~/.pgpass (host:port:database:user:password, mode 600), which PSE Desk "
                "reads as psql does.")


# --- one run ----------------------------------------------------------------------------------

@dataclass
class SyncReport:
    outcome: str = "ok"        # ok / offline / error / cancelled
    message: str = ""
    pushed: int = 0
    pulled: int = 0
    merged: int = 0
    conflicts: int = 0
    resurrected: int = 0
    refused: int = 0
    notes: list[str] = field(default_factory=list)
    waiting: int = 0           # outbox entries this desk may push, still queued
    held: int = 0              # entries of tables another role owns
    clock_offset_ms: int | None = None
    seconds: float = 0.0
    snapshot: bool = False

    @property
    def ok(self) -> bool:
        return self.outcome == "ok"

    def summary(self) -> str:
        if self.outcome != "ok":
            return self.message
        parts = [f"sent {self.pushed}", f"received {self.pulled}"]
        if self.merged:
            parts.append(f"{self.merged} merged")
        if self.conflicts:
            parts.append(f"{self.conflicts} in conflict")
        if self.refused:
            parts.append(f"{self.refused} refused")
        return "Synced: " + ", ".join(parts) + "."


def _offset(conn: psycopg.Connection[Any]) -> int:
    before = time.time() * 1000
    hub_ms = hubs.hub_now_ms(conn)
    after = time.time() * 1000
    return int(hub_ms - (before + after) / 2)


class _Run:
    def __init__(self, store: Store, cfg: HubSettings, password: str | None,
                 progress: Progress | None, cancelled: Callable[[], bool] | None) -> None:
        self.store, self.cfg, self.password = store, cfg, password
        self.progress = progress or (lambda _w, _d, _t: None)
        self.cancelled = cancelled or (lambda: False)
        self.report = SyncReport()
        self.device = store.device_id

    def check(self) -> None:
        if self.cancelled():
            raise rep.Cancelled

    def hub_now(self) -> int:
        return int(time.time() * 1000) + (self.report.clock_offset_ms or 0)

    def run(self, conn: psycopg.Connection[Any]) -> None:
        info = hubs.check_schema(conn, self.cfg.url)
        with hubs.as_role(conn, self.cfg.role):
            pass  # the login may act as the role (else one sentence)
        self.report.clock_offset_ms = _offset(conn)
        with self.store.session() as s:
            state = s.get(SyncState, 1)
            assert state is not None
            if state.hub_identity and state.hub_identity != info.identity \
                    and state.last_pulled_seq:
                raise SyncError(f"This desk last synced with another hub than "
                                f"{self.cfg.url}; it cannot join a second newsroom.")
            state.hub_identity = info.identity
            state.clock_offset_ms = self.report.clock_offset_ms
            empty = state.last_pulled_seq == 0 and rep.is_empty(s)
            s.commit()
        if empty:
            self.snapshot(conn)
        else:
            self.check_hub_memory(conn)
        for _round in range(ROUNDS):
            self.pull(conn)
            stale = self.push(conn)
            if not stale:
                break

    def snapshot(self, conn: psycopg.Connection[Any]) -> None:
        self.report.snapshot = True
        saved = conn.isolation_level
        conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        try:
            with hubs.as_role(conn, self.cfg.role):
                conn.execute("SET TRANSACTION READ ONLY")
                last = conn.execute("SELECT coalesce(max(seq), 0) FROM hub_change").fetchone()
                cursor = int(last[0]) if last else 0
                counts = rep.snapshot_counts(conn)
                total, done = sum(counts.values()), 0
                tables = [t for t in SYNCED_TABLES if counts[t]]
                with self.store.session(fold_wal=False) as s:
                    s.connection().exec_driver_sql("PRAGMA defer_foreign_keys = ON")
                    raw = s.connection().connection.driver_connection
                    assert isinstance(raw, sqlite3.Connection)
                    # as the demo loads a million comments: indexes and search built once at
                    # the end, the hub's rows read ahead on a thread while SQLite writes
                    with bulk.large_cache(raw, SNAPSHOT_CACHE_KIB), \
                            bulk.fts_suspended(raw, [t for t in tables if t in bulk.FTS_TABLES]), \
                            bulk.indexes_suspended(raw, tables,
                                                   keep=rep.self_reference_indexes(tables)):
                        for table in tables:
                            for names, rows in bulk.prefetched(rep.copy_table(conn, table)):
                                self.check()
                                done += rep.insert_snapshot_rows(s, table, names, rows)
                                self.progress("Receiving the newsroom", done, total)
                    rep.finish_snapshot(s, self.store.clock, cursor)
                    s.commit()
                self.report.pulled += done
        finally:
            conn.isolation_level = saved
        self.store.checkpoint()

    def pull(self, conn: psycopg.Connection[Any]) -> None:
        stats = rep.PullStats()
        with self.store.read_session() as s:
            state = s.get(SyncState, 1)
            cursor = state.last_pulled_seq if state else 0
        total = max(0, rep.last_change(conn, self.cfg.role) - cursor)
        done = 0
        while True:
            self.check()
            fetched = rep.fetch_changes(conn, self.cfg.role, self.device, cursor,
                                        limit=PULL_BATCH)
            if fetched.last_seq == cursor:
                break
            with self.store.session() as s:
                rep.apply_changes(s, self.store.clock, fetched, hub_now_ms=self.hub_now(),
                                  stats=stats, merges=self.cfg.role == "editor")
                s.commit()
            done += fetched.last_seq - cursor
            cursor = fetched.last_seq
            self.progress("Receiving changes", done, max(total, done))
        r = self.report
        r.pulled += stats.pulled
        r.merged += stats.merged
        r.conflicts += stats.conflicts
        r.resurrected += stats.resurrected
        r.notes.extend(stats.skipped)

    def check_hub_memory(self, conn: psycopg.Connection[Any]) -> None:
        """A hub that has forgotten changes it acknowledged (restored from a backup) gets them
        again, and a cursor past the hub's last change starts again from it."""
        acked_by_hub = rep.hub_acked(conn, self.device, self.cfg.role)
        last = rep.last_change(conn, self.cfg.role)
        with self.store.session() as s:
            state = s.get(SyncState, 1)
            assert state is not None
            mine = int((state.acked or {}).get(self.cfg.role, 0))
            if mine > acked_by_hub:
                queued = rep.queue_everything(s, self.cfg.role)
                state.acked = {**(state.acked or {}), self.cfg.role: 0}
                self.report.notes.append(
                    f"The hub had lost changes this desk sent before (restored from a backup, "
                    f"or a crash); all {queued:,} of this desk's rows are sent again.")
            if state.last_pulled_seq > last:
                state.last_pulled_seq = last
                self.report.notes.append("The hub's changes end before where this desk had "
                                         "read to (a restored hub); reading from its end.")
            s.commit()

    def push(self, conn: psycopg.Connection[Any]) -> int:
        """Send the outbox as it stands now (rows refused and queued again wait for the next
        round); the number of articles refused as stale (merged by the next pull).

        Pipelined: while the hub applies one batch (on a thread of its own), the last one is
        settled here and the next one read; each is settled locally, in order, once the hub
        has committed it."""
        with self.store.read_session() as s:
            ceiling = rep.last_seq(s)
            total = rep.pending_count(s, self.cfg.role)
            creations = rep.last_creations(s, ceiling)
        done = stale = 0

        def read(after: int) -> rep.Batch | None:
            with self.store.read_session() as s:
                return rep.read_batch(s, self.cfg.role, limit=PUSH_BATCH, upto=ceiling,
                                      after=after, creations=creations)

        committed: tuple[rep.Batch, rep.Ack] | None = None  # by the hub, not settled here yet

        def settle() -> None:
            nonlocal committed, done, stale
            if committed is not None:
                stale += self._settle(*committed)
                done += len(committed[0].seqs)
                committed = None
                self.progress("Sending changes", done, max(total, done))

        self.check()
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="pse-push") as sender:
            batch = read(0)
            while batch is not None:
                future = sender.submit(rep.send_batch, conn, self.device, self.cfg.role, batch)
                settle()
                following = read(batch.last_seq)
                committed = (batch, future.result())
                if self.cancelled():
                    break
                batch = following
            settle()  # what the hub committed is settled here, also when cancelled
        self.check()
        return stale

    def _settle(self, batch: rep.Batch, ack: rep.Ack) -> int:
        with self.store.session() as s:
            rep.settle_batch(s, batch, ack)
            s.commit()
        self.report.pushed += ack.applied
        stale = 0
        for refusal in ack.refused:
            if refusal.reason == "stale":
                stale += 1
            elif refusal.reason == "clock":
                self.report.refused += 1
                self.report.notes.append(
                    f"The hub refused a {refusal.table} change ({refusal.detail}); it "
                    "stays queued until this desk's clock is right.")
        return stale


def sync(store: Store, *, url: str | None = None, role: str | None = None,
         password: str | None = None, progress: Progress | None = None,
         cancelled: Callable[[], bool] | None = None) -> SyncReport:
    """One sync run; never raises for the hub's sake: the report says what happened."""
    saved = settings(store)
    cfg = HubSettings(display_url(url) if url else saved.url, role or saved.role)
    real_url = url or saved.url
    started = time.perf_counter()
    run = _Run(store, cfg, password, progress, cancelled)
    report = run.report
    started_at = utcnow()
    if not cfg.url:
        report.outcome, report.message = "error", (
            "No hub is set: give its URL in Preferences > Hub (or --hub).")
    elif cfg.role not in ROLES:
        report.outcome, report.message = "error", (
            "Choose the role this desk syncs as (editor or moderator) in Preferences > Hub "
            "(or --role).")
    else:
        if password is None:
            password = password_for(real_url)
        try:
            with hubs.connect(real_url, password=password) as conn:
                run.run(conn)
            report.message = report.summary()
        except rep.Cancelled:
            report.outcome = "cancelled"
            report.message = ("The sync was cancelled; what was sent and received is kept, "
                              "the rest goes next time.")
        except hubs.HubUnreachable as exc:
            report.outcome, report.message = "offline", str(exc)
        except (hubs.HubError, DeskError) as exc:
            report.outcome, report.message = "error", str(exc)
        except psycopg.errors.InsufficientPrivilege as exc:
            report.outcome = "error"
            report.message = (f"The hub refused a change this desk's role may not make "
                              f"({str(exc).splitlines()[0]}); it stays queued on this desk.")
        except psycopg.OperationalError as exc:
            report.outcome = "offline"
            report.message = (f"The connection to the hub was lost mid-sync "
                              f"({str(exc).splitlines()[0] if str(exc) else 'cut'}); what "
                              "was done is kept and the next sync finishes the job.")
        except psycopg.Error as exc:
            log.exception("sync failed")
            report.outcome = "error"
            report.message = (f"The hub could not complete the sync "
                              f"({str(exc).splitlines()[0]}); local work is untouched and "
                              "still queued.")
    report.seconds = time.perf_counter() - started
    if cfg.role in ROLES:
        with store.read_session() as s:
            report.waiting = rep.pending_count(s, cfg.role)
            report.held = rep.held_count(s, cfg.role)
    _record(store, cfg, report, started_at)
    return report


def _record(store: Store, cfg: HubSettings, report: SyncReport, started_at: datetime) -> None:
    with store.session() as s:
        s.add(SyncRun(started_at=started_at, finished_at=utcnow(), hub=cfg.url,
                      outcome=report.outcome, pushed=report.pushed, pulled=report.pulled,
                      merged=report.merged, conflicts=report.conflicts,
                      refused=report.refused, message=report.message,
                      details={"notes": report.notes[:200], "waiting": report.waiting,
                               "held": report.held, "seconds": round(report.seconds, 3),
                               "clock_offset_ms": report.clock_offset_ms,
                               "snapshot": report.snapshot,
                               "resurrected": report.resurrected}))
        state = s.get(SyncState, 1)
        if state is not None:
            if report.ok:
                state.last_sync_at, state.last_sync_error = utcnow(), ""
            elif report.outcome != "cancelled":
                state.last_sync_error = report.message
        s.commit()


def test_connection(url: str, role: str, password: str | None = None) -> str:
    """One sentence: what the hub said (raises ``SyncError`` with the reason if it failed)."""
    if role not in ROLES:
        raise SyncError("Choose the role this desk syncs as: editor or moderator.")
    try:
        with hubs.connect(url, password=password or password_for(url)) as conn:
            info = hubs.check_schema(conn, url)
            with hubs.as_role(conn, role):
                pass
            offset = _offset(conn)
    except hubs.HubError as exc:
        raise SyncError(str(exc)) from exc
    return (f"Connected to the hub at {display_url(url)} as {ROLE_WORDS[role]} "
            f"(schema {info.revision}); the hub's clock is {offset / 1000:+.1f} s from this "
            "desk's.")


def init_hub(url: str, password: str | None = None) -> str:
    try:
        info = hubs.init_hub(url, password=password or password_for(url))
    except hubs.HubError as exc:
        raise SyncError(str(exc)) from exc
    return (f"The hub at {display_url(url)} is ready (schema {info.revision}, identity "
            f"{info.identity[:8]}); give desk users GRANT pse_editor or GRANT pse_moderator.")


# --- the log and the status ------------------------------------------------------------------

@dataclass(frozen=True)
class RunRow:
    id: int
    started_at: datetime
    finished_at: datetime | None
    hub: str
    outcome: str
    pushed: int
    pulled: int
    merged: int
    conflicts: int
    refused: int
    message: str
    notes: tuple[str, ...]


def sync_log(store: Store, limit: int = 500) -> list[RunRow]:
    with store.read_session() as s:
        rows = s.scalars(sa.select(SyncRun).order_by(SyncRun.id.desc()).limit(limit)).all()
        return [RunRow(r.id, r.started_at, r.finished_at, r.hub, r.outcome, r.pushed, r.pulled,
                       r.merged, r.conflicts, r.refused, r.message,
                       tuple((r.details or {}).get("notes", []))) for r in rows]


@dataclass(frozen=True)
class SyncStatus:
    configured: bool
    url: str
    role: str
    waiting: int
    held: int
    last_sync_at: datetime | None
    last_error: str
    clock_offset_ms: int | None


def status(store: Store) -> SyncStatus:
    with store.read_session() as s:
        state = s.get(SyncState, 1)
        assert state is not None
        role = state.role
        waiting = rep.pending_count(s, role) if role in ROLES else rep.pending_count(s)
        held = rep.held_count(s, role) if role in ROLES else 0
        return SyncStatus(bool(state.hub_url and state.role), state.hub_url, role, waiting, held,
                          state.last_sync_at, state.last_sync_error, state.clock_offset_ms)
