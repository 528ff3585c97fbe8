"""Bad layout rows as another desk (or a damaged file) could hold them, through the page the
preview and the export render: hostile link titles and summaries are escaped, a javascript:
address is never linked, 500 panels and absurd counts render, a deleted pinned article is left
out with a warning, and nothing stored is changed by reading it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from pse_desk.demo.layout import WEB_LAYOUT_ID
from pse_desk.render.page import PageArticle, render_page
from pse_desk.services.layout.read import resolve
from pse_desk.services.page import page_layout, page_layout_of
from pse_desk.store import Store, open_store
from pse_desk.store.model import Article, ArticleStatus, Panel, PanelItem

HOSTILE = "<script>alert('x')</script><img src=x onerror=alert(1)>"
NOW = datetime(2026, 11, 20, 12, 0)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    st = open_store(tmp_path / "page.sqlite")
    with st.session() as s:
        for n in range(5):
            s.add(Article(slug=f"story-{n}", title=f"Story {n}", section="Finance",
                          status=ArticleStatus.PUBLISHED, body_md="Text.",
                          published_at=NOW - timedelta(days=n)))
        s.commit()
    yield st
    st.close()


def _panel(s, key: str, rank: str, **fields) -> Panel:  # type: ignore[no-untyped-def]
    panel = Panel(layout_id=WEB_LAYOUT_ID, key=key, title=fields.pop("title", key), rank=rank,
                  region=fields.pop("region", "sidebar"), **fields)
    s.add(panel)
    s.flush()
    return panel


def _html(store: Store) -> str:
    with store.read_session() as s:
        layout = page_layout(s, at=NOW)
    return render_page(PageArticle(title="An article", body_md="Body."), layout)


def test_hostile_link_text_is_escaped_and_a_javascript_address_is_not_linked(store) -> None:
    with store.session() as s:
        tv = _panel(s, "tv", "a0", source="links", title=HOSTILE * 100,
                    more_label="more >", more_url="javascript:alert(2)")
        s.add(PanelItem(panel_id=tv.id, rank="a0", title=HOSTILE + "x" * 5000,
                        url="javascript:alert(1)", summary=HOSTILE))
        s.add(PanelItem(panel_id=tv.id, rank="a1", title="Fine video",
                        url="https://video.example/1"))
        s.commit()
    html = _html(store)
    sidebar = html[html.index('class="pse-sidebar"'):]
    assert "<script>" not in sidebar and "<img src=x" not in sidebar
    assert "&lt;script&gt;" in sidebar and "&lt;img src=x onerror=alert(1)&gt;" in sidebar
    assert not re.search(r'href="\s*javascript:', html, re.IGNORECASE)
    assert 'href="https://video.example/1"' in html
    with store.read_session() as s:
        resolved = resolve(s, at=NOW)
    warnings = {w.code for p in resolved.panels() for w in p.warnings}
    assert {"unsafe_link", "long_text"} <= warnings
    shown = resolved.panels()[0].items
    assert shown[0].url == "" and len(shown[0].title) == 300  # left unlinked, cut
    assert shown[1].url == "https://video.example/1"
    with store.read_session() as s:  # reading changed nothing stored
        kept = s.query(PanelItem).filter(PanelItem.url == "javascript:alert(1)").one()
        assert kept.title.startswith(HOSTILE) and len(kept.title) > 5000


def test_five_hundred_panels_and_absurd_counts_render(store) -> None:
    with store.session() as s:
        for n in range(500):
            _panel(s, f"p{n:03d}", f"a{n:03d}", source="latest",
                   item_count=(0, 10_000, 3)[n % 3], dedupe=n % 2 == 0)
        s.commit()
    html = _html(store)
    assert html.count('class="pse-panel') >= 500
    with store.read_session() as s:
        resolved = resolve(s, at=NOW)
    shown = {(p.panel.item_count, len(p.items)) for p in resolved.panels()
             if not p.panel.dedupe}  # the others find the five articles shown higher up
    assert shown == {(0, 1), (10_000, 5), (3, 3)}  # 0 shows one, 10,000 all five there are
    codes = [w.code for p in resolved.panels() for w in p.warnings]
    assert codes.count("count_range") == 334  # 0 and 10,000: each says what it shows


def test_a_deleted_pinned_article_is_left_out_with_a_warning(store) -> None:
    with store.session() as s:
        gone = s.query(Article).filter(Article.slug == "story-0").one()
        panel = _panel(s, "editors", "a0", source="picked", title="editor's comment")
        s.add(PanelItem(panel_id=panel.id, rank="a0", article_id=gone.id, pinned=True))
        gone.deleted = True
        s.commit()
    html = _html(store)
    assert "Story 0" not in html
    with store.read_session() as s:
        resolved = resolve(s, at=NOW)
        layout = page_layout_of(resolved)
    editors = next(p for p in resolved.panels() if p.panel.key == "editors")
    assert [w.code for w in editors.warnings] == ["article_gone", "empty"]
    assert layout.sidebar and layout.sidebar[0].items == ()


def test_a_source_naming_a_section_that_does_not_exist_says_so(store) -> None:
    with store.session() as s:
        _panel(s, "focus", "a0", source="latest", source_sections=["Nowhere"])
        s.commit()
    with store.read_session() as s:
        focus = next(p for p in resolve(s, at=NOW).panels() if p.panel.key == "focus")
    assert focus.items == ()
    assert any(w.code == "no_match" and "“Nowhere”" in w.message for w in focus.warnings)
    assert "Story" not in _html(store).split('class="pse-sidebar"')[1]
