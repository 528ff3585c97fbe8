"""Every payload of the hostile corpus, as the detail pane shows it: no image or script in the
document and no resource of any kind requested (the pane's browser refuses all; here nothing
even asks). What survives is text: a malformed tag may show as inert words."""

from __future__ import annotations

import json
from pathlib import Path

from pse_desk.services.moderation.body import comment_html
from pse_desk.ui.moderate.comment_pane import SafeBrowser

CORPUS = [p["payload"] for p in json.loads(
    (Path(__file__).parent.parent / "data" / "hostile_payloads.json")
    .read_text(encoding="utf-8"))["payloads"]]


def test_the_hostile_corpus_shown_in_the_pane_loads_nothing(qapp) -> None:  # type: ignore[no-untyped-def]
    assert len(CORPUS) >= 300
    browser = SafeBrowser()
    for payload in CORPUS:
        browser.setHtml(comment_html(payload))
        html = browser.toHtml().lower()  # what the document kept: text and inert formatting
        assert "<img" not in html and "href=\"javascript" not in html, payload
    assert browser.refused == []  # not one image, style sheet or frame was asked for


def test_the_browser_follows_no_link(qtbot) -> None:  # type: ignore[no-untyped-def]
    browser = SafeBrowser()
    qtbot.addWidget(browser)
    browser.setHtml(comment_html('<a href="https://example.org/x">a link</a>'))
    assert not browser.openLinks() and not browser.openExternalLinks()
    assert browser.loadResource(2, browser.source()) is None
