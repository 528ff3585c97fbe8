"""The read services behind the four workspaces, against a real SQLite file."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest

from pse_desk.errors import NotFoundError
from pse_desk.services import articles, editions, overview
from pse_desk.store import Store, open_store
from pse_desk.store.model import (
    Article,
    ArticleStatus,
    Comment,
    Commenter,
    CommentStatus,
    Edition,
    EditionItem,
    Layout,
    Panel,
)

T0 = datetime(2026, 11, 1, 9, 0)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    st = open_store(tmp_path / "read.sqlite")
    with st.session() as s:
        a1 = Article(slug="councils-share", title="Councils share a back office",
                     standfirst="Three districts pool payroll", body_md="The payroll pilot saved "
                     "money.", section="Finance", author="Ada Quill",
                     status=ArticleStatus.PUBLISHED)
        a2 = Article(slug="clinic-hours", title="Evening clinic hours", section="Health",
                     body_md="Nurses describe the late shift.", author="Bo Reed")
        a3 = Article(slug="gone", title="Withdrawn piece", section="Finance", deleted=True,
                     body_md="payroll")
        s.add_all([a1, a2, a3])
        s.flush()
        who = Commenter(display_name="Reader One")
        s.add(who)
        s.flush()
        s.add_all([
            Comment(article_id=a1.id, commenter_id=who.id, body="<script>alert(1)</script>",
                    posted_at=T0, held_reasons=[{"kind": "link_count",
                                                 "explanation": "Held: too many links."}]),
            Comment(article_id=a1.id, commenter_id=who.id, body="Fine.", posted_at=T0,
                    status=CommentStatus.APPROVED),
            Comment(article_id=a2.id, commenter_id=who.id, body="gone", posted_at=T0,
                    deleted=True),
        ])
        web = Layout(name="web", active=True)
        s.add(web)
        s.flush()
        side = Panel(layout_id=web.id, key="latest_news", title="Latest news", region="sidebar",
                     rank="a2", source="picked")
        s.add(side)
        s.flush()
        ed_new = Edition(title="December issue", issue_date=date(2026, 12, 1))
        ed_old = Edition(title="November issue", issue_date=date(2026, 11, 1), page_size="A5",
                         bleed_mm=5.0)
        s.add_all([ed_new, ed_old])
        s.flush()
        s.add_all([
            EditionItem(edition_id=ed_new.id, position=1, article_id=a1.id),
            EditionItem(edition_id=ed_new.id, position=2, panel_id=side.id,
                        page_break_before=True),
            EditionItem(edition_id=ed_new.id, position=3, article_id=a3.id),
        ])
        s.commit()
    with st.session() as s:  # a later change makes the clinic piece the newest
        s.get(Article, a2.id).standfirst = "Late shifts, told by nurses"  # type: ignore[union-attr]
        s.commit()
    yield st
    st.close()


def test_article_list_shows_live_articles_newest_first(store: Store) -> None:
    with store.read_session() as s:
        rows = articles.list_articles(s)
    assert [r.title for r in rows] == ["Evening clinic hours", "Councils share a back office"]


def test_article_list_filters_by_status_and_section(store: Store) -> None:
    with store.read_session() as s:
        published = articles.list_articles(s, status=ArticleStatus.PUBLISHED)
        drafts = articles.list_articles(s, status="draft")
        health = articles.list_articles(s, section="Health")
    assert [r.title for r in published] == ["Councils share a back office"]
    assert [r.status for r in drafts] == ["draft"]
    assert [r.author for r in health] == ["Bo Reed"]


def test_article_search_uses_full_text_and_prefixes_the_last_word(store: Store) -> None:
    with store.read_session() as s:
        body_hit = articles.list_articles(s, search="payroll")
        prefix_hit = articles.list_articles(s, search="nurs")
        nothing = articles.list_articles(s, search="zebra")
    assert [r.title for r in body_hit] == ["Councils share a back office"]  # not the deleted one
    assert [r.title for r in prefix_hit] == ["Evening clinic hours"]
    assert nothing == []


BACK_OFFICE = ["Councils share a back office"]


@pytest.mark.parametrize("typed, titles", [
    ('"', []), ("*", []), ("  ", []), ("NEAR(", []), ("col:x", []),
    ('"payroll', BACK_OFFICE), ("payroll*", BACK_OFFICE), ("(payroll)", BACK_OFFICE),
    ("NEAR(payroll", []),  # NEAR is a word that no article has, not an operator
    ("payroll OR nurses", []),  # as an operator, OR would find both articles
    ("payroll AND", []),
    ("'); DROP TABLE article; --", []),
])
def test_article_search_reads_fts_syntax_as_plain_words(store: Store, typed: str,
                                                        titles: list[str]) -> None:
    with store.read_session() as s:
        found = articles.list_articles(s, search=typed)
        everything = articles.list_articles(s)
    assert [r.title for r in found] == titles
    assert len(everything) == 2


def test_sections_lists_sections_of_live_articles(store: Store) -> None:
    with store.read_session() as s:
        assert articles.list_sections(s) == ["Finance", "Health"]


def test_get_article_returns_text_and_refuses_deleted(store: Store) -> None:
    with store.read_session() as s:
        row = articles.list_articles(s, search="clinic")[0]
        detail = articles.get_article(s, row.id)
        deleted_id = s.query(Article.id).filter(Article.slug == "gone").scalar()
        with pytest.raises(NotFoundError):
            articles.get_article(s, deleted_id)
    assert detail.body_md == "Nurses describe the late shift."
    assert detail.slug == "clinic-hours"


def test_editions_newest_first_with_page_setup(store: Store) -> None:
    with store.read_session() as s:
        eds = editions.list_editions(s)
    assert [e.title for e in eds] == ["December issue", "November issue"]
    assert (eds[1].page_size, eds[1].bleed_mm) == ("A5", 5.0)


def test_edition_items_name_articles_and_panels_and_keep_page_breaks(store: Store) -> None:
    with store.read_session() as s:
        ed = editions.list_editions(s)[0]
        items = editions.edition_items(s, ed.id)
    assert [(i.kind, i.title, i.page_break_before) for i in items] == [
        ("article", "Councils share a back office", False),
        ("panel", "Latest news", True),
    ]


def test_overview_counts_live_articles_and_pending_comments(store: Store) -> None:
    with store.read_session() as s:
        ov = overview.overview(s)
    assert (ov.articles, ov.pending_comments) == (2, 1)
