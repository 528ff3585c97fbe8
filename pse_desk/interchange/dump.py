"""The whole-newsroom dump: every synced row in one JSON Lines stream, and its exact restore.

The file is one JSON value per line (UTF-8, ``\\n`` after each line)::

    {"format": "pse-desk-dump", "version": 1, "schema": "0004", "created_at": "…Z",
     "tables": [{"name": "article", "columns": ["slug", …], "json": ["tags"], "rows": 24}, …]}
    {"table": "article"}
    ["a-slug", "Title", …]                      one array per row, in the header's column order
    …
    {"table": "revision"}
    …
    {"end": "pse-desk-dump", "rows": {"article": 24, …}, "sha256": "<hex>"}

Tables come parents first (foreign-key order); each has its ``{"table"}`` line, even when it
has no rows; rows are in the order SQLite stores them. Values are what SQLite holds, exactly:
text as text (times as SQLite keeps them, ``2026-12-02 10:00:00.000000``, ISO 8601), numbers
as numbers, booleans as 0/1, NULL as null, bytes as ``{"$b64": "<base64>"}``. A JSON column's
cell is the JSON value itself (``held_reasons`` is a list of objects, not a string); when the
stored text is not exactly how PSE Desk writes that value (``json.dumps``), or is no JSON at
all, or is the JSON ``null``, the cell is ``{"$text": "<the stored text>"}`` instead, so every
column comes back byte for byte. The closing line counts the rows of each table and holds the
SHA-256 of every byte before it: a truncated, edited or mixed-up dump is refused with one
sentence naming the line (``DumpFileError``), before anything is committed.

Only the synced tables are dumped. The local ones — the outbox (``change_log``), the sync
state and cursor, the merge bases (``sync_base``), the sync log, the search indexes (rebuilt)
— describe one desk, not the newsroom. A restore goes into an **empty** database (a new file,
or one that holds no newsroom yet: only the rows every database is created with), in one
transaction that either holds every row or none. The rows keep their ids, HLCs and origins; no
outbox entries are written, so the restored desk is a fresh desk holding the newsroom: it
sends nothing to a hub until someone changes something, and its first sync just pulls what
the hub has newer. A database that holds a newsroom is refused (``RestoreRefusedError``).
"""

from __future__ import annotations

import base64
import hashlib
import json
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice
from typing import IO, Any

from sqlalchemy import JSON, Float, LargeBinary, Table

from pse_desk.errors import DumpFileError, RestoreRefusedError, WorkCancelled
from pse_desk.store import bulk
from pse_desk.store.model import SYNCED_TABLES, Base

FORMAT = "pse-desk-dump"
VERSION = 1
BATCH = 5000  # rows per read, write and executemany
TAGS = ("$b64", "$text")
INCOMPLETE = ("the dump ends there without its closing line, so it is incomplete (cut short "
              "while it was written or copied)")
HEADER_LIMIT = 1 << 20  # a first line longer than this is not a dump's header

Progress = Callable[[int, int, str], None]
Cancel = Callable[[], bool]


@dataclass(frozen=True)
class TableSpec:
    """One dumped table: its columns in dump order and which of them hold JSON."""

    name: str
    columns: tuple[str, ...]
    json_columns: tuple[str, ...] = ()

    @property
    def json_indexes(self) -> tuple[int, ...]:
        return tuple(self.columns.index(c) for c in self.json_columns)


@dataclass(frozen=True)
class DumpSummary:
    """What a dump holds (or a restore wrote): rows per table, the schema, its checksum."""

    schema: str
    created_at: str
    rows: dict[str, int] = field(default_factory=dict)
    sha256: str = ""

    @property
    def total(self) -> int:
        return sum(self.rows.values())


def dump_tables() -> list[TableSpec]:
    """The synced tables, parents before the tables that refer to them; in each, the JSON
    columns come last (SQLite writes the rest of the row's line itself)."""
    synced = set(SYNCED_TABLES)
    specs = []
    for table in Base.metadata.sorted_tables:
        if table.name in synced:
            plain = [c.name for c in table.columns if not isinstance(c.type, JSON)]
            json_columns = tuple(c.name for c in table.columns if isinstance(c.type, JSON))
            specs.append(TableSpec(table.name, (*plain, *json_columns), json_columns))
    return specs


def _sqlite_writes_lines(name: str) -> bool:
    # SQLite's json_array() writes text and integers exactly, but a REAL with 15 digits and
    # cannot hold a BLOB: tables with such columns are written by Python
    return not any(isinstance(c.type, Float | LargeBinary)
                   for c in Base.metadata.tables[name].columns)


# --- values ------------------------------------------------------------------------------------

def _tag(value: object) -> object:
    if isinstance(value, bytes):
        return {"$b64": base64.b64encode(value).decode("ascii")}
    raise TypeError(f"{type(value).__name__} cannot go in a dump")


_encode_line = json.JSONEncoder(ensure_ascii=True, separators=(",", ":"), default=_tag).encode
_json_text = json.dumps  # how SQLAlchemy writes a JSON column on SQLite


def json_cell(raw: object) -> object:
    """A JSON column's stored value as its dump cell (see the module docstring)."""
    if raw.__class__ is str:
        if raw == "[]":
            return []
        try:
            value = json.loads(raw)
        except ValueError:
            return {"$text": raw}
        if value is None or _looks_tagged(value) or _json_text(value) != raw:
            return {"$text": raw}
        return value
    return raw  # NULL, a number (the column's NUMERIC affinity made one), or bytes (tagged)


def _looks_tagged(value: object) -> bool:
    return isinstance(value, dict) and len(value) == 1 and next(iter(value)) in TAGS


def json_stored(cell: object) -> object:
    """The value to store for a JSON column's dump cell (the inverse of ``json_cell``)."""
    if cell.__class__ is list and not cell:
        return "[]"
    if cell is None:
        return None
    if _looks_tagged(cell):
        return _untag(cell)
    return _json_text(cell)


def _untag(cell: Any) -> object:
    if "$b64" in cell:
        return base64.b64decode(cell["$b64"], validate=True)
    return cell["$text"]


# --- writing -----------------------------------------------------------------------------------

def write_dump(con: sqlite3.Connection, out: IO[bytes], *, schema: str, created_at: str,
               progress: Progress | None = None, cancel: Cancel | None = None) -> DumpSummary:
    """Write every synced row read through ``con`` (inside one read transaction, so all of it
    is one moment of the newsroom) to ``out``; the caller owns the file."""
    specs = dump_tables()
    counts = {s.name: int(con.execute(f'SELECT count(*) FROM "{s.name}"').fetchone()[0])
              for s in specs}
    sha = hashlib.sha256()

    def emit(data: bytes) -> None:
        sha.update(data)
        out.write(data)

    emit(_line({"format": FORMAT, "version": VERSION, "schema": schema,
                "created_at": created_at,
                "tables": [{"name": s.name, "columns": list(s.columns),
                            "json": list(s.json_columns), "rows": counts[s.name]}
                           for s in specs]}))
    total, done, written = sum(counts.values()), 0, {}
    for spec in specs:
        emit(_line({"table": spec.name}))
        n = 0
        for rows in _table_lines(con, spec):
            if cancel is not None and cancel():
                raise WorkCancelled("The dump was cancelled; no file was written.")
            emit(("\n".join(rows) + "\n").encode("utf-8"))
            n += len(rows)
            done += len(rows)
            if progress is not None:
                progress(done, total, spec.name)
        written[spec.name] = n
    digest = sha.hexdigest()
    out.write(_line({"end": FORMAT, "rows": written, "sha256": digest}))
    return DumpSummary(schema, created_at, written, digest)


def _line(value: object) -> bytes:
    return (_encode_line(value) + "\n").encode("ascii")


def _table_lines(con: sqlite3.Connection, spec: TableSpec) -> Iterator[list[str]]:
    """The table's rows as dump lines, in batches. In rowid order: the table read front to
    back, and restored in the order it was stored."""
    quoted = [f'"{c}"' for c in spec.columns]
    plain = ", ".join(quoted[:len(quoted) - len(spec.json_columns)])
    after = 0
    if _sqlite_writes_lines(spec.name):
        json_columns = "".join(f", {c}" for c in quoted[len(quoted) - len(spec.json_columns):])
        cur = con.execute(f'SELECT rowid, json_array({plain}){json_columns} '
                          f'FROM "{spec.name}" ORDER BY rowid')
        try:
            while rows := cur.fetchmany(BATCH):
                yield [_joined(r) for r in rows]
                after = rows[-1][0]
            return
        except sqlite3.OperationalError:  # a BLOB where the schema says otherwise
            pass
    cur = con.execute(f'SELECT {", ".join(quoted)} FROM "{spec.name}" WHERE rowid > ? '
                      'ORDER BY rowid', (after,))
    indexes = spec.json_indexes
    while rows := cur.fetchmany(BATCH):
        yield [_encode_line(_with_json_cells(r, indexes) if indexes else r) for r in rows]


def _joined(row: Sequence[Any]) -> str:
    """``(rowid, '[plain values…]', json cells…)`` as one line's text."""
    head = row[1]
    if len(row) == 2:
        return str(head)
    cells = ",".join("[]" if j == "[]" else _encode_line(json_cell(j)) for j in row[2:])
    return f"{head[:-1]},{cells}]" if head != "[]" else f"[{cells}]"


def _with_json_cells(row: Sequence[Any], indexes: tuple[int, ...]) -> list[Any]:
    out = list(row)
    for i in indexes:
        out[i] = json_cell(out[i])
    return out


# --- reading -----------------------------------------------------------------------------------

class DumpReader:
    """A dump read as a stream: ``header`` at once, then ``batches()`` of rows per table.

    ``batches()`` checks every line as it goes and, once the rows are over, the closing line
    (counts and SHA-256); any problem is a ``DumpFileError`` naming the line. Rows come back
    ready to store (JSON cells as text, bytes decoded).
    """

    def __init__(self, inp: IO[bytes], name: str) -> None:
        self._inp = inp
        self.name = name
        self._sha = hashlib.sha256()
        self.line = 0
        first = inp.readline(HEADER_LIMIT)
        self.line = 1
        header = self._header(first)
        self._sha.update(first)
        self.schema = str(header["schema"])
        self.created_at = str(header.get("created_at", ""))
        self.specs = [self._spec(t) for t in header["tables"]]
        self.counts = {s.name: int(t.get("rows", 0)) for s, t in zip(
            self.specs, header["tables"], strict=True)}
        self.rows: dict[str, int] = {}
        self.sha256 = ""

    def _fail(self, detail: str, line: int | None = None) -> DumpFileError:
        return DumpFileError(self.name, detail, self.line if line is None else line)

    def _header(self, first: bytes) -> dict[str, Any]:
        try:
            header = json.loads(first)
        except ValueError:
            header = None
        if not isinstance(header, dict) or header.get("format") != FORMAT:
            raise DumpFileError(self.name, "it is not a PSE Desk dump", 1)
        if header.get("version") != VERSION:
            raise DumpFileError(self.name, f"it is a dump of version {header.get('version')}, "
                                           f"which this PSE Desk cannot read", 1)
        if not isinstance(header.get("tables"), list) or "schema" not in header:
            raise DumpFileError(self.name, "its first line does not list its tables", 1)
        return header

    def _spec(self, entry: Any) -> TableSpec:
        try:
            columns = tuple(str(c) for c in entry["columns"])
            return TableSpec(str(entry["name"]), columns,
                             tuple(str(c) for c in entry.get("json", ())))
        except (KeyError, TypeError, ValueError):
            raise self._fail("its first line does not list its tables") from None

    def batches(self) -> Iterator[tuple[TableSpec, list[Any]]]:
        specs = iter(self.specs)
        spec: TableSpec | None = None
        for first, lines in self._chunks():
            values = self._parse(first, lines)
            rows: list[Any] = []
            for offset, value in enumerate(values):
                if value.__class__ is list and spec is not None \
                        and len(value) == len(spec.columns):
                    rows.append(value)
                    continue
                if rows and spec is not None:
                    yield spec, self._stored(spec, rows, lines)
                    rows = []
                line = first + offset
                if isinstance(value, dict) and "table" in value:
                    spec = self._next_table(specs, value["table"], line)
                elif isinstance(value, dict) and "end" in value:
                    self._sha.update(b"".join(lines[:offset]))
                    self._finish(value, specs, line, extra=len(lines) - offset - 1)
                    return
                else:
                    where = f"of table {spec.name}" if spec else "before the first table"
                    raise self._fail(f"it is not a row {where}", line)
            self._sha.update(b"".join(lines))
            if rows and spec is not None:
                yield spec, self._stored(spec, rows, lines)
        raise self._fail(INCOMPLETE)

    def _chunks(self) -> Iterator[tuple[int, list[bytes]]]:
        while lines := list(islice(self._inp, BATCH)):
            first = self.line + 1
            self.line += len(lines)
            yield first, lines

    def _parse(self, first: int, lines: list[bytes]) -> list[Any]:
        try:
            return [json.loads(line) for line in lines]
        except ValueError:
            for offset, line in enumerate(lines):
                try:
                    json.loads(line)
                except ValueError:
                    if not line.endswith(b"\n"):  # the file's last line, cut short
                        raise self._fail(INCOMPLETE, first + offset) from None
                    raise self._fail("it is not valid JSON", first + offset) from None
            raise

    def _next_table(self, specs: Iterator[TableSpec], name: object, line: int) -> TableSpec:
        spec = next(specs, None)
        if spec is None or spec.name != name:
            raise self._fail(f"table {name} is not the next table its first line lists",
                             line)
        self.rows[spec.name] = 0
        return spec

    def _stored(self, spec: TableSpec, rows: list[Any], lines: list[bytes]) -> list[Any]:
        self.rows[spec.name] += len(rows)
        indexes = spec.json_indexes
        # a tagged cell outside a JSON column is rare (bytes): look for one only when the
        # chunk's text holds a tag at all
        tagged = any(b'{"$' in line for line in lines) if len(indexes) < len(spec.columns) \
            else False
        if not indexes and not tagged:
            return rows
        others = [i for i in range(len(spec.columns)) if i not in indexes] if tagged else []
        try:
            for row in rows:
                for i in indexes:
                    row[i] = json_stored(row[i])
                for i in others:
                    if row[i].__class__ is dict:
                        row[i] = _untag(row[i])
        except (KeyError, TypeError, ValueError):
            raise self._fail(f"a row of table {spec.name} holds a value that is not one "
                             "PSE Desk writes") from None
        return rows

    def _finish(self, trailer: dict[str, Any], specs: Iterator[TableSpec], line: int,
                extra: int) -> None:
        missing = [s.name for s in specs]
        if missing:
            raise self._fail(f"its closing line comes before table {missing[0]}", line)
        if extra or self._inp.read(1):
            raise self._fail("there is more after its closing line", line + 1)
        digest = self._sha.hexdigest()
        if trailer.get("end") != FORMAT or trailer.get("sha256") != digest:
            raise self._fail("its closing line does not match the rows before it: the dump "
                             "was changed after it was written", line)
        said = trailer.get("rows")
        if said != self.rows or any(self.counts[k] != v for k, v in self.rows.items()):
            raise self._fail("its row counts do not match the rows it holds", line)
        self.sha256 = digest


# --- restoring ---------------------------------------------------------------------------------

def holds_newsroom(con: sqlite3.Connection) -> bool:
    """Whether any synced row was ever written here (rows the migrations made, the same on
    every database and never stamped, do not count)."""
    return any(con.execute(f'SELECT 1 FROM "{t}" WHERE hlc != \'\' LIMIT 1').fetchone()
               for t in SYNCED_TABLES)


def self_reference_indexes(tables: Sequence[str]) -> list[str]:
    """Indexes over a column that refers to its own table (a reply's parent comment): kept
    while rows load, since deferred foreign keys look rows up by them."""
    names = []
    for name in tables:
        t = Base.metadata.tables[name]
        assert isinstance(t, Table)
        own = {fk.parent.name for fk in t.foreign_keys if fk.column.table is t}
        names += [str(ix.name) for ix in t.indexes
                  if ix.name and next(iter(ix.columns)).name in own]
    return names


def check_columns(reader: DumpReader, our_schema: str) -> None:
    """Refuse a dump whose tables are not ours, column for column."""
    ours = {s.name: s for s in dump_tables()}
    theirs = {s.name: s for s in reader.specs}
    if reader.schema > our_schema and theirs.keys() != ours.keys():
        raise reader._fail(f"it was made by a newer PSE Desk (schema {reader.schema}); update "
                           "PSE Desk to restore it", 1)
    for name, spec in ours.items():
        other = theirs.get(name)
        if other is None or set(other.columns) != set(spec.columns) \
                or set(other.json_columns) != set(spec.json_columns):
            raise reader._fail(f"its table {name} does not have this PSE Desk's columns "
                               f"(it was made with schema {reader.schema}, this desk has "
                               f"{our_schema})", 1)
    extra = sorted(theirs.keys() - ours.keys())
    if extra:
        raise reader._fail(f"it holds a table this PSE Desk does not know ({extra[0]})", 1)


def load_dump(con: sqlite3.Connection, reader: DumpReader, *, our_schema: str,
              progress: Progress | None = None, cancel: Cancel | None = None) -> DumpSummary:
    """Write the dump's rows into the empty database on ``con``, inside the caller's write
    transaction (which the caller commits, or rolls back on any error)."""
    check_columns(reader, our_schema)
    if holds_newsroom(con):
        raise RestoreRefusedError("This database already holds a newsroom; a dump is restored "
                                  "only into a new, empty database (choose a new file with "
                                  "--db). Nothing was changed.")
    tables = [s.name for s in reader.specs]
    for name in reversed(tables):  # the rows the migrations made: the dump has its own
        con.execute(f'DELETE FROM "{name}" WHERE hlc = \'\'')
    con.execute("PRAGMA defer_foreign_keys = ON")
    inserts = {s.name: _insert_sql(s) for s in reader.specs}
    total, done = sum(reader.counts.values()), 0
    with bulk.large_cache(con), \
            bulk.fts_suspended(con, [t for t in tables if t in bulk.FTS_TABLES]), \
            bulk.indexes_suspended(con, tables, keep=self_reference_indexes(tables)):
        for spec, rows in bulk.prefetched(reader.batches()):
            if cancel is not None and cancel():
                raise WorkCancelled("The restore was cancelled; the database is unchanged.")
            try:
                con.executemany(inserts[spec.name], rows)
            except (sqlite3.IntegrityError, sqlite3.ProgrammingError,
                    sqlite3.InterfaceError, OverflowError) as exc:
                raise reader._fail(f"a row of table {spec.name} cannot be stored ({exc})",
                                   reader.line) from None
            done += len(rows)
            if progress is not None:
                progress(done, total, spec.name)
        if progress is not None:
            progress(done, total, "search index")  # rebuilt as the block ends
    return DumpSummary(reader.schema, reader.created_at, dict(reader.rows), reader.sha256)


def _insert_sql(spec: TableSpec) -> str:
    names = ", ".join(f'"{c}"' for c in spec.columns)
    marks = ", ".join("?" for _ in spec.columns)
    return f'INSERT INTO "{spec.name}" ({names}) VALUES ({marks})'


def newest_stamp(con: sqlite3.Connection) -> str:
    """The newest HLC of any synced row (for the desk's clock to move past)."""
    found = [con.execute(f'SELECT max(hlc) FROM "{t}"').fetchone()[0] for t in SYNCED_TABLES]
    return max((f for f in found if f), default="")
