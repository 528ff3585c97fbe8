"""The local store on a real SQLite file: pragmas, the outbox, units of work, tombstones, FTS."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from pse_desk.store import Store, open_store
from pse_desk.store.hlc import Stamp
from pse_desk.store.model import Article, ChangeLog, Comment, Commenter, SyncState
from pse_desk.store.outbox import TombstoneRequired


def add_article(store: Store, **values: object) -> Article:
    defaults: dict[str, object] = {"slug": "housing-targets", "title": "Housing targets missed",
                                   "body_md": "Councils built fewer homes than planned."}
    with store.session() as s:
        article = Article(**{**defaults, **values})
        s.add(article)
        s.commit()
    return article


def article_search(store: Store, query: str) -> list[str]:
    with store.read_session() as s:
        return list(s.scalars(text(
            "SELECT a.slug FROM article_fts JOIN article a ON a.rowid = article_fts.rowid "
            "WHERE article_fts MATCH :q ORDER BY a.slug"), {"q": query}))


def test_connections_use_wal_foreign_keys_and_a_busy_timeout(store: Store) -> None:
    with store.read_session() as s:
        assert s.scalar(text("PRAGMA journal_mode")) == "wal"
        assert s.scalar(text("PRAGMA foreign_keys")) == 1
        assert s.scalar(text("PRAGMA busy_timeout")) >= 1000


def test_opening_creates_the_file_and_a_device_identity_that_stays(db_path: Path) -> None:
    first = open_store(db_path)
    device = first.device_id
    first.close()
    first.close()  # closing twice is harmless
    second = open_store(db_path)
    try:
        assert second.device_id == device
        with second.read_session() as s:
            assert s.scalar(select(func.count()).select_from(SyncState)) == 1
    finally:
        second.close()


def test_a_new_row_gets_id_hlc_origin_and_one_change_log_entry(store: Store) -> None:
    article = add_article(store)
    assert len(article.id) == 36
    assert Stamp.parse(article.hlc).device == store.device_id
    assert article.origin == store.device_id
    assert article.created_at is not None and article.updated_at is not None
    with store.read_session() as s:
        entries = s.scalars(select(ChangeLog)).all()
    assert len(entries) == 1
    entry = entries[0]
    assert (entry.table_name, entry.row_id, entry.hlc, entry.base_hlc) == (
        "article", article.id, article.hlc, "")
    assert entry.payload is not None
    assert entry.payload["title"] == "Housing targets missed"
    assert entry.payload["status"] == "draft"
    assert entry.payload["deleted"] is False


def test_an_update_records_the_hlc_it_was_based_on(store: Store) -> None:
    article = add_article(store)
    with store.session() as s:
        row = s.get_one(Article, article.id)
        row.title = "Housing targets missed again"
        s.commit()
        new_hlc = row.hlc
    assert new_hlc > article.hlc
    with store.read_session() as s:
        last = s.scalars(select(ChangeLog).order_by(ChangeLog.seq.desc())).first()
    assert last is not None
    assert (last.hlc, last.base_hlc) == (new_hlc, article.hlc)
    assert last.payload is not None and last.payload["title"] == "Housing targets missed again"


def test_an_unchanged_row_writes_no_change_log_entry(store: Store) -> None:
    article = add_article(store)
    with store.session() as s:
        row = s.get_one(Article, article.id)
        row.title = row.title  # same value: nothing to sync
        s.commit()
    with store.read_session() as s:
        assert s.scalar(select(func.count()).select_from(ChangeLog)) == 1


def test_a_unit_of_work_left_without_commit_leaves_neither_row_nor_change_log(
        store: Store) -> None:
    with store.session() as s:
        s.add(Article(slug="draft-only", title="Never saved"))
        s.flush()  # the row and its outbox entry exist inside the transaction …
        assert s.scalar(select(func.count()).select_from(ChangeLog)) == 1
    with store.read_session() as s:  # … and are gone with it
        assert s.scalar(select(func.count()).select_from(Article)) == 0
        assert s.scalar(select(func.count()).select_from(ChangeLog)) == 0


def test_an_exception_inside_a_unit_of_work_rolls_it_back(store: Store) -> None:
    with pytest.raises(RuntimeError), store.session() as s:
        s.add(Article(slug="half-done", title="Half done"))
        s.flush()
        raise RuntimeError("the user action failed half way")
    with store.read_session() as s:
        assert s.scalar(select(func.count()).select_from(Article)) == 0


def test_deleting_a_synced_row_raises_tombstone_required(store: Store) -> None:
    article = add_article(store)
    with store.session() as s:
        s.delete(s.get_one(Article, article.id))
        with pytest.raises(TombstoneRequired):
            s.flush()
    with store.read_session() as s:
        assert s.get(Article, article.id) is not None


def test_a_tombstone_is_an_update_that_syncs(store: Store) -> None:
    article = add_article(store)
    with store.session() as s:
        s.get_one(Article, article.id).deleted = True
        s.commit()
    with store.read_session() as s:
        assert s.get_one(Article, article.id).deleted is True
        last = s.scalars(select(ChangeLog).order_by(ChangeLog.seq.desc())).first()
    assert last is not None and last.payload is not None and last.payload["deleted"] is True


def test_foreign_keys_are_enforced(store: Store) -> None:
    from sqlalchemy.exc import IntegrityError

    with pytest.raises(IntegrityError), store.session() as s:
        s.add(Comment(article_id="no-such-article", commenter_id="nobody", body="orphan"))
        s.commit()


def test_full_text_search_finds_inserted_and_updated_text_and_forgets_replaced_text(
        store: Store) -> None:
    article = add_article(store, body_md="The combined authority published its transport plan.")
    add_article(store, slug="nhs-waiting", title="Waiting lists", body_md="Trusts report delays.")
    assert article_search(store, "transport") == ["housing-targets"]
    assert article_search(store, "trusts") == ["nhs-waiting"]

    with store.session() as s:
        s.get_one(Article, article.id).body_md = "The combined authority shelved its tram scheme."
        s.commit()
    assert article_search(store, "tram") == ["housing-targets"]
    assert article_search(store, "transport") == []
    assert article_search(store, "housing") == ["housing-targets"]  # the title is indexed too


def test_comment_and_commenter_text_is_searchable(store: Store) -> None:
    article = add_article(store)
    with store.session() as s:
        person = Commenter(display_name="Priya Raman")
        s.add(person)
        s.flush()
        s.add(Comment(article_id=article.id, commenter_id=person.id,
                      body="The parking charges in Ashworth doubled overnight."))
        s.commit()
    with store.read_session() as s:
        assert s.scalar(text("SELECT count(*) FROM comment_fts WHERE comment_fts MATCH "
                             "'parking'")) == 1
        assert s.scalar(text("SELECT count(*) FROM commenter_fts WHERE commenter_fts MATCH "
                             "'priya'")) == 1


def test_checkpoint_folds_the_wal_into_the_database_and_keeps_every_row(store: Store) -> None:
    with store.session() as s:
        s.add_all(Article(slug=f"a-{i}", title=f"Article {i}", body_md="words " * 500)
                  for i in range(50))
        s.commit()
    wal = store.path.with_name(store.path.name + "-wal")
    assert wal.exists() and wal.stat().st_size > 0
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar() == 16384
    store.checkpoint()
    store.checkpoint()  # twice is harmless
    with store.read_session() as s:
        assert s.scalar(select(func.count()).select_from(Article)) == 50


def test_a_unit_of_work_may_leave_its_wal_unfolded_and_the_connection_folds_again(
        store: Store) -> None:
    with store.session(fold_wal=False) as s:
        assert s.connection().exec_driver_sql("PRAGMA wal_autocheckpoint").scalar() == 0
        s.add_all(Article(slug=f"b-{i}", title=f"Article {i}") for i in range(5))
        s.commit()
    for _ in range(3):  # whichever pooled connection comes next folds on commit as before
        with store.session() as s:
            assert s.connection().exec_driver_sql("PRAGMA wal_autocheckpoint").scalar() == 16384
    with store.read_session() as s:
        assert s.scalar(select(func.count()).select_from(Article)) == 5
