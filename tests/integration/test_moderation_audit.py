"""The audit trail: per-comment history, the filtered global log and a formula-safe CSV."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_moderation_support import Newsroom, open_newsroom

from pse_desk.moderation.audit import csv_safe
from pse_desk.services.moderation import decisions as actions
from pse_desk.services.moderation.audit import (
    AuditFilter,
    audit_log,
    comment_history,
    export_audit_csv,
)


@pytest.fixture
def room(tmp_path: Path) -> Iterator[Newsroom]:
    yield from open_newsroom(tmp_path)


def test_a_comments_history_lists_every_decision_oldest_first(room: Newsroom) -> None:
    cid = room.comments["bob_1"]
    result = actions.reject(room.store, [cid], actor="maria", reason="rude")
    actions.undo(room.store, result, actor="maria")
    actions.approve(room.store, [cid], actor="li")
    with room.store.read_session() as s:
        history = comment_history(s, cid)
    assert [(h.actor, h.action, h.from_status, h.to_status) for h in history] == [
        ("maria", "reject", "pending", "rejected"),
        ("maria", "undo", "rejected", "pending"),
        ("li", "approve", "pending", "approved")]
    assert history[0].commenter == "Bob Marsh"
    assert history[0].article == "Council budgets squeezed again"


def test_the_global_log_filters_and_pages(room: Newsroom) -> None:
    actions.reject(room.store, [room.comments["bob_1"]], actor="maria")
    actions.approve(room.store, [room.comments["bob_2"], room.comments["ann_pending"]],
                    actor="li")
    with room.store.read_session() as s:
        assert len(audit_log(s)) == 3
        assert {e.actor for e in audit_log(s, AuditFilter(actor="li"))} == {"li"}
        assert len(audit_log(s, AuditFilter(action="reject"))) == 1
        assert len(audit_log(s, AuditFilter(commenter_id=room.bob))) == 2
        first = audit_log(s, limit=2)
        rest = audit_log(s, after=first[-1].key, limit=2)
    assert len(first) == 2 and len(rest) == 1
    assert rest[0].id not in {e.id for e in first}


def test_csv_export_defuses_formulas(room: Newsroom, tmp_path: Path) -> None:
    actions.reject(room.store, [room.comments["bob_1"]], actor="=cmd|' /C calc'!A0",
                   reason='=HYPERLINK("http://evil.example","click")')
    actions.approve(room.store, [room.comments["bob_2"]], actor="@admin", reason="-2+3")
    out = tmp_path / "audit.csv"
    assert export_audit_csv(room.store, out) == 2
    with out.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert rows[0]["actor"] == "'=cmd|' /C calc'!A0"
    assert rows[0]["reason"] == "'=HYPERLINK(\"http://evil.example\",\"click\")"
    assert rows[1]["actor"] == "'@admin" and rows[1]["reason"] == "'-2+3"
    assert rows[1]["commenter"] == "Bob Marsh"
    assert not (tmp_path / "audit.csv.part").exists()


@pytest.mark.parametrize(("value", "cell"), [
    ("=1+1", "'=1+1"), ("+1", "'+1"), ("-1", "'-1"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\tx", "'\tx"), ("\rx", "'\rx"), ("plain", "plain"), ("a=b", "a=b"), (None, ""),
    (3, "3"),
])
def test_csv_safe_prefixes_only_formula_starts(value: object, cell: str) -> None:
    assert csv_safe(value) == cell
