"""Proofs compared page by page, and made again: a past proof's file, or the same pages made
again from what it recorded after the article changed; pictures of the pages that differ."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import select

from pse_desk.demo.build import build_demo
from pse_desk.services import edition_export as ex
from pse_desk.services import editions
from pse_desk.store import Store, open_store
from pse_desk.store.model import Article, EditionItem

pytestmark = pytest.mark.skipif(__import__("shutil").which("pdftoppm") is None,
                                reason="poppler-utils (pdftoppm) is not installed")


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    st = open_store(tmp_path / "p.sqlite")
    build_demo(st, articles=8, comments=0)
    yield st
    st.close()


def _edition(store: Store) -> str:
    with store.read_session() as s:
        return editions.list_editions(s)[0].id


def test_a_changed_article_shows_as_its_changed_pages_and_a_past_proof_comes_back_the_same(
        store: Store, tmp_path: Path) -> None:
    ident = _edition(store)
    first = ex.export_edition(store, ident, tmp_path / "first.pdf", "pdf/a-2b")
    with store.session() as s:
        item = s.scalars(select(EditionItem).where(EditionItem.edition_id == ident,
                                                   EditionItem.article_id.is_not(None))
                         .order_by(EditionItem.position)).first()
        article = s.get(Article, item.article_id)  # type: ignore[union-attr]
        article.body_md = "A new opening paragraph, set in before the rest.\n\n" \
            + article.body_md  # type: ignore[union-attr]
        s.commit()
    second = ex.export_edition(store, ident, tmp_path / "second.pdf", "pdf/a-2b")
    with store.read_session() as s:
        assert [p.id for p in ex.list_proofs(s, ident)] == [second.id, first.id]
    diff = ex.compare_proofs(store, first.id, second.id, tmp_path / "work")
    assert not diff.identical and 2 in [c.page for c in diff.changes]  # the first article
    assert 1 not in [c.page for c in diff.changes]  # the cover did not change
    change = next(c for c in diff.changes if c.page == 2)
    assert change.diff is not None and Image.open(change.diff).size[0] > 100
    assert "differ" in diff.summary()
    # the first proof's file is gone: it is made again from what it recorded, article as then
    (tmp_path / "first.pdf").unlink()
    again = ex.compare_proofs(store, first.id, first.id, tmp_path / "again")
    assert again.identical and again.pages_left == first.pages
    remade = ex.proof_file(store, first.id, tmp_path / "remade")
    versus_second = ex.compare_proofs(store, second.id, first.id, tmp_path / "versus")
    assert remade.exists() and not versus_second.identical


@pytest.mark.parametrize("variant", ["pdf/x-4", "pdf/a-2b"])
def test_a_proof_made_again_is_the_same_file_to_the_byte(store: Store, tmp_path: Path,
                                                         variant: str) -> None:
    ident = _edition(store)
    first = ex.export_edition(store, ident, tmp_path / "first.pdf", variant)
    with store.session() as s:  # the newsroom moves on; the proof recorded what went in
        for article in s.scalars(select(Article)):
            article.title = article.title + " (revised)"
        s.commit()
    again = ex.export_again(store, first.id, tmp_path / "again.pdf")
    assert again.file_sha256 == first.file_sha256
    assert (tmp_path / "again.pdf").read_bytes() == (tmp_path / "first.pdf").read_bytes()
