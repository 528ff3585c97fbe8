"""Helpers for the sync tests: a hub made by `hub init` with its desk logins, desks as separate
SQLite files, and what every desk holds, for comparison."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from pg_server import PgServer

from pse_desk.services import sync as sync_service
from pse_desk.store import Store, open_store
from pse_desk.store.model import SYNCED_TABLES, Article, Comment, Commenter

EDITOR_PW = "ed-secret"
MODERATOR_PW = "mod-secret"


@dataclass(frozen=True)
class Hub:
    server: PgServer
    admin_url: str  # the superuser's, as `hub init` uses it
    database: str

    def url(self, user: str, password: str) -> str:
        return (f"postgresql://{user}:{password}@127.0.0.1:{self.server.port}/"
                f"{self.database}")

    def login(self, role: str, n: int = 1) -> str:
        """The URL of desk user ``n`` of that role (editor1, moderator2 …)."""
        return self.url(f"{role}{n}", EDITOR_PW if role == "editor" else MODERATOR_PW)


def make_hub(server: PgServer, admin_url: str) -> Hub:
    sync_service.init_hub(admin_url)
    for n in (1, 2, 3):
        server.create_login(f"editor{n}", EDITOR_PW, member_of="pse_editor")
        server.create_login(f"moderator{n}", MODERATOR_PW, member_of="pse_moderator")
    return Hub(server, admin_url, str(sa.engine.make_url(admin_url).database))


@contextmanager
def desk(path: Path, url: str, role: str) -> Iterator[Store]:
    store = open_store(path)
    try:
        sync_service.save_settings(store, url, role)
        yield store
    finally:
        store.close()


def sync(store: Store, url: str, role: str | None = None) -> sync_service.SyncReport:
    report = sync_service.sync(store, url=url, role=role)
    assert report.ok, report.message
    return report


def rows(store: Store, table: str) -> dict[str, dict[str, Any]]:
    """Every row of the table, every column, keyed by id."""
    with store.read_session() as s:
        t = sa.Table(table, sa.MetaData(), autoload_with=s.connection())
        return {r.id: dict(r._mapping) for r in s.execute(sa.select(t))}


def synced_rows(store: Store) -> dict[str, dict[str, dict[str, Any]]]:
    return {table: rows(store, table) for table in SYNCED_TABLES}


def add_comment(store: Store, article_id: str, body: str, *, name: str = "Reader") -> str:
    with store.session() as s:
        commenter = Commenter(display_name=name)
        s.add(commenter)
        s.flush()
        comment = Comment(article_id=article_id, commenter_id=commenter.id, body=body)
        s.add(comment)
        s.commit()
        return comment.id


def article(store: Store, article_id: str) -> Article:
    with store.read_session() as s:
        found = s.get(Article, article_id)
        assert found is not None
        return found


@contextmanager
def cut_after(hub: Hub, what: str, steps: int = 1) -> Iterator[Any]:
    """A progress callback that cuts every hub connection at the ``steps``-th report of
    ``what`` ("Sending changes", "Receiving changes"), with batches of two rows meanwhile."""
    seen = {"n": 0}

    def progress(reported: str, _done: int, _total: int) -> None:
        if reported == what:
            seen["n"] += 1
            if seen["n"] == steps:
                hub.server.terminate()

    old = sync_service.PUSH_BATCH, sync_service.PULL_BATCH
    sync_service.PUSH_BATCH = sync_service.PULL_BATCH = 2
    try:
        yield progress
    finally:
        sync_service.PUSH_BATCH, sync_service.PULL_BATCH = old
