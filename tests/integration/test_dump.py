"""The whole-newsroom dump: export, restore into a fresh database equal row for row, and the
dumps that must be refused (truncated, edited, not a dump) leaving the target untouched."""

from __future__ import annotations

import gzip
import json
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest

from pse_desk.demo import build_demo
from pse_desk.errors import DumpFileError, RestoreRefusedError, WorkCancelled
from pse_desk.interchange.dump import dump_tables
from pse_desk.services.exporting import export_dump, restore_dump
from pse_desk.store import open_store
from pse_desk.store.model import SYNCED_TABLES

ODD_BYTES = bytes(range(256)) * 3


def _rows(db: Path, table: str) -> list[tuple[object, ...]]:
    with closing(sqlite3.connect(db)) as con:
        return con.execute(f'SELECT * FROM "{table}" ORDER BY id').fetchall()


def _everything(db: Path) -> dict[str, list[tuple[object, ...]]]:
    return {t: _rows(db, t) for t in SYNCED_TABLES}


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo newsroom with a few thousand comments, an image, and values stored the way other
    writers might have stored them (JSON compact, JSON null, not JSON at all, a BLOB in a text
    column)."""
    path = tmp_path_factory.mktemp("dump") / "source.sqlite"
    store = open_store(path)
    try:
        build_demo(store, articles=8, comments=2500, seed=3)
    finally:
        store.close()
    with closing(sqlite3.connect(path)) as con:
        article = con.execute("SELECT id FROM article LIMIT 1").fetchone()[0]
        con.execute("INSERT INTO asset (id, hlc, origin, deleted, created_at, updated_at, "
                    "article_id, filename, mime, data) VALUES ('asset-1', "
                    "'1796215152675-0001-test', 'test', 0, '2026-12-01 10:00:00.000000', "
                    "'2026-12-01 10:00:00.000000', ?, 'é/..\\pic.png', 'image/png', ?)",
                    (article, ODD_BYTES))
        rules = [r[0] for r in con.execute("SELECT id FROM rule ORDER BY id LIMIT 3")]
        for rule, params in zip(rules, ('{"a":1,"b":[1,2]}', "null", "not json {"),
                                strict=True):
            con.execute("UPDATE rule SET params = ? WHERE id = ?", (params, rule))
        # a BLOB where the schema says text (SQLite lets any writer do that), mid-table
        con.execute("UPDATE comment SET body = ? WHERE rowid = 1200", (b"\x00\xffraw",))
        con.execute("UPDATE article SET title = ? WHERE id = ?",
                    ('Line\nbreak: "quotes" \u2028 \U0001f600 {"$b64": "x"}', article))
        con.commit()
    return path


@pytest.fixture(scope="module")
def dump_file(source: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("out") / "newsroom.jsonl"
    store = open_store(source)
    try:
        summary = export_dump(store, out)
    finally:
        store.close()
    assert summary.rows["comment"] == 2500
    return out


def _restore_fails(dump: Path, target: Path) -> str:
    with pytest.raises(DumpFileError) as caught:
        restore_dump(dump, target)
    return str(caught.value)


@pytest.fixture()
def fresh(tmp_path: Path) -> Iterator[Path]:
    yield tmp_path / "restored.sqlite"


def test_a_restored_newsroom_equals_the_source_row_for_row(source: Path, dump_file: Path,
                                                            fresh: Path) -> None:
    summary = restore_dump(dump_file, fresh)
    assert summary.total == sum(len(r) for r in _everything(source).values())
    assert _everything(fresh) == _everything(source)
    with closing(sqlite3.connect(fresh)) as con:
        assert con.execute("SELECT count(*) FROM change_log").fetchone()[0] == 0
        assert con.execute("SELECT data FROM asset").fetchone()[0] == ODD_BYTES
        word = "council"
        found = con.execute("SELECT count(*) FROM comment_fts WHERE comment_fts MATCH ?",
                            (word,)).fetchone()[0]
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    with closing(sqlite3.connect(source)) as con:
        assert found == con.execute("SELECT count(*) FROM comment_fts WHERE comment_fts "
                                    "MATCH ?", (word,)).fetchone()[0]


def test_the_dump_is_json_lines_with_parents_first_and_json_columns_as_json(
        dump_file: Path) -> None:
    lines = dump_file.read_bytes().splitlines()
    header, trailer = json.loads(lines[0]), json.loads(lines[-1])
    assert header["format"] == "pse-desk-dump"
    order = [t["name"] for t in header["tables"]]
    assert set(order) == set(SYNCED_TABLES)
    assert order.index("article") < order.index("comment") < order.index("moderation_event")
    assert order.index("layout") < order.index("panel") < order.index("panel_item")
    assert trailer["rows"]["comment"] == 2500 and len(trailer["sha256"]) == 64
    spec = next(s for s in dump_tables() if s.name == "comment")
    start = lines.index(b'{"table":"comment"}')
    row = json.loads(lines[start + 1])
    assert isinstance(row[spec.columns.index("held_reasons")], list)


def test_a_gzipped_dump_restores_the_same(source: Path, tmp_path: Path, fresh: Path) -> None:
    out = tmp_path / "newsroom.jsonl.gz"
    store = open_store(source)
    try:
        export_dump(store, out)
    finally:
        store.close()
    assert out.read_bytes()[:2] == b"\x1f\x8b"
    restore_dump(out, fresh)
    assert _everything(fresh) == _everything(source)


def test_a_truncated_dump_is_refused_and_the_new_file_removed(dump_file: Path,
                                                             tmp_path: Path) -> None:
    data = dump_file.read_bytes()
    cut = tmp_path / "cut.jsonl"
    cut.write_bytes(data[: len(data) * 2 // 3])
    message = _restore_fails(cut, tmp_path / "new.sqlite")
    assert "incomplete" in message and "line" in message and "nothing was restored" in message
    assert not (tmp_path / "new.sqlite").exists()


def test_a_truncated_gzip_dump_is_refused(dump_file: Path, tmp_path: Path) -> None:
    packed = gzip.compress(dump_file.read_bytes())
    cut = tmp_path / "cut.jsonl.gz"
    cut.write_bytes(packed[: len(packed) // 2])
    assert "nothing was restored" in _restore_fails(cut, tmp_path / "new.sqlite")


def test_an_edited_dump_is_refused_and_an_existing_empty_target_is_untouched(
        dump_file: Path, tmp_path: Path) -> None:
    lines = dump_file.read_bytes().splitlines(keepends=True)
    row = next(i for i, line in enumerate(lines)
               if line.startswith(b"[") and b'"approved"' in line)
    lines[row] = lines[row].replace(b'"approved"', b'"rejected"', 1)
    edited = tmp_path / "edited.jsonl"
    edited.write_bytes(b"".join(lines))
    target = tmp_path / "empty.sqlite"
    open_store(target).close()
    before = _everything(target)
    message = _restore_fails(edited, target)
    assert f"line {len(lines):,}" in message and "changed after it was written" in message
    assert _everything(target) == before
    with closing(sqlite3.connect(target)) as con:  # the triggers and indexes are all back
        names = {r[0] for r in con.execute("SELECT name FROM sqlite_master")}
    assert {"comment_fts_ai", "ix_comment_status_posted"} <= names


def test_a_file_that_is_not_a_dump_is_refused_at_line_one(tmp_path: Path) -> None:
    other = tmp_path / "comments.csv"
    other.write_text("id,body\n1,hello\n")
    message = _restore_fails(other, tmp_path / "new.sqlite")
    assert message == f"{other}, line 1: it is not a PSE Desk dump; nothing was restored."
    assert not (tmp_path / "new.sqlite").exists()


def test_a_row_that_does_not_fit_its_table_is_refused_with_its_line(dump_file: Path,
                                                                    tmp_path: Path) -> None:
    lines = dump_file.read_bytes().splitlines(keepends=True)
    lines.insert(3, b'["too", "short"]\n')
    bad = tmp_path / "bad.jsonl"
    bad.write_bytes(b"".join(lines))
    assert "line 4: it is not a row of table" in _restore_fails(bad, tmp_path / "new.sqlite")


def test_a_database_that_holds_a_newsroom_is_refused_and_unchanged(
        source: Path, dump_file: Path, tmp_path: Path) -> None:
    target = tmp_path / "busy.sqlite"
    store = open_store(target)
    try:
        build_demo(store, articles=2, comments=10, seed=9)
    finally:
        store.close()
    before = _everything(target)
    with pytest.raises(RestoreRefusedError, match="already holds a newsroom"):
        restore_dump(dump_file, target)
    assert _everything(target) == before


def test_a_cancelled_restore_leaves_the_open_desk_empty(dump_file: Path,
                                                        tmp_path: Path) -> None:
    store = open_store(tmp_path / "desk.sqlite")
    try:
        before = _everything(store.path)
        with pytest.raises(WorkCancelled):
            restore_dump(dump_file, store, cancel=lambda: True)
        assert _everything(store.path) == before
        restore_dump(dump_file, store)  # and it can be done afterwards
        assert len(_rows(store.path, "comment")) == 2500
    finally:
        store.close()


def test_a_cancelled_export_leaves_no_file(source: Path, tmp_path: Path) -> None:
    store = open_store(source)
    try:
        with pytest.raises(WorkCancelled):
            export_dump(store, tmp_path / "x.jsonl", cancel=lambda: True)
    finally:
        store.close()
    assert list(tmp_path.iterdir()) == []


def test_a_dump_read_in_small_batches_restores_equal_and_checks_every_row(
        source: Path, dump_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import pse_desk.interchange.dump as dump

    monkeypatch.setattr(dump, "BATCH", 64)  # many batches, a table split across them
    restore_dump(dump_file, tmp_path / "small.sqlite")
    assert _everything(tmp_path / "small.sqlite") == _everything(source)
    lines = dump_file.read_bytes().splitlines(keepends=True)
    start = lines.index(b'{"table":"comment"}\n')
    lines[start + 1000] = b'["one", "two"]\n'
    bad = tmp_path / "bad.jsonl"
    bad.write_bytes(b"".join(lines))
    message = _restore_fails(bad, tmp_path / "new.sqlite")
    assert "is not a row of table comment" in message
    assert not (tmp_path / "new.sqlite").exists()
