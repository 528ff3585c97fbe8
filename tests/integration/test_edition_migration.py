"""Migration 0003 (print editions): existing editions keep their values and items, gain the
print layout, marks and a table of contents; a downgrade gives 0002's tables back."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from pse_desk.demo import build_demo
from pse_desk.demo.build import demo_base
from pse_desk.store import open_store
from pse_desk.store.db import make_engine
from pse_desk.store.migrations import HEAD_REVISION, runner


def _columns(con: sqlite3.Connection, table: str) -> set[str]:
    return {r[1] for r in con.execute(f"PRAGMA table_info({table})")}


def _editions(con: sqlite3.Connection) -> list[tuple[object, ...]]:
    return con.execute("SELECT id, title, issue_date, page_size, bleed_mm, status FROM edition "
                       "ORDER BY id").fetchall()


def _items(con: sqlite3.Connection) -> list[tuple[object, ...]]:
    return con.execute("SELECT id, edition_id, position, article_id, panel_id, "
                       "page_break_before FROM edition_item ORDER BY id").fetchall()


def _step(path: Path, revision: str, *, down: bool) -> None:
    engine = make_engine(path)
    try:
        (runner.downgrade if down else runner.upgrade)(engine, revision)
    finally:
        engine.dispose()


def test_an_0002_database_upgrades_with_its_editions_intact_and_downgrades_again(
        db_path: Path) -> None:
    store = open_store(db_path)
    build_demo(store, articles=12, comments=0, base=demo_base())
    store.close()
    _step(db_path, "0002", down=True)
    with sqlite3.connect(db_path) as con:
        assert "issue_number" not in _columns(con, "edition")
        before, items = _editions(con), _items(con)
        con.execute("UPDATE edition SET bleed_mm = 5.0")  # a value the desk set by hand
        before = _editions(con)
        print_layout = con.execute("SELECT id FROM layout WHERE name = 'print'").fetchone()[0]
    assert before and items

    _step(db_path, "head", down=False)

    with sqlite3.connect(db_path) as con:
        assert con.execute("SELECT version_num FROM alembic_version").fetchone()[0] \
            == HEAD_REVISION
        assert _editions(con) == before and _items(con) == items
        assert con.execute("SELECT issue_number, crop_marks, cross_marks, toc, layout_id "
                           "FROM edition").fetchall() == [(None, 1, 1, 1, print_layout)]
        assert {p for (p,) in con.execute("SELECT placement FROM edition_item")} == {"inline"}
        assert con.execute("SELECT count(*) FROM edition_proof").fetchone()[0] == 0

    _step(db_path, "0002", down=True)
    with sqlite3.connect(db_path) as con:
        assert _editions(con) == before and _items(con) == items
        tables = {n for (n,) in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert "edition_proof" not in tables
        assert "placement" not in _columns(con, "edition_item")
    open_store(db_path).close()  # and it upgrades again on open


def test_an_edition_without_a_print_layout_keeps_no_layout(db_path: Path) -> None:
    open_store(db_path).close()
    _step(db_path, "0002", down=True)
    with sqlite3.connect(db_path) as con:
        con.execute("INSERT INTO edition (id, title, page_size, bleed_mm, status, hlc, origin, "
                    "deleted, created_at, updated_at) VALUES ('e1', 'Old', 'A5', 3.0, 'draft', "
                    "'', '', 0, '2026-01-01', '2026-01-01')")
    _step(db_path, "head", down=False)
    with sqlite3.connect(db_path) as con:
        assert con.execute("SELECT title, page_size, layout_id FROM edition").fetchall() == [
            ("Old", "A5", None)]
