"""The hub itself enforces the two roles: forbidden writes through psycopg as that role fail,
whatever a desk does. Plus what a desk does with changes its role may not push."""

from __future__ import annotations

import json
from pathlib import Path

import psycopg
import pytest
from sync_helpers import Hub, add_comment, desk, sync

from pse_desk.services import articles as article_service
from pse_desk.services import sync as sync_service
from pse_desk.store.model import SYNCED_TABLES
from pse_desk.sync.hub import as_role, connect

pytestmark = pytest.mark.postgres

ARTICLE = {"id": "00000000-0000-4000-8000-000000000001", "hlc": "1700000000000-0000-x",
           "origin": "x", "deleted": False, "created_at": "2026-01-01T00:00:00",
           "updated_at": "2026-01-01T00:00:00", "slug": "sneaky", "title": "Sneaky",
           "standfirst": "", "body_md": "", "section": "", "author": "", "source_line": "",
           "tags": [], "status": "draft", "published_at": None, "imported_html": False,
           "allow_remote_images": False, "has_conflict": False}


def _seed(hub: Hub, tmp_path: Path) -> tuple[str, str]:
    """An article (from an editor) with a comment (from a moderator) on the hub."""
    with desk(tmp_path / "e.db", hub.login("editor"), "editor") as e:
        ref = article_service.create_article(e, "On the hub")
        sync(e, hub.login("editor"))
    with desk(tmp_path / "m.db", hub.login("moderator"), "moderator") as m:
        sync(m, hub.login("moderator"))
        comment_id = add_comment(m, ref.id, "A reader writes")
        sync(m, hub.login("moderator"))
    return ref.id, comment_id


def _insert_article(conn: psycopg.Connection) -> None:  # type: ignore[type-arg]
    conn.execute("INSERT INTO article SELECT * FROM jsonb_populate_record(NULL::article, %s)",
                 (json.dumps(ARTICLE),))


def test_a_moderator_cannot_write_an_article_on_the_hub(hub: Hub) -> None:
    with connect(hub.login("moderator")) as conn, pytest.raises(
            psycopg.errors.InsufficientPrivilege), as_role(conn, "moderator"):
        _insert_article(conn)


def test_an_editor_can_write_an_article_but_not_delete_one(hub: Hub) -> None:
    with connect(hub.login("editor")) as conn:
        with as_role(conn, "editor"):
            _insert_article(conn)
        with pytest.raises(psycopg.errors.InsufficientPrivilege), as_role(conn, "editor"):
            conn.execute("DELETE FROM article")


def test_an_editor_cannot_change_a_comments_status(hub: Hub, tmp_path: Path) -> None:
    _article_id, comment_id = _seed(hub, tmp_path)
    with connect(hub.login("editor")) as conn, pytest.raises(
            psycopg.errors.InsufficientPrivilege), as_role(conn, "editor"):
        conn.execute("UPDATE comment SET status = 'approved' WHERE id = %s", (comment_id,))


def test_a_role_may_record_changes_only_to_its_own_tables(hub: Hub) -> None:
    with connect(hub.login("moderator")) as conn, pytest.raises(
            psycopg.errors.InsufficientPrivilege, match="row-level security"), \
            as_role(conn, "moderator"):
        conn.execute("INSERT INTO hub_change (table_name, row_id, hlc, origin, payload) "
                     "VALUES ('article', 'x', '1700000000000-0000-x', 'x', '{}')")


def test_a_desk_cannot_touch_another_logins_push_record(hub: Hub, tmp_path: Path) -> None:
    _seed(hub, tmp_path)
    with connect(hub.login("editor", 2)) as conn, as_role(conn, "editor"):
        seen = conn.execute("SELECT count(*) FROM hub_device").fetchone()
        changed = conn.execute("UPDATE hub_device SET last_seq = 0").rowcount
    assert seen == (0,) and changed == 0


def test_row_level_security_is_forced_on_every_table(hub: Hub) -> None:
    with psycopg.connect(hub.admin_url.replace("+psycopg", "")) as con:
        found = dict(con.execute(
            "SELECT relname, relforcerowsecurity AND relrowsecurity FROM pg_class "
            "WHERE relname = ANY(%s)",
            ([*SYNCED_TABLES, "hub_change", "hub_device", "hub_refusal"],)).fetchall())
    assert len(found) == len(SYNCED_TABLES) + 3 and all(found.values()), found


def test_the_role_ends_with_the_transaction(hub: Hub) -> None:
    with connect(hub.login("editor")) as conn:
        with as_role(conn, "editor"):
            inside = conn.execute("SELECT current_user").fetchone()
        after = conn.execute("SELECT current_user").fetchone()
    assert inside == ("pse_editor",) and after == ("editor1",)


def test_changes_a_desk_made_before_it_had_a_role_wait_for_a_desk_of_that_role(
        hub: Hub, tmp_path: Path) -> None:
    with desk(tmp_path / "d.db", hub.login("editor"), "") as d:
        ref = article_service.create_article(d, "Both kinds of change")
        add_comment(d, ref.id, "And a comment")
        report = sync_service.sync(d, url=hub.login("editor"), role="editor")
        assert report.ok and report.held == 2  # the commenter and the comment
        report = sync_service.sync(d, url=hub.login("moderator"), role="moderator")
        assert report.ok and report.held == 0 and report.waiting == 0


def test_hub_init_twice_changes_nothing_and_keeps_the_identity(hub: Hub) -> None:
    with psycopg.connect(hub.admin_url.replace("+psycopg", "")) as con:
        before = con.execute("SELECT identity FROM hub_info").fetchone()
    sync_service.init_hub(hub.admin_url)
    with psycopg.connect(hub.admin_url.replace("+psycopg", "")) as con:
        after = con.execute("SELECT identity FROM hub_info").fetchone()
        policies = con.execute("SELECT count(*) FROM pg_policies WHERE tablename = 'article'")\
            .fetchone()
    assert before == after and policies == (2,)


@pytest.mark.parametrize(("stamp", "kept"), [
    ("1700000000000-0000-x", True),
    ("yesterday", False),  # malformed: never cast, never written
    ("99999999999999999999-0000-x", False),  # too many digits for the shape
    ("9999999999999-0000-x", False),  # centuries ahead of the hub's clock
    (None, False),
])
def test_the_hub_itself_drops_a_row_whose_stamp_is_malformed_or_ahead(
        hub: Hub, stamp: str | None, kept: bool) -> None:
    row = dict(ARTICLE, id=f"00000000-0000-4000-8000-{abs(hash(stamp)) % 10**12:012d}",
               slug=f"stamp-{abs(hash(stamp)) % 10**6}", hlc=stamp)
    with connect(hub.login("editor")) as conn:
        with as_role(conn, "editor"):
            done = conn.execute(
                "INSERT INTO article SELECT * FROM jsonb_populate_record(NULL::article, %s)",
                (json.dumps(row),))
            assert done.rowcount == (1 if kept else 0)
        if kept:  # and an update to a stamp from the future is dropped as well
            with as_role(conn, "editor"):
                done = conn.execute("UPDATE article SET hlc = '9999999999999-0000-x', "
                                    "title = 'Late' WHERE id = %s", (row["id"],))
                assert done.rowcount == 0
