"""The Moderate workspace's dialogs — the rules editor, the audit log and the key sheet — made
when first asked for, and what ``pse-desk --screenshot`` needs of them.

``PSE_DESK_SCREENSHOT_DIALOG=rules`` opens the rules editor with a draft tried on past
comments, ``audit`` the audit log; the grab waits until they show their data.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QWidget

from pse_desk.ui.workers import ReadRunner

if TYPE_CHECKING:
    from pse_desk.ui.moderate.audit_dialog import AuditDialog
    from pse_desk.ui.moderate.rules_dialog import RulesDialog
    from pse_desk.ui.moderate.shortcut_sheet import ShortcutSheet

SCREENSHOT_SETTLE_MS = 100  # after a dialog's data arrived, before the grab
D = TypeVar("D", bound=QDialog)


class ModerateDialogs:
    """Opens the dialogs over ``parent`` and keeps the last of each (tests and screenshots
    look at them)."""

    def __init__(self, parent: QWidget, runner: ReadRunner,
                 rules_saved: Callable[[], None]) -> None:
        self.parent, self.runner, self._rules_saved = parent, runner, rules_saved
        self.rules: RulesDialog | None = None
        self.audit: AuditDialog | None = None
        self.key_sheet: ShortcutSheet | None = None

    def open_rules(self) -> RulesDialog | None:
        from pse_desk.ui.moderate.rules_dialog import RulesDialog

        if self.runner.store is None:
            return None
        dialog = RulesDialog(self.runner.store, self.parent)
        dialog.rules_saved.connect(self._rules_saved)  # the window reads its counts again
        self.rules = self._open(dialog)
        return dialog

    def open_audit(self) -> AuditDialog | None:
        from pse_desk.ui.moderate.audit_dialog import AuditDialog

        if self.runner.store is None:
            return None
        self.audit = self._open(AuditDialog(self.runner, self.parent))
        return self.audit

    def open_key_sheet(self, commands: dict[str, QAction]) -> ShortcutSheet:
        from pse_desk.ui.moderate.shortcut_sheet import ShortcutSheet

        self.key_sheet = self._open(ShortcutSheet(commands, self.parent))
        return self.key_sheet

    @staticmethod
    def _open(dialog: D) -> D:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    # --- screenshots ----------------------------------------------------------------------------
    def open_for_screenshot(self, wanted: str, ready: Callable[[], None]) -> bool:
        """Open the dialog ``wanted`` names and call ``ready`` once it shows its data; False
        when no dialog is wanted (or none can open)."""
        if wanted == "rules" and (rules := self.open_rules()) is not None:
            rules.trial_finished.connect(
                lambda _r: QTimer.singleShot(SCREENSHOT_SETTLE_MS, ready))
            rules.rules_loaded.connect(lambda: try_example_draft(rules))
            return True
        if wanted == "audit" and (audit := self.open_audit()) is not None:
            audit.page_loaded.connect(lambda _n: QTimer.singleShot(SCREENSHOT_SETTLE_MS, ready))
            return True
        return False

    def shown(self) -> QWidget | None:
        """The rules editor or the audit log, when one is open."""
        for dialog in (self.rules, self.audit):
            if dialog is not None and dialog.isVisible():
                return dialog
        return None


def try_example_draft(dialog: RulesDialog) -> None:
    """The draft the README's screenshot shows being tried on past comments."""
    dialog.new_rule()
    dialog.kind.setCurrentIndex(dialog.kind.findData("suspect_words"))
    dialog.set_field("words", ["rubbish", "cheap", "scandal", "disgrace"])
    dialog.description.setText("Words that often start a row")
    dialog.days.setValue(120)
    dialog.try_draft()
