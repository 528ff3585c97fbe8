"""Importing a WordPress export into a real SQLite newsroom, and `pse-desk import` itself."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from import_helpers import WXR_SAMPLE, generated_wxr, newsroom, snapshot
from sqlalchemy import select

from pse_desk.errors import ImportCancelled, ImportFileError
from pse_desk.services import importing
from pse_desk.services.articles import create_article
from pse_desk.services.importing import email_hash, import_file
from pse_desk.store import Store
from pse_desk.store.model import Article, Comment, Commenter, Revision, RevisionKind


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = newsroom(tmp_path / "n.sqlite")
    try:
        yield s
    finally:
        s.close()


def rows(store: Store, sql: str, *args: object) -> list[tuple[object, ...]]:
    con = sqlite3.connect(store.path)
    try:
        return con.execute(sql, args).fetchall()
    finally:
        con.close()


def test_posts_become_articles_with_markdown_and_the_original_html_kept(store: Store) -> None:
    summary = import_file(store, WXR_SAMPLE, "wxr")
    assert (summary.articles, summary.comments, summary.commenters) == (3, 5 + 1, 4)
    with store.read_session() as s:
        art = s.scalars(select(Article).where(Article.slug == "parish-councils-buses")).one()
        assert (art.title, art.author, art.section, art.status.value) == (
            "Parish councils take the bus back into their own hands", "Hywel Morgan",
            "Localism", "published")
        assert art.tags == ["buses", "parish councils"] and art.imported_html
        assert "## Who pays" in art.body_md and "**four pence a week**" in art.body_md
        assert "<script>" not in art.body_md and "alert" not in art.body_md
        kinds = {r.kind: r for r in s.scalars(select(Revision).where(
            Revision.article_id == art.id))}
        assert set(kinds) == {RevisionKind.IMPORT, RevisionKind.MANUAL}
        assert "<script>alert" in kinds[RevisionKind.IMPORT].body_md  # whole, as it came
        assert kinds[RevisionKind.MANUAL].body_md == art.body_md
        icb = s.scalars(select(Article).where(Article.slug == "icb-inheritance")).one()
        assert "\n\nThe boards start" in icb.body_md  # WordPress's blank-line paragraphs
        draft = s.scalars(select(Article).where(Article.status == "draft")).one()
        assert draft.published_at is None and draft.slug.startswith("devolution-deals")


def test_comments_keep_threads_statuses_and_one_commenter_per_address(store: Store) -> None:
    import_file(store, WXR_SAMPLE, "wxr")
    with store.read_session() as s:
        comments = {c.body[:20]: c for c in s.scalars(select(Comment))}
        reply = comments["Which insurer in the"]
        parent = s.get(Comment, reply.parent_id)
        assert parent is not None and parent.body.startswith("Our parish tried")
        grand = comments["The community transp"]
        assert grand.parent_id == reply.id
        assert reply.body.endswith("silly money.")  # the control character is gone
        statuses = sorted(c.status.value for c in comments.values())
        assert statuses == ["approved", "approved", "approved", "pending", "rejected", "spam"]
        gwen = s.scalars(select(Commenter).where(Commenter.display_name == "Gwen Price")).all()
        assert len(gwen) == 1 and gwen[0].email_hash == email_hash("gwen.price@example.net")
        assert (gwen[0].comment_count, gwen[0].approved_count) == (2, 1)


def test_pingbacks_trackbacks_pages_and_the_trash_are_counted_as_left_out(store: Store) -> None:
    summary = import_file(store, WXR_SAMPLE, "wxr")
    assert summary.skipped["pingbacks"] == 1 and summary.skipped["trackbacks"] == 1
    assert summary.skipped["posts in WordPress's trash"] == 1
    text = str(summary)
    assert "1 pingbacks" in text and "Left out:" in text and "Imported 3 articles" in text


def test_the_rules_give_held_reasons_and_the_export_keeps_its_status(store: Store) -> None:
    summary = import_file(store, WXR_SAMPLE, "wxr")
    assert summary.held > 0
    with store.read_session() as s:
        spam = s.scalars(select(Comment).where(Comment.body.like("GREAT ARTICLE%"))).one()
        kinds = {h["kind"] for h in spam.held_reasons}
        assert "link_count" in kinds, spam.held_reasons
        assert spam.status.value == "spam"  # not the rules' "rejected" or "pending"
        hit = next(h for h in spam.held_reasons if h["kind"] == "link_count")
        assert set(hit) >= {"rule_id", "rule_version", "action", "matched", "explanation"}
        first = s.scalars(select(Comment).where(Comment.body.like("Our parish%"))).one()
        assert [h["kind"] for h in first.held_reasons] == ["first_time"]
        assert first.status.value == "approved"
        # Gwen's first comment was approved, so her second is no first-timer's
        second = s.scalars(select(Comment).where(Comment.body.like("The community%"))).one()
        assert "first_time" not in {h["kind"] for h in second.held_reasons}


def test_the_duplicate_rule_sees_the_desks_own_comments_beside_the_imported(
        store: Store) -> None:
    from datetime import datetime

    from pse_desk.services.moderation.rules import submit_comment

    article = create_article(store, "Minibus pilots", body_md="Text.")
    with store.session() as s:
        reader = Commenter(display_name="Desk reader", email_hash="d" * 64)
        s.add(reader)
        s.commit()
        reader_id = reader.id
    # the desk's reader said it an hour before the export's comment (2017-06-01 09:02)
    submit_comment(store, article_id=article.id, commenter_id=reader_id,
                   body="Our parish tried this in 2015. The hard part was insurance, "
                        "not drivers.", posted_at=datetime(2017, 6, 1, 8, 2))
    import_file(store, WXR_SAMPLE, "wxr")
    with store.read_session() as s:
        copy = s.scalars(select(Comment).where(Comment.body.like("Our parish%"),
                                               Comment.commenter_id != reader_id)).one()
        assert "duplicate" in {h["kind"] for h in copy.held_reasons}, copy.held_reasons
        other = s.scalars(select(Comment).where(Comment.body.like("Which insurer%"))).one()
        assert "duplicate" not in {h["kind"] for h in other.held_reasons}


def test_importing_the_same_file_twice_adds_nothing(store: Store) -> None:
    import_file(store, WXR_SAMPLE, "wxr")
    before = snapshot(store.path)
    again = import_file(store, WXR_SAMPLE, "wxr")
    assert (again.articles, again.comments, again.commenters) == (0, 0, 0)
    assert again.already["articles"] == 3 and again.already["comments"] == 6
    assert snapshot(store.path) == before


def test_two_desks_importing_the_same_file_make_the_same_ids(tmp_path: Path) -> None:
    ids = []
    for name in ("a", "b"):
        s = newsroom(tmp_path / f"{name}.sqlite")
        try:
            import_file(s, WXR_SAMPLE, "wxr")
            ids.append(rows(s, "SELECT id FROM article UNION ALL SELECT id FROM comment "
                               "UNION ALL SELECT id FROM commenter ORDER BY 1"))
        finally:
            s.close()
    assert ids[0] == ids[1] and len(ids[0]) == 3 + 6 + 4


def test_a_dry_run_reports_the_same_and_writes_nothing(store: Store) -> None:
    before = snapshot(store.path)
    dry = import_file(store, WXR_SAMPLE, "wxr", dry_run=True)
    assert snapshot(store.path) == before
    assert (dry.articles, dry.comments) == (3, 6) and "Nothing was written" in str(dry)
    assert str(dry).startswith("Would import 3 articles")


def test_the_slug_is_made_unique_against_the_desks_articles(store: Store) -> None:
    create_article(store, "Parish councils buses")
    import_file(store, WXR_SAMPLE, "wxr")
    slugs = {r[0] for r in rows(store, "SELECT slug FROM article")}
    assert {"parish-councils-buses", "parish-councils-buses-2"} <= slugs


def test_the_outbox_lists_commenters_before_comments_and_parents_before_replies(
        store: Store) -> None:
    import_file(store, WXR_SAMPLE, "wxr")
    order = {row_id: seq for seq, row_id in rows(store, "SELECT seq, row_id FROM change_log")}
    for cid, parent, commenter, article in rows(
            store, "SELECT id, parent_id, commenter_id, article_id FROM comment"):
        assert order[commenter] < order[cid] and order[article] < order[cid]
        if parent:
            assert order[parent] < order[cid]
    payloads = rows(store, "SELECT count(*) FROM change_log WHERE table_name = 'comment' "
                           "AND payload IS NULL")
    assert payloads == [(6,)]


@pytest.mark.parametrize("when", [2, 6])  # while reading; in the rules' pass
def test_a_cancel_midway_leaves_the_database_as_it_was(store: Store, tmp_path: Path,
                                                       when: int,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(importing, "BATCH", 500)
    monkeypatch.setattr(importing, "RULES_STEP", 500)
    export = generated_wxr(tmp_path / "big.xml", 200, 60)
    import_file(store, WXR_SAMPLE, "wxr")
    before = snapshot(store.path)
    calls: list[str] = []

    def progress(done: int, total: int, what: str) -> None:
        calls.append(what)

    def cancel() -> bool:
        reading = sum(1 for c in calls if c == "reading")
        rules = sum(1 for c in calls if c == "moderation rules")
        return reading >= when if when == 2 else rules >= 1

    with pytest.raises(ImportCancelled):
        import_file(store, export, "wxr", progress=progress, cancel=cancel)
    assert snapshot(store.path) == before
    assert ("moderation rules" in calls) == (when == 6)


def test_a_truncated_file_says_where_and_imports_nothing(store: Store, tmp_path: Path) -> None:
    whole = generated_wxr(tmp_path / "whole.xml", 40, 5).read_bytes()
    cut = tmp_path / "cut.xml"
    cut.write_bytes(whole[: len(whole) - 2000])
    before = snapshot(store.path)
    with pytest.raises(ImportFileError, match=r"cut short.*line \d+, column \d+"):
        import_file(store, cut, "wxr")
    assert snapshot(store.path) == before


def test_a_bad_date_late_in_the_file_imports_nothing(store: Store, tmp_path: Path) -> None:
    good = generated_wxr(tmp_path / "g.xml", 30, 3).read_text()
    bad = tmp_path / "bad.xml"
    bad.write_text(good.replace("2020-02-10 09:00:00", "2020-02-31 09:00:00", 1))
    before = snapshot(store.path)
    with pytest.raises(ImportFileError, match=r"line \d+.*2020-02-31"):
        import_file(store, bad, "wxr")
    assert snapshot(store.path) == before


def test_a_missing_file_or_an_unknown_format_is_one_sentence(store: Store,
                                                              tmp_path: Path) -> None:
    with pytest.raises(ImportFileError, match="does not exist"):
        import_file(store, tmp_path / "none.xml", "wxr")
    from pse_desk.errors import ValidationError
    with pytest.raises(ValidationError, match="no import format"):
        import_file(store, WXR_SAMPLE, "blogger")


def test_a_big_file_rebuilds_indexes_and_search_and_finds_the_same(
        store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    export = generated_wxr(tmp_path / "big.xml", 50, 20)
    schema = snapshot(store.path)["schema"]
    monkeypatch.setattr(importing, "BULK_FILE_BYTES", 1000)  # this file counts as big
    summary = import_file(store, export, "wxr")
    assert summary.comments == 1000
    assert snapshot(store.path)["schema"] == schema  # indexes and triggers all back
    found = rows(store, "SELECT count(*) FROM comment_fts WHERE comment_fts MATCH 'precept'")
    assert found == [(1000,)]
    counts = rows(store, "SELECT sum(comment_count), sum(approved_count) FROM commenter")
    assert counts == [(1000, 1000)]
    held = rows(store, "SELECT held_reasons FROM comment WHERE held_reasons != '[]'")
    assert held and all(json.loads(h[0]) for h in held)
    again = import_file(store, export, "wxr")
    assert again.comments == 0 and again.already["comments"] == 1000


# --- the command line -------------------------------------------------------------------------

def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pse_desk.app", *args],
                          capture_output=True, text=True, timeout=120, check=False)


def test_cli_import_wxr_dry_run_then_import_prints_the_summary(tmp_path: Path) -> None:
    db = tmp_path / "n.sqlite"
    dry = _cli("--db", str(db), "import", "wxr", str(WXR_SAMPLE), "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "Would import 3 articles" in dry.stdout and "Nothing was written" in dry.stdout
    assert "does not exist yet" in dry.stdout
    assert not list(tmp_path.iterdir()), "a dry run made a database"
    done = _cli("--db", str(db), "import", "wxr", str(WXR_SAMPLE))
    assert done.returncode == 0, done.stderr
    assert "Imported 3 articles, 6 comments" in done.stdout and "1 pingbacks" in done.stdout
    con = sqlite3.connect(db)
    assert con.execute("SELECT count(*) FROM article").fetchone() == (3,)
    con.close()


def test_cli_import_of_a_malformed_file_exits_1_with_one_sentence(tmp_path: Path) -> None:
    bad = tmp_path / "bad.xml"
    bad.write_text("<rss><channel><item>")
    done = _cli("--db", str(tmp_path / "n.sqlite"), "import", "disqus", str(bad))
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("pse-desk: bad.xml is not")
