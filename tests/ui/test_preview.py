"""The live preview: the site page in QtWebEngine, patched block by block, locked down.

Every test drives a real ``PreviewPane`` (offscreen QtWebEngine, a real render worker process)
and reads the page back with scripts in the isolated world. One render worker is shared by the
module's panes so each test does not pay for a process start.
"""

from __future__ import annotations

import gc
import json
import sys
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest

from pse_desk.ui import guard_singleton_refcounts
from pse_desk.ui.write.asset_scheme import register_asset_scheme

register_asset_scheme()  # before pytest-qt creates the QApplication
guard_singleton_refcounts()  # PySide 6.12 drops references to True / None (see its docstring)

from gui_turns import CallsElsewhere, Turns  # noqa: E402
from PySide6.QtCore import QPoint, Qt, QUrl  # noqa: E402
from PySide6.QtWidgets import QPlainTextEdit  # noqa: E402

from pse_desk.render.page import (  # noqa: E402
    DEFAULT_SECTIONS,
    PageArticle,
    PageLayout,
    PagePanel,
    PagePanelItem,
)
from pse_desk.render.process import RenderProcess  # noqa: E402
from pse_desk.services.assets import AssetData  # noqa: E402
from pse_desk.ui.write.preview import PreviewPane  # noqa: E402
from pse_desk.ui.write.preview_page import plan_patch  # noqa: E402
from pse_desk.ui.write.render_bridge import RenderBridge  # noqa: E402

WAIT_MS = 20_000
LAYOUT = PageLayout(sections=DEFAULT_SECTIONS, sidebar=(
    PagePanel("tv", "public sector executive tv",
              (PagePanelItem("A night in the control room", "https://example.org/tv/1", None,
                             "Duty officers on the coldest night."),), more_label="more videos >"),
    PagePanel("latest_news", "latest public sector news",
              (PagePanelItem("Councils pool their payroll", "/news/payroll"),)),
))
BODY = ("Opening paragraph about the budget.\n\n"
        "## What changes\n\n"
        "Second paragraph, the one we edit.\n\n"
        "- first point\n- second point\n\n"
        "Closing paragraph.\n")


def article(body: str = BODY, **kwargs: Any) -> PageArticle:
    return PageArticle(title="Councils pool their payroll", body_md=body,
                       standfirst="Three councils share one payroll team.", section="Finance",
                       **kwargs)


@pytest.fixture
def quiet_collector() -> Iterator[None]:
    """As the application does after start-up (gc.freeze): a full garbage collection of a
    test process full of Qt wrappers would be measured as a GUI stall of its own."""
    gc.collect()
    gc.freeze()
    yield
    gc.unfreeze()


@pytest.fixture(scope="module")
def bridge() -> Iterator[RenderBridge]:
    shared = RenderBridge()
    yield shared
    shared.close()


@pytest.fixture
def pane(qtbot, bridge: RenderBridge) -> Iterator[PreviewPane]:  # type: ignore[no-untyped-def]
    widget = PreviewPane(bridge=bridge)
    qtbot.addWidget(widget)
    widget.resize(1100, 800)
    widget.show()
    qtbot.waitExposed(widget)
    yield widget
    widget.shutdown()


def run(qtbot, pane: PreviewPane, script: str) -> Any:  # type: ignore[no-untyped-def]
    """Run ``script`` in the page's isolated world and wait until it has run."""
    box: list[Any] = []
    pane.run_in_page(script, box.append)
    qtbot.waitUntil(lambda: bool(box), timeout=WAIT_MS)
    return box[0]


def js(qtbot, pane: PreviewPane, expression: str) -> Any:  # type: ignore[no-untyped-def]
    """The value of a JavaScript expression in the page (through JSON: runJavaScript hands
    arrays back as empty strings)."""
    return json.loads(run(qtbot, pane, f"JSON.stringify({expression})"))


def show(qtbot, pane: PreviewPane, page: PageArticle) -> None:  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(pane.patched, timeout=WAIT_MS):
        pane.set_page(page, LAYOUT)


def body_texts(qtbot, pane: PreviewPane) -> list[str]:  # type: ignore[no-untyped-def]
    return list(js(qtbot, pane, "Array.from(document.querySelectorAll('#pse-body > .pse-block'))"
                                ".map(function(e){return e.textContent.trim();})"))


# --- the page ---------------------------------------------------------------------------------

def test_the_preview_shows_the_article_in_the_site_page_with_its_sidebar_panels(qtbot, pane):
    show(qtbot, pane, article())
    titles = js(qtbot, pane, "Array.from(document.querySelectorAll('.pse-sidebar "
                             ".pse-panel-title')).map(function(e){return e.textContent;})")
    assert titles == ["public sector executive tv", "latest public sector news"]
    assert js(qtbot, pane, "document.querySelector('h1.pse-title').textContent") \
        == "Councils pool their payroll"
    assert body_texts(qtbot, pane)[:3] == ["Opening paragraph about the budget.", "What changes",
                                           "Second paragraph, the one we edit."]
    # the stylesheet came through our scheme: the masthead is navy, not unstyled
    assert js(qtbot, pane, "getComputedStyle(document.querySelector('.pse-masthead'))"
                           ".backgroundColor") == "rgb(23, 38, 74)"
    assert pane.interceptor.blocked == []


def test_typing_replaces_only_the_block_that_changed(qtbot, pane):
    show(qtbot, pane, article())
    editor = QPlainTextEdit()
    qtbot.addWidget(editor)
    editor.setPlainText(BODY)
    revision = {"n": 0}

    def typed() -> None:
        revision["n"] += 1
        pane.set_markdown(editor.toPlainText(), revision["n"])

    editor.textChanged.connect(typed)
    run(qtbot, pane, "Array.from(document.querySelectorAll('#pse-body > .pse-block'))"
                     ".forEach(function(e,i){e.setAttribute('data-mark',String(i));});1")
    editor.show()
    editor.setFocus()
    cursor = editor.textCursor()
    cursor.setPosition(BODY.index(", the one we edit"))
    editor.setTextCursor(cursor)
    for key in (Qt.Key.Key_Space, Qt.Key.Key_X, Qt.Key.Key_Y, Qt.Key.Key_Z):
        qtbot.keyClick(editor, key)
    qtbot.waitUntil(lambda: pane.shown_revision == revision["n"], timeout=WAIT_MS)
    assert body_texts(qtbot, pane)[2] == "Second paragraph xyz, the one we edit."
    marks = js(qtbot, pane, "Array.from(document.querySelectorAll('#pse-body > .pse-block'))"
                            ".map(function(e){return e.getAttribute('data-mark');})")
    assert marks == ["0", "1", None, "3", "4"]  # the same DOM nodes, except the edited one


def test_new_metadata_and_panels_are_swapped_in_without_reloading_the_page(qtbot, pane):
    show(qtbot, pane, article())
    run(qtbot, pane, "document.querySelector('#pse-body > .pse-block').setAttribute('data-mark',"
                     "'kept');window.scrollTo(0, 120);1")
    loads: list[bool] = []
    pane.page.loadFinished.connect(loads.append)
    fewer = PageLayout(sections=DEFAULT_SECTIONS, sidebar=(
        PagePanel("blog", "the raven's daily blog", (PagePanelItem("A raven writes"),)),))
    pane.set_page(replace(article(), title="Councils pool payroll and pensions",
                          standfirst=""), fewer)
    qtbot.waitUntil(lambda: js(qtbot, pane, "document.querySelector('h1.pse-title')"
                                            ".textContent") == "Councils pool payroll and "
                                                               "pensions", timeout=WAIT_MS)
    assert js(qtbot, pane, "Array.from(document.querySelectorAll('.pse-panel-title'))"
                           ".map(function(e){return e.textContent;})") == [
        "the raven's daily blog"]
    assert js(qtbot, pane, "document.querySelectorAll('.pse-standfirst').length") == 0
    assert js(qtbot, pane, "document.querySelector('#pse-body > .pse-block')"
                           ".getAttribute('data-mark')") == "kept"
    assert js(qtbot, pane, "window.scrollY") == 120
    assert loads == []
    qtbot.waitUntil(lambda: pane.page.title().startswith("Councils pool payroll and pensions"),
                    timeout=WAIT_MS)


def test_a_new_line_moves_the_source_lines_of_the_blocks_below(qtbot, pane):
    show(qtbot, pane, article())
    with qtbot.waitSignal(pane.patched, timeout=WAIT_MS):
        pane.set_markdown("New first paragraph.\n\n" + BODY, 2)
    lines = js(qtbot, pane, "Array.from(document.querySelectorAll('#pse-body > .pse-block'))"
                            ".map(function(e){return +e.getAttribute('data-line');})")
    assert lines == [1, 3, 5, 7, 9, 12] == pane.block_lines


def test_two_previews_sharing_one_render_worker_both_get_their_text(qtbot, pane, bridge):
    other = PreviewPane(bridge=bridge)
    qtbot.addWidget(other)
    other.resize(600, 400)
    other.show()
    show(qtbot, pane, article())
    show(qtbot, other, article("Another article.\n"))
    for revision in range(2, 6):
        pane.set_markdown(BODY + f"\nFirst pane, revision {revision}.\n", revision)
        other.set_markdown(f"Second pane, revision {revision}.\n", revision)
    qtbot.waitUntil(lambda: pane.shown_revision == 5 and other.shown_revision == 5,
                    timeout=WAIT_MS)
    assert body_texts(qtbot, pane)[-1] == "First pane, revision 5."
    assert body_texts(qtbot, other) == ["Second pane, revision 5."]
    other.shutdown()


def test_plan_patch_keeps_the_unchanged_start_and_end():
    old = [("a", 1, "<p>a</p>"), ("b", 3, "<p>b</p>"), ("c", 5, "<p>c</p>")]
    new = [("a", 1, "<p>a</p>"), ("B", 3, "<p>B</p>"), ("x", 4, "<p>x</p>"),
           ("c", 6, "<p>c</p>")]
    script = plan_patch(old, new, 7)
    assert script is not None
    assert "var P=1,R=1,D=1,S=3," in script and "<p>B</p>" in script and "<p>a</p>" not in script
    assert plan_patch(new, list(new), 8) is None


# --- safety -----------------------------------------------------------------------------------

HOSTILE_MARKDOWN = (
    "Before.\n\n<script>document.title = 'owned by script';</script>\n\n"
    "<img src=\"x\" onerror=\"document.title='owned by onerror'\">\n\n"
    "[press here](javascript:document.title='owned by link')\n\n"
    "<a href=\"javascript:document.title='owned'\" onclick=\"document.title='owned'\">raw</a>\n\n"
    "<iframe src=\"https://example.org/\"></iframe>\n\nAfter.\n")


def test_scripts_handlers_and_javascript_links_typed_in_markdown_never_run(qtbot, pane):
    show(qtbot, pane, article(HOSTILE_MARKDOWN))
    assert js(qtbot, pane, "document.querySelectorAll('#pse-body script, #pse-body iframe, "
                           "[onerror], [onclick], a[href^=\"javascript\"]').length") == 0
    link = js(qtbot, pane, "(function(){var r=Array.from(document.querySelectorAll('#pse-body a'))"
                           ".filter(function(a){return a.textContent==='press here';})[0]"
                           ".getBoundingClientRect();return [r.left+r.width/2,r.top+r.height/2];"
                           "})()")
    qtbot.mouseClick(pane.view.focusProxy(), Qt.MouseButton.LeftButton,
                     pos=QPoint(int(link[0]), int(link[1])))
    with qtbot.waitSignal(pane.patched, timeout=WAIT_MS):
        pane.set_markdown(HOSTILE_MARKDOWN + "\nOne more line.\n", 2)
    assert "owned" not in pane.page.title()
    assert pane.page.title().startswith("Councils pool their payroll")
    assert pane.page.url().toString().startswith("pse-asset:")  # it never navigated away


def test_remote_requests_are_blocked_unless_remote_images_are_allowed(qtbot, pane):
    show(qtbot, pane, article("![chart](https://example.invalid/chart.png)\n"))
    # the sanitiser dropped the remote source, and the page's policy refuses one forced in
    run(qtbot, pane, "var i=document.createElement('img');i.src='https://example.invalid/a.png';"
                     "document.body.appendChild(i);1")
    assert js(qtbot, pane, "document.querySelectorAll('#pse-body img[src]').length") == 0
    # Chromium itself refuses network loads from our local scheme's origin; behind all that,
    # the interceptor blocks whatever page asks for the network
    with qtbot.waitSignal(pane.page.loadFinished, timeout=WAIT_MS):
        pane.page.load_html('<img src="https://example.invalid/a.png">'
                            '<link rel="stylesheet" href="http://example.invalid/s.css">'
                            '<iframe src="ftp://example.invalid/f"></iframe>',
                            QUrl("about:blank"))
    qtbot.waitUntil(lambda: {"https://example.invalid/a.png", "http://example.invalid/s.css"}
                    <= set(pane.interceptor.blocked), timeout=WAIT_MS)
    assert not [url for url in pane.interceptor.allowed if url.startswith(("http", "ftp"))]

    pane.set_page(article("![chart](https://example.invalid/chart.png)\n"), LAYOUT)
    with qtbot.waitSignal(pane.patched, timeout=WAIT_MS):
        pane.set_remote_images_allowed(True)
    qtbot.waitUntil(lambda: "https://example.invalid/chart.png" in pane.interceptor.allowed,
                    timeout=WAIT_MS)
    with qtbot.waitSignal(pane.page.loadFinished, timeout=WAIT_MS):
        pane.page.load_html('<link rel="stylesheet" href="https://example.invalid/t.css">',
                            QUrl("about:blank"))
    qtbot.waitUntil(lambda: "https://example.invalid/t.css" in pane.interceptor.blocked,
                    timeout=WAIT_MS)


def _png(width: int, height: int) -> bytes:
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice
    from PySide6.QtGui import QColor, QImage

    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor("#c4122f"))
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(data.data())


def test_images_stored_in_the_database_load_through_the_asset_scheme(qtbot, pane, store,
                                                                      tmp_path):
    from pse_desk.services.assets import fetch_asset, insert_image

    picture = tmp_path / "chart.png"
    picture.write_bytes(_png(37, 21))
    inserted = insert_image(store, picture, alt="A red chart")
    pane.set_asset_fetch(lambda asset_id: fetch_asset(store, asset_id))
    show(qtbot, pane, article(f"Look:\n\n{inserted.markdown}\n\n![gone](pse-asset:missing)\n"))

    def sizes() -> Any:
        return js(qtbot, pane, "Array.from(document.querySelectorAll('#pse-body img'))"
                               ".map(function(i){return [i.complete,i.naturalWidth];})")

    qtbot.waitUntil(lambda: sizes() == [[True, 37], [True, 0]], timeout=WAIT_MS)
    assert f"pse-asset:{inserted.asset_id}" in pane.scheme_handler.served
    assert pane.interceptor.blocked == []


def test_the_preview_scheme_is_the_one_articles_use():
    from pse_desk.services import assets
    from pse_desk.ui.write import asset_scheme

    assert asset_scheme.SCHEME == assets.SCHEME
    assert assets.SCHEME.encode("ascii") == asset_scheme.SCHEME_NAME


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="None and True are immortal already")
def test_emitting_signals_and_running_scripts_cannot_free_true_or_none(qtbot, pane):
    show(qtbot, pane, article())
    for revision in range(2, 40):
        pane.set_markdown(BODY + f"\nRevision {revision}.\n", revision)
    qtbot.waitUntil(lambda: pane.shown_revision == 39, timeout=WAIT_MS)
    assert sys.getrefcount(True) > 1 << 39 and sys.getrefcount(None) > 1 << 39


def test_an_asset_fetch_that_fails_shows_no_image_and_no_error(qtbot, pane):
    def broken(asset_id: str) -> AssetData:
        raise RuntimeError("disk on fire")

    pane.set_asset_fetch(broken)
    show(qtbot, pane, article("![alt text](pse-asset:abc)\n"))
    assert js(qtbot, pane, "document.querySelector('#pse-body img').naturalWidth") == 0
    assert not pane.banner.isVisible()


# --- bad input --------------------------------------------------------------------------------

@pytest.mark.parametrize("hostile", [
    "[" * 20000 + "a" + "]" * 20000,
    "[a](" * 10000,
    "<a " * 20000,
], ids=["brackets", "open-links", "open-tags"])
def test_hostile_text_shows_the_failure_banner_and_the_gui_turns_while_the_worker_hangs(
        qtbot, pane, hostile, quiet_collector, monkeypatch):
    # the GUI responding is counted in turns (a render on the GUI thread would leave none
    # while it runs); the longest stall is preview.stall_ms.max.hostile in benchmarks/preview.py
    show(qtbot, pane, article())
    turns = Turns(5)
    renders = CallsElsewhere(monkeypatch, RenderProcess, "render", turns)
    text = "A fine opening paragraph.\n\n" + hostile + "\n\nA closing paragraph.\n"
    with turns, qtbot.waitSignal(pane.render_failed, timeout=WAIT_MS) as failed:
        pane.set_markdown(text, 5)
    sentence = failed.args[0]
    # the deadline path: the worker ran past the bridge's deadline and was replaced
    assert sentence.startswith(f"This text could not be rendered within "
                               f"{pane.bridge.deadline_s:g} seconds")
    assert "line 3" in sentence
    assert pane.banner.isVisible() and pane.banner.text() == sentence
    # the rest of the article is shown again, the bad block as plain text
    qtbot.waitUntil(lambda: pane.shown_revision == 5, timeout=WAIT_MS)
    texts = body_texts(qtbot, pane)
    assert texts[0] == "A fine opening paragraph." and texts[-1] == "A closing paragraph."
    assert pane.banner.text() == sentence
    assert renders.off_the_gui_thread
    # the hang lasts the whole deadline: a responsive GUI turns hundreds of times meanwhile
    assert renders.turns_during >= 10, renders.turns_during


def test_a_list_nested_a_thousand_deep_is_shown_as_text_with_a_note(qtbot, pane):
    nested = "\n".join("    " * i + "- level" for i in range(1000))
    show(qtbot, pane, article("Intro.\n\n" + nested + "\n"))
    assert pane.banner.text().startswith("The block at line 3 ")
    assert pane.banner.text().endswith("is shown as plain text.")
    assert body_texts(qtbot, pane)[0] == "Intro."


def test_nul_characters_and_a_ten_megabyte_line_are_shown_rendered_off_the_gui_thread(
        qtbot, pane, quiet_collector, monkeypatch):
    show(qtbot, pane, article())
    turns = Turns(5)
    renders = CallsElsewhere(monkeypatch, RenderProcess, "render", turns)
    text = "Null\x00byte here.\n\n" + "w" * 10_000_000 + "\n\nEnd.\n"
    with turns:
        pane.set_markdown(text, 9)
        qtbot.waitUntil(lambda: pane.shown_revision == 9, timeout=WAIT_MS)
    texts = body_texts(qtbot, pane)
    assert texts[0] == "Null\ufffdbyte here." and texts[-1] == "End."
    assert "too large to format (10.0 million characters)" in pane.banner.text()
    assert renders.off_the_gui_thread
    assert renders.turns_during >= 1, "the GUI did not turn while the text rendered"


# --- scroll sync, click-to-source, width -------------------------------------------------------

LONG = "\n\n".join(f"Paragraph {i} of a long article, with enough words to wrap a little on "
                   f"a narrow page and take some height." for i in range(150)) + "\n"


def test_scroll_to_line_puts_the_block_of_that_line_at_the_top(qtbot, pane):
    show(qtbot, pane, article(LONG))
    line = pane.block_lines[100]
    assert line == 201
    # the editor asked for it: the preview does not echo the line back (no feedback loop)
    with qtbot.assertNotEmitted(pane.top_line_changed, wait=300):
        pane.scroll_to_line(line)
        qtbot.waitUntil(lambda: abs(js(qtbot, pane, "document.querySelectorAll('#pse-body > "
                                                    ".pse-block')[100].getBoundingClientRect()"
                                                    ".top")) < 2, timeout=WAIT_MS)


def test_a_person_scrolling_the_preview_reports_the_source_line_at_its_top(qtbot, pane):
    show(qtbot, pane, article(LONG))
    pane.view.setFocus()
    with qtbot.waitSignal(pane.top_line_changed, timeout=WAIT_MS) as top:
        qtbot.keyClick(pane.view.focusProxy(), Qt.Key.Key_PageDown)  # a person, in the page
    index = js(qtbot, pane, "(function(){var c=document.querySelectorAll('#pse-body > "
                            ".pse-block');for(var i=0;i<c.length;i++){if(c[i]."
                            "getBoundingClientRect().bottom>0)return i;}return -1;})()")
    assert index > 0
    assert pane.block_lines[index] <= top.args[0] < pane.block_lines[index + 1]


def test_the_page_scrolling_by_itself_does_not_move_the_editor(qtbot, pane):
    show(qtbot, pane, article(LONG))
    # a reflow, a load, a scroll of ours: the page moves with nobody at the mouse
    with qtbot.assertNotEmitted(pane.top_line_changed, wait=600):
        run(qtbot, pane, "var e=document.querySelectorAll('#pse-body > .pse-block')[60];"
                        "window.scrollTo(0, window.scrollY + e.getBoundingClientRect().top);1")


def test_a_click_in_the_preview_reports_the_source_line_under_the_mouse(qtbot, pane):
    show(qtbot, pane, article(LONG))
    centre = js(qtbot, pane, "(function(){var r=document.querySelectorAll('#pse-body > "
                             ".pse-block')[3].getBoundingClientRect();"
                             "return [r.left+20, r.top+r.height/2];})()")
    with qtbot.waitSignal(pane.source_line_clicked, timeout=WAIT_MS) as clicked:
        qtbot.mouseClick(pane.view.focusProxy(), Qt.MouseButton.LeftButton,
                         pos=QPoint(int(centre[0]), int(centre[1])))
    assert clicked.args[0] == 7


def test_the_mobile_width_shows_a_390_pixel_page_and_desktop_fills_the_pane(qtbot, pane):
    show(qtbot, pane, article())
    pane.set_width_mode("mobile")
    qtbot.waitUntil(lambda: js(qtbot, pane, "window.innerWidth") == 390, timeout=WAIT_MS)
    assert abs(pane.view.geometry().center().x() - pane.rect().center().x()) <= 1
    pane.set_width_mode("desktop")
    qtbot.waitUntil(lambda: js(qtbot, pane, "window.innerWidth") == pane.width(),
                    timeout=WAIT_MS)
    with pytest.raises(ValueError):
        pane.set_width_mode("tablet")


def test_a_narrow_pane_zooms_the_desktop_page_so_the_sidebar_stays_beside_the_article(
        qtbot, pane):
    show(qtbot, pane, article())
    pane.resize(600, 800)
    qtbot.waitUntil(lambda: abs(pane.view.zoomFactor() - 0.6) < 0.01, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: (js(qtbot, pane, "window.innerWidth") or 0) >= 990,
                    timeout=WAIT_MS)
    beside = js(qtbot, pane, "(function(){var a=document.querySelector('aside');"
                              "var b=document.getElementById('pse-body');"
                              "return a.getBoundingClientRect().left >="
                              " b.getBoundingClientRect().right ? 'beside' : 'below';})()")
    assert beside == "beside"
    pane.resize(300, 800)  # never below half size: the page scrolls sideways instead
    qtbot.waitUntil(lambda: abs(pane.view.zoomFactor() - 0.5) < 0.01, timeout=WAIT_MS)
    pane.set_width_mode("mobile")
    assert pane.view.zoomFactor() == 1.0


def test_a_grab_of_the_preview_shows_the_page(qtbot, pane, tmp_path):
    show(qtbot, pane, article())
    # PITFALLS: a grab in loadFinished is blank; wait until Chromium has delivered a frame
    qtbot.waitUntil(lambda: pane.grab().toImage().pixelColor(5, 5).name() == "#17264a",
                    timeout=WAIT_MS)  # the navy masthead
    image = pane.grab().toImage()
    assert image.pixelColor(5, 5).name() == "#17264a"
    assert image.save(str(tmp_path / "preview.png"))


def test_the_page_arriving_after_the_text_does_not_render_the_text_twice(
        qtbot, pane, monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[object] = []
    real = pane.bridge.request
    monkeypatch.setattr(pane.bridge, "request", lambda r: (asked.append(r), real(r)))
    pane.set_markdown(LONG, 1)  # the tab shows its text before the page around it is read
    pane.set_page(article(LONG), LAYOUT, reload=True)  # then the page arrives
    qtbot.waitUntil(lambda: pane.shown_revision == 1, timeout=WAIT_MS)
    assert len(asked) == 1  # the render on its way serves the new page
    assert body_texts(qtbot, pane)[60].startswith("Paragraph 60 of a long article")
    pane.set_markdown(LONG + "\nOne more paragraph.\n", 2)  # typing still renders anew
    qtbot.waitUntil(lambda: pane.shown_revision == 2, timeout=WAIT_MS)
    assert len(asked) == 2
