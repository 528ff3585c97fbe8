"""Sync faults: a dead or wrong hub, cuts mid-push and mid-pull, re-sent batches, hostile rows
from another desk, clocks that run ahead. Each gets one clear sentence, leaves local work
untouched and queued, and the next sync completes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from sync_helpers import Hub, article, cut_after, desk, rows, sync

from pse_desk.services import articles as article_service
from pse_desk.services import revisions as revision_service
from pse_desk.services import sync as sync_service
from pse_desk.store.model import ChangeLog
from pse_desk.sync import replicate as rep
from pse_desk.sync.hub import connect

pytestmark = pytest.mark.postgres


def _queued(store) -> int:  # type: ignore[no-untyped-def]
    with store.read_session() as s:
        return s.query(ChangeLog).count()


def _hub_sql(hub: Hub, statement: str, params: tuple[object, ...] = ()) -> list[tuple]:
    with psycopg.connect(hub.admin_url.replace("+psycopg", ""), autocommit=True) as con:
        cur = con.execute(statement, params)
        return cur.fetchall() if cur.description else []


def test_an_unreachable_hub_is_offline_and_keeps_the_work_queued(tmp_path: Path) -> None:
    url = "postgresql://editor1:x@127.0.0.1:1/newsroom"
    with desk(tmp_path / "a.db", url, "editor") as a:
        article_service.create_article(a, "Written on the train")
        report = sync_service.sync(a)
        assert report.outcome == "offline"
        assert "cannot be reached" in report.message and "stays on this desk" in report.message
        assert report.waiting == 1 and _queued(a) == 1
        assert sync_service.sync_log(a)[0].outcome == "offline"


def test_a_wrong_password_says_so(hub: Hub, tmp_path: Path) -> None:
    with desk(tmp_path / "a.db", hub.url("editor1", "wrong"), "editor") as a:
        article_service.create_article(a, "Kept")
        report = sync_service.sync(a, url=hub.url("editor1", "wrong"))
        assert report.outcome == "error" and "refused the password" in report.message
        assert _queued(a) == 1
        sync(a, hub.login("editor"))  # the right one
        assert _queued(a) == 0


def test_a_login_that_is_not_in_the_role_is_told(hub: Hub, tmp_path: Path) -> None:
    with desk(tmp_path / "a.db", hub.login("moderator"), "editor") as a:
        article_service.create_article(a, "Kept")
        report = sync_service.sync(a, url=hub.login("moderator"))
        assert report.outcome == "error"
        assert "may not act as an editor" in report.message and "GRANT pse_editor" in \
            report.message
        assert _queued(a) == 1


def test_a_hub_with_a_newer_schema_is_refused(hub: Hub, tmp_path: Path) -> None:
    _hub_sql(hub, "UPDATE alembic_version SET version_num = '0999'")
    with desk(tmp_path / "a.db", hub.login("editor"), "editor") as a:
        article_service.create_article(a, "Kept")
        report = sync_service.sync(a, url=hub.login("editor"))
        assert report.outcome == "error" and "newer schema (0999)" in report.message
        assert "update PSE Desk" in report.message and _queued(a) == 1


def test_a_batch_sent_twice_is_applied_once(hub: Hub, tmp_path: Path) -> None:
    """The hub committed but the acknowledgement was lost: the desk sends it again."""
    with desk(tmp_path / "a.db", hub.login("editor"), "editor") as a:
        ref = article_service.create_article(a, "Once only", body_md="Words.\n")
        with a.read_session() as s:
            batch = rep.read_batch(s, "editor")
        assert batch is not None
        with connect(hub.login("editor")) as conn:
            first = rep.send_batch(conn, a.device_id, "editor", batch)
            again = rep.send_batch(conn, a.device_id, "editor", batch)
        assert first.applied == 1 and again.applied == 0 and again.repeated == 1
        assert _hub_sql(hub, "SELECT count(*) FROM hub_change WHERE row_id = %s",
                        (ref.id,)) == [(1,)]
        sync(a, hub.login("editor"))
        assert _queued(a) == 0
        assert _hub_sql(hub, "SELECT count(*) FROM hub_change WHERE row_id = %s",
                        (ref.id,)) == [(1,)]


def test_a_connection_cut_mid_push_loses_nothing_and_the_next_sync_finishes(
        hub: Hub, tmp_path: Path) -> None:
    url = hub.login("editor")
    with desk(tmp_path / "a.db", url, "editor") as a:
        ids = [article_service.create_article(a, f"Story {i}").id for i in range(5)]
        with cut_after(hub, "Sending changes") as progress:
            report = sync_service.sync(a, url=url, progress=progress)
        assert report.outcome == "offline" and "lost mid-sync" in report.message
        assert 0 < _queued(a) < 5  # the first batch went, the rest waits
        sync(a, url)
        assert _queued(a) == 0
        hub_ids = {r[0] for r in _hub_sql(hub, "SELECT id FROM article WHERE hlc <> ''")}
        assert set(ids) <= hub_ids
        counts = _hub_sql(hub, "SELECT row_id, count(*) FROM hub_change GROUP BY row_id")
        assert all(n == 1 for _id, n in counts)


def test_a_connection_cut_mid_pull_moves_the_cursor_only_with_the_rows(
        hub: Hub, tmp_path: Path) -> None:
    ua, ub = hub.login("editor", 1), hub.login("editor", 2)
    with desk(tmp_path / "a.db", ua, "editor") as a, desk(tmp_path / "b.db", ub, "editor") as b:
        sync(b, ub)  # b has pulled (nothing) and is not empty-new any more after this article
        article_service.create_article(b, "B's own")
        sync(b, ub)
        ids = [article_service.create_article(a, f"Story {i}").id for i in range(6)]
        sync(a, ua)
        with cut_after(hub, "Receiving changes") as progress:
            report = sync_service.sync(b, url=ub, progress=progress)
        assert report.outcome == "offline"
        with b.read_session() as s:
            from pse_desk.store.model import Article, SyncState

            state = s.get(SyncState, 1)
            have = {x.id for x in s.query(Article)}
        assert state is not None
        changes = _hub_sql(hub, "SELECT seq, row_id FROM hub_change ORDER BY seq")
        # every change up to the cursor is on the desk
        assert {r for seq, r in changes if seq <= state.last_pulled_seq} <= have
        sync(b, ub)
        assert set(ids) <= {x for x in rows(b, "article")}


def _inject(hub: Hub, table: str, payload: dict[str, object]) -> None:
    _hub_sql(hub, "INSERT INTO hub_change (table_name, row_id, hlc, origin, payload) "
             "VALUES (%s, %s, %s, 'elsewhere', %s::jsonb)",
             (table, str(payload.get("id", "x")), str(payload.get("hlc", "")),
              json.dumps(payload)))


def test_hostile_rows_from_another_desk_are_refused_with_a_note(
        hub: Hub, tmp_path: Path) -> None:
    ua = hub.login("editor", 1)
    with desk(tmp_path / "a.db", ua, "editor") as a:
        ref = article_service.create_article(a, "A real one", body_md="Real words.\n")
        sync(a, ua)
        good = dict(_hub_sql(hub, "SELECT 'row', to_jsonb(a) FROM article a WHERE id = %s",
                             (ref.id,)))["row"]
        future = dict(good, id="f" * 8 + good["id"][8:], slug="future",
                      hlc="9999999999999-0000-evil")
        malformed = dict(good, id="e" * 8 + good["id"][8:], slug="malformed", hlc="yesterday")
        extra = dict(good, id="d" * 8 + good["id"][8:], slug="extra", hlc="0000000000001-0000-x",
                     colour="mauve")
        _inject(hub, "article", future)
        _inject(hub, "article", malformed)
        _inject(hub, "article", extra)
        _inject(hub, "gossip", {"id": "g1", "hlc": "0000000000001-0000-x"})
        report = sync(a, ua)
        joined = " ".join(report.notes)
        assert "minutes ahead of the hub" in joined
        assert "malformed clock stamp" in joined
        assert "columns this desk does not know (colour)" in joined
        assert "“gossip”, a table this desk does not know" in joined
        have = rows(a, "article")
        assert future["id"] not in have and malformed["id"] not in have
        assert extra["id"] in have  # its known columns are taken
        assert article(a, ref.id).body_md == "Real words.\n"
        # and the cursor went past them: the next sync is clean
        assert sync(a, ua).notes == []


def test_a_desk_whose_clock_runs_ahead_cannot_win_every_conflict(
        hub: Hub, tmp_path: Path) -> None:
    ua, ub = hub.login("editor", 1), hub.login("editor", 2)
    with desk(tmp_path / "a.db", ua, "editor") as a, desk(tmp_path / "b.db", ub, "editor") as b:
        ref = article_service.create_article(a, "Timekeeping", body_md="Right.\n")
        sync(a, ua)
        sync(b, ub)
        real = b.clock._now_ms
        b.clock._now_ms = lambda: real() + 60 * 60 * 1000  # an hour fast
        Text = revision_service.ArticleText
        revision_service.save_revision(b, ref.id, Text("Timekeeping", "", "Wrong clock.\n"))
        report = sync_service.sync(b, url=ub)
        assert report.refused == 2  # the article and its revision
        assert any("minutes ahead of the hub" in n for n in report.notes)
        assert report.waiting >= 1  # still queued on b
        assert article(b, ref.id).body_md == "Wrong clock.\n"  # b's words stay
        sync(a, ua)
        assert article(a, ref.id).body_md == "Right.\n"


def test_the_hub_killed_mid_sync_and_started_again_loses_nothing(tmp_path: Path) -> None:
    """A hub of its own (this test kills the server, not only the connection)."""
    from pg_server import PgUnavailable, start_server
    from sync_helpers import make_hub

    try:
        server = start_server()
    except PgUnavailable as exc:
        pytest.skip(f"PostgreSQL: {exc}")
    try:
        hub = make_hub(server, server.create_database("killed"))
        url = hub.login("editor")
        with desk(tmp_path / "a.db", url, "editor") as a:
            ids = [article_service.create_article(a, f"Story {i}").id for i in range(6)]
            killed = {"done": False}

            def progress(what: str, _done: int, _total: int) -> None:
                if what == "Sending changes" and not killed["done"]:
                    killed["done"] = True
                    server.kill()

            old = sync_service.PUSH_BATCH
            sync_service.PUSH_BATCH = 2
            try:
                report = sync_service.sync(a, url=url, progress=progress)
            finally:
                sync_service.PUSH_BATCH = old
            assert report.outcome == "offline", report.message
            again = sync_service.sync(a, url=url)  # the hub is still down
            assert again.outcome == "offline" and "cannot be reached" in again.message
            assert _queued(a) > 0
            server.restart()
            sync(a, url)
            assert _queued(a) == 0
            assert set(ids) <= {r[0] for r in _hub_sql(hub, "SELECT id FROM article")}
    finally:
        server.stop()


def _cli(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pse_desk.app", "--db", str(db), *args],
                          capture_output=True, text=True, timeout=120, check=False)


def test_the_command_line_syncs_for_cron_and_fails_with_a_sentence(
        hub: Hub, tmp_path: Path) -> None:
    db = tmp_path / "cron.db"
    with desk(db, "", "") as a:
        article_service.create_article(a, "From cron")
    dead = _cli(db, "sync", "--hub", "postgresql://editor1:x@127.0.0.1:1/newsroom",
                "--role", "editor")
    assert dead.returncode == 1
    assert "cannot be reached" in dead.stderr and "1 changes waiting" in dead.stderr
    done = _cli(db, "sync", "--hub", hub.login("editor"), "--role", "editor")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Synced: sent 1, received 0"), done.stdout
    assert "From cron" in {r[0] for r in _hub_sql(hub, "SELECT title FROM article")}
    again = _cli(db, "hub", "init", "--hub", hub.admin_url)
    assert again.returncode == 0 and "is ready" in again.stdout


def test_a_hub_restored_from_an_older_backup_gets_the_lost_changes_again(
        hub: Hub, tmp_path: Path) -> None:
    url = hub.login("editor")
    with desk(tmp_path / "a.db", url, "editor") as a:
        ref = article_service.create_article(a, "Sent before the backup was restored")
        sync(a, url)
        # the hub goes back to a backup taken before that push
        _hub_sql(hub, "DELETE FROM hub_change; DELETE FROM hub_device; DELETE FROM article")
        report = sync(a, url)
        assert any("lost changes this desk sent" in n for n in report.notes), report.notes
        assert _hub_sql(hub, "SELECT id FROM article WHERE id = %s", (ref.id,)) == [(ref.id,)]
        assert _queued(a) == 0


def test_a_cancel_mid_push_settles_what_the_hub_committed_and_the_rest_goes_next(
        hub: Hub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sync_service, "PUSH_BATCH", 2)  # several batches from a few rows
    sent: list[int] = []
    real_send = rep.send_batch

    def counting_send(*args, **kwargs):  # type: ignore[no-untyped-def]
        ack = real_send(*args, **kwargs)
        sent.append(len(args[-1].entries))
        return ack

    monkeypatch.setattr(rep, "send_batch", counting_send)
    with desk(tmp_path / "a.db", hub.login("editor"), "editor") as a:
        for n in range(6):
            article_service.create_article(a, f"Minutes of meeting {n}", body_md="Agreed.\n")
        before = _queued(a)
        report = sync_service.sync(a, url=hub.login("editor"), cancelled=lambda: bool(sent))
        assert report.outcome == "cancelled", report.message
        assert sent == [2]  # the cancel came while the first batch was with the hub
        # the batch the hub committed is settled here: not queued to go again
        assert _queued(a) == before - 2
        assert len(_hub_sql(hub, "SELECT id FROM article")) == 2
        monkeypatch.setattr(rep, "send_batch", real_send)
        sync(a, hub.login("editor"))
        assert _queued(a) == 0
        assert len(_hub_sql(hub, "SELECT id FROM article")) == 6
        twice = _hub_sql(hub, "SELECT table_name, row_id, hlc FROM hub_change "
                              "GROUP BY 1, 2, 3 HAVING count(*) > 1")
        assert twice == []
