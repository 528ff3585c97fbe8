"""Benchmark: what a person sees on screen — start-up to pixels, and a key press to the preview.

benchmarks/preview.py times a key event to a JavaScript callback inside the process; a person
sees pixels. This script runs the real application in a real X server and watches the screen
from outside, as a camera would:

* it starts its own ``Xvfb`` (1600x1000, 24 bits, a free display number, no TCP; killed at the
  end) and connects to it with python-xlib;
* it launches ``python -m pse_desk.app --db DB --workspace write`` as a subprocess on a copy of
  the demo newsroom (``benchmarks/_data.py``) into which a generated article
  (``benchmarks/_articles.py``) of 2,000, 20,000 or 100,000 words was put through the services
  layer (``services.articles.create_article``, ``services.revisions.save_revision``), so it is
  the most recently updated article: the one the Write workspace opens first. The demo
  database as it is (its newest article, ~800 words) is measured too. Every launch gets a fresh
  copy of the database and empty ``XDG_CONFIG_HOME`` / ``XDG_DATA_HOME`` (your preferences are
  never read or touched); as root ``QTWEBENGINE_DISABLE_SANDBOX=1`` and
  ``QTWEBENGINE_CHROMIUM_FLAGS=--disable-gpu``, as the application itself does offscreen;
* it listens on the root window: ``SubstructureNotifyMask`` (CreateNotify, MapNotify,
  UnmapNotify, DestroyNotify of the top-level window) and a DAMAGE object (every repaint
  anywhere on the screen), and reads pixels back with ``GetImage``;
* it types with the XTEST extension: a click in the editor (focus and cursor), then real key
  presses (letters and single spaces of ordinary words) every 150–250 ms, each held 50–90 ms.

Where the editor and the preview are on screen (method). A calibration launch per database —
the same application under the same Xvfb, window size (1280x800, the default without saved
geometry) and empty settings, but started through a few lines of wrapper code
(``CALIBRATE`` below) that, once the window has settled and the preview shows the text,
prints the rectangles of the editor's viewport, the preview's web view, the preview's
``#pse-body`` element (``getBoundingClientRect`` times the zoom factor, clipped to the view),
the toolbar row (menu bar bottom to the workspace's top) and a click point (after the first
sentence of the first paragraph that both panes show), all relative to the window. The
benchmark then grabs those regions from the screen as the reference of what the settled
window shows. The timed launches are the plain command line above, unmodified; they only
add the window's position on the root window (from X) to those rectangles.
``--shots DIR`` writes PNGs of the settled window with the regions outlined, to check them.

Figures (JSON lines {"metric", "value", "unit", "target", "better"}; <db> is ``demo`` or
``<N>w``; start-up figures are medians of ``--runs`` launches, counts the largest of them):

* ``onscreen.startup.window_mapped_s.<db>`` — fork to the MapNotify of the top-level window
  (target 0.6 s, as ``startup_first_paint_demo``);
* ``onscreen.startup.editor_text_s.<db>`` — fork to the first frame in which the editor's
  region shows the text as the settled window does: at least 80 % of the reference's ink
  pixels (pixels far from the region's dominant grey) present, and at least half of the
  frame's ink in the reference's ink, at the best offset up to 40 px (text shown before a
  layout jump moves it counts as shown) (targets 0.8 s for the demo and 2,000 words, 1.0 s for
  20,000 and 100,000: "≤ 0.8 s with the demo, ≤ 1.0 s with 100,000 words");
* ``onscreen.startup.preview_body_s.<db>`` — the same for the preview's body (the article
  text, not the masthead; targets 1.5 s and 2.5 s likewise);
* ``onscreen.startup.window_recreated.<db>`` — how often the top-level window was unmapped
  (destroyed and re-created) after its first map, before the benchmark closed it (target 0);
  ``onscreen.startup.blink_ms.<db>`` — for how long it was then off the screen: from the
  UnmapNotify to the first repaint of the window mapped next (target 0);
* ``onscreen.startup.layout_jumps.<db>`` — how often something already on screen moved:
  the toolbar row changing under what it had painted (less than 90 % of the previous frame's
  ink kept: text labels turning into icons, say; widgets appearing in empty space do not
  count), or the editor's or the preview body's text, once shown, showing up at another
  offset (target 0: "no layout jump after the first paint");
* ``onscreen.keystroke_ms.median.<N>w`` / ``.p95.<N>w`` — from the XTEST key press to the
  first DAMAGE event after which ``GetImage`` of the preview's web view differs from just
  before the press (targets: median 35 ms, p95 60 ms);
* ``onscreen.keystroke_missed.<N>w`` — key presses after which the preview did not change
  within 1.5 s (target 0).

On stderr: the load average, each launch's figures and, per size, the key press to the editor's
own pixels changing (the echo), for comparison.

Run: .venv/bin/python benchmarks/onscreen.py [--runs 3] [--keys 40] [--sizes 2000,20000,100000]
     [--no-demo] [--shots DIR] [--verbose] [--app-env NAME=VALUE ...]
     .venv/bin/python benchmarks/onscreen.py --smoke   (2,000 words, one launch, 6 keys)
``--shots DIR`` also keeps every distinct frame of the first launch's start-up per region;
``--verbose`` prints the window events, how each frame compared with the reference and the
damage events after each of the first key presses; ``--app-env`` passes extra environment to
the application (to try a setting without changing code, e.g. ``QT_QUICK_BACKEND=software``).
Needs ``Xvfb`` (Debian package ``xvfb``; ``python3 main.py test`` installs it as root) and
python-xlib (in the ``test`` extra: ``.venv/bin/pip install -e ".[test]"``). The demo database
is built once under ``benchmarks/data/``. About two minutes on a 2-core machine; ``--smoke``
about 15 s.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import queue
import random
import select
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from _articles import article

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SCREEN = (1600, 1000)
SIZES = (2_000, 20_000, 100_000)
ARTICLE_SEED = 11
ARTICLE_TITLE = "The council's digital plan, in full"
ARTICLE_STANDFIRST = "What the new plan says about services, budgets and the people who use them."
# targets from issue 8 ("Start-up and what is on screen", "Latency as the user sees it")
MAPPED_TARGET_S = 0.6
EDITOR_TARGET_S = {"small": 0.8, "large": 1.0}
BODY_TARGET_S = {"small": 1.5, "large": 2.5}
MEDIAN_TARGET_MS = 35.0
P95_TARGET_MS = 60.0
# what "shows the text as the settled window does" means (see the module docstring)
INK_LEVEL = 48  # grey levels away from the region's dominant grey
RECALL = 0.8
PRECISION = 0.5
TOOLBAR_KEPT = 0.9
MAX_SHIFT = 40  # pixels: how far a layout jump is looked for
# human typing
INTERVAL_S = (0.15, 0.25)
HOLD_S = (0.05, 0.09)
KEY_TIMEOUT_S = 1.5
WARM_KEYS = 3
TYPED = "the council will review the plan with residents and publish the report "
STARTUP_TIMEOUT_S = 90.0
AFTER_SETTLE_S = 1.0  # keep watching this long after both panes show their text
GEOMETRY_TAG = "onscreen-geometry "

# Run through ``python -c`` for the calibration launch only: the real start-up, plus a report
# of where things are once the window has settled and the preview shows the text.
CALIBRATE = r"""
import json, sys
from PySide6.QtCore import QPoint, QTimer
import pse_desk.ui.launch as launch

_settled = launch._Launch.settled
_state = {"done": False}
LINES_JS = ("JSON.stringify((function(){var out=[];var b=document.getElementById('pse-body');"
            "var r=b.getBoundingClientRect();"
            "b.querySelectorAll('[data-line]').forEach(function(e){var q=e.getBoundingClientRect();"
            "out.push([parseInt(e.getAttribute('data-line')),e.tagName,q.top,q.bottom]);});"
            "return {body:[r.left,r.top,r.width,r.height],blocks:out,"
            "height:window.innerHeight};})())")


def rect(widget, window):
    p = widget.mapTo(window, QPoint(0, 0))
    return [p.x(), p.y(), widget.width(), widget.height()]


def settled(self):
    _settled(self)
    if _state["done"]:
        return
    _state["done"] = True
    ws = self.window.current_workspace()
    ws.when_ready_for_screenshot(lambda: QTimer.singleShot(800, lambda: measure(self)))


def measure(self):
    win = self.window
    tab = win.current_workspace().tabs.current()
    tab.preview.run_in_page(LINES_JS, lambda value: report(self, tab, json.loads(value)))


def report(self, tab, page):
    from PySide6.QtGui import QTextCursor

    win, editor, view = self.window, tab.editor, tab.preview.view
    zoom = view.zoomFactor()
    shown = {line for line, tag, top, bottom in page["blocks"]
             if top >= 0 and bottom <= page["height"]}
    click = None
    block = editor.firstVisibleBlock()
    while block.isValid() and click is None:
        text = block.text()
        cut = text.find(". ")
        if (block.blockNumber() + 1) in shown and cut > 0 and text[:1].isalpha():
            cursor = QTextCursor(block)
            cursor.setPosition(block.position() + cut + 2)
            r = editor.cursorRect(cursor)
            if r.bottom() < editor.viewport().height():
                centre = editor.viewport().mapTo(win, r.center())
                click = [centre.x(), centre.y(), block.blockNumber() + 1]
        block = block.next()
    body = [round(v * zoom) for v in page["body"]]
    out = {"window": [win.geometry().x(), win.geometry().y(), win.width(), win.height()],
           "editor": rect(editor.viewport(), win), "view": rect(view, win),
           "body_in_view": body, "zoom": zoom, "click": click,
           "toolbar": [0, win.menuBar().height(), win.width(),
                       win.centralWidget().mapTo(win, QPoint(0, 0)).y()
                       - win.menuBar().height()]}
    print("GEOMETRY_TAG" + json.dumps(out), flush=True)


launch._Launch.settled = settled
from pse_desk.app import main
sys.exit(main(sys.argv[1:]))
""".replace("GEOMETRY_TAG", GEOMETRY_TAG)


def emit(metric: str, value: float, unit: str, target: float | None,
         better: str = "lower") -> None:
    print(json.dumps({"metric": metric, "value": round(value, 3), "unit": unit,
                      "target": target, "better": better}), flush=True)


def note(text: str) -> None:
    print(f"# {text}", file=sys.stderr, flush=True)


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))]


# --- pixels -----------------------------------------------------------------------------------

def ink_mask(img: Any) -> Any:
    """An "L" mask, 255 where the pixel is far from the image's dominant grey (text, lines)."""
    grey = img.convert("L")
    hist = grey.histogram()
    bg = max(range(256), key=hist.__getitem__)
    return grey.point([255 if abs(v - bg) > INK_LEVEL else 0 for v in range(256)])


def ink_count(mask: Any) -> int:
    return int(mask.histogram()[255])


def kept(reference: Any, frame: Any) -> tuple[float, float]:
    """(recall, precision) of ``frame``'s ink against ``reference``'s (both ink masks)."""
    from PIL import ImageChops

    ref_n, frame_n = ink_count(reference), ink_count(frame)
    both = ink_count(ImageChops.multiply(reference, frame))
    return (both / ref_n if ref_n else 0.0), (both / frame_n if frame_n else 0.0)


def _profile(mask: Any, rows: bool) -> list[float]:
    from PIL import Image

    w, h = mask.size
    return list(mask.resize((1, h) if rows else (w, 1), Image.Resampling.BOX).tobytes())


def _peaks(a: list[float], b: list[float], count: int = 3) -> list[int]:
    """The shifts d (|d| <= MAX_SHIFT) at which b[i + d] best matches a[i]: the highest local
    maxima of the cross-correlation (text lines repeat, so more than one is tried)."""
    n = len(a)
    scores = {d: sum(a[i] * b[i + d] for i in range(max(0, -d), min(n, len(b) - d)))
              for d in range(-MAX_SHIFT, MAX_SHIFT + 1)}
    peaks = [d for d in scores
             if scores[d] >= scores.get(d - 1, -1.0) and scores[d] >= scores.get(d + 1, -1.0)]
    return sorted(peaks, key=lambda d: -scores[d])[:count]


@dataclass(frozen=True)
class Match:
    recall: float  # share of the reference's ink present in the frame
    precision: float  # share of the frame's ink that is the reference's
    dx: int  # where the frame shows it, relative to the reference
    dy: int

    @property
    def shows(self) -> bool:
        return self.recall >= RECALL and self.precision >= PRECISION


def match(reference: Any, frame: Any) -> Match:
    """How well ``frame`` shows what ``reference`` shows, at the best small offset (content
    that is on screen but not yet where it will settle still counts as shown)."""
    from PIL import Image

    shifts = {(0, 0)} | {(dx, dy)
                         for dx in _peaks(_profile(reference, False), _profile(frame, False))
                         for dy in _peaks(_profile(reference, True), _profile(frame, True))}
    best = Match(0.0, 0.0, 0, 0)
    for dx, dy in sorted(shifts, key=lambda d: abs(d[0]) + abs(d[1])):
        if (dx, dy) == (0, 0):
            moved = frame
        else:
            moved = Image.new("L", frame.size, 0)
            moved.paste(frame, (-dx, -dy))
        recall, precision = kept(reference, moved)
        if recall > best.recall + 0.02:  # a tie goes to the smaller shift
            best = Match(recall, precision, dx, dy)
    return best


def uniform(mask: Any) -> bool:
    return ink_count(mask) < 0.002 * mask.size[0] * mask.size[1]


@dataclass(frozen=True)
class Rect:
    x: int
    y: int
    w: int
    h: int

    def moved(self, dx: int, dy: int) -> Rect:
        return Rect(self.x + dx, self.y + dy, self.w, self.h)

    def meets(self, x: int, y: int, w: int, h: int) -> bool:
        return x < self.x + self.w and self.x < x + w and y < self.y + self.h \
            and self.y < y + h

    def clipped(self, other: Rect) -> Rect:
        x0, y0 = max(self.x, other.x), max(self.y, other.y)
        x1 = min(self.x + self.w, other.x + other.w)
        y1 = min(self.y + self.h, other.y + other.h)
        return Rect(x0, y0, max(0, x1 - x0), max(0, y1 - y0))


@dataclass
class Geometry:
    """Where things are, relative to the top-left of the window (from the calibration)."""

    editor: Rect
    view: Rect
    body: Rect
    toolbar: Rect
    click: tuple[int, int] | None

    @classmethod
    def parse(cls, data: dict[str, Any]) -> Geometry:
        view = Rect(*data["view"])
        bx, by, bw, bh = data["body_in_view"]
        body = Rect(view.x + bx, view.y + by, bw, bh).clipped(view)
        if body.h < 40 or body.w < 100:
            raise SystemExit(f"the preview's body is not on screen at start ({data})")
        click = tuple(data["click"][:2]) if data.get("click") else None
        return cls(Rect(*data["editor"]), view, body, Rect(*data["toolbar"]), click)

    def regions(self) -> dict[str, Rect]:
        return {"editor": self.editor, "body": self.body, "toolbar": self.toolbar}


# --- the X server and our client ----------------------------------------------------------------

class Xvfb:
    """A private X server on a free display number (``-displayfd``)."""

    def __init__(self) -> None:
        binary = shutil.which("Xvfb")
        if binary is None:
            raise SystemExit("Xvfb is not installed (Debian package xvfb: apt-get install "
                             "xvfb); this benchmark needs a real X server.")
        read_fd, write_fd = os.pipe()
        self.proc = subprocess.Popen(
            [binary, "-displayfd", str(write_fd), "-screen", "0",
             f"{SCREEN[0]}x{SCREEN[1]}x24", "-nolisten", "tcp", "-noreset"],
            pass_fds=(write_fd,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True)
        os.close(write_fd)
        number = b""
        limit = time.monotonic() + 20
        while not number.endswith(b"\n"):
            ready, _, _ = select.select([read_fd], [], [], 0.5)
            if ready:
                chunk = os.read(read_fd, 16)
                if not chunk:
                    break
                number += chunk
            if time.monotonic() > limit or self.proc.poll() is not None:
                break
        os.close(read_fd)
        if not number.strip().isdigit():
            self.stop()
            raise SystemExit("Xvfb did not start")
        self.name = f":{int(number)}"

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


@dataclass
class Frame:
    t: float
    img: Any
    mask: Any
    match: Match | None = None


@dataclass
class Watch:
    """What one launch showed: windows coming and going, damage, frames of the regions."""

    t0: float
    regions: dict[str, Rect] = field(default_factory=dict)  # root coordinates
    candidates: set[int] = field(default_factory=set)
    mapped: dict[int, float] = field(default_factory=dict)
    first_map: float | None = None
    window: Any = None
    origin: tuple[int, int] = (0, 0)
    size: tuple[int, int] = (0, 0)
    unmaps: list[float] = field(default_factory=list)
    blinks_ms: list[float] = field(default_factory=list)
    off_since: float | None = None
    remapped: float | None = None
    closing: bool = False
    log: list[str] = field(default_factory=list)
    frames: dict[str, list[Frame]] = field(default_factory=dict)
    dirty: dict[str, float] = field(default_factory=dict)
    damage_hook: Callable[[float, int, int, int, int], None] | None = None
    geometry: Geometry | None = None


class Screen:
    """Our connection to the X server: structure events and damage from the root window,
    GetImage, XTEST input."""

    def __init__(self, name: str) -> None:
        from Xlib import X, display
        from Xlib.ext import damage

        self.X = X
        self.d = display.Display(name)
        for ext in ("DAMAGE", "XTEST"):
            if not self.d.has_extension(ext):
                raise SystemExit(f"the X server has no {ext} extension")
        self.root = self.d.screen().root
        self.root.change_attributes(event_mask=X.SubstructureNotifyMask)
        self.d.damage_query_version()
        self.damage = self.root.damage_create(damage.DamageReportRawRectangles)
        self.d.sync()
        self.watch: Watch | None = None

    def now(self) -> float:
        return time.perf_counter()

    # input
    def key(self, char: str, press: bool) -> None:
        from Xlib import XK
        from Xlib.ext import xtest

        sym = XK.string_to_keysym("space" if char == " " else char)
        code = self.d.keysym_to_keycode(sym)
        xtest.fake_input(self.d, self.X.KeyPress if press else self.X.KeyRelease, code)
        self.d.sync()

    def click(self, x: int, y: int) -> None:
        from Xlib.ext import xtest

        xtest.fake_input(self.d, self.X.MotionNotify, x=x, y=y)
        self.d.sync()
        time.sleep(0.05)
        xtest.fake_input(self.d, self.X.ButtonPress, 1)
        self.d.sync()
        time.sleep(0.06)
        xtest.fake_input(self.d, self.X.ButtonRelease, 1)
        self.d.sync()

    def pointer_away(self) -> None:
        from Xlib.ext import xtest

        xtest.fake_input(self.d, self.X.MotionNotify, x=SCREEN[0] - 2, y=SCREEN[1] - 2)
        self.d.sync()

    def close_window(self, window: Any) -> None:
        from Xlib.protocol import event

        protocols = self.d.intern_atom("WM_PROTOCOLS")
        delete = self.d.intern_atom("WM_DELETE_WINDOW")
        message = event.ClientMessage(window=window, client_type=protocols,
                                      data=(32, [delete, self.X.CurrentTime, 0, 0, 0]))
        window.send_event(message, event_mask=0)
        self.d.sync()

    # pixels
    def grab(self, r: Rect) -> Any:
        from PIL import Image

        raw = self.root.get_image(r.x, r.y, r.w, r.h, self.X.ZPixmap, 0xFFFFFFFF)
        return Image.frombytes("RGB", (r.w, r.h), raw.data, "raw", "BGRX")

    # events
    def pump(self, until: float, once: bool = False) -> None:
        """Handle events until ``until`` (perf_counter time), or (``once``) until a batch of
        events was handled; frames of damaged regions are grabbed once the queue is drained."""
        while True:
            handled = False
            while self.d.pending_events():
                self._handle(self.d.next_event())
                handled = True
            self._grab_dirty()
            left = until - self.now()
            if left <= 0 or (once and handled):
                return
            select.select([self.d.fileno()], [], [], min(left, 0.05))

    def _handle(self, e: Any) -> None:
        w, X = self.watch, self.X
        t = self.now()
        if w is None:
            return
        rel = t - w.t0
        if type(e).__name__ == "DamageNotify":
            a = e.area
            if w.damage_hook is not None:
                w.damage_hook(t, a.x, a.y, a.width, a.height)
            if w.off_since is not None and w.remapped is not None and w.window is not None:
                ox, oy = w.origin
                if Rect(ox, oy, *w.size).meets(a.x, a.y, a.width, a.height):
                    w.blinks_ms.append((t - w.off_since) * 1000)
                    w.log.append(f"{rel:7.3f} first repaint after the re-map")
                    w.off_since = w.remapped = None
            if w.first_map is not None:
                for name, r in w.regions.items():
                    if r.meets(a.x, a.y, a.width, a.height) and name not in w.dirty:
                        w.dirty[name] = t
            return
        if e.type == X.CreateNotify:
            big = e.width >= 400 and e.height >= 300 and not e.override
            if big:
                w.candidates.add(e.window.id)
            w.log.append(f"{rel:7.3f} CreateNotify {e.window.id:#x} {e.width}x{e.height}"
                         f"{' override-redirect' if e.override else ''}")
        elif e.type == X.ConfigureNotify and e.window.id in w.candidates:
            w.log.append(f"{rel:7.3f} ConfigureNotify {e.window.id:#x} {e.x},{e.y} "
                         f"{e.width}x{e.height}")
            if e.window.id in w.mapped:
                w.origin, w.size = (e.x, e.y), (e.width, e.height)
        elif e.type == X.MapNotify and e.window.id in w.candidates:
            w.log.append(f"{rel:7.3f} MapNotify {e.window.id:#x}")
            w.mapped[e.window.id] = t
            w.window = e.window
            geo = e.window.get_geometry()
            w.origin, w.size = (geo.x, geo.y), (geo.width, geo.height)
            if w.first_map is None:
                w.first_map = t
                self._set_regions()
                for name in w.regions:
                    w.dirty[name] = t
            elif w.off_since is not None:
                w.remapped = t
        elif e.type == X.UnmapNotify and e.window.id in w.mapped and not e.send_event:
            w.log.append(f"{rel:7.3f} UnmapNotify {e.window.id:#x}")
            del w.mapped[e.window.id]
            if not w.closing:
                w.unmaps.append(t)
                w.off_since = t
        elif e.type == X.DestroyNotify and e.window.id in w.candidates:
            w.log.append(f"{rel:7.3f} DestroyNotify {e.window.id:#x}")
            w.candidates.discard(e.window.id)

    def _set_regions(self) -> None:
        w = self.watch
        assert w is not None
        if w.geometry is not None:
            w.regions = {name: r.moved(*w.origin) for name, r in w.geometry.regions().items()}

    def _grab_dirty(self) -> None:
        w = self.watch
        if w is None or not w.dirty:
            return
        dirty, w.dirty = w.dirty, {}
        for name, t in dirty.items():
            img = self.grab(w.regions[name])
            frames = w.frames.setdefault(name, [])
            if frames and frames[-1].img.tobytes() == img.tobytes():
                continue
            frames.append(Frame(t, img, ink_mask(img)))

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.d.close()


# --- databases ------------------------------------------------------------------------------

def copy_db(source: Path, target: Path) -> None:
    src, dst = sqlite3.connect(source), sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()


def build_templates(kinds: list[str], folder: Path) -> dict[str, Path]:
    """The demo newsroom, and copies of it with a generated article as the newest one."""
    from _data import ensure_demo_db

    from pse_desk.services import articles, revisions
    from pse_desk.store import open_store

    demo = Path(ensure_demo_db("demo"))
    out: dict[str, Path] = {}
    for kind in kinds:
        path = folder / f"template-{kind}.sqlite"
        copy_db(demo, path)
        if kind != "demo":
            words = int(kind.rstrip("w"))
            md = article(words, seed=ARTICLE_SEED)
            store = open_store(path)
            try:
                ref = articles.create_article(store, ARTICLE_TITLE, section="Digital",
                                              author="Benchmark", standfirst=ARTICLE_STANDFIRST,
                                              body_md=md)
                revisions.save_revision(store, ref.id, revisions.ArticleText(
                    ARTICLE_TITLE, ARTICLE_STANDFIRST, md), label="benchmark")
                with store.read_session() as s:
                    newest = articles.list_articles(s, limit=1)
                if not newest or newest[0].id != ref.id:
                    raise SystemExit("the generated article is not the newest one: the Write "
                                     "workspace would open another")
                store.checkpoint()
            finally:
                store.close()
        out[kind] = path
    return out


# --- one launch -------------------------------------------------------------------------------

@dataclass
class Startup:
    mapped_s: float
    editor_s: float
    body_s: float
    recreated: int
    blink_ms: float
    layout_jumps: int


class Launch:
    """One run of the application on a fresh copy of ``template``."""

    def __init__(self, screen: Screen, display_name: str, template: Path, work: Path,
                 calibrate: bool = False, extra_env: dict[str, str] | None = None) -> None:
        self.screen = screen
        self.dir = Path(tempfile.mkdtemp(prefix="run-", dir=work))
        self.db = self.dir / "newsroom.sqlite"
        copy_db(template, self.db)
        env = {k: v for k, v in os.environ.items()
               if k not in ("WAYLAND_DISPLAY", "PSE_DESK_STARTUP_PROBE", "PSE_DESK_DB",
                            "PSE_DESK_SCREENSHOT_DIALOG", "QT_QPA_PLATFORM",
                            "PYTHONDONTWRITEBYTECODE")}  # as a user's Python: cached bytecode
        (self.dir / "config").mkdir()
        (self.dir / "data").mkdir()
        env.update(DISPLAY=display_name, QT_QPA_PLATFORM="xcb",
                   XDG_CONFIG_HOME=str(self.dir / "config"),
                   XDG_DATA_HOME=str(self.dir / "data"))
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            env["QTWEBENGINE_DISABLE_SANDBOX"] = "1"
            env["QTWEBENGINE_CHROMIUM_FLAGS"] = "--disable-gpu"
        env.update(extra_env or {})
        args = ["--db", str(self.db), "--workspace", "write"]
        command = [sys.executable, "-c", CALIBRATE, *args] if calibrate \
            else [sys.executable, "-m", "pse_desk.app", *args]
        self.stderr = (self.dir / "app.err").open("w")
        screen.pointer_away()
        self.watch = Watch(t0=time.perf_counter())
        screen.watch = self.watch
        self.proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE,
                                     stderr=self.stderr, text=True, start_new_session=True)

    def check_alive(self) -> None:
        """Stop early when the application exited or printed a Python traceback."""
        if self.proc.poll() is not None:
            raise self.failed(f"the application exited ({self.proc.returncode})")
        self.stderr.flush()
        if "Traceback (most recent call last)" in (self.dir / "app.err").read_text(
                errors="replace"):
            raise self.failed("the application raised an exception")

    def failed(self, why: str) -> SystemExit:
        self.stderr.flush()
        tail = (self.dir / "app.err").read_text(errors="replace")[-2000:]
        self.stop()
        return SystemExit(f"{why}\n--- the application's stderr ---\n{tail}")

    def read_geometry(self, timeout: float = STARTUP_TIMEOUT_S) -> dict[str, Any]:
        lines: queue.Queue[str] = queue.Queue()
        stdout = self.proc.stdout
        assert stdout is not None
        threading.Thread(target=lambda: [lines.put(line) for line in stdout],
                         daemon=True).start()
        limit = time.perf_counter() + timeout
        while time.perf_counter() < limit:
            self.screen.pump(time.perf_counter() + 0.05)
            self.check_alive()
            while not lines.empty():
                line = lines.get()
                if line.startswith(GEOMETRY_TAG):
                    return dict(json.loads(line[len(GEOMETRY_TAG):]))
        raise self.failed("the calibration launch did not report where the panes are")

    def quiet(self, seconds: float, limit: float = 10.0) -> None:
        """Wait until no repaint for ``seconds`` (at most ``limit``)."""
        last = [time.perf_counter()]

        def hook(t: float, *_rect: int) -> None:
            last[0] = t

        self.watch.damage_hook = hook
        end = time.perf_counter() + limit
        while time.perf_counter() < end and time.perf_counter() - last[0] < seconds:
            self.screen.pump(time.perf_counter() + 0.05)
        self.watch.damage_hook = None

    def startup(self, geometry: Geometry, refs: dict[str, Any]) -> Startup:
        """Watch the start until both panes show their text where the settled window does."""
        w = self.watch
        w.geometry = geometry
        limit = w.t0 + STARTUP_TIMEOUT_S
        seen: dict[str, float] = {}
        checked = {"editor": 0, "body": 0}
        settle_at: float | None = None
        while time.perf_counter() < limit:
            self.screen.pump(time.perf_counter() + 0.05)
            self.check_alive()
            for name in ("editor", "body"):
                frames = w.frames.get(name, [])
                for frame in frames[checked[name]:]:
                    frame.match = m = match(refs[name], frame.mask)
                    w.log.append(f"{frame.t - w.t0:7.3f} {name} frame: {m.recall:.0%} of the "
                                 f"settled ink at {m.dx:+d},{m.dy:+d} px, {m.precision:.0%} of "
                                 "its own ink settled")
                    if m.shows and name not in seen:
                        seen[name] = frame.t - w.t0
                checked[name] = len(frames)
            final = all(w.frames.get(n) and w.frames[n][-1].match.shows
                        and (w.frames[n][-1].match.dx, w.frames[n][-1].match.dy) == (0, 0)
                        for n in ("editor", "body"))
            if settle_at is None and len(seen) == 2 and final:
                settle_at = time.perf_counter() + AFTER_SETTLE_S
            if settle_at is not None and time.perf_counter() >= settle_at:
                break
        else:
            missing = [n for n in ("editor", "body") if n not in seen]
            raise self.failed(f"after {STARTUP_TIMEOUT_S:.0f} s the "
                              f"{' and '.join(missing) or 'panes'} still did not show what the "
                              "calibration launch showed where it showed it")
        assert w.first_map is not None
        jumps = self._toolbar_jumps() + self._moves("editor") + self._moves("body")
        return Startup(w.first_map - w.t0, seen["editor"], seen["body"],
                       len(w.unmaps), sum(w.blinks_ms), jumps)

    def _moves(self, name: str) -> int:
        """How often the pane's text, once shown, moved to another place."""
        moves, where = 0, None
        for frame in self.watch.frames.get(name, []):
            m = frame.match
            if m is None or not m.shows:
                continue
            if where is not None and (m.dx, m.dy) != where:
                moves += 1
                self.watch.log.append(f"{frame.t - self.watch.t0:7.3f} the {name}'s text moved "
                                      f"by {m.dx - where[0]:+d},{m.dy - where[1]:+d} px")
            where = (m.dx, m.dy)
        return moves

    def _toolbar_jumps(self) -> int:
        """How often something already painted in the toolbar row moved or changed."""
        jumps = 0
        previous = None
        for frame in self.watch.frames.get("toolbar", []):
            if uniform(frame.mask):
                continue  # not painted (or the window is off the screen)
            if previous is not None:
                recall, _precision = kept(previous.mask, frame.mask)
                if recall < TOOLBAR_KEPT:
                    jumps += 1
                    self.watch.log.append(f"{frame.t - self.watch.t0:7.3f} toolbar row "
                                          f"changed ({recall:.0%} of its ink kept)")
            previous = frame
        return jumps

    def type_keys(self, geometry: Geometry, count: int, rng: random.Random,
                  verbose: bool = False) -> tuple[list[float], list[float], int]:
        """Click in the editor, then type ``count`` keys; (preview ms, editor ms, missed)."""
        w, screen = self.watch, self.screen
        if geometry.click is None:
            raise self.failed("the calibration found no paragraph that both panes show")
        ox, oy = w.origin
        view = geometry.view.moved(ox, oy)
        editor = geometry.editor.moved(ox, oy)
        screen.click(geometry.click[0] + ox, geometry.click[1] + oy)
        self.quiet(0.4, 3.0)
        preview_ms: list[float] = []
        editor_ms: list[float] = []
        missed = 0
        w.regions = {}  # from now on only this loop grabs
        text = (TYPED * (count // len(TYPED) + 2))[:count + WARM_KEYS]
        next_press = time.perf_counter()
        for i, char in enumerate(text):
            screen.pump(next_press)
            before_view, before_editor = screen.grab(view), screen.grab(editor)
            damages: list[tuple[float, int, int, int, int]] = []
            w.damage_hook = lambda t, *rect, out=damages: out.append((t, *rect))
            pressed = time.perf_counter()
            screen.key(char, True)
            release_at = pressed + rng.uniform(*HOLD_S)
            limit = pressed + KEY_TIMEOUT_S
            released = False
            seen_view: float | None = None
            seen_editor: float | None = None
            checked = 0
            while True:
                now = time.perf_counter()
                if not released and now >= release_at:
                    screen.key(char, False)
                    released = True
                if (released and seen_view is not None) or now >= limit:
                    break
                screen.pump(limit if released else min(limit, release_at), once=True)
                batch, checked = damages[checked:], len(damages)
                # one GetImage per batch of events and region: the first damage that meets it
                hit = next((d[0] for d in batch if view.meets(*d[1:])), None)
                if seen_view is None and hit is not None \
                        and screen.grab(view).tobytes() != before_view.tobytes():
                    seen_view = hit
                hit = next((d[0] for d in batch if editor.meets(*d[1:])), None)
                if seen_editor is None and hit is not None:
                    box = _diff_box(screen.grab(editor), before_editor)
                    if box is not None and box[2] - box[0] > 3:  # wider than the text cursor
                        seen_editor = hit
            if not released:
                screen.key(char, False)
            w.damage_hook = None
            if verbose and i < WARM_KEYS + 8:
                note(f"key {char!r}: preview {_ms(seen_view, pressed)}, editor "
                     f"{_ms(seen_editor, pressed)}; damage " + ", ".join(
                         f"+{(t - pressed) * 1000:.1f} ms {dw}x{dh}+{x}+{y}"
                         for t, x, y, dw, dh in damages[:10]))
            if i >= WARM_KEYS:
                if seen_view is None:
                    missed += 1
                else:
                    preview_ms.append((seen_view - pressed) * 1000)
                if seen_editor is not None:
                    editor_ms.append((seen_editor - pressed) * 1000)
            next_press = max(pressed + rng.uniform(*INTERVAL_S),
                             (seen_view or pressed) + 0.03)
        return preview_ms, editor_ms, missed

    def stop(self) -> None:
        """Close the window as a user would (WM_DELETE_WINDOW), else end the process group."""
        w = self.watch
        w.closing = True
        if self.proc.poll() is None and w.window is not None and w.mapped:
            with contextlib.suppress(Exception):
                self.screen.close_window(w.window)
            end = time.perf_counter() + 20
            while time.perf_counter() < end and self.proc.poll() is None:
                self.screen.pump(time.perf_counter() + 0.1)
        for sig in (signal.SIGTERM, signal.SIGKILL):
            if self.proc.poll() is not None:
                break
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, sig)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.proc.wait(timeout=5)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)  # Chromium helpers left behind, if any
        self.proc.wait()
        self.stderr.close()
        self.screen.pump(time.perf_counter() + 0.05)
        self.screen.watch = None
        shutil.rmtree(self.dir, ignore_errors=True)


def _ms(t: float | None, since: float) -> str:
    return "none" if t is None else f"{(t - since) * 1000:.1f} ms"


def _diff_box(a: Any, b: Any) -> tuple[int, int, int, int] | None:
    from PIL import ImageChops

    box = ImageChops.difference(a, b).getbbox()
    return tuple(box) if box else None  # type: ignore[return-value]


def save_shot(screen: Screen, geometry: Geometry, origin: tuple[int, int], path: Path) -> None:
    from PIL import ImageDraw

    img = screen.grab(Rect(0, 0, *SCREEN))
    draw = ImageDraw.Draw(img)
    for name, colour in (("editor", "red"), ("view", "blue"), ("body", "magenta"),
                         ("toolbar", "orange")):
        r: Rect = getattr(geometry, name).moved(*origin)
        draw.rectangle([r.x, r.y, r.x + r.w - 1, r.y + r.h - 1], outline=colour, width=2)
        draw.text((r.x + 4, r.y + 2), name, fill=colour)
    if geometry.click is not None:
        x, y = geometry.click[0] + origin[0], geometry.click[1] + origin[1]
        draw.ellipse([x - 4, y - 4, x + 4, y + 4], outline="green", width=2)
    path.parent.mkdir(parents=True, exist_ok=True)
    img.save(path)


# --- the whole benchmark ----------------------------------------------------------------------

def calibrate(screen: Screen, xvfb: Xvfb, template: Path, work: Path, kind: str,
              shots: Path | None, extra_env: dict[str, str]) -> tuple[Geometry, dict[str, Any]]:
    run = Launch(screen, xvfb.name, template, work, calibrate=True, extra_env=extra_env)
    try:
        geometry = Geometry.parse(run.read_geometry())
        run.quiet(0.5)
        origin = run.watch.origin
        refs = {name: ink_mask(screen.grab(r.moved(*origin)))
                for name, r in geometry.regions().items()}
        for name in ("editor", "body"):
            if uniform(refs[name]):
                raise run.failed(f"the settled {name} region is blank")
        if shots is not None:
            save_shot(screen, geometry, origin, shots / f"onscreen-{kind}.png")
    finally:
        run.stop()
    return geometry, refs


def size_class(kind: str) -> str:
    return "small" if kind == "demo" or int(kind.rstrip("w")) <= 2_000 else "large"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="timed launches per database")
    parser.add_argument("--keys", type=int, default=40, help="key presses timed per size")
    parser.add_argument("--sizes", default=",".join(str(s) for s in SIZES),
                        help="article sizes in words, comma-separated")
    parser.add_argument("--no-demo", action="store_true",
                        help="skip the start-up figures of the demo database as it is")
    parser.add_argument("--smoke", action="store_true",
                        help="2,000 words only, one launch, 6 keys: checks that it works")
    parser.add_argument("--shots", type=Path, help="write PNGs of the measured regions here")
    parser.add_argument("--seed", type=int, default=1, help="seed of the typing rhythm")
    parser.add_argument("--verbose", action="store_true", help="window events and damage")
    parser.add_argument("--app-env", action="append", default=[], metavar="NAME=VALUE",
                        help="extra environment for the application (to try a setting, e.g. "
                             "QT_QUICK_BACKEND=software); repeatable")
    args = parser.parse_args()
    extra_env = dict(item.split("=", 1) for item in args.app_env)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    runs, keys = max(1, args.runs), max(1, args.keys)
    kinds = ([] if args.no_demo else ["demo"]) + [f"{n}w" for n in sizes]
    if args.smoke:
        kinds, runs, keys = [f"{min(sizes or SIZES)}w"], 1, 6
    try:
        import Xlib  # noqa: F401
    except ImportError:
        raise SystemExit("python-xlib is missing: .venv/bin/pip install -e \".[test]\" "
                         "(or pip install python-xlib)") from None
    note(f"load average {' '.join(f'{v:.2f}' for v in os.getloadavg())} on "
         f"{os.cpu_count()} cores")
    rng = random.Random(args.seed)
    xvfb = Xvfb()
    work = Path(tempfile.mkdtemp(prefix="pse-onscreen-"))
    screen: Screen | None = None
    try:
        screen = Screen(xvfb.name)
        templates = build_templates(kinds, work)
        for kind in kinds:
            geometry, refs = calibrate(screen, xvfb, templates[kind], work, kind, args.shots,
                                       extra_env)
            results: list[Startup] = []
            typed: tuple[list[float], list[float], int] | None = None
            for i in range(runs):
                run = Launch(screen, xvfb.name, templates[kind], work, extra_env=extra_env)
                try:
                    result = run.startup(geometry, refs)
                    results.append(result)
                    note(f"{kind} launch {i + 1}: mapped {result.mapped_s:.3f} s, editor "
                         f"{result.editor_s:.3f} s, body {result.body_s:.3f} s, re-created "
                         f"{result.recreated}x ({result.blink_ms:.0f} ms), layout jumps "
                         f"{result.layout_jumps}")
                    if args.verbose:
                        for line in sorted(run.watch.log, key=lambda x: float(x.split()[0])):
                            note(line)
                    if args.shots is not None and i == 0:
                        for name, frames in run.watch.frames.items():
                            for frame in frames:
                                frame.img.save(args.shots / f"start-{kind}-{name}-"
                                               f"{frame.t - run.watch.t0:06.3f}.png")
                    if kind != "demo" and i == runs - 1:
                        typed = run.type_keys(geometry, keys, rng, args.verbose)
                finally:
                    run.stop()
            cls = size_class(kind)
            emit(f"onscreen.startup.window_mapped_s.{kind}",
                 statistics.median(r.mapped_s for r in results), "s", MAPPED_TARGET_S)
            emit(f"onscreen.startup.editor_text_s.{kind}",
                 statistics.median(r.editor_s for r in results), "s",
                 EDITOR_TARGET_S[cls])
            emit(f"onscreen.startup.preview_body_s.{kind}",
                 statistics.median(r.body_s for r in results), "s", BODY_TARGET_S[cls])
            emit(f"onscreen.startup.window_recreated.{kind}",
                 max(r.recreated for r in results), "count", 0)
            emit(f"onscreen.startup.blink_ms.{kind}", max(r.blink_ms for r in results), "ms", 0)
            emit(f"onscreen.startup.layout_jumps.{kind}",
                 max(r.layout_jumps for r in results), "count", 0)
            if typed is not None:
                preview_ms, editor_ms, missed = typed
                if not preview_ms:
                    raise SystemExit(f"{kind}: the preview never changed while typing")
                emit(f"onscreen.keystroke_ms.median.{kind}", statistics.median(preview_ms),
                     "ms", MEDIAN_TARGET_MS)
                emit(f"onscreen.keystroke_ms.p95.{kind}", percentile(preview_ms, 0.95), "ms",
                     P95_TARGET_MS)
                emit(f"onscreen.keystroke_missed.{kind}", missed, "count", 0)
                if editor_ms:
                    note(f"{kind}: key press to the editor's pixels: median "
                         f"{statistics.median(editor_ms):.1f} ms, p95 "
                         f"{percentile(editor_ms, 0.95):.1f} ms ({len(editor_ms)} keys); to "
                         f"the preview's: {statistics.median(preview_ms):.1f} / "
                         f"{percentile(preview_ms, 0.95):.1f} ms")
    finally:
        if screen is not None:
            screen.close()
        xvfb.stop()
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
