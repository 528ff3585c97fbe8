"""Sync between desks through a real PostgreSQL hub that the test run starts itself:
articles, merges and conflicts, deletes, moderation, a desk that joins late."""

from __future__ import annotations

from pathlib import Path

import pytest
from sync_helpers import Hub, add_comment, article, desk, rows, sync, synced_rows

from pse_desk.demo.build import build_demo
from pse_desk.errors import RoleRefusedError
from pse_desk.services import articles as article_service
from pse_desk.services import revisions as revision_service
from pse_desk.services import sync as sync_service
from pse_desk.services.moderation import decisions
from pse_desk.store.model import Article, Comment, CommentStatus, Revision, RevisionKind

pytestmark = pytest.mark.postgres
Text = revision_service.ArticleText


def _two_editors(hub: Hub, tmp_path: Path):  # type: ignore[no-untyped-def]
    return (desk(tmp_path / "a.db", hub.login("editor", 1), "editor"),
            desk(tmp_path / "b.db", hub.login("editor", 2), "editor"))


def test_an_article_written_on_one_desk_reaches_another(hub: Hub, tmp_path: Path) -> None:
    da, db = _two_editors(hub, tmp_path)
    with da as a, db as b:
        ref = article_service.create_article(a, "Councils and the high street",
                                             body_md="First para.\n\nSecond para.\n")
        report = sync(a, hub.login("editor", 1))
        assert report.pushed >= 1 and report.waiting == 0
        sync(b, hub.login("editor", 2))
        assert article(b, ref.id).body_md == "First para.\n\nSecond para.\n"
        assert rows(a, "article") == rows(b, "article")


def test_changes_to_different_blocks_merge_by_themselves(hub: Hub, tmp_path: Path) -> None:
    da, db = _two_editors(hub, tmp_path)
    ua, ub = hub.login("editor", 1), hub.login("editor", 2)
    with da as a, db as b:
        ref = article_service.create_article(a, "Localism revisited",
                                             body_md="One.\n\nTwo.\n\nThree.\n")
        sync(a, ua)
        sync(b, ub)
        revision_service.save_revision(a, ref.id, Text("Localism revisited", "",
                                                       "One, edited on A.\n\nTwo.\n\nThree.\n"))
        revision_service.save_revision(b, ref.id, Text("Localism revisited", "",
                                                       "One.\n\nTwo, edited on B.\n\nThree.\n"))
        sync(a, ua)
        report = sync(b, ub)
        assert report.merged == 1 and report.conflicts == 0, report
        sync(a, ua)
        merged = "One, edited on A.\n\nTwo, edited on B.\n\nThree.\n"
        for store in (a, b):
            got = article(store, ref.id)
            assert got.body_md == merged and not got.has_conflict
            with store.read_session() as s:
                kinds = {r.kind for r in s.query(Revision).filter_by(article_id=ref.id)}
            assert RevisionKind.MERGE in kinds
        assert synced_rows(a) == synced_rows(b)


def test_both_changing_one_block_keeps_both_texts_and_flags_the_article(
        hub: Hub, tmp_path: Path) -> None:
    da, db = _two_editors(hub, tmp_path)
    ua, ub = hub.login("editor", 1), hub.login("editor", 2)
    with da as a, db as b:
        ref = article_service.create_article(a, "Devolution deals", body_md="Base.\n")
        sync(a, ua)
        sync(b, ub)
        revision_service.save_revision(a, ref.id, Text("Devolution deals", "", "Alice's.\n"))
        revision_service.save_revision(b, ref.id, Text("Devolution deals", "", "Bob's.\n"))
        sync(a, ua)
        report = sync(b, ub)
        assert report.conflicts == 1, report
        sync(a, ua)
        for store in (a, b):
            got = article(store, ref.id)
            assert got.has_conflict
            assert got.body_md == "Bob's.\n"  # the newer text is live
            with store.read_session() as s:
                conflict = [r.body_md for r in s.query(Revision).filter_by(
                    article_id=ref.id, kind=RevisionKind.CONFLICT)]
            assert conflict == ["Alice's.\n"]
        assert synced_rows(a) == synced_rows(b)


def test_an_edit_to_an_article_another_desk_deleted_brings_it_back_flagged(
        hub: Hub, tmp_path: Path) -> None:
    da, db = _two_editors(hub, tmp_path)
    ua, ub = hub.login("editor", 1), hub.login("editor", 2)
    with da as a, db as b:
        ref = article_service.create_article(a, "Shared services", body_md="Old words.\n")
        sync(a, ua)
        sync(b, ub)
        article_service.delete_article(a, ref.id)
        revision_service.save_revision(b, ref.id, Text("Shared services", "",
                                                       "Old words.\n\nNew words from B.\n"))
        sync(a, ua)   # the delete reaches the hub first
        report = sync(b, ub)
        assert report.resurrected == 1
        sync(a, ua)
        for store in (a, b):
            got = article(store, ref.id)
            assert not got.deleted and got.has_conflict
            assert "New words from B." in got.body_md
        assert synced_rows(a) == synced_rows(b)


def test_a_delete_of_an_article_nobody_changed_stands(hub: Hub, tmp_path: Path) -> None:
    da, db = _two_editors(hub, tmp_path)
    ua, ub = hub.login("editor", 1), hub.login("editor", 2)
    with da as a, db as b:
        ref = article_service.create_article(a, "A short-lived draft", body_md="Words.\n")
        sync(a, ua)
        sync(b, ub)
        article_service.delete_article(b, ref.id)
        sync(b, ub)
        sync(a, ua)
        assert article(a, ref.id).deleted and article(b, ref.id).deleted


def test_moderators_decisions_converge_and_every_event_is_kept(
        hub: Hub, tmp_path: Path) -> None:
    ue, u1, u2 = (hub.login("editor", 1), hub.login("moderator", 1),
                  hub.login("moderator", 2))
    with desk(tmp_path / "e.db", ue, "editor") as e, \
            desk(tmp_path / "m1.db", u1, "moderator") as m1, \
            desk(tmp_path / "m2.db", u2, "moderator") as m2:
        ref = article_service.create_article(e, "Comments welcome")
        sync(e, ue)
        sync(m1, u1)
        comment_id = add_comment(m1, ref.id, "A fair point about budgets.")
        sync(m1, u1)
        sync(m2, u2)
        decisions.approve(m1, [comment_id], actor="m1")
        decisions.reject(m2, [comment_id], actor="m2", reason="off topic")  # later: wins
        sync(m1, u1)
        sync(m2, u2)
        sync(m1, u1)
        for store in (m1, m2):
            with store.read_session() as s:
                comment = s.get(Comment, comment_id)
                assert comment is not None and comment.status is CommentStatus.REJECTED
        events = rows(m1, "moderation_event")
        assert events == rows(m2, "moderation_event")
        assert {v["actor"] for v in events.values()} >= {"m1", "m2"}
        assert synced_rows(m1) == synced_rows(m2)


def test_a_moderators_desk_refuses_an_article_change_before_it_is_queued(
        hub: Hub, tmp_path: Path) -> None:
    with desk(tmp_path / "m.db", hub.login("moderator"), "moderator") as m:
        with pytest.raises(RoleRefusedError, match="only an editor's desk may change articles"):
            article_service.create_article(m, "Not mine to write")
        with m.read_session() as s:
            assert s.query(Article).count() == 0
            from pse_desk.store.model import ChangeLog

            assert s.query(ChangeLog).count() == 0


def test_an_editors_desk_refuses_a_moderation_decision_before_it_is_queued(
        hub: Hub, tmp_path: Path) -> None:
    with desk(tmp_path / "e.db", hub.login("editor"), "editor") as e:

        sync_service.save_settings(e, hub.login("editor"), "")  # no role: anything goes
        ref = article_service.create_article(e, "Has a comment")
        comment_id = add_comment(e, ref.id, "Hello")
        sync_service.save_settings(e, hub.login("editor"), "editor")
        with pytest.raises(RoleRefusedError, match="moderator's desk may change comments"):
            decisions.approve(e, [comment_id], actor="ed")
        with e.read_session() as s:
            got = s.get(Comment, comment_id)
            assert got is not None and got.status is CommentStatus.PENDING


def test_a_desk_that_joins_late_pulls_the_whole_newsroom(hub: Hub, tmp_path: Path) -> None:
    ue, um = hub.login("editor", 1), hub.login("moderator", 1)
    with desk(tmp_path / "demo.db", ue, "") as first:
        build_demo(first, articles=6, comments=40)
        sync(first, ue, "editor")
        report = sync(first, um, "moderator")
        assert report.waiting == 0 and report.held == 0
        with desk(tmp_path / "late.db", hub.login("editor", 2), "editor") as late:
            report = sync(late, hub.login("editor", 2))
            assert report.snapshot and report.pulled > 40
            assert synced_rows(late) == synced_rows(first)
            # and it goes on incrementally from the snapshot's last change
            ref = article_service.create_article(first, "After the snapshot")
            sync(first, ue, "editor")
            report = sync(late, hub.login("editor", 2))
            assert not report.snapshot
            assert article(late, ref.id).title == "After the snapshot"


def test_three_desks_editing_concurrently_converge(hub: Hub, tmp_path: Path) -> None:
    import random

    rng = random.Random(7)
    urls = [hub.login("editor", n) for n in (1, 2, 3)]
    with desk(tmp_path / "1.db", urls[0], "editor") as d1, \
            desk(tmp_path / "2.db", urls[1], "editor") as d2, \
            desk(tmp_path / "3.db", urls[2], "editor") as d3:
        desks = [d1, d2, d3]
        ids = [article_service.create_article(d1, f"Story {i}",
                                              body_md="A.\n\nB.\n\nC.\n\nD.\n").id
               for i in range(3)]
        for d, u in zip(desks, urls, strict=True):
            sync(d, u)
        saved: set[str] = set()
        for step in range(30):
            n = rng.randrange(3)
            d = desks[n]
            target = rng.choice(ids)
            current = article(d, target)
            if current.deleted:
                continue
            blocks = current.body_md.split("\n\n")
            k = rng.randrange(len(blocks))
            blocks[k] = f"{blocks[k].strip()} +{n}.{step}"
            body = "\n\n".join(b.strip() for b in blocks) + "\n"
            revision_service.save_revision(d, target, Text(current.title, "", body))
            saved.add(body)
            if rng.random() < 0.5:
                m = rng.randrange(3)
                sync(desks[m], urls[m])
        for _ in range(2):
            for d, u in zip(desks, urls, strict=True):
                sync(d, u)
        first = synced_rows(d1)
        assert synced_rows(d2) == first and synced_rows(d3) == first
        with d1.read_session() as s:
            kept = {r.body_md for r in s.query(Revision)}
        assert saved <= kept  # every text ever saved on any desk is still in some revision


def test_two_editors_laying_out_the_same_page_converge(hub: Hub, tmp_path: Path) -> None:
    import random

    from pse_desk.services.layout import edit
    from pse_desk.store.model import Layout, Panel

    ua, ub = hub.login("editor", 1), hub.login("editor", 2)
    with desk(tmp_path / "a.db", ua, "") as a:
        build_demo(a, articles=6, comments=10)
        sync_service.save_settings(a, ua, "editor")
        sync(a, ua)
        with desk(tmp_path / "b.db", ub, "editor") as b:
            sync(b, ub)
            with a.read_session() as s:
                web = s.scalars(select_live(Layout).where(Layout.name == "web")).one()
                panels = [p.id for p in s.scalars(select_live(Panel).where(
                    Panel.layout_id == web.id))]
            rng = random.Random(3)
            for step in range(12):
                store, url = (a, ua) if step % 2 else (b, ub)
                edit.move_panel(store, rng.choice(panels), rng.choice(["sidebar", "main"]),
                                rng.randrange(4))
                if rng.random() < 0.4:
                    sync(store, url)
            for _ in range(2):
                sync(a, ua)
                sync(b, ub)
            assert rows(a, "panel") == rows(b, "panel")
            assert rows(a, "layout_version") == rows(b, "layout_version")


def select_live(model):  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    return select(model).where(model.deleted.is_(False))
