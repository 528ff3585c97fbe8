"""The hub is a PostgreSQL made by the same Alembic migrations as the local SQLite database."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import pytest
from sqlalchemy import Engine, create_engine, inspect, select, text
from sqlalchemy.orm import Session

from pse_desk.store import outbox
from pse_desk.store.hlc import HybridClock
from pse_desk.store.migrations import HEAD_REVISION
from pse_desk.store.migrations.runner import upgrade
from pse_desk.store.model import (
    SYNCED_TABLES,
    Article,
    ArticleStatus,
    ChangeLog,
    Comment,
    Commenter,
    CommentStatus,
    Trust,
)

pytestmark = pytest.mark.postgres


@pytest.fixture
def hub(pg_fresh_url: str) -> Iterator[Engine]:
    engine = create_engine(pg_fresh_url)
    upgrade(engine)
    try:
        yield engine
    finally:
        engine.dispose()


def test_migrations_create_every_synced_table_on_postgresql(hub: Engine) -> None:
    tables = set(inspect(hub).get_table_names())
    assert set(SYNCED_TABLES) <= tables
    for table in SYNCED_TABLES:
        columns = {c["name"] for c in inspect(hub).get_columns(table)}
        assert {"id", "hlc", "origin", "deleted", "created_at", "updated_at"} <= columns, table


def test_hub_is_stamped_with_the_head_revision_and_has_no_sqlite_search_tables(
        hub: Engine) -> None:
    with hub.connect() as con:
        assert con.scalar(text("SELECT version_num FROM alembic_version")) == HEAD_REVISION
    assert not {"article_fts", "comment_fts"} & set(inspect(hub).get_table_names())


def test_migrating_the_hub_twice_changes_nothing(hub: Engine) -> None:
    upgrade(hub)
    with hub.connect() as con:
        assert con.scalar(text("SELECT count(*) FROM alembic_version")) == 1


def test_rows_round_trip_through_postgresql_with_enums_json_and_times(hub: Engine) -> None:
    outbox.install(Session)
    clock = HybridClock("hubtest")
    published = datetime(2026, 10, 1, 9, 30, 15)
    with Session(hub, info={outbox.CLOCK_KEY: clock}) as s:
        article = Article(slug="council-budgets", title="Council budgets under strain",
                          body_md="## Gap\n\nThe gap is **£4bn**.", section="Finance",
                          tags=["budgets", "councils"], status=ArticleStatus.PUBLISHED,
                          published_at=published)
        commenter = Commenter(display_name="Ana Ortega", trust=Trust.TRUSTED)
        s.add_all([article, commenter])
        s.flush()
        s.add(Comment(article_id=article.id, commenter_id=commenter.id,
                      body="<script>alert(1)</script> noted", status=CommentStatus.PENDING,
                      held_reasons=[{"kind": "first_time", "matched": []}]))
        s.commit()
        article_id = article.id

    with Session(hub) as s:
        back = s.scalars(select(Article).where(Article.id == article_id)).one()
        assert (back.title, back.status, back.tags, back.published_at) == (
            "Council budgets under strain", ArticleStatus.PUBLISHED, ["budgets", "councils"],
            published)
        assert back.body_md == "## Gap\n\nThe gap is **£4bn**."
        assert back.hlc.endswith("-hubtest") and back.origin == "hubtest"
        comment = s.scalars(select(Comment)).one()
        assert comment.body.startswith("<script>")
        assert comment.held_reasons == [{"kind": "first_time", "matched": []}]
        logged = s.scalars(select(ChangeLog.table_name).order_by(ChangeLog.seq)).all()
        assert sorted(logged) == ["article", "comment", "commenter"]
