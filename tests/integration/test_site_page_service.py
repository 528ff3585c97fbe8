"""services/page.py: what the preview's site page is made of (panels, their items, the
article's approved comments), read from a real SQLite file. No Qt: the preview is its only
reader, but the reads are tested here, below the UI."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from pse_desk.errors import NotFoundError
from pse_desk.layout.resolve import article_url
from pse_desk.services.page import load_page
from pse_desk.store import Store
from pse_desk.store.model import (
    Article,
    ArticleStatus,
    Comment,
    Commenter,
    CommentStatus,
    Layout,
    Panel,
    PanelItem,
)


def _article(slug: str, title: str, *, section: str = "Finance", day: int = 1,
             status: ArticleStatus = ArticleStatus.PUBLISHED, deleted: bool = False) -> Article:
    return Article(slug=slug, title=title, section=section, status=status, deleted=deleted,
                   standfirst=f"About {title.lower()}.", body_md=f"Text of {title}.\n",
                   published_at=datetime(2026, 11, day, 9, 0))


@pytest.fixture
def newsroom(store: Store) -> dict[str, str]:
    with store.session() as s:
        main = _article("payroll", "Councils pool their payroll", day=20)
        main.source_line = "PSE Dec/Jan 27"
        main.author = "Ada Quill"
        older = _article("clinics", "Evening clinics stay open", section="Health", day=5)
        newer = _article("budgets", "Devolved budgets", section="Finance", day=18)
        gone = _article("gone", "Deleted story", day=25, deleted=True)
        draft = _article("draft", "A draft", day=26, status=ArticleStatus.DRAFT)
        s.add_all([main, older, newer, gone, draft])
        s.flush()
        reader = Commenter(display_name="Reader One")
        s.add(reader)
        s.flush()
        for minute, status, body in ((2, CommentStatus.APPROVED, "Second <b>approved</b>"),
                                     (1, CommentStatus.APPROVED, "First approved"),
                                     (3, CommentStatus.PENDING, "Still pending"),
                                     (4, CommentStatus.SPAM, "Spam")):
            s.add(Comment(article_id=main.id, commenter_id=reader.id, body=body, status=status,
                          posted_at=datetime(2026, 11, 21, 10, minute)))
        web = Layout(name="web", active=True)
        s.add(web)
        s.flush()
        tv = Panel(layout_id=web.id, key="tv", title="public sector executive tv", rank="a0",
                   item_count=2, source="links", more_label="more videos >")
        latest = Panel(layout_id=web.id, key="latest_news", title="latest public sector news",
                       rank="a1", item_count=5, source="latest", source_sections=["Finance"])
        hidden = Panel(layout_id=web.id, key="blog", title="the raven's daily blog", rank="a2",
                       enabled=False)
        below = Panel(layout_id=web.id, key="focus", title="public sector focus", rank="a0",
                      region="main", source="picked")
        s.add_all([tv, latest, hidden, below])
        s.flush()
        s.add_all([
            PanelItem(panel_id=tv.id, rank="a0", title="A night in the control room",
                      url="https://example.org/tv/1", item_date=date(2026, 11, 19),
                      summary="Duty officers on the coldest night."),
            PanelItem(panel_id=tv.id, rank="a1", article_id=gone.id),
            PanelItem(panel_id=tv.id, rank="a2", article_id=older.id),
            PanelItem(panel_id=tv.id, rank="a3", title="Over the item count",
                      url="https://example.org/tv/2"),
            PanelItem(panel_id=below.id, rank="a0", article_id=newer.id),
        ])
        s.commit()
        return {"main": main.id}


def test_the_page_has_the_live_enabled_panels_in_order_with_their_items(store, newsroom):
    layout = load_page(store, newsroom["main"]).layout
    assert [p.title for p in layout.sidebar] == ["public sector executive tv",
                                                 "latest public sector news"]
    assert [p.key for p in layout.main] == ["focus"]
    tv, latest = layout.sidebar
    assert tv.more_label == "more videos >"
    assert [i.title for i in tv.items] == ["A night in the control room",
                                           "Evening clinics stay open"]
    assert tv.items[1].url == article_url("clinics") and tv.items[1].summary.startswith("About")
    # a section panel lists the newest published, live articles of its section
    assert [i.title for i in latest.items] == ["Councils pool their payroll", "Devolved budgets"]
    assert layout.sections  # the navigation of the masthead


def test_the_page_article_carries_its_approved_comments_oldest_first(store, newsroom):
    article = load_page(store, newsroom["main"]).article
    assert article.title == "Councils pool their payroll"
    assert article.source_line == "PSE Dec/Jan 27" and article.author == "Ada Quill"
    assert article.published_at == date(2026, 11, 20)
    assert [c.body_html for c in article.comments] == ["First approved",
                                                       "Second <b>approved</b>"]
    assert {c.author for c in article.comments} == {"Reader One"}


def test_a_deleted_article_has_no_page(store, newsroom):
    with store.session() as s:
        s.get(Article, newsroom["main"]).deleted = True  # type: ignore[union-attr]
        s.commit()
    with pytest.raises(NotFoundError):
        load_page(store, newsroom["main"])
