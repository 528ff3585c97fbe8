"""services/edition_edit.py against a real SQLite file: refusals before anything is written,
a duplicate with its contents, moves that keep one order, tombstones that come back."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from pse_desk.demo.build import build_demo
from pse_desk.errors import ValidationError
from pse_desk.services import edition_edit as edit
from pse_desk.services import editions
from pse_desk.services.edition_edit import EditionFields
from pse_desk.store import Store, open_store
from pse_desk.store.model import Article, Edition


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    st = open_store(tmp_path / "e.sqlite")
    build_demo(st, articles=12, comments=20)
    yield st
    st.close()


def _edition(store: Store) -> str:
    with store.read_session() as s:
        return editions.list_editions(s)[0].id


def _titles(store: Store, edition_id: str) -> list[str]:
    with store.read_session() as s:
        return [i.title for i in editions.edition_items(s, edition_id)]


@pytest.mark.parametrize(("fields", "sentence"), [
    (EditionFields(title="  "), "needs a title"),
    (EditionFields(title="x" * 201), "at most 200 characters"),
    (EditionFields(title="Ok", page_size="Letter"), "not a page size"),
    (EditionFields(title="Ok", bleed_mm=25), "0 to 20 mm"),
    (EditionFields(title="Ok", issue_number=0), "starts at 1"),
])
def test_bad_settings_are_refused_before_anything_is_written(store: Store, fields, sentence
                                                              ) -> None:
    with store.read_session() as s:
        before = s.scalars(select(Edition.id)).all()
    with pytest.raises(ValidationError, match=sentence):
        edit.create_edition(store, fields)
    with store.read_session() as s:
        assert s.scalars(select(Edition.id)).all() == before


def test_a_duplicate_keeps_the_contents_in_order_and_is_a_draft(store: Store) -> None:
    original = _edition(store)
    copy = edit.duplicate_edition(store, original, "Reprint")
    assert _titles(store, copy) == _titles(store, original)
    with store.read_session() as s:
        assert s.get(Edition, copy).status == "draft"  # type: ignore[union-attr]


def test_moves_keep_one_order_and_a_removed_item_comes_back_where_it_was(store: Store) -> None:
    ident = _edition(store)
    start = _titles(store, ident)
    with store.read_session() as s:
        items = editions.edition_items(s, ident)
    assert edit.move_item(store, items[0].id, 3) == 0
    assert _titles(store, ident) == [start[1], start[2], start[3], start[0], *start[4:]]
    with store.read_session() as s:
        assert [i.position for i in editions.edition_items(s, ident)] == list(range(len(start)))
    place = edit.remove_item(store, items[2].id)
    assert start[2] not in _titles(store, ident)
    edit.restore_item(store, items[2].id, place)
    assert _titles(store, ident) == [start[1], start[2], start[3], start[0], *start[4:]]


def test_an_article_is_in_an_edition_once_and_articles_have_no_placement(store: Store) -> None:
    ident = _edition(store)
    with store.read_session() as s:
        items = editions.edition_items(s, ident)
        first = items[0]
        other = s.scalars(select(Article.id).where(
            Article.id.not_in([i.ref_id for i in items]))).first()
    with pytest.raises(ValidationError, match="already in this edition"):
        edit.add_article(store, ident, first.ref_id)
    with pytest.raises(ValidationError, match="only panels"):
        edit.set_placement(store, first.id, "front")
    assert other is not None
    new = edit.add_article(store, ident, other, index=0)
    with store.read_session() as s:
        assert editions.edition_items(s, ident)[0].id == new
