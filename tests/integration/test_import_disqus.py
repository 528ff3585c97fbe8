"""Importing a Disqus export: threads matched to the desk's articles, stubs for the rest."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from import_helpers import DISQUS_SAMPLE, WXR_SAMPLE, newsroom, snapshot
from sqlalchemy import select

from pse_desk.errors import ImportFileError
from pse_desk.services.importing import import_file
from pse_desk.store import Store
from pse_desk.store.model import Article, Comment


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = newsroom(tmp_path / "n.sqlite")
    try:
        import_file(s, WXR_SAMPLE, "wxr")  # the articles the threads were about
        yield s
    finally:
        s.close()


def _comments_by_article(store: Store) -> dict[str, list[Comment]]:
    out: dict[str, list[Comment]] = {}
    with store.read_session() as s:
        for c in s.scalars(select(Comment)):
            art = s.get(Article, c.article_id)
            assert art is not None
            out.setdefault(art.slug, []).append(c)
    return out


def test_threads_match_articles_by_link_slug_or_title_and_the_rest_get_stubs(
        store: Store) -> None:
    summary = import_file(store, DISQUS_SAMPLE, "disqus")
    assert (summary.matched_threads, summary.stubs, summary.comments) == (2, 1, 6)
    by_article = _comments_by_article(store)
    # 8001 by the slug at the end of its link (its title differs), 8002 by its exact title
    bodies = {slug: sorted(c.body for c in cs) for slug, cs in by_article.items()}
    assert any("Powys" in b for b in bodies["parish-councils-buses"])
    assert any("Eleven million" in b for b in bodies["icb-inheritance"])
    with store.read_session() as s:
        stub = s.scalars(select(Article).where(Article.slug == "combined-authority-mayors")).one()
        assert stub.status.value == "draft" and stub.imported_html
        assert "Disqus" in stub.body_md and "combined-authority-mayors" in stub.body_md
        # the thread nobody commented on makes no stub
        assert s.scalars(select(Article).where(Article.slug == "quiet-thread")).first() is None


def test_replies_keep_their_parents_and_statuses_follow_the_export(store: Store) -> None:
    import_file(store, DISQUS_SAMPLE, "disqus")
    with store.read_session() as s:
        comments = {c.body: c for c in s.scalars(select(Comment).where(
            Comment.body.like("<p>%")))}
        reply = next(c for b, c in comments.items() if "Powys" in b)
        parent = s.get(Comment, reply.parent_id)
        assert parent is not None and "Insurance was our problem" in parent.body
        status = {b[3:20]: c.status.value for b, c in comments.items()}
        assert status == {"Insurance was our": "approved", "Which county? Ask": "approved",
                          "Eleven million is": "approved", "WIN A FREE HOLIDA": "spam",
                          "The mayor's offic": "rejected", "A reply waiting f": "pending"}
        deleted = next(c for b, c in comments.items() if "mayor's office" in b)
        waiting = next(c for b, c in comments.items() if "waiting for approval" in b)
        assert waiting.parent_id == deleted.id


def test_a_commenter_known_from_wordpress_is_the_same_commenter(store: Store,
                                                                tmp_path: Path) -> None:
    export = tmp_path / "d.xml"
    export.write_text(DISQUS_SAMPLE.read_text().replace("dafydd.rees@example.net",
                                                        "Tom.Ashworth@example.net"))
    summary = import_file(store, export, "disqus")
    with store.read_session() as s:
        comments = s.scalars(select(Comment).where(Comment.body.like("%Eleven million%"))).all()
        wordpress = s.scalars(select(Comment).where(Comment.body.like("%overdraft line%"))).one()
        assert comments[0].commenter_id == wordpress.commenter_id
    assert summary.commenters == 3  # Megan, Promo, Guest


def test_importing_the_disqus_file_again_adds_nothing(store: Store) -> None:
    import_file(store, DISQUS_SAMPLE, "disqus")
    before = snapshot(store.path)
    again = import_file(store, DISQUS_SAMPLE, "disqus")
    assert (again.comments, again.stubs) == (0, 0) and again.already["comments"] == 6
    assert snapshot(store.path) == before


def test_a_dry_run_writes_nothing(store: Store) -> None:
    before = snapshot(store.path)
    dry = import_file(store, DISQUS_SAMPLE, "disqus", dry_run=True)
    assert dry.comments == 6 and snapshot(store.path) == before


def test_a_reply_that_comes_before_its_parent_is_threaded(store: Store, tmp_path: Path) -> None:
    text = DISQUS_SAMPLE.read_text()
    parent = text[text.index('  <post dsq:id="9001">'):text.index('  <post dsq:id="9003">')]
    export = tmp_path / "d.xml"
    export.write_text(text.replace(parent, "").replace("</disqus>", parent + "</disqus>"))
    import_file(store, export, "disqus")
    with store.read_session() as s:
        reply = s.scalars(select(Comment).where(Comment.body.like("%Powys%"))).one()
        assert reply.parent_id is not None
    seq = dict((row, n) for n, row in enumerate(
        r for r in _outbox_rows(store)))
    assert seq[reply.parent_id] < seq[reply.id]


def _outbox_rows(store: Store) -> list[str]:
    import sqlite3

    con = sqlite3.connect(store.path)
    try:
        return [r[0] for r in con.execute("SELECT row_id FROM change_log ORDER BY seq")]
    finally:
        con.close()


def test_a_disqus_file_with_a_bad_date_imports_nothing(store: Store, tmp_path: Path) -> None:
    export = tmp_path / "d.xml"
    export.write_text(DISQUS_SAMPLE.read_text().replace("2018-02-13T09:00:00Z", "yesterday"))
    before = snapshot(store.path)
    with pytest.raises(ImportFileError, match=r"line 105 .*yesterday"):
        import_file(store, export, "disqus")
    assert snapshot(store.path) == before
