"""Preferences dialog: the colour theme for now (later issues add pages here)."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QWidget

from pse_desk.ui.theme import THEMES


class PreferencesDialog(QDialog):
    def __init__(self, theme: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Preferences")
        self.theme_box = QComboBox()
        self.theme_box.setObjectName("themeChoice")
        for name in THEMES:
            self.theme_box.addItem(name.capitalize(), name)
        self.theme_box.setCurrentIndex(max(0, self.theme_box.findData(theme)))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow("Theme", self.theme_box)
        form.addRow(buttons)

    def chosen_theme(self) -> str:
        return str(self.theme_box.currentData())
