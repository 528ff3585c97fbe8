"""A small newsroom for the UI tests, built with the ORM: articles, panels, an edition and a
queue of pending comments long enough to need more than one page."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from pse_desk.demo.layout import WEB_LAYOUT_ID
from pse_desk.store import Store
from pse_desk.store.model import (
    Article,
    ArticleStatus,
    Comment,
    Commenter,
    CommentStatus,
    Edition,
    EditionItem,
    Panel,
    PanelItem,
)

HOSTILE_BODY = "<script>alert('boo')</script> <b>bold?</b>"
T0 = datetime(2026, 11, 20, 12, 0)
ARTICLES = (
    ("Councils pool their payroll", "Finance", ArticleStatus.PUBLISHED, "Ada Quill"),
    ("Evening clinics stay open", "Health and social care", ArticleStatus.READY, "Bo Reed"),
    ("A new deal for devolved budgets", "Devolution", ArticleStatus.DRAFT, "Cy Moss"),
    ("Housing repairs go digital", "Housing", ArticleStatus.DRAFT, "Di Fenn"),
)


def build_newsroom(store: Store, pending: int = 30) -> None:
    """``pending`` pending comments (the newest has a hostile body), two approved ones."""
    with store.session() as s:
        arts = [Article(slug=f"a{i}", title=t, section=sec, status=st, author=au,
                        standfirst=f"Standfirst of {t.lower()}.",
                        body_md=f"# {t}\n\nFirst paragraph about {sec.lower()}.\n")
                for i, (t, sec, st, au) in enumerate(ARTICLES)]
        s.add_all(arts)
        s.flush()
        who = Commenter(display_name="<i>Reader</i> One")
        s.add(who)
        s.flush()
        for i in range(pending):
            body = HOSTILE_BODY if i == 0 else f"Pending comment number {i}."
            s.add(Comment(article_id=arts[i % 2].id, commenter_id=who.id, body=body,
                          posted_at=T0 - timedelta(minutes=i), held_reasons=[
                              {"kind": "first_time", "explanation": "Held: a first comment."}]))
        for i in range(2):
            s.add(Comment(article_id=arts[0].id, commenter_id=who.id, body=f"Approved {i}",
                          posted_at=T0, status=CommentStatus.APPROVED))
        # the "web" layout every database starts with (migration 0002)
        panel = Panel(layout_id=WEB_LAYOUT_ID, key="latest_news", title="Latest news",
                      region="sidebar", rank="a1", source="picked")
        s.add(panel)
        s.flush()
        s.add(PanelItem(panel_id=panel.id, article_id=arts[0].id, rank="a1"))
        edition = Edition(title="December issue", issue_date=date(2026, 12, 1))
        s.add(edition)
        s.flush()
        s.add(EditionItem(edition_id=edition.id, article_id=arts[1].id, position=1))
        s.add(EditionItem(edition_id=edition.id, panel_id=panel.id, position=2,
                          page_break_before=True))
        s.commit()
