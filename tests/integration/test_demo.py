"""The demo newsroom written into a real SQLite file: contents, contracts, bulk path, CLI."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import closing
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from pse_desk.demo import build_demo
from pse_desk.demo.articles import issue_name
from pse_desk.demo.build import demo_base
from pse_desk.errors import ValidationError
from pse_desk.services.moderation.queue import Queue, queue_counts
from pse_desk.store import Store, open_store, outbox
from pse_desk.store.model import Article, Comment, Commenter

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    path = tmp_path_factory.mktemp("demo") / "newsroom.sqlite"
    store = open_store(path)
    try:
        build_demo(store, articles=12, comments=600, seed=1)
    finally:
        store.close()
    yield path


@pytest.fixture()
def con(demo_db: Path) -> Iterator[sqlite3.Connection]:
    connection = sqlite3.connect(demo_db)
    yield connection
    connection.close()


def _build(path: Path, **kwargs: int) -> Store:
    store = open_store(path)
    build_demo(store, **kwargs)
    return store


def _one(con: sqlite3.Connection, sql: str, *args: object) -> int:
    return int(con.execute(sql, args).fetchone()[0])


def _text(con: sqlite3.Connection, sql: str, *args: object) -> str:
    return str(con.execute(sql, args).fetchone()[0])


def _schema(con: sqlite3.Connection) -> list[tuple[str, str, str]]:
    return con.execute("SELECT type, name, sql FROM sqlite_master WHERE type IN "
                       "('trigger', 'index') ORDER BY name").fetchall()


def test_counts_match_the_arguments(con: sqlite3.Connection) -> None:
    assert _one(con, "SELECT count(*) FROM article") == 12
    assert _one(con, "SELECT count(*) FROM revision") == 12
    assert _one(con, "SELECT count(*) FROM comment") == 600
    assert _one(con, "SELECT count(*) FROM rule") == 9
    assert _one(con, "SELECT count(*) FROM edition") == 1
    assert 60 <= _one(con, "SELECT count(*) FROM commenter") <= 110


def test_the_six_sidebar_panels_of_the_reference_page_in_order(con: sqlite3.Connection) -> None:
    rows = con.execute("SELECT key, title, region, rank, more_label, source, item_count, "
                       "panel.id "
                       "FROM panel JOIN layout ON layout.id = layout_id WHERE layout.name = "
                       "'web' AND region = 'sidebar' ORDER BY rank, panel.id").fetchall()
    assert [(r[0], r[1], r[2]) for r in rows] == [
        ("tv", "public sector executive tv", "sidebar"),
        ("latest_news", "latest public sector news", "sidebar"),
        ("editors_comment", "editor's comment", "sidebar"),
        ("last_word", "last word", "sidebar"),
        ("blog", "the raven's daily blog", "sidebar"),
        ("focus", "public sector focus", "sidebar"),
    ]
    assert len({r[3] for r in rows}) == len(rows), "every panel has its own place"
    assert rows[0][4] == "more videos >"
    for *_, source, item_count, panel_id in rows:
        assert 1 <= item_count <= 8
        assert source == "latest" or _one(  # a latest panel fills itself; the others are set
            con, "SELECT count(*) FROM panel_item WHERE panel_id = ?", panel_id) > 0
    tv_items = con.execute("SELECT i.title, url, item_date, article_id FROM panel_item i "
                           "JOIN panel ON panel.id = panel_id WHERE key = 'tv'").fetchall()
    assert all(t and u.startswith("https://") and d and a is None for t, u, d, a in tv_items)
    assert len({t for t, *_ in tv_items}) == len(tv_items), "no video is listed twice"
    assert _one(con, "SELECT count(*) FROM panel_item WHERE article_id IS NOT NULL AND "
                     "article_id NOT IN (SELECT id FROM article)") == 0


def test_the_demo_s_dates_end_on_the_day_it_is_built(con: sqlite3.Connection) -> None:
    today = demo_base()
    newest = datetime.fromisoformat(_text(con, "SELECT max(posted_at) FROM comment"))
    assert today - timedelta(days=1) <= newest <= today
    published = datetime.fromisoformat(_text(con, "SELECT max(published_at) FROM article"))
    assert today - timedelta(days=2) <= published <= today
    recent = _one(con, "SELECT count(*) FROM comment WHERE posted_at >= ?",
                  (today - timedelta(days=30)).isoformat(sep=" "))
    assert recent > 100  # the rules trial's default 30 days have comments to try


def test_a_fixed_base_gives_the_same_dates_on_any_day(tmp_path: Path) -> None:
    from pse_desk.demo import BASE_DATE

    store = open_store(tmp_path / "fixed.sqlite")
    try:
        build_demo(store, articles=3, comments=20, base=BASE_DATE)
        with store.read_session() as s:
            newest = s.scalar(select(func.max(Comment.posted_at)))
    finally:
        store.close()
    assert newest is not None and BASE_DATE - timedelta(days=60) <= newest <= BASE_DATE


def test_the_edition_has_eight_articles_page_breaks_and_a_panel(con: sqlite3.Connection) -> None:
    title, size, bleed, issue = con.execute(
        "SELECT title, page_size, bleed_mm, issue_date FROM edition").fetchone()
    month = demo_base().date().replace(day=1)
    assert (title, size, bleed, issue) == (issue_name(month), "A4", 3.0, month.isoformat())
    items = con.execute("SELECT position, article_id, panel_id, page_break_before "
                        "FROM edition_item ORDER BY position").fetchall()
    assert [i[0] for i in items] == list(range(9))
    assert sum(1 for i in items if i[1]) == 8 and items[-1][2] is not None
    assert any(i[3] for i in items)


def test_default_rules_are_stored_with_their_params(con: sqlite3.Connection) -> None:
    rules = {k: (json.loads(p), a, v) for k, p, a, v in
             con.execute("SELECT kind, params, action, version FROM rule")}
    assert rules["link_count"] == ({"max_links": 2}, "hold", 1)
    assert rules["banned_commenter"] == ({}, "reject", 1)
    assert set(rules) == {"banned_words", "suspect_words", "link_count", "first_time",
                          "shouting", "duplicate", "rate_limit", "banned_commenter", "reports"}


def test_the_comment_mix_has_every_kind(con: sqlite3.Connection) -> None:
    def has(where: str) -> bool:
        return _one(con, f"SELECT count(*) FROM comment WHERE {where}") > 0

    assert has("body LIKE '%<script%'") and has("body LIKE '%onerror=%'")
    assert has("body LIKE '%javascript:%'") and has("body LIKE '%<svg%'")
    assert has("body LIKE '%https://%'")
    assert has("held_reasons LIKE '%\"shouting\"%'")
    assert has("parent_id IS NOT NULL") and has("reports > 0")
    assert has("held_reasons LIKE '%\"first_time\"%'")
    statuses = {s for (s,) in con.execute("SELECT DISTINCT status FROM comment")}
    assert statuses == {"approved", "pending", "rejected", "spam"}
    replies = _one(con, "SELECT count(*) FROM comment WHERE parent_id IS NOT NULL")
    assert 0.15 <= replies / 600 <= 0.35


def test_held_reasons_reference_real_rules_and_text_in_the_comment(
        con: sqlite3.Connection) -> None:
    rules = {i: (k, a, v) for i, k, a, v in con.execute("SELECT id, kind, action, version "
                                                        "FROM rule")}
    held = con.execute("SELECT body, status, held_reasons FROM comment "
                       "WHERE held_reasons != '[]'").fetchall()
    assert len(held) > 30
    for body, status, reasons in held:
        for hit in json.loads(reasons):
            kind, action, version = rules[hit["rule_id"]]
            assert (hit["kind"], hit["action"], hit["rule_version"]) == (kind, action, version)
            assert isinstance(hit["explanation"], str) and hit["explanation"]
            assert all(text in body for text in hit["matched"])
        if status == "pending":
            assert all(h["action"] == "hold" for h in json.loads(reasons))


def test_commenter_counts_match_their_comments(con: sqlite3.Connection) -> None:
    mismatched = con.execute("""
        SELECT c.id FROM commenter c LEFT JOIN (
            SELECT commenter_id, count(*) n, sum(status = 'approved') a,
                   sum(status = 'rejected') r, sum(status = 'spam') s, min(posted_at) first
            FROM comment GROUP BY commenter_id) t ON t.commenter_id = c.id
        WHERE c.comment_count != coalesce(t.n, 0) OR c.approved_count != coalesce(t.a, 0)
           OR c.rejected_count != coalesce(t.r, 0) OR c.spam_count != coalesce(t.s, 0)
           OR (t.first IS NOT NULL AND c.first_seen != t.first)""").fetchall()
    assert mismatched == []
    trusts = {t for (t,) in con.execute("SELECT DISTINCT trust FROM commenter")}
    assert trusts == {"new", "trusted", "banned"}
    assert _one(con, "SELECT count(*) FROM commenter WHERE length(email_hash) = 64") == \
        _one(con, "SELECT count(*) FROM commenter")


def test_moderation_events_record_decisions_already_taken(con: sqlite3.Connection) -> None:
    events = con.execute("SELECT e.actor, e.from_status, e.to_status, c.status, e.at, "
                         "c.posted_at FROM moderation_event e JOIN comment c "
                         "ON c.id = e.comment_id").fetchall()
    assert events
    for actor, from_status, to_status, now_status, at, posted in events:
        assert (actor, from_status) == ("demo", "pending")
        assert to_status == now_status and at > posted


def test_full_text_search_finds_words_of_comments_and_articles(con: sqlite3.Connection) -> None:
    assert _one(con, "SELECT count(*) FROM comment_fts WHERE comment_fts MATCH 'reablement'") > 0
    assert _one(con, "SELECT count(*) FROM article_fts WHERE article_fts MATCH 'council'") > 0
    assert _one(con, "SELECT count(*) FROM commenter_fts") == \
        _one(con, "SELECT count(*) FROM commenter")


def test_every_written_row_has_an_outbox_entry(con: sqlite3.Connection) -> None:
    for table in ("article", "revision", "comment", "commenter", "rule", "panel", "panel_item",
                  "edition", "edition_item", "moderation_event"):
        missing = _one(con, f"SELECT count(*) FROM {table} t WHERE NOT EXISTS (SELECT 1 FROM "
                            f"change_log l WHERE l.table_name = ? AND l.row_id = t.id "
                            f"AND l.hlc = t.hlc)", table)
        assert missing == 0, table
    for table in ("comment", "commenter"):  # bulk rows: "the push reads the current row"
        assert _one(con, "SELECT count(*) FROM change_log WHERE table_name = ? "
                         "AND payload IS NOT NULL", table) == 0
    assert _one(con, "SELECT count(*) FROM comment WHERE hlc = '' OR origin = ''") == 0
    # every commenter is queued before the first of their comments (the hub checks the
    # foreign key when a batch commits)
    assert _one(con, "SELECT count(*) FROM comment c "
                     "JOIN change_log lc ON lc.table_name = 'comment' AND lc.row_id = c.id "
                     "JOIN change_log lp ON lp.table_name = 'commenter' "
                     "AND lp.row_id = c.commenter_id WHERE lp.seq > lc.seq") == 0


def test_the_push_of_bulk_rows_sends_what_the_orm_outbox_would(demo_db: Path) -> None:
    from pse_desk.sync import replicate

    store = open_store(demo_db)
    try:
        with store.read_session() as s:
            batch = replicate.read_batch(s, "moderator", limit=5000)
            assert batch is not None
            sent = {(e.table, e.row_id): e.payload for e in batch.entries}

            def values(table: str, payload: dict[str, object]) -> dict[str, object]:
                return replicate.decode_row(table, payload)[0]  # as the hub and desks read it

            for commenter in s.scalars(select(Commenter).limit(20)):
                assert values("commenter", sent[("commenter", commenter.id)]) == \
                    values("commenter", outbox.row_payload(commenter))
            for comment in s.scalars(select(Comment).limit(20)):
                assert values("comment", sent[("comment", comment.id)]) == \
                    values("comment", outbox.row_payload(comment))
    finally:
        store.close()


def test_the_moderation_queues_are_all_filled(demo_db: Path) -> None:
    store = open_store(demo_db)
    try:
        with store.read_session() as s:
            counts = queue_counts(s)
            ids = s.scalars(select(Comment.id).limit(1)).all()
    finally:
        store.close()
    assert all(counts[q] > 0 for q in Queue), counts
    assert ids


def test_the_same_seed_builds_the_same_newsroom_and_another_seed_does_not(
        tmp_path: Path) -> None:
    def contents(path: Path, seed: int) -> tuple[list[tuple[str, ...]], list[tuple[str, ...]]]:
        _build(path, articles=6, comments=150, seed=seed).close()
        with closing(sqlite3.connect(path)) as c:
            articles = c.execute("SELECT id, title, body_md FROM article ORDER BY id").fetchall()
            comments = c.execute("SELECT id, body, posted_at, held_reasons FROM comment "
                                 "ORDER BY id").fetchall()
        return articles, comments

    first = contents(tmp_path / "a.sqlite", 9)
    assert first == contents(tmp_path / "b.sqlite", 9)
    other = contents(tmp_path / "c.sqlite", 10)
    assert [a[1:] for a in first[0]] != [a[1:] for a in other[0]]
    assert {c[1] for c in first[1]} != {c[1] for c in other[1]}


def test_a_database_that_already_holds_a_newsroom_is_refused_and_left_unchanged(
        tmp_path: Path) -> None:
    path = tmp_path / "full.sqlite"
    store = _build(path, articles=5, comments=50)
    try:
        with closing(sqlite3.connect(path)) as c:
            before = [_one(c, f"SELECT count(*) FROM {t}") for t in
                      ("article", "comment", "commenter", "change_log")]
        with pytest.raises(ValidationError, match="already holds a newsroom"):
            build_demo(store, articles=5, comments=50, seed=2)
        with store.read_session() as s:
            assert s.scalar(select(func.count()).select_from(Article)) == 5
    finally:
        store.close()
    with closing(sqlite3.connect(path)) as c:
        assert before == [_one(c, f"SELECT count(*) FROM {t}") for t in
                          ("article", "comment", "commenter", "change_log")]


def test_a_failure_during_the_bulk_load_leaves_the_database_as_it_was(tmp_path: Path) -> None:
    path = tmp_path / "failed.sqlite"
    store = open_store(path)
    with closing(sqlite3.connect(path)) as c:
        schema = _schema(c)

    def fail(done: int, total: int, what: str) -> None:
        if what == "comments":
            raise RuntimeError("disk on fire")

    try:
        with pytest.raises(RuntimeError, match="disk on fire"):
            build_demo(store, articles=4, comments=300, progress=fail)
        with store.read_session() as s:
            assert s.scalar(select(func.count()).select_from(Article)) == 0
        build_demo(store, articles=4, comments=300)  # and the database is still usable
    finally:
        store.close()
    with closing(sqlite3.connect(path)) as c:
        assert _schema(c) == schema
        assert c.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert _one(c, "SELECT count(*) FROM comment") == 300


def test_a_build_while_another_connection_has_the_file_open_still_succeeds(
        tmp_path: Path) -> None:
    path = tmp_path / "shared.sqlite"
    store = open_store(path)
    with closing(sqlite3.connect(path)) as other:
        other.execute("SELECT count(*) FROM article").fetchone()
        try:
            summary = build_demo(store, articles=3, comments=40)
        finally:
            store.close()
        assert summary.comments == 40
        assert other.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert _one(other, "SELECT count(*) FROM comment") == 40


@pytest.mark.slow
def test_the_bulk_path_restores_triggers_and_indexes_and_keeps_search_current(
        tmp_path: Path) -> None:
    path = tmp_path / "bulk.sqlite"
    store = open_store(path)
    with closing(sqlite3.connect(path)) as c:
        schema = _schema(c)
    progress: list[tuple[int, int, str]] = []
    modes_during_load: list[str] = []

    def watch(done: int, total: int, what: str) -> None:
        progress.append((done, total, what))
        if what == "comments":
            with closing(sqlite3.connect(path)) as outside:
                modes_during_load.append(outside.execute("PRAGMA journal_mode").fetchone()[0])

    try:
        summary = build_demo(store, articles=24, comments=20_000, progress=watch)
    finally:
        store.close()
    assert summary.comments == 20_000
    assert (20_000, 20_000, "comments") in progress
    assert modes_during_load == ["delete"]  # pages written once, not via the WAL
    with closing(sqlite3.connect(path)) as c:
        assert _schema(c) == schema
        assert c.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        c.execute("INSERT INTO comment_fts(comment_fts) VALUES ('integrity-check')")
        c.execute("INSERT INTO commenter_fts(commenter_fts) VALUES ('integrity-check')")
        assert c.execute("PRAGMA foreign_key_check").fetchall() == []
        # the recreated trigger keeps the index current for a new comment
        row = c.execute("SELECT article_id, commenter_id FROM comment LIMIT 1").fetchone()
        c.execute("INSERT INTO comment (id, hlc, origin, deleted, created_at, updated_at, "
                  "article_id, commenter_id, body, posted_at, status, reports, held_reasons) "
                  "VALUES ('x', 'h', 'o', 0, '', '', ?, ?, 'zanzibarian remark', '', "
                  "'pending', 0, '[]')", row)
        assert _one(c, "SELECT count(*) FROM comment_fts WHERE comment_fts MATCH "
                       "'zanzibarian'") == 1


def test_the_cli_builds_a_demo_and_prints_the_summary(tmp_path: Path) -> None:
    path = tmp_path / "cli.sqlite"
    done = subprocess.run([sys.executable, "-m", "pse_desk.app", "--db", str(path), "demo",
                           "--articles", "5", "--comments", "200", "--quiet"],
                          capture_output=True, text=True, cwd=REPO, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().startswith("5 articles, 2 layouts of 10 panels, 200 comments from ")
    again = subprocess.run([sys.executable, "-m", "pse_desk.app", "--db", str(path), "demo",
                            "--quiet"], capture_output=True, text=True, cwd=REPO, timeout=120)
    assert again.returncode == 1 and "already holds a newsroom" in again.stderr
