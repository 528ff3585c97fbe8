"""Light and dark themes: the Fusion style, a QPalette and a short stylesheet, switchable live."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

THEMES = ("light", "dark")

_LIGHT = {
    "window": "#f4f4f2", "text": "#1d1d1b", "base": "#ffffff", "alt": "#f0f3f6",
    "button": "#ececea", "highlight": "#1c5d8c", "highlighted_text": "#ffffff",
    "link": "#1c5d8c", "mid": "#c8c8c4", "placeholder": "#77776f", "tooltip": "#fffbe6",
}
_DARK = {
    "window": "#25272a", "text": "#e8e8e6", "base": "#1b1c1e", "alt": "#23262a",
    "button": "#313438", "highlight": "#3f8fca", "highlighted_text": "#ffffff",
    "link": "#7ab8e6", "mid": "#4a4d52", "placeholder": "#8d9096", "tooltip": "#313438",
}

_STYLESHEET = """
QToolBar {{ border: none; spacing: 4px; padding: 2px 6px; }}
QStatusBar QLabel {{ padding: 0 8px; }}
QHeaderView::section {{ padding: 3px 6px; }}
QLabel#paneTitle {{ font-size: 15pt; font-weight: 600; }}
QLabel#paneMeta {{ color: {placeholder}; }}
QListWidget#queueList::item {{ padding: 4px 6px; }}
QSplitter::handle {{ background: {mid}; }}
QSplitter::handle:horizontal {{ width: 1px; }}
QSplitter::handle:vertical {{ height: 1px; }}
"""


def palette_for(name: str) -> QPalette:
    c = _DARK if name == "dark" else _LIGHT
    pal = QPalette()
    role = QPalette.ColorRole
    for r, key in ((role.Window, "window"), (role.WindowText, "text"), (role.Base, "base"),
                   (role.AlternateBase, "alt"), (role.Text, "text"), (role.Button, "button"),
                   (role.ButtonText, "text"), (role.Highlight, "highlight"),
                   (role.HighlightedText, "highlighted_text"), (role.Link, "link"),
                   (role.Mid, "mid"), (role.PlaceholderText, "placeholder"),
                   (role.ToolTipBase, "tooltip"), (role.ToolTipText, "text"),
                   (role.BrightText, "highlighted_text")):
        pal.setColor(r, QColor(c[key]))
    disabled = QColor(c["placeholder"])
    for r in (role.WindowText, role.Text, role.ButtonText):
        pal.setColor(QPalette.ColorGroup.Disabled, r, disabled)
    return pal


def apply_theme(app: QApplication, name: str) -> str:
    """Switch the whole application to ``name`` ("light" or "dark"); returns the name used."""
    name = name if name in THEMES else "light"
    if app.style().name().lower() != "fusion":
        app.setStyle("Fusion")
    app.setPalette(palette_for(name))
    colours = _DARK if name == "dark" else _LIGHT
    app.setStyleSheet(_STYLESHEET.format(**colours))
    app.setProperty("pse_theme", name)
    return name


def current_theme(app: QApplication) -> str:
    value = app.property("pse_theme")
    return value if isinstance(value, str) else "light"


def icon_colour(name: str) -> str:
    return _DARK["text"] if name == "dark" else "#3a3a36"
