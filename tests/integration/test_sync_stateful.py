"""Random work on four desks (two editors, two moderators), random syncs, connections cut
mid-push and mid-pull, desks killed (SIGKILL of a real process) mid-sync: after every step no
is lost, nothing is applied twice on the hub and no desk's rows go backwards; after a final
quiet sync every desk holds the same rows."""

from __future__ import annotations

import random
import subprocess
import sys
from itertools import count
from pathlib import Path
from typing import Any

import psycopg
import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test
from pg_server import PgServer
from sync_helpers import add_comment, cut_after, make_hub, synced_rows

from pse_desk.services import articles as article_service
from pse_desk.services import revisions as revision_service
from pse_desk.services import sync as sync_service
from pse_desk.services.moderation import decisions
from pse_desk.store import Store, open_store
from pse_desk.store.model import SYNCED_TABLES, Article, ModerationEvent, Revision

pytestmark = [pytest.mark.postgres, pytest.mark.slow]
CHILD = Path(__file__).with_name("sync_child.py")
ROLES = ("editor", "editor", "moderator", "moderator")
DESKS = range(len(ROLES))
Text = revision_service.ArticleText
NUMBERS = count(1)


class Newsroom(RuleBasedStateMachine):
    """Four desks on one hub; ``where`` (the server and a folder factory) is set by the test."""

    where: tuple[PgServer, pytest.TempPathFactory]

    def __init__(self) -> None:
        super().__init__()
        n = next(NUMBERS)
        server, folders = Newsroom.where
        folder = folders.mktemp(f"newsroom{n}")
        self.hub = make_hub(server, server.create_database(f"stateful_{n}"))
        self.urls = [self.hub.login(role, ROLES[:i].count(role) + 1)
                     for i, role in enumerate(ROLES)]
        self.paths = [folder / f"desk{i}.sqlite" for i in DESKS]
        self.desks: list[Store] = []
        for path, url, role in zip(self.paths, self.urls, ROLES, strict=True):
            store = open_store(path)
            sync_service.save_settings(store, url, role)
            self.desks.append(store)
        seed = article_service.create_article(self.desks[0], "Seed story",
                                              body_md="One.\n\nTwo.\n\nThree.\n")
        self.sync(0)
        self.sync(2)
        self.comments = [add_comment(self.desks[2], seed.id, f"Comment {i}")
                         for i in range(3)]
        self.sync(2)
        self.sync(3)
        self.saved: list[set[str]] = [set() for _ in DESKS]
        self.events: list[set[str]] = [set() for _ in DESKS]
        self.seen: list[dict[tuple[str, str], str]] = [{} for _ in DESKS]
        self.rng = random.Random(n)

    # --- helpers ------------------------------------------------------------------------
    def sync(self, i: int) -> sync_service.SyncReport:
        report = sync_service.sync(self.desks[i], url=self.urls[i])
        assert report.outcome in ("ok", "offline"), report.message
        return report

    def live_articles(self, i: int) -> list[Article]:
        with self.desks[i].read_session() as s:
            return list(s.scalars(sa.select(Article).where(Article.deleted.is_(False))))

    # --- rules --------------------------------------------------------------------------
    @rule(desk=st.sampled_from([0, 1]), block=st.integers(0, 3), word=st.integers(0, 999))
    def edit(self, desk: int, block: int, word: int) -> None:
        articles = self.live_articles(desk)
        if not articles:
            return
        target = articles[word % len(articles)]
        parts = target.body_md.strip().split("\n\n")
        parts[block % len(parts)] = f"{parts[block % len(parts)]} w{word}d{desk}"
        body = "\n\n".join(parts) + "\n"
        revision_service.save_revision(self.desks[desk], target.id,
                                       Text(target.title, "", body))
        self.saved[desk].add(body)

    @rule(desk=st.sampled_from([0, 1]), word=st.integers(0, 999))
    def create(self, desk: int, word: int) -> None:
        ref = article_service.create_article(self.desks[desk], f"Story {word} from {desk}",
                                             body_md=f"Fresh {word}.\n")
        del ref

    @rule(desk=st.sampled_from([0, 1]), word=st.integers(0, 999))
    def delete(self, desk: int, word: int) -> None:
        articles = self.live_articles(desk)
        if len(articles) > 1:
            article_service.delete_article(self.desks[desk], articles[word % len(articles)].id)

    @rule(desk=st.sampled_from([2, 3]), which=st.integers(0, 2),
          action=st.sampled_from(["approve", "reject", "spam", "restore"]))
    def moderate(self, desk: int, which: int, action: str) -> None:
        decisions.decide(self.desks[desk], [self.comments[which]], action,
                         actor=f"mo{desk}")
        with self.desks[desk].read_session() as s:
            self.events[desk] |= set(s.scalars(sa.select(ModerationEvent.id)))

    @rule(desk=st.sampled_from(DESKS))
    def sync_quietly(self, desk: int) -> None:
        self.sync(desk)

    @rule(desk=st.sampled_from(DESKS), after=st.integers(1, 3),
          what=st.sampled_from(["Sending changes", "Receiving changes"]))
    def cut_mid_sync(self, desk: int, after: int, what: str) -> None:
        with cut_after(self.hub, what, after) as progress:
            report = sync_service.sync(self.desks[desk], url=self.urls[desk],
                                       progress=progress)
        assert report.outcome in ("ok", "offline"), report.message

    @rule(desk=st.sampled_from(DESKS), lines=st.integers(0, 4))
    def kill_mid_sync(self, desk: int, lines: int) -> None:
        child = subprocess.Popen([sys.executable, str(CHILD), str(self.paths[desk]),
                                  self.urls[desk]], stdout=subprocess.PIPE, text=True)
        assert child.stdout is not None
        for _ in range(lines):
            if not child.stdout.readline():
                break
        child.kill()
        child.wait(timeout=30)
        child.stdout.close()

    # --- invariants ---------------------------------------------------------------------
    @invariant()
    def no_saved_text_is_lost(self) -> None:
        for i in (0, 1):
            with self.desks[i].read_session() as s:
                kept = set(s.scalars(sa.select(Revision.body_md)))
            assert self.saved[i] <= kept

    @invariant()
    def no_event_is_lost(self) -> None:
        for i in (2, 3):
            with self.desks[i].read_session() as s:
                assert self.events[i] <= set(s.scalars(sa.select(ModerationEvent.id)))

    @invariant()
    def nothing_is_applied_twice_on_the_hub(self) -> None:
        with psycopg.connect(self.hub.admin_url.replace("+psycopg", "")) as con:
            twice = con.execute("SELECT table_name, row_id, hlc FROM hub_change "
                                "GROUP BY 1, 2, 3 HAVING count(*) > 1").fetchall()
        assert twice == []

    @invariant()
    def reads_never_go_backwards(self) -> None:
        for i, store in enumerate(self.desks):
            with store.read_session() as s:
                for table in ("article", "comment"):
                    t = sa.table(table, sa.column("id"), sa.column("hlc"))
                    for row_id, hlc in s.execute(sa.select(t.c.id, t.c.hlc)):
                        before = self.seen[i].get((table, row_id), "")
                        assert hlc >= before, (i, table, row_id)
                        self.seen[i][(table, row_id)] = hlc

    @invariant()
    def every_desk_database_is_whole(self) -> None:
        for store in self.desks:
            with store.read_session() as s:
                assert s.execute(sa.text("PRAGMA quick_check")).scalar() == "ok"
                assert s.execute(sa.text("PRAGMA foreign_key_check")).first() is None

    def teardown(self) -> None:
        try:
            for _round in range(3):
                for i in DESKS:
                    self.sync(i)
            for i in DESKS:
                report = self.sync(i)
                assert report.ok and report.waiting == 0, report
            first = _comparable(self.desks[0])
            for store in self.desks[1:]:
                assert _comparable(store) == first
            with self.desks[0].read_session() as s:
                kept = set(s.scalars(sa.select(Revision.body_md)))
            assert self.saved[0] | self.saved[1] <= kept
            with self.desks[0].read_session() as s:
                events = set(s.scalars(sa.select(ModerationEvent.id)))
            assert self.events[2] | self.events[3] <= events  # the union of both
        finally:
            for store in self.desks:
                store.close()


def test_four_desks_survive_cuts_and_kills_and_converge(
        pg_server: PgServer, tmp_path_factory: pytest.TempPathFactory) -> None:
    Newsroom.where = (pg_server, tmp_path_factory)
    run_state_machine_as_test(Newsroom, settings=settings(
        max_examples=6, stateful_step_count=18, deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much]))


def _comparable(store: Store) -> dict[str, Any]:
    rows = synced_rows(store)
    assert set(rows) == set(SYNCED_TABLES)
    return rows

