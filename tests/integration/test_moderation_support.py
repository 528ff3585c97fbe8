"""Shared builders for the moderation integration tests: a small newsroom made with the ORM."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from pse_desk.store import open_store
from pse_desk.store.db import Store
from pse_desk.store.model import (
    Article,
    Comment,
    Commenter,
    CommentStatus,
    Rule,
    RuleAction,
    Trust,
)

BASE = datetime(2026, 11, 20, 12, 0)


@dataclass
class Newsroom:
    store: Store
    article_id: str
    other_article_id: str
    ann: str  # commenter ids
    bob: str
    comments: dict[str, str] = field(default_factory=dict)  # label -> comment id


def add_comment(store: Store, commenter_id: str, article_id: str, body: str, *,
                status: CommentStatus = CommentStatus.PENDING, minutes: int = 0,
                reports: int = 0, held: list[dict[str, object]] | None = None) -> str:
    with store.session() as s:
        c = Comment(article_id=article_id, commenter_id=commenter_id, body=body,
                    posted_at=BASE + timedelta(minutes=minutes), status=status,
                    reports=reports, held_reasons=held or [])
        s.add(c)
        commenter = s.get(Commenter, commenter_id)
        assert commenter is not None
        commenter.comment_count += 1
        if status == CommentStatus.APPROVED:
            commenter.approved_count += 1
        s.commit()
        return c.id


def build_newsroom(tmp_path: Path) -> Newsroom:
    store = open_store(tmp_path / "newsroom.sqlite")
    with store.session() as s:
        a = Article(slug="council-budgets-squeezed", title="Council budgets squeezed again")
        b = Article(slug="nhs-staffing-plan", title="A staffing plan for hospitals")
        ann = Commenter(display_name="Ann Lee", trust=Trust.TRUSTED)
        bob = Commenter(display_name="Bob Marsh")
        s.add_all([a, b, ann, bob])
        s.commit()
        room = Newsroom(store, a.id, b.id, ann.id, bob.id)
    c = room.comments
    c["ann_ok"] = add_comment(store, ann.id, a.id, "Sensible points about the budget.",
                              status=CommentStatus.APPROVED, minutes=-1800)
    c["ann_pending"] = add_comment(store, ann.id, a.id, "Libraries deserve better funding.",
                                   minutes=-30, held=[{"kind": "suspect_words"}])
    c["bob_1"] = add_comment(store, bob.id, a.id, "First thoughts on the roads budget.",
                             minutes=-20)
    c["bob_2"] = add_comment(store, bob.id, b.id, "Hospitals need more nurses now.",
                             minutes=-10, held=[{"kind": "shouting"}], reports=4)
    c["bob_old"] = add_comment(store, bob.id, b.id, "An older remark about staffing.",
                               status=CommentStatus.APPROVED, minutes=-4000)
    return room


def add_default_rules(store: Store) -> dict[str, str]:
    specs = [
        ("banned_words", {"words": ["idiot", "scum"]}, RuleAction.REJECT),
        ("suspect_words", {"words": ["crypto", "casino"]}, RuleAction.HOLD),
        ("link_count", {"max_links": 2}, RuleAction.HOLD),
        ("first_time", {}, RuleAction.HOLD),
        ("shouting", {"min_letters": 20, "max_caps_ratio": 0.6}, RuleAction.HOLD),
        ("duplicate", {"window_days": 7, "similarity": 0.9}, RuleAction.HOLD),
        ("rate_limit", {"max_comments": 3, "minutes": 10}, RuleAction.HOLD),
        ("banned_commenter", {}, RuleAction.REJECT),
        ("reports", {"min_reports": 3}, RuleAction.HOLD),
    ]
    ids = {}
    with store.session() as s:
        for kind, params, action in specs:
            r = Rule(kind=kind, params=params, action=action, description=kind)
            s.add(r)
            s.flush()
            ids[kind] = r.id
        s.commit()
    return ids


def open_newsroom(tmp_path: Path) -> Iterator[Newsroom]:
    """For a fixture: ``yield from open_newsroom(tmp_path)``."""
    newsroom = build_newsroom(tmp_path)
    yield newsroom
    newsroom.store.close()
