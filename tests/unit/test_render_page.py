"""The site page template: structure, panels in order, comments, escaping, modes, export."""

from __future__ import annotations

from datetime import date, datetime
from html.parser import HTMLParser

import pytest

from pse_desk.render.markdown import BlockRenderer
from pse_desk.render.page import (
    NO_COMMENTS,
    PageArticle,
    PageComment,
    PageLayout,
    PagePanel,
    PagePanelItem,
    default_layout,
    render_page,
    safe_href,
    stylesheet_text,
)
from pse_desk.render.standalone import asset_id_from_url, standalone_html


class _Scan(HTMLParser):
    """Collects every URL the page would load and the order of panels."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.loads: list[str] = []
        self.panels: list[str] = []
        self.blocks: list[tuple[str, str]] = []
        self.scripts = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "script":
            self.scripts += 1
        if tag in {"img", "iframe", "video", "audio", "source", "embed"} and "src" in values:
            self.loads.append(values["src"])
        if tag == "link":
            self.loads.append(values.get("href", ""))
        if "data-panel" in values:
            self.panels.append(values["data-panel"])
        if values.get("class") == "pse-block":
            self.blocks.append((values["data-block"], values["data-line"]))


def scan(html: str) -> _Scan:
    scanner = _Scan()
    scanner.feed(html)
    return scanner


def panel(key: str, title: str, *items: PagePanelItem, **kwargs: str) -> PagePanel:
    return PagePanel(key=key, title=title, items=items, **kwargs)  # type: ignore[arg-type]


ARTICLE = PageArticle(
    title="The future of localism",
    body_md="Community decisions matter.\n\n## Next steps\n\nMore to come.",
    standfirst="How devolution can reach neighbourhoods.",
    section="Service Transformation",
    source_line="PSE Jun/Jul 17",
)
LAYOUT = PageLayout(
    sections=(("News", "/news"), ("Finance", "/finance")),
    sidebar=(
        panel("tv", "public sector executive tv", more_label="more videos >",
              more_url="/tv"),
        panel("latest_news", "latest public sector news",
              PagePanelItem("Mayor sets out six-month plan", "/news/mayor-plan",
                            date(2017, 10, 23), "A first half-year in office reviewed."),
              PagePanelItem("Pay gap figures published", "/news/pay-gap", date(2017, 10, 20),
                            "Figures obtained this week show a gap.")),
        panel("editors_comment", "editor's comment"),
    ),
    main=(panel("focus", "public sector focus"),),
)


def test_the_page_has_masthead_article_column_and_sidebar() -> None:
    html = render_page(ARTICLE, LAYOUT)
    assert '<span class="pse-logo">PSE</span>' in html
    assert '<span class="pse-site-title">Public Sector Executive</span>' in html
    assert '<a class="pse-nav-link" href="/finance">Finance</a>' in html
    assert '<p class="pse-section-label">Service Transformation</p>' in html
    assert '<h1 class="pse-title">The future of localism</h1>' in html
    assert '<p class="pse-source">Source: PSE Jun/Jul 17</p>' in html
    assert '<p class="pse-standfirst">How devolution can reach neighbourhoods.</p>' in html
    assert '<aside class="pse-sidebar"' in html


def test_panels_below_the_article_come_first_then_the_sidebar_panels_in_their_order() -> None:
    assert scan(render_page(ARTICLE, LAYOUT)).panels == [
        "focus", "tv", "latest_news", "editors_comment"]
    reordered = PageLayout(sidebar=tuple(reversed(LAYOUT.sidebar)))
    assert scan(render_page(ARTICLE, reordered)).panels == [
        "editors_comment", "latest_news", "tv"]


def test_panel_items_show_date_title_summary_and_more_links() -> None:
    html = render_page(ARTICLE, LAYOUT)
    assert '<span class="pse-item-date">23/10/2017</span>' in html
    assert '<a class="pse-item-title" href="/news/mayor-plan">Mayor sets out six-month plan</a>' \
        in html
    assert ('A first half-year in office reviewed. '
            '<a class="pse-more" href="/news/mayor-plan">more &gt;</a>') in html
    assert '<a class="pse-more" href="/tv">more videos &gt;</a>' in html


def test_long_panel_summaries_are_cut_at_a_word() -> None:
    item = PagePanelItem("T", "/t", None, "word " * 100)
    html = render_page(ARTICLE, PageLayout(sidebar=(panel("p", "P", item),)))
    summary = html.split('<p class="pse-item-summary">')[1].split(" <a")[0]
    assert summary.endswith("word...") and len(summary) <= 153


def test_no_comments_shows_the_sites_invitation() -> None:
    html = render_page(ARTICLE, LAYOUT)
    assert NO_COMMENTS == "There are no comments. Why not be the first?"
    assert f'<p class="pse-no-comments">{NO_COMMENTS}</p>' in html
    assert "<h3>Add your comment</h3>" in html


def test_approved_comments_are_counted_and_sanitised() -> None:
    comments = (
        PageComment("Ann <b>", '<p onclick="x()">Good <script>alert(1)</script>point</p>',
                    datetime(2017, 10, 24, 9, 30)),
        PageComment("Bo", '<a href="javascript:alert(1)">link</a><img src=x onerror=alert(1)>'),
    )
    article = PageArticle(title="T", body_md="x", comments=comments)
    html = render_page(article, LAYOUT)
    assert "<h2>2 comments</h2>" in html
    assert NO_COMMENTS not in html
    assert '<span class="pse-comment-author">Ann &lt;b&gt;</span> <time>24/10/2017 09:30</time>' \
        in html
    assert "<p>Good point</p>" in html
    for bad in ("onclick", "<script", "javascript:", "onerror"):
        assert bad not in html


def test_everything_user_provided_is_escaped() -> None:
    evil = '<img src=x onerror="alert(1)">"\'&'
    article = PageArticle(title=evil, body_md="x", standfirst=evil, section=evil,
                          source_line=evil, author=evil)
    layout = PageLayout(site_name=evil, site_title=evil, tagline=evil, footer=evil,
                        sections=((evil, "javascript:alert(1)"),),
                        sidebar=(panel(evil, evil, PagePanelItem(evil, "javascript:x()",
                                                                 None, evil)),))
    html = render_page(article, layout)
    assert "<img" not in html and "onerror=\"" not in html
    assert "javascript:" not in html
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&quot;&#x27;&amp;" in html


@pytest.mark.parametrize("url, safe", [
    ("https://example.org/a", True), ("/news/x", True), ("#top", True),
    ("mailto:desk@example.org", True), ("javascript:alert(1)", False),
    (" JavaScript:alert(1)", False), ("java\tscript:alert(1)", False),
    ("data:text/html,x", False), ("vbscript:x", False), ("", False),
])
def test_links_keep_only_safe_urls(url: str, safe: bool) -> None:
    assert (safe_href(url) is not None) is safe


def test_the_body_is_a_container_of_patchable_blocks() -> None:
    html = render_page(ARTICLE, LAYOUT)
    found = scan(html)
    assert '<div id="pse-body" class="pse-body"><div class="pse-block"' in html
    assert [line for _, line in found.blocks] == ["1", "3", "5"]
    result = BlockRenderer().render(ARTICLE.body_md)
    assert [block_id for block_id, _ in found.blocks] == [b.id for b in result.blocks]


def test_a_given_body_html_is_used_as_is() -> None:
    html = render_page(ARTICLE, LAYOUT, body_html='<div class="pse-block">given</div>')
    assert '<div id="pse-body" class="pse-body"><div class="pse-block">given</div></div>' in html


def test_the_page_loads_nothing_remote_and_runs_no_script() -> None:
    article = PageArticle(title="T", body_md="![x](https://tracker.example/p.png)\n\n"
                                             "<script>alert(1)</script>")
    found = scan(render_page(article, LAYOUT))
    assert found.scripts == 0
    assert found.loads == ["site.css"]
    for css in (stylesheet_text("site.css"), stylesheet_text("print.css")):
        assert "url(" not in css and "@import" not in css and "http" not in css


def test_print_mode_adds_the_a4_stylesheet_with_bleed_and_crop_marks() -> None:
    html = render_page(ARTICLE, LAYOUT, mode="print", base_css_inline=True)
    assert "size: A4" in html and "bleed: 3mm" in html and "marks: crop cross" in html
    assert '<body class="pse-page pse-mode-print">' in html
    assert "<link" not in html


def test_screen_css_has_two_columns_and_collapses_on_phones() -> None:
    css = stylesheet_text("site.css")
    assert "grid-template-columns: minmax(0, 1fr) 300px" in css
    assert "@media (max-width: 760px)" in css
    assert ".codehilite .k" in css  # Pygments classes appended


def test_an_unknown_mode_is_refused() -> None:
    with pytest.raises(ValueError):
        render_page(ARTICLE, LAYOUT, mode="poster")


def test_standalone_html_inlines_css_and_embeds_stored_images() -> None:
    md = "![Chart](pse-asset:abc)\n\n![Missing](pse-asset:nope)\n\n![Bad](pse-asset:svg)"
    assets = {"abc": ("image/png", b"\x89PNG\r\n"), "svg": ("image/svg+xml", b"<svg/>")}
    html = standalone_html(md, PageArticle(title="T", body_md=md), default_layout(), assets)
    assert '<img alt="Chart" src="data:image/png;base64,iVBORw0K">' in html
    assert '<img alt="Missing">' in html and '<img alt="Bad">' in html
    assert "<link" not in html and "<style>" in html
    assert "Content-Security-Policy" in html and "default-src 'none'" in html


def test_standalone_html_never_accepts_data_urls_from_the_text() -> None:
    md = '<img src="data:image/png;base64,AAAA">\n\n[x](data:text/html,hi)'
    html = standalone_html(md, PageArticle(title="T", body_md=md), default_layout(), {})
    assert "data:image/png;base64,AAAA" not in html and "data:text/html" not in html


@pytest.mark.parametrize("url, asset_id", [
    ("pse-asset:abc", "abc"), ("pse-asset:/abc", "abc"), ("pse-asset://abc?x=1", "abc"),
    ("https://x/abc", None), ("pse-asset:", None),
])
def test_asset_urls_name_their_asset(url: str, asset_id: str | None) -> None:
    assert asset_id_from_url(url) == asset_id
