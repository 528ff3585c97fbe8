"""Edit > Preferences: what a person sets once and expects the desk to remember.

``Preferences`` is the whole set, read from and written to QSettings through one pair of
methods (``load`` / ``save``), so every page and every reader agrees on keys and defaults.
``PreferencesDialog`` shows it in pages — Appearance, Writing, Moderation, Hub — and hands back
the chosen set; the window applies it (``MainWindow.apply_preferences``). The hub's URL and
role live in the database and the password in the system keyring (``ui.sync.hub_page``).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFontComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from pse_desk.ui import settings as keys
from pse_desk.ui.sync.hub_page import MAX_INTERVAL_S, MIN_INTERVAL_S, HubPage
from pse_desk.ui.theme import THEMES

MIN_PAUSE_S, MAX_PAUSE_S = 1, 60
MIN_FONT_PT, MAX_FONT_PT = 6, 48


@dataclass(frozen=True)
class Preferences:
    theme: str = "light"
    editor_font: str = ""  # "" : the system's fixed-width font
    editor_font_size: int = 0  # 0 : the system's size
    spelling: bool = True
    autosave_pause_s: int = 2
    preview_width: str = "desktop"  # or "mobile"
    actor: str = ""  # the name the audit trail records; "" : the login name
    background_sync: bool = True
    sync_interval_s: int = 30
    automatic_backups: bool = True  # a checked backup daily and on quit

    @classmethod
    def load(cls, settings: QSettings) -> Preferences:
        theme = keys.read_str(settings, keys.THEME, cls.theme)
        width = keys.read_str(settings, keys.PREVIEW_WIDTH, cls.preview_width)
        return cls(
            theme=theme if theme in THEMES else cls.theme,
            editor_font=keys.read_str(settings, keys.EDITOR_FONT),
            editor_font_size=keys.read_int(settings, keys.EDITOR_FONT_SIZE, 0, 0, MAX_FONT_PT),
            spelling=keys.read_bool(settings, keys.SPELLING, True),
            autosave_pause_s=keys.read_int(settings, keys.AUTOSAVE_PAUSE, cls.autosave_pause_s,
                                           MIN_PAUSE_S, MAX_PAUSE_S),
            preview_width=width if width in ("desktop", "mobile") else cls.preview_width,
            actor=" ".join(keys.read_str(settings, keys.ACTOR).split())[:80],
            background_sync=keys.read_bool(settings, keys.BACKGROUND_SYNC, True),
            sync_interval_s=keys.read_int(settings, keys.SYNC_INTERVAL, cls.sync_interval_s,
                                          MIN_INTERVAL_S, MAX_INTERVAL_S),
            automatic_backups=keys.read_bool(settings, keys.AUTO_BACKUP, True),
        )

    def save(self, settings: QSettings) -> None:
        for key, value in ((keys.THEME, self.theme), (keys.EDITOR_FONT, self.editor_font),
                           (keys.EDITOR_FONT_SIZE, self.editor_font_size),
                           (keys.SPELLING, self.spelling),
                           (keys.AUTOSAVE_PAUSE, self.autosave_pause_s),
                           (keys.PREVIEW_WIDTH, self.preview_width), (keys.ACTOR, self.actor),
                           (keys.BACKGROUND_SYNC, self.background_sync),
                           (keys.SYNC_INTERVAL, self.sync_interval_s),
                           (keys.AUTO_BACKUP, self.automatic_backups)):
            settings.setValue(key, value)

    def editor_qfont(self) -> QFont:
        """The editor's font: the chosen family and size, else the system's fixed font."""
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        if self.editor_font:
            font.setFamily(self.editor_font)
        if self.editor_font_size:
            font.setPointSize(self.editor_font_size)
        font.setStyleHint(QFont.StyleHint.Monospace)
        return font


class PreferencesDialog(QDialog):
    """The pages of preferences; ``chosen()`` is what the user set (after OK)."""

    def __init__(self, current: Preferences, parent: QWidget | None = None, *,
                 hub: tuple[str, str] = ("", ""), backup_folder: str = "") -> None:
        super().__init__(parent)
        self.setObjectName("preferencesDialog")
        self.setWindowTitle("Preferences")
        self._current = current
        self.pages = QTabWidget()
        self.pages.addTab(self._appearance(current), "Appearance")
        self.pages.addTab(self._writing(current), "Writing")
        self.pages.addTab(self._moderation(current), "Moderation")
        self.hub_page = HubPage(hub[0], hub[1], current.background_sync,
                                current.sync_interval_s)
        self.pages.addTab(self.hub_page, "Hub")
        self.pages.addTab(self._backups(current, backup_folder), "Backups")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(self.pages, 1)
        lay.addWidget(buttons)

    def _appearance(self, p: Preferences) -> QWidget:
        page = QWidget()
        self.theme_box = QComboBox()
        self.theme_box.setObjectName("themeChoice")
        for name in THEMES:
            self.theme_box.addItem(name.capitalize(), name)
        self.theme_box.setCurrentIndex(max(0, self.theme_box.findData(p.theme)))
        font = p.editor_qfont()
        self.font_box = QFontComboBox()
        self.font_box.setObjectName("editorFont")
        self.font_box.setFontFilters(QFontComboBox.FontFilter.MonospacedFonts)
        self.font_box.setCurrentFont(font)
        self.size_box = QSpinBox()
        self.size_box.setObjectName("editorFontSize")
        self.size_box.setRange(MIN_FONT_PT, MAX_FONT_PT)
        self.size_box.setSuffix(" pt")
        self.size_box.setValue(font.pointSize() if font.pointSize() > 0 else 10)
        form = QFormLayout(page)
        form.addRow("Theme", self.theme_box)
        form.addRow("Editor font", self.font_box)
        form.addRow("Editor font size", self.size_box)
        return page

    def _writing(self, p: Preferences) -> QWidget:
        page = QWidget()
        self.spelling_box = QCheckBox("Check spelling as I type (British English)")
        self.spelling_box.setObjectName("spellingChoice")
        self.spelling_box.setChecked(p.spelling)
        self.pause_box = QSpinBox()
        self.pause_box.setObjectName("autosavePause")
        self.pause_box.setRange(MIN_PAUSE_S, MAX_PAUSE_S)
        self.pause_box.setSuffix(" s")
        self.pause_box.setValue(p.autosave_pause_s)
        self.width_box = QComboBox()
        self.width_box.setObjectName("previewWidthChoice")
        self.width_box.addItem("Desktop (laid out at 1,000 px, zoomed to fit)", "desktop")
        self.width_box.addItem("Mobile (390 px)", "mobile")
        self.width_box.setCurrentIndex(max(0, self.width_box.findData(p.preview_width)))
        note = QLabel("Text is also saved every 30 seconds while you type, when you switch "
                      "article or workspace, and when you quit; a crash snapshot is kept "
                      "within half a second of every change whatever you choose here.")
        note.setWordWrap(True)
        note.setObjectName("paneMeta")
        form = QFormLayout(page)
        form.addRow(self.spelling_box)
        form.addRow("Autosave after a pause of", self.pause_box)
        form.addRow(note)
        form.addRow("Preview width", self.width_box)
        return page

    def _moderation(self, p: Preferences) -> QWidget:
        page = QWidget()
        self.actor_edit = QLineEdit(p.actor)
        self.actor_edit.setObjectName("actorName")
        self.actor_edit.setMaxLength(80)
        self.actor_edit.setPlaceholderText(default_actor())
        note = QLabel("Every decision you make is recorded under this name in the audit trail "
                      "(leave it empty to use your login name).")
        note.setWordWrap(True)
        note.setObjectName("paneMeta")
        form = QFormLayout(page)
        form.addRow("Your name in the audit trail", self.actor_edit)
        form.addRow(note)
        return page

    def _backups(self, p: Preferences, folder: str) -> QWidget:
        page = QWidget()
        self.backup_box = QCheckBox("Back up the newsroom database every day and when I quit")
        self.backup_box.setObjectName("automaticBackups")
        self.backup_box.setChecked(p.automatic_backups)
        where = f"in {folder}" if folder else "in a folder beside the database"
        note = QLabel(f"Backups are kept {where}: the last 7 daily and the last 4 weekly, "
                      "each opened and checked before an older one is removed. "
                      "File > Back up now (Ctrl+Shift+B) makes one at any time, on or off.")
        note.setWordWrap(True)
        note.setObjectName("paneMeta")
        note.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form = QFormLayout(page)
        form.addRow(self.backup_box)
        form.addRow(note)
        return page

    def chosen(self) -> Preferences:
        family = self.font_box.currentFont().family()
        system = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        return replace(
            self._current,
            theme=str(self.theme_box.currentData()),
            editor_font="" if family == system.family() else family,
            editor_font_size=(0 if self.size_box.value() == system.pointSize()
                              else self.size_box.value()),
            spelling=self.spelling_box.isChecked(),
            autosave_pause_s=self.pause_box.value(),
            preview_width=str(self.width_box.currentData()),
            actor=" ".join(self.actor_edit.text().split()),
            background_sync=self.hub_page.background_box.isChecked(),
            sync_interval_s=self.hub_page.interval_box.value(),
            automatic_backups=self.backup_box.isChecked(),
        )

    def chosen_theme(self) -> str:
        return self.chosen().theme


def default_actor() -> str:
    """The login name, which the audit trail records unless the user chose a name."""
    import getpass

    try:
        return getpass.getuser() or "moderator"
    except (KeyError, OSError):
        return "moderator"
