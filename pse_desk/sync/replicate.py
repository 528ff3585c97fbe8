"""Push the outbox to the hub and pull the hub's changes, in resumable, idempotent batches.

**Push.** ``read_batch`` takes the oldest outbox entries of the tables this desk's role owns
(``payload NULL`` means "read the current row", as bulk writers leave it) and folds repeated
changes of one row into its latest state. ``send_batch`` applies them on the hub in one
transaction as the desk's role: rows whose HLC is newer than the hub's win (last writer wins);
an article is written only if the hub still holds the version this desk last exchanged
(``sync_base``), otherwise it is refused as *stale* and merged on the next pull. The hub keeps
per desk and role the highest outbox number it applied, so a batch re-sent after a cut is
recognised and applied once (and its refusals repeated). ``settle_batch`` then removes the
acknowledged entries and puts refused rows back in the queue, in one local transaction.

**Pull.** ``fetch_changes`` reads hub changes after the desk's cursor; ``apply_changes`` applies
them with the same HLC rule and moves the cursor in the same local transaction. An article this
desk changed since it last synced is merged three ways against ``sync_base``: changes to
different blocks merge by themselves (a revision of kind "merge"); where both changed the same
block the newer text stays live, the other is kept as a revision of kind "conflict" and the
article is flagged. An edit to an article that another desk deleted brings it back, flagged.

**Snapshot.** A desk with nothing in it pulls the whole newsroom table by table (``COPY``) from
one consistent snapshot, and starts its cursor at that snapshot's last change.
"""

from __future__ import annotations

import base64
import json
import re
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property
from typing import Any

import psycopg
import sqlalchemy as sa
from psycopg import sql
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from pse_desk.store.hlc import HybridClock, Stamp
from pse_desk.store.model import (
    SYNCED_TABLES,
    Article,
    Base,
    ChangeLog,
    Revision,
    RevisionKind,
    SyncBase,
    SyncState,
)
from pse_desk.sync import merge
from pse_desk.sync.hub import DRIFT_LIMIT_MS, PUSH_LOCK_KEY, as_role, hub_now_ms
from pse_desk.sync.roles import ROLE_TABLES

HLC_SHAPE = re.compile(r"^[0-9]{13}-[0-9]{4}-[A-Za-z0-9_]+$")
TEXT_FIELDS = ("title", "standfirst", "body_md")
# what the newer side decides when two desks changed an article (its text is merged)
ARTICLE_META = ("slug", "section", "author", "source_line", "tags", "status", "published_at",
                "imported_html", "allow_remote_images")

Progress = Callable[[int, int], None]  # (done, total)


class Cancelled(Exception):
    """The person cancelled; what was committed stays, the rest is done next time."""


def _table(name: str) -> sa.Table:
    return Base.metadata.tables[name]


# --- values -----------------------------------------------------------------------------------

def decode_value(column: sa.Column[Any], value: Any) -> Any:
    """A JSON value (from an outbox payload or the hub) as the column's Python value."""
    if value is None:
        return None
    kind = column.type
    if isinstance(kind, sa.DateTime):
        return datetime.fromisoformat(value) if isinstance(value, str) else value
    if isinstance(kind, sa.Date):
        return date.fromisoformat(value[:10]) if isinstance(value, str) else value
    if isinstance(kind, sa.LargeBinary):
        if isinstance(value, dict) and "$b64" in value:
            return base64.b64decode(value["$b64"])
        if isinstance(value, str) and value.startswith("\\x"):
            return bytes.fromhex(value[2:])
        return value
    if isinstance(kind, sa.Boolean):
        return bool(value)
    return value


def decode_row(table: str, payload: Mapping[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """The payload's known columns as Python values, and the names of the unknown ones."""
    cols = _table(table).c
    row = {k: decode_value(cols[k], v) for k, v in payload.items() if k in cols}
    return row, sorted(k for k in payload if k not in cols)


def _hub_json(value: Any) -> Any:
    # bytes travel as {"$b64": …} in the outbox; the hub's bytea reads "\x<hex>"
    if isinstance(value, dict) and set(value) == {"$b64"}:
        return "\\x" + base64.b64decode(value["$b64"]).hex()
    return value


def stamp_problem(hlc: Any, hub_now_ms: int) -> str | None:
    """Why a stamp from elsewhere is refused (None: it is fine)."""
    if not isinstance(hlc, str) or not HLC_SHAPE.match(hlc):
        return f"a malformed clock stamp ({str(hlc)[:40]!r})"
    wall = Stamp.parse(hlc).wall_ms
    if wall > hub_now_ms + DRIFT_LIMIT_MS:
        return (f"a clock stamp {(wall - hub_now_ms) / 60000:.0f} minutes ahead of the hub "
                "(a desk with a wrong clock)")
    return None


# --- push -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Entry:
    seq: int            # the last outbox entry of this row in the batch
    seqs: tuple[int, ...]
    table: str
    row_id: str
    text: str           # the row's state as JSON text, sent to the hub as it is
    base_hlc: str       # articles: the hub version this desk last exchanged ("" if none)

    @cached_property
    def payload(self) -> dict[str, Any]:
        """The row's state as a dict (parsed when first asked: most rows go to the hub as
        text and are never parsed here)."""
        value = json.loads(self.text)
        assert isinstance(value, dict)
        return value


@dataclass(frozen=True)
class Batch:
    entries: tuple[Entry, ...]
    first_seq: int
    last_seq: int
    missing: tuple[int, ...] = ()  # outbox entries whose row is gone: nothing to send

    @property
    def seqs(self) -> list[int]:
        return [s for e in self.entries for s in e.seqs] + list(self.missing)


def pending_count(session: Session, role: str | None = None) -> int:
    """Outbox entries waiting (only those ``role`` may push, when given)."""
    query = sa.select(sa.func.count()).select_from(ChangeLog)
    if role:
        query = query.where(ChangeLog.table_name.in_(ROLE_TABLES[role]))
    return int(session.scalar(query) or 0)


def held_count(session: Session, role: str) -> int:
    """Outbox entries of tables another role owns: they wait for a desk of that role."""
    return int(session.scalar(sa.select(sa.func.count()).select_from(ChangeLog).where(
        ChangeLog.table_name.notin_(ROLE_TABLES[role]))) or 0)


_JSON_SELECTS: dict[str, str] = {}


def _json_select(table: str) -> str:
    """SQL that reads rows of ``table`` as JSON objects built by SQLite itself (far cheaper
    than rows through Python): times as stored, booleans 0/1, JSON columns as JSON, bytes as
    PostgreSQL's ``\\x`` hex; ``decode_row`` and the hub read all of them."""
    if table not in _JSON_SELECTS:
        parts = []
        for column in _table(table).columns:
            name = f'"{column.name}"'
            if isinstance(column.type, sa.JSON):
                expr = f"json({name})"
            elif isinstance(column.type, sa.LargeBinary):
                expr = f"'\\x' || lower(hex({name}))"
            else:
                expr = name
            parts.append(f"'{column.name}', {expr}")
        _JSON_SELECTS[table] = (f'SELECT id, json_object({", ".join(parts)}) FROM "{table}" '
                                "WHERE id IN ({marks})")
    return _JSON_SELECTS[table]


def _driver(session: Session) -> sqlite3.Connection:
    """The session's own SQLite connection (the same transaction and snapshot), for the
    outbox's hot paths, which need no ORM objects."""
    raw = session.connection().connection.driver_connection
    assert isinstance(raw, sqlite3.Connection)
    return raw


def _current_rows(raw: sqlite3.Connection, table: str, ids: Sequence[str]) -> dict[str, str]:
    """The current rows of ``ids`` as JSON text (made by SQLite)."""
    template = _json_select(table)
    out: dict[str, str] = {}
    for start in range(0, len(ids), 500):
        chunk = list(ids[start:start + 500])
        statement = template.format(marks=", ".join("?" * len(chunk)))
        out.update(raw.execute(statement, chunk))
    return out


def last_seq(session: Session) -> int:
    """The newest outbox entry's number (0: empty)."""
    return int(session.scalar(sa.select(sa.func.max(ChangeLog.seq))) or 0)


def last_creations(session: Session, upto: int | None = None) -> dict[str, int]:
    """Per table, the last outbox entry (up to ``upto``) that creates a row: a push reads it
    once, and a batch that ends after a table's last creation need not look for a parent
    of that table created later."""
    bound, args = ("AND seq <= ? ", [upto]) if upto is not None else ("", [])
    return dict(_driver(session).execute(
        f"SELECT table_name, max(seq) FROM change_log WHERE base_hlc = '' {bound}"
        "GROUP BY table_name", args).fetchall())


def read_batch(session: Session, role: str, *, limit: int = 2000, upto: int | None = None,
               after: int = 0, creations: Mapping[str, int] | None = None) -> Batch | None:
    """The oldest ``limit`` outbox entries this desk's role may push (after entry ``after``,
    up to entry ``upto``), folded per row; the batch ends late enough to carry every parent
    its rows need that is still queued (the hub checks foreign keys when a batch commits).
    ``creations`` is ``last_creations`` read once for a whole push (else read here)."""
    raw = _driver(session)
    if creations is None:
        creations = last_creations(session, upto)
    tables = ROLE_TABLES[role]
    where = f"table_name IN ({', '.join('?' for _ in tables)}) AND seq > ?"
    args: list[Any] = [*tables]
    if upto is not None:
        where += " AND seq <= ?"
    # (the JSON null an ORM write of None stores means "no payload" as much as NULL does)
    select = (f"SELECT seq, table_name, row_id, nullif(payload, 'null') FROM change_log "
              f"WHERE {where} ")

    def entries(start: int, *extra: Any, more: str = "") -> list[Any]:
        bound = [*args, start, *([upto] if upto is not None else []), *extra]
        return raw.execute(select + more, bound).fetchall()

    rows = entries(after, limit, more="ORDER BY seq LIMIT ?")
    if not rows:
        return None
    batch = _fold(session, raw, rows)
    for _round in range(8):
        needed = _queued_parents(raw, batch, role, rows[-1][0], upto, creations)
        if not needed:
            break
        rows += entries(rows[-1][0], needed, more="AND seq <= ? ORDER BY seq")
        batch = _fold(session, raw, rows)
    return batch


def _fold(session: Session, raw: sqlite3.Connection, rows: Sequence[Any]) -> Batch:
    folded: dict[tuple[str, str], list[Any]] = {}
    for seq, table, row_id, payload in rows:
        key = (table, row_id)
        if key in folded:
            folded[key][0].append(seq)
            if payload is not None or folded[key][1] is not None:
                folded[key][1] = payload
        else:
            folded[key] = [[seq], payload]
    needs: dict[str, list[str]] = {}
    for (table, row_id), (_seqs, payload) in folded.items():
        if payload is None:
            needs.setdefault(table, []).append(row_id)
    current = {t: _current_rows(raw, t, ids) for t, ids in needs.items()}
    article_ids = [r for (t, r) in folded if t == "article"]
    bases: dict[str, str] = {}
    if article_ids:
        bases = {row_id: hlc for row_id, hlc in session.execute(
            sa.select(SyncBase.article_id, SyncBase.hlc)
            .where(SyncBase.article_id.in_(article_ids)))}
    entries, missing = [], []
    for (table, row_id), (seqs, payload) in folded.items():
        if payload is None:
            payload = current.get(table, {}).get(row_id)
            if payload is None:
                missing.extend(seqs)
                continue
        entries.append(Entry(seqs[-1], tuple(seqs), table, row_id, payload,
                             bases.get(row_id, "") if table == "article" else ""))
    entries.sort(key=lambda e: e.seqs[0])
    return Batch(tuple(entries), rows[0][0], rows[-1][0], tuple(missing))


def _foreign_keys(table: str) -> list[tuple[str, str]]:
    """(column, parent table) of each foreign key of a synced table."""
    return [(fk.parent.name, fk.column.table.name) for fk in _table(table).foreign_keys
            if fk.column.table.name in SYNCED_TABLES]


def _queued_parents(raw: sqlite3.Connection, batch: Batch, role: str, end: int,
                    upto: int | None, creations: Mapping[str, int]) -> int:
    """The last outbox number after ``end`` that creates a parent of a row in the batch (0:
    none). Only a parent's creation matters (a queued update of a row the hub already has
    does not); parents in another role's tables are that role's desks' to send."""
    keys: dict[str, list[tuple[str, str]]] = {}  # table: its (column, parent table)s
    for table in {e.table for e in batch.entries}:
        keys[table] = [(c, p) for c, p in _foreign_keys(table) if p in ROLE_TABLES[role]]
    # most batches (a bulk approval, say) have no parent created later at all
    later = {p for pairs in keys.values() for _c, p in pairs if creations.get(p, 0) > end}
    if not later:
        return 0
    bound = " AND seq <= ?" if upto is not None else ""
    limit = [upto] if upto is not None else []
    wanted: dict[str, set[str]] = {}
    for entry in batch.entries:
        for column, parent in keys[entry.table]:
            if parent not in later:
                continue
            value = entry.payload.get(column)
            if value:
                wanted.setdefault(parent, set()).add(str(value))
    needed = 0
    for parent, ids in wanted.items():
        id_list = sorted(ids)
        for start in range(0, len(id_list), 500):
            chunk = id_list[start:start + 500]
            (found,) = raw.execute(
                f"SELECT max(seq) FROM change_log WHERE seq > ?{bound} AND base_hlc = '' "
                f"AND table_name = ? AND row_id IN ({', '.join('?' for _ in chunk)})",
                [end, *limit, parent, *chunk]).fetchone()
            needed = max(needed, int(found or 0))
    return needed


@dataclass(frozen=True)
class Refusal:
    seq: int
    table: str
    row_id: str
    reason: str  # "clock", "stale" (an article changed on the hub since), "slug"
    detail: str = ""


@dataclass
class Ack:
    applied: int = 0
    superseded: int = 0  # older than the hub's row: the hub keeps its newer one
    repeated: int = 0    # already applied from an earlier send of this batch
    refused: list[Refusal] = field(default_factory=list)
    applied_articles: list[Entry] = field(default_factory=list)
    hub_now_ms: int = 0


def _upsert_sql(table: str, cols: Sequence[str], *, cas: bool) -> sql.Composed:
    t = sql.Identifier(table)
    updates = sql.SQL(", ").join(
        sql.SQL("{} = EXCLUDED.{}").format(sql.Identifier(c), sql.Identifier(c))
        for c in cols if c != "id")
    guard = sql.SQL("cur.hlc = %(base)s") if cas else sql.SQL("cur.hlc < EXCLUDED.hlc")
    source = (sql.SQL("jsonb_populate_record(NULL::{}, %(rows)s::jsonb)") if cas
              else sql.SQL("jsonb_populate_recordset(NULL::{}, %(rows)s::jsonb)")).format(t)
    names = sql.SQL(", ").join(sql.Identifier(c) for c in cols)
    # rows go in (and are numbered in hub_change) in the order sent: a reply after its parent
    return sql.SQL(
        "WITH incoming AS (SELECT * FROM {source} WITH ORDINALITY AS r), "
        "applied AS (INSERT INTO {t} AS cur ({names}) SELECT {names} FROM incoming "
        "ORDER BY incoming.ordinality "
        "ON CONFLICT (id) DO UPDATE SET {updates} WHERE {guard} RETURNING cur.*) "
        "INSERT INTO hub_change (table_name, row_id, hlc, origin, payload, device) "
        "SELECT {name}, a.id, a.hlc, a.origin, to_jsonb(a), %(device)s FROM applied a "
        "RETURNING row_id"
    ).format(source=source, t=t, names=names, updates=updates, guard=guard,
             name=sql.Literal(table))


_COLUMNS: dict[str, list[str]] = {}


def _hub_columns(conn: psycopg.Connection[Any], table: str) -> list[str]:
    if table not in _COLUMNS:
        rows = conn.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' "
            "AND table_name = %s ORDER BY ordinal_position", (table,)).fetchall()
        _COLUMNS[table] = [str(r[0]) for r in rows]
    return _COLUMNS[table]


def send_batch(conn: psycopg.Connection[Any], device: str, role: str, batch: Batch) -> Ack:
    """Apply one batch on the hub in one transaction; what was applied, and what refused."""
    ack = Ack()
    with as_role(conn, role):
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (PUSH_LOCK_KEY,))
        conn.execute("SET CONSTRAINTS ALL DEFERRED")
        row = conn.execute("SELECT last_seq FROM hub_device WHERE device_id = %s AND role = %s "
                           "FOR UPDATE", (device, role)).fetchone()
        if row is None:
            conn.execute("INSERT INTO hub_device (device_id, role) VALUES (%s, %s)",
                         (device, role))
            last_seq = 0
        else:
            last_seq = int(row[0])
        ack.hub_now_ms = hub_now_ms(conn)
        fresh = [e for e in batch.entries if e.seq > last_seq]
        seen = [e for e in batch.entries if e.seq <= last_seq]
        if seen:
            ack.repeated = len(seen)
            earlier = conn.execute(
                "SELECT seq, table_name, row_id, reason FROM hub_refusal "
                "WHERE device_id = %s AND seq = ANY(%s)",
                (device, [e.seq for e in seen])).fetchall()
            ack.refused.extend(Refusal(int(s), str(t), str(r), str(why))
                               for s, t, r, why in earlier)
        by_table: dict[str, list[Entry]] = {}
        for entry in fresh:
            by_table.setdefault(entry.table, []).append(entry)
        for table in SYNCED_TABLES:  # parents first, so the hub's change numbers are too
            if table in by_table:
                _apply_on_hub(conn, device, table, by_table[table], ack)
        new_refusals = [r for r in ack.refused if r.seq > last_seq]
        if new_refusals:
            conn.cursor().executemany(
                "INSERT INTO hub_refusal (device_id, seq, table_name, row_id, reason) "
                "VALUES (%s, %s, %s, %s, %s) ON CONFLICT DO NOTHING",
                [(device, r.seq, r.table, r.row_id, r.reason) for r in new_refusals])
        conn.execute("UPDATE hub_device SET last_seq = greatest(last_seq, %s), seen_at = now() "
                     "WHERE device_id = %s AND role = %s",
                     (max(e.seq for e in batch.entries) if batch.entries else last_seq,
                      device, role))
    return ack


def _apply_on_hub(conn: psycopg.Connection[Any], device: str, table: str,
                  entries: list[Entry], ack: Ack) -> None:
    cols = _hub_columns(conn, table)
    if any(isinstance(c.type, sa.LargeBinary) for c in _table(table).columns):
        texts = {e.row_id: json.dumps({k: _hub_json(v) for k, v in e.payload.items()})
                 for e in entries}
    else:
        texts = {e.row_id: e.text for e in entries}
    applied: set[str] = set()
    if table == "article":
        statement = _upsert_sql(table, cols, cas=True)
        for entry in entries:
            try:
                with conn.transaction():  # a savepoint: one bad row does not sink the batch
                    got = conn.execute(statement, {"rows": texts[entry.row_id],
                                                   "base": entry.base_hlc,
                                                   "device": device}).fetchall()
            except psycopg.errors.UniqueViolation as exc:
                ack.refused.append(Refusal(entry.seq, table, entry.row_id, "slug",
                                           str(exc).splitlines()[0]))
                continue
            if got:
                applied.add(entry.row_id)
                ack.applied_articles.append(entry)
    else:
        got = conn.execute(_upsert_sql(table, cols, cas=False),
                           {"rows": f"[{','.join(texts.values())}]",
                            "device": device}).fetchall()
        applied = {str(r[0]) for r in got}
    ack.applied += len(applied)
    left = [e for e in entries if e.row_id not in applied]
    if not left:
        return
    hub_hlcs = dict(conn.execute(sql.SQL("SELECT id, hlc FROM {} WHERE id = ANY(%s)")
                                 .format(sql.Identifier(table)),
                                 ([e.row_id for e in left],)).fetchall())
    for entry in left:
        hlc = entry.payload.get("hlc")
        if any(r.seq == entry.seq for r in ack.refused):
            continue
        problem = stamp_problem(hlc, ack.hub_now_ms)
        if problem:
            ack.refused.append(Refusal(entry.seq, table, entry.row_id, "clock", problem))
        elif hub_hlcs.get(entry.row_id) == hlc:
            ack.repeated += 1
        elif table == "article":
            ack.refused.append(Refusal(entry.seq, table, entry.row_id, "stale"))
        else:
            ack.superseded += 1


def _set_base(session: Session, row: Mapping[str, Any]) -> None:
    values = {"article_id": row["id"], "hlc": row["hlc"],
              **{f: row.get(f) or "" for f in TEXT_FIELDS}, "deleted": bool(row.get("deleted"))}
    stmt = sqlite_insert(_table("sync_base")).values(**values)
    session.execute(stmt.on_conflict_do_update(index_elements=["article_id"], set_=values))


def _role_of(batch: Batch) -> str:
    return next(role for role, tables in ROLE_TABLES.items()
                if batch.entries[0].table in tables)


def settle_batch(session: Session, batch: Batch, ack: Ack) -> None:
    """After the hub committed: drop the sent entries, re-queue refused rows, note the base
    of every article the hub took. One local transaction (the caller commits)."""
    refused = {r.seq: r for r in ack.refused}
    seqs = batch.seqs
    if batch.entries:
        note_acked(session, _role_of(batch), max(e.seq for e in batch.entries))
    tables = sorted({e.table for e in batch.entries} | set(ROLE_TABLES[_role_of(batch)])) \
        if batch.entries else []
    if tables and len(seqs) == len(set(seqs)):
        # the batch is every entry of its role's tables from its first to its last number
        # (read_batch reads them so): one range, not one statement per entry
        (held,) = _driver(session).execute(
            f"SELECT count(*) FROM change_log WHERE seq BETWEEN ? AND ? AND table_name IN "
            f"({', '.join('?' for _ in tables)})",
            [batch.first_seq, batch.last_seq, *tables]).fetchone()
        if held == len(seqs):
            _driver(session).execute(
                f"DELETE FROM change_log WHERE seq BETWEEN ? AND ? AND table_name IN "
                f"({', '.join('?' for _ in tables)})", [batch.first_seq, batch.last_seq, *tables])
            seqs = []
    _driver(session).executemany("DELETE FROM change_log WHERE seq = ?",
                                 [(seq,) for seq in seqs])
    for entry in ack.applied_articles:
        _set_base(session, entry.payload)
    for entry in batch.entries:
        refusal = refused.get(entry.seq)
        if refusal is None:
            continue
        if refusal.reason == "slug":
            article = session.get(Article, entry.row_id)
            if article is not None:  # the ORM change queues it again, with a fresh stamp
                article.slug = f"{article.slug}-{article.id[:6]}"
                continue
        session.add(ChangeLog(table_name=entry.table, row_id=entry.row_id,
                              hlc=str(entry.payload.get("hlc", "")), base_hlc=entry.base_hlc,
                              payload=None))
    session.flush()


# --- pull -------------------------------------------------------------------------------------

def hub_acked(conn: psycopg.Connection[Any], device: str, role: str) -> int:
    """The last outbox number the hub has applied from this desk and role (0: none)."""
    with as_role(conn, role):
        row = conn.execute("SELECT last_seq FROM hub_device WHERE device_id = %s AND role = %s",
                           (device, role)).fetchone()
    return int(row[0]) if row else 0


def note_acked(session: Session, role: str, seq: int) -> None:
    state = session.get(SyncState, 1)
    if state is not None:
        acked = dict(state.acked or {})
        acked[role] = max(int(acked.get(role, 0)), seq)
        state.acked = acked


def queue_everything(session: Session, role: str) -> int:
    """Queue every row of the role's tables again ("the push reads the current row"): the hub
    lost changes it had acknowledged (restored from a backup, or it crashed running without
    synchronous commits); last writer wins makes the re-send harmless."""
    queued = 0
    for table in ROLE_TABLES[role]:
        result = session.execute(sa.text(
            f"INSERT INTO change_log (table_name, row_id, hlc, base_hlc, payload) "
            f"SELECT :table, id, hlc, '', NULL FROM \"{table}\" WHERE hlc <> '' ORDER BY rowid"),
            {"table": table})
        queued += int(getattr(result, "rowcount", 0) or 0)
    session.execute(sa.delete(SyncBase))  # what the hub holds of each article is unknown now
    return queued


@dataclass(frozen=True)
class HubChange:
    seq: int
    table: str
    row_id: str
    hlc: str
    payload: dict[str, Any]


@dataclass(frozen=True)
class Fetched:
    changes: list[HubChange]
    last_seq: int  # the cursor after this page (it counts this desk's own changes too)


def fetch_changes(conn: psycopg.Connection[Any], role: str, device: str, after: int, *,
                  limit: int = 5000) -> Fetched:
    """The next page of hub changes after ``after``, but for this desk's own (it has them)."""
    with as_role(conn, role):
        end = conn.execute("SELECT max(seq) FROM (SELECT seq FROM hub_change WHERE seq > %s "
                           "ORDER BY seq LIMIT %s) page", (after, limit)).fetchone()
        if end is None or end[0] is None:
            return Fetched([], after)
        rows = conn.execute("SELECT seq, table_name, row_id, hlc, payload FROM hub_change "
                            "WHERE seq > %s AND seq <= %s AND device <> %s ORDER BY seq",
                            (after, end[0], device)).fetchall()
    return Fetched([HubChange(int(s), str(t), str(r), str(h), p) for s, t, r, h, p in rows],
                   int(end[0]))


def last_change(conn: psycopg.Connection[Any], role: str) -> int:
    with as_role(conn, role):
        row = conn.execute("SELECT coalesce(max(seq), 0) FROM hub_change").fetchone()
    return int(row[0]) if row else 0


@dataclass
class PullStats:
    pulled: int = 0
    applied: int = 0
    merged: int = 0
    conflicts: int = 0
    resurrected: int = 0
    skipped: list[str] = field(default_factory=list)  # one sentence per refused row


def _upsert_local(session: Session, table: str, rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    t = _table(table)
    by_shape: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for row in rows:
        by_shape.setdefault(tuple(sorted(row)), []).append(row)
    for shape, group in by_shape.items():
        stmt = sqlite_insert(t)
        stmt = stmt.on_conflict_do_update(
            index_elements=["id"],
            set_={c: stmt.excluded[c] for c in shape if c != "id"},
            where=t.c.hlc < stmt.excluded.hlc)
        session.execute(stmt, group)


def _validated(changes: Sequence[HubChange], hub_now_ms: int,
               stats: PullStats) -> dict[tuple[str, str], dict[str, Any]]:
    """The newest valid version of each row among the changes; refusals noted in ``stats``."""
    latest: dict[tuple[str, str], dict[str, Any]] = {}
    for change in changes:
        stats.pulled += 1
        if change.table not in SYNCED_TABLES:
            stats.skipped.append(f"A change to “{change.table}”, a table this desk does not "
                                 "know, was left on the hub (update PSE Desk).")
            continue
        problem = stamp_problem(change.payload.get("hlc"), hub_now_ms)
        if problem:
            stats.skipped.append(f"A {change.table} row ({change.row_id[:8]}) was refused: "
                                 f"{problem}.")
            continue
        row, unknown = decode_row(change.table, change.payload)
        if unknown:
            stats.skipped.append(f"A {change.table} row ({change.row_id[:8]}) had columns this "
                                 f"desk does not know ({', '.join(unknown)}); they were left "
                                 "out.")
        if "id" not in row:
            stats.skipped.append(f"A {change.table} change without an id was ignored.")
            continue
        key = (change.table, row["id"])
        if key not in latest or latest[key]["hlc"] < row["hlc"]:
            latest[key] = row
    return latest


def apply_changes(session: Session, clock: HybridClock, fetched: Fetched, *,
                  hub_now_ms: int, stats: PullStats, merges: bool = True) -> None:
    """Apply hub changes in one local transaction and move the cursor (the caller commits).
    ``merges=False`` (a desk that may not change articles): articles are taken as the hub has
    them, newest stamp first, never merged with local text this desk cannot send."""
    changes = fetched.changes
    session.connection().exec_driver_sql("PRAGMA defer_foreign_keys = ON")
    latest = _validated(changes, hub_now_ms, stats) if changes else {}
    if latest:
        clock.observe(max(row["hlc"] for row in latest.values()))
    by_table: dict[str, list[dict[str, Any]]] = {}
    for (table, _id), row in latest.items():
        by_table.setdefault(table, []).append(row)
    for table in SYNCED_TABLES:  # parents first; foreign keys are checked at commit anyway
        rows = by_table.get(table, [])
        if table == "article" and merges:
            for row in rows:
                _apply_article(session, row, stats, clock.device)
        else:
            _upsert_local(session, table, rows)
            stats.applied += len(rows)
    state = session.get(SyncState, 1)
    if state is not None:
        state.last_pulled_seq = max(state.last_pulled_seq, fetched.last_seq)
    session.flush()


def _texts(obj: Any) -> dict[str, str]:
    if isinstance(obj, Mapping):
        return {f: obj.get(f) or "" for f in TEXT_FIELDS}
    return {f: getattr(obj, f) or "" for f in TEXT_FIELDS}


def _free_slug(session: Session, row: dict[str, Any]) -> None:
    """A local article with the incoming slug but another id (made here, never synced)
    moves aside: the hub holds one article per slug."""
    slug = row.get("slug")
    if not slug:
        return
    other = session.scalar(sa.select(Article).where(Article.slug == slug, Article.id != row["id"]))
    if other is not None:
        other.slug = f"{other.slug}-{other.id[:6]}"
        session.flush()


def _apply_article(session: Session, row: dict[str, Any], stats: PullStats,
                   device: str) -> None:
    local = session.get(Article, row["id"])
    base = session.get(SyncBase, row["id"])
    if local is None:
        _free_slug(session, row)
        _upsert_local(session, "article", [row])
        _set_base(session, row)
        stats.applied += 1
        return
    if local.hlc == row["hlc"]:
        _set_base(session, row)
        return
    dirty = base is None or local.hlc != base.hlc
    if not dirty:
        if row["hlc"] > local.hlc:
            _free_slug(session, row)
            _upsert_local(session, "article", [row])
            session.expire(local)
            _set_base(session, row)
            stats.applied += 1
        return
    if base is not None and row["hlc"] <= base.hlc:
        return  # a version older than one this desk already merged
    _merge_article(session, local, base, row, stats, device)
    _set_base(session, row)


def _settle_delete(session: Session, local: Article, row: dict[str, Any],
                   texts: tuple[dict[str, str], dict[str, str], dict[str, str]],
                   stats: PullStats) -> None:
    """One side deleted the article, the other changed it: a delete never swallows words
    written after it (the article comes back, flagged); with no words changed it stands."""
    common, mine, theirs = texts
    remote_desk = Stamp.parse(row["hlc"]).device  # the desk that made this version
    if row.get("deleted") and mine != common:
        local.deleted, local.has_conflict = False, True
        session.add(Revision(article_id=local.id, kind=RevisionKind.CONFLICT, **mine,
                             label=f"Kept: edited here after desk {remote_desk} deleted "
                                   "the article"))
        stats.resurrected += 1
    elif local.deleted and theirs != common:
        for f, v in theirs.items():
            setattr(local, f, v)
        local.deleted, local.has_conflict = False, True
        session.add(Revision(article_id=local.id, kind=RevisionKind.CONFLICT, **theirs,
                             label=f"Kept: edited on desk {remote_desk} after this desk "
                                   "deleted the article"))
        stats.resurrected += 1
    elif row.get("deleted"):
        local.deleted = True  # nobody changed the words since: the delete stands
    # else this desk's delete stands and goes to the hub


def _merge_article(session: Session, local: Article, base: SyncBase | None,
                   row: dict[str, Any], stats: PullStats, device: str) -> None:
    mine, theirs = _texts(local), _texts(row)
    common = _texts(base) if base is not None else theirs
    if bool(row.get("deleted")) != bool(local.deleted):
        _settle_delete(session, local, row, (common, mine, theirs), stats)
        return
    remote_newer = row["hlc"] > local.hlc
    remote_desk = Stamp.parse(row["hlc"]).device  # the desk that made this version
    merged: dict[str, str] = {}
    conflicted = False
    for f in ("title", "standfirst"):
        value, clash = merge.merge_field(common[f], mine[f], theirs[f])
        conflicted |= clash
        merged[f] = theirs[f] if clash and remote_newer else value
    body = merge.merge3(common["body_md"], mine["body_md"], theirs["body_md"])
    conflicted |= body.conflicts > 0
    merged["body_md"] = body.text("theirs" if remote_newer else "mine")
    if remote_newer:
        for f in ARTICLE_META:
            if f in row:
                setattr(local, f, row[f])
    for f, v in merged.items():
        setattr(local, f, v)
    if conflicted:
        losing = mine if remote_newer else theirs
        whose = f"desk {device}" if remote_newer else f"desk {remote_desk}"
        local.has_conflict = True
        session.add(Revision(article_id=local.id, kind=RevisionKind.CONFLICT, **losing,
                             label=f"Conflict: the text of {whose}"))
        stats.conflicts += 1
    else:
        session.add(Revision(article_id=local.id, kind=RevisionKind.MERGE, **merged,
                             label=f"Merged with the changes of desk {remote_desk}"))
        stats.merged += 1


# --- snapshot (a desk that joins late) --------------------------------------------------------

def is_empty(session: Session) -> bool:
    """Nothing synced on this desk yet (a new database). Rows the migrations made, the same
    on every desk and never stamped (the "web" layout), do not count."""
    for table in SYNCED_TABLES:
        t = _table(table)
        if session.execute(sa.select(t.c.id).where(t.c.hlc != "").limit(1)).first() is not None:
            return False
    return True


# how PostgreSQL formats each kind of column for SQLite: (SQL around the column, COPY type)
_AS_SQLITE: tuple[tuple[type[sa.types.TypeEngine[Any]], str, str], ...] = (
    (sa.DateTime, "to_char({}, 'YYYY-MM-DD HH24:MI:SS.US')", "text"),
    (sa.Date, "to_char({}, 'YYYY-MM-DD')", "text"),
    (sa.JSON, "{}::text", "text"),
    (sa.Boolean, "{}::int", "int4"),
    (sa.Integer, "{}", "int4"),
    (sa.Float, "{}::float8", "float8"),
    (sa.LargeBinary, "{}", "bytea"),
)


def _select_list(table: sa.Table) -> tuple[sql.Composable, list[str], list[str]]:
    """Columns as PostgreSQL formats them for SQLite (times, JSON as text, booleans as 0/1)."""
    parts: list[sql.Composable] = []
    names, types = [], []
    for column in table.columns:
        template, pg_type = next(((t, p) for kind, t, p in _AS_SQLITE
                                  if isinstance(column.type, kind)), ("{}::text", "text"))
        parts.append(sql.SQL(template).format(sql.Identifier(column.name)))
        types.append(pg_type)
        names.append(column.name)
    return sql.SQL(", ").join(parts), names, types


def self_reference_indexes(tables: Sequence[str]) -> list[str]:
    """Indexes over a column that refers to its own table (a reply's parent comment): kept
    while a snapshot loads, since deferred foreign keys look rows up by them."""
    names = []
    for name in tables:
        t = _table(name)
        own = {fk.parent.name for fk in t.foreign_keys if fk.column.table is t}
        names += [str(ix.name) for ix in t.indexes
                  if ix.name and next(iter(ix.columns)).name in own]
    return names


def snapshot_counts(conn: psycopg.Connection[Any]) -> dict[str, int]:
    """Rows per table (the hub's estimate is not enough for progress: an exact count)."""
    out = {}
    for table in SYNCED_TABLES:
        row = conn.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table)))\
            .fetchone()
        out[table] = int(row[0]) if row else 0
    return out


def copy_table(conn: psycopg.Connection[Any], table: str, *,
               chunk: int = 5000) -> Iterator[tuple[list[str], list[tuple[Any, ...]]]]:
    """The hub table's rows in chunks, by binary COPY, as SQLite stores them."""
    columns, names, types = _select_list(_table(table))
    # in key order: SQLite's primary-key index then grows at its end instead of everywhere
    query = sql.SQL("COPY (SELECT {} FROM {} ORDER BY id) TO STDOUT (FORMAT BINARY)").format(
        columns, sql.Identifier(table))
    with conn.cursor().copy(query) as copy:
        copy.set_types(types)
        rows: list[tuple[Any, ...]] = []
        for record in copy.rows():
            rows.append(record)
            if len(rows) >= chunk:
                yield names, rows
                rows = []
        if rows:
            yield names, rows


def insert_snapshot_rows(session: Session, table: str, names: list[str],
                         rows: Iterable[tuple[Any, ...]]) -> int:
    """INSERTs into a table of an empty desk (one executemany on the driver connection); a
    row the migrations made on every desk is overwritten by the hub's."""
    raw = session.connection().connection.driver_connection
    assert raw is not None
    placeholders = ", ".join("?" for _ in names)
    quoted = ", ".join(f'"{n}"' for n in names)
    updates = ", ".join(f'"{n}" = excluded."{n}"' for n in names if n != "id")
    cursor = raw.executemany(f'INSERT INTO "{table}" ({quoted}) VALUES ({placeholders}) '
                             f'ON CONFLICT (id) DO UPDATE SET {updates}', rows)
    return int(cursor.rowcount)


def finish_snapshot(session: Session, clock: HybridClock, cursor: int) -> None:
    """After the snapshot's rows: every article's base is its pulled version, the clock has
    seen the newest stamp, and the cursor starts at the snapshot's last change."""
    session.execute(sa.text(
        "INSERT OR REPLACE INTO sync_base (article_id, hlc, title, standfirst, body_md, deleted) "
        "SELECT id, hlc, title, standfirst, body_md, deleted FROM article"))
    newest = ""
    for table in SYNCED_TABLES:
        value = session.scalar(sa.select(sa.func.max(_table(table).c.hlc)))
        if value and HLC_SHAPE.match(value):
            newest = max(newest, value)
    if newest:
        clock.observe(newest)
    state = session.get(SyncState, 1)
    if state is not None:
        state.last_pulled_seq = cursor
    session.flush()
