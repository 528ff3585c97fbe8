"""Sync conflicts of an article: both texts side by side, and the text the editor made of them.

When two desks changed the same block of an article, sync keeps the newer text live and the
other as a revision of kind "conflict", and flags the article (``has_conflict``). ``conflict``
gives the merge view both texts, cut into the regions it shows (``pse_desk.sync.merge``);
``resolve`` saves what the editor chose as a new revision and lifts the flag, on this desk and,
through sync, on every desk.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from pse_desk.errors import NotFoundError
from pse_desk.services import revisions
from pse_desk.services.articles import live_article
from pse_desk.services.revisions import ArticleText, RevisionSummary
from pse_desk.store.db import Store
from pse_desk.store.model import Revision, RevisionKind
from pse_desk.sync import merge

RESOLVED_LABEL = "Merged by hand after a sync conflict"


@dataclass(frozen=True)
class ArticleConflict:
    article_id: str
    live: ArticleText     # what the article shows now (the newer text)
    other: ArticleText    # the text kept aside
    other_label: str      # whose it is, in words ("Conflict: the text of desk 3f2a…")
    other_revision_id: str
    regions: tuple[merge.Region, ...]  # of the bodies: live on the left, other on the right

    @property
    def changed_regions(self) -> int:
        return sum(r.changed for r in self.regions)


def conflict(store: Store, article_id: str) -> ArticleConflict | None:
    """The article's newest conflict copy beside its live text (None: no conflict flagged)."""
    with store.read_session() as s:
        article = live_article(s, article_id)
        if not article.has_conflict:
            return None
        other = s.scalar(select(Revision).where(
            Revision.article_id == article_id, Revision.kind == RevisionKind.CONFLICT,
            Revision.deleted.is_(False)).order_by(Revision.created_at.desc()).limit(1))
        if other is None:
            raise NotFoundError("This article is marked as changed on two desks, but the other "
                                "text is not on this desk yet; sync, then try again.")
        live = ArticleText(article.title, article.standfirst, article.body_md)
        kept = ArticleText(other.title, other.standfirst, other.body_md)
        label = other.label.replace(f"desk {store.device_id}", "this desk")
        return ArticleConflict(article_id, live, kept, label, other.id,
                               tuple(merge.compare(live.body_md, kept.body_md)))


def resolve(store: Store, article_id: str, text: ArticleText, *,
            author: str = "") -> RevisionSummary:
    """Save the merged text as a new revision and lift the conflict flag."""
    summary = revisions.save_revision(store, article_id, text, kind=RevisionKind.MANUAL,
                                      label=RESOLVED_LABEL, author=author)
    with store.session() as s:
        live_article(s, article_id).has_conflict = False
        s.commit()
    return summary
