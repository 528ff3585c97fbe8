"""Every payload of the hostile corpus, as the detail pane shows it: no image or script in the
document and no resource of any kind requested. What survives is text: a malformed tag may
show as inert words.

A browser asks for the images its document names only when it lays them out on screen, so the
browser here is shown and painted; a body that bypasses the sanitiser proves that it then does
ask (and is refused), so "nothing was asked for" means something. Links are clicked with the
mouse, as a moderator would."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import QObject, QPoint, Qt, QUrl, Slot
from PySide6.QtGui import QDesktopServices, QTextCursor

from pse_desk.services.moderation.body import comment_html
from pse_desk.ui.moderate.comment_pane import SafeBrowser

CORPUS = [p["payload"] for p in json.loads(
    (Path(__file__).parent.parent / "data" / "hostile_payloads.json")
    .read_text(encoding="utf-8"))["payloads"]]
TRACKER = "https://tracker.example/p.gif"
BACKGROUND = "https://x.example/b.png"
# what the pane would show if the sanitiser were bypassed
UNSANITISED = f'<img src="{TRACKER}"><p style="background:url({BACKGROUND})">styled</p>'
LINK = "https://example.org/x"


@pytest.fixture
def browser(qtbot) -> SafeBrowser:  # type: ignore[no-untyped-def]
    shown = SafeBrowser()
    qtbot.addWidget(shown)
    shown.resize(640, 400)
    shown.show()
    qtbot.waitExposed(shown)
    return shown


def show_html(browser: SafeBrowser, html: str) -> None:
    """Put ``html`` in the shown browser and paint it: its document asks for what it names."""
    browser.setHtml(html)
    browser.grab()


def test_a_body_that_bypasses_the_sanitiser_is_caught_asking_for_remote_images(
        browser: SafeBrowser) -> None:
    show_html(browser, UNSANITISED)
    assert TRACKER in browser.refused and BACKGROUND in browser.refused


def test_the_hostile_corpus_shown_in_the_pane_loads_nothing(browser: SafeBrowser) -> None:
    assert len(CORPUS) >= 300
    for payload in CORPUS:
        show_html(browser, comment_html(payload))
        html = browser.toHtml().lower()  # what the document kept: text and inert formatting
        assert "<img" not in html and "href=\"javascript" not in html, payload
    assert browser.refused == []  # not one image, style sheet or frame was asked for
    show_html(browser, UNSANITISED)  # ... and this browser would have said so
    assert TRACKER in browser.refused


class _OpenedUrls(QObject):
    """Stands in for the desktop's browser: records every URL the desk asks it to open."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    @Slot(QUrl)
    def open_url(self, url: QUrl) -> None:
        self.urls.append(url.toString())


def _inside(browser: SafeBrowser, text: str) -> QPoint:
    """A point of the viewport on the middle of ``text`` in the shown document."""
    found = browser.document().find(text)
    assert not found.isNull(), text
    middle = QTextCursor(browser.document())
    middle.setPosition((found.selectionStart() + found.selectionEnd()) // 2)
    return browser.cursorRect(middle).center()


def test_clicking_a_link_in_the_body_follows_nothing_and_opens_nothing(
        qtbot, browser: SafeBrowser) -> None:  # type: ignore[no-untyped-def]
    opened = _OpenedUrls()
    QDesktopServices.setUrlHandler("https", opened, "open_url")
    try:
        show_html(browser, comment_html(f'<a href="{LINK}">a link</a> and some text'))
        point = _inside(browser, "a link")
        assert browser.anchorAt(point) == LINK  # the click lands on the link
        with qtbot.waitSignal(browser.link_clicked, timeout=2000) as clicked:
            qtbot.mouseClick(browser.viewport(), Qt.MouseButton.LeftButton, pos=point)
        assert clicked.args[0].toString() == LINK
    finally:
        QDesktopServices.unsetUrlHandler("https")
    assert browser.source().isEmpty()  # the browser did not go to the link ...
    assert "a link and some text" in browser.toPlainText()  # ... and still shows the comment
    assert browser.refused == [] and opened.urls == []  # nothing fetched, nothing opened
