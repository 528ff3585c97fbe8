"""The rules editor: list, add, edit, enable and disable moderation rules, with a form for each
kind's parameters (``rule_params``), and "Try on past comments" — the draft rule run over the
last 30 days in a worker (progress, cancel) to show how many and which comments it would have
held, before it is saved. Every call goes to ``services.moderation.rules``; nothing here
touches the database.
"""

from __future__ import annotations

import threading
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from pse_desk.moderation.rules import ACTIONS
from pse_desk.moderation.wording import KIND_LABELS
from pse_desk.services.moderation import rules
from pse_desk.services.moderation.rules import RuleInfo, TrialResult
from pse_desk.store import Store
from pse_desk.ui.moderate.decisions import DecisionRunner
from pse_desk.ui.moderate.rule_params import RuleParamsForm
from pse_desk.ui.table_model import display_text

TRIAL_DAYS = 30


class RulesDialog(QDialog):
    trial_finished = Signal(object)  # TrialResult
    rules_loaded = Signal()
    rules_saved = Signal()  # a rule was added, edited, enabled or disabled

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("rulesDialog")
        self.setWindowTitle("Moderation rules")
        self.store = store
        self.jobs = DecisionRunner(lambda: store.lane, self)  # edits: the writer lane
        self.trials = DecisionRunner(parent=self)  # a long read: a thread of its own
        self.rules: list[RuleInfo] = []
        self.editing: RuleInfo | None = None
        self._cancel = threading.Event()
        self._clean: tuple[Any, ...] | None = None  # the form as loaded or last saved
        self._shown_row = -1
        self._close_after_save = False
        self._build()
        self.trials.progress.connect(self._trial_progress)
        self.reload()
        self.resize(980, 620)

    # --- construction -------------------------------------------------------------------------
    def _build(self) -> None:
        split = QSplitter()
        split.addWidget(self._build_list())
        split.addWidget(self._build_editor())
        split.setSizes([330, 650])
        close = QPushButton("Close")
        close.clicked.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(split, 1)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(close)
        lay.addLayout(bottom)
        self._show_params({})

    def _build_list(self) -> QWidget:
        """The rules, and the button that starts a new one."""
        self.list = QListWidget()
        self.list.setObjectName("rulesList")
        self.list.currentRowChanged.connect(self._rule_chosen)
        self.new_button = QPushButton("New rule")
        self.new_button.clicked.connect(self.new_rule)
        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.addWidget(self.list)
        ll.addWidget(self.new_button)
        return left

    def _build_editor(self) -> QWidget:
        """The chosen rule's form, its buttons, and what a trial of it found."""
        self._build_form()
        buttons = self._build_buttons()
        self.progress = QProgressBar()
        self.progress.setObjectName("trialProgress")
        self.trial_summary = QLabel("Try a draft to see what it would have held.")
        self.trial_summary.setObjectName("trialSummary")
        self.trial_summary.setTextFormat(Qt.TextFormat.PlainText)
        self.trial_summary.setWordWrap(True)
        self.trial_hits = QListWidget()
        self.trial_hits.setObjectName("trialHits")
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.addLayout(self.form)
        rl.addLayout(self.params_form)
        rl.addWidget(self.version)
        rl.addWidget(self.error)
        rl.addLayout(buttons)
        rl.addWidget(self.progress)
        rl.addWidget(self.trial_summary)
        rl.addWidget(self.trial_hits, 1)
        return right

    def _build_form(self) -> None:
        """Kind, action, enabled and description; the kind's parameters go in ``params_form``."""
        self.kind = QComboBox()
        self.kind.setObjectName("ruleKind")
        for kind, label in KIND_LABELS.items():
            self.kind.addItem(label, kind)
        self.kind.currentIndexChanged.connect(lambda _i: self._show_params({}))
        self.action = QComboBox()
        self.action.setObjectName("ruleAction")
        for a in ACTIONS:
            self.action.addItem(a, a)
        self.enabled = QCheckBox("Enabled")
        self.enabled.setChecked(True)
        self.description = QLineEdit()
        self.description.setObjectName("ruleDescription")
        self.form = QFormLayout()
        self.form.addRow("Kind", self.kind)
        self.form.addRow("Action", self.action)
        self.form.addRow("", self.enabled)
        self.form.addRow("Description", self.description)
        self.params_form = RuleParamsForm()
        self.version = QLabel()
        self.error = QLabel()
        self.error.setObjectName("rulesError")
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020")

    def _build_buttons(self) -> QHBoxLayout:
        """Save, and try the draft on the last N days of comments (with a cancel)."""
        self.save_button = QPushButton("Save rule")
        self.save_button.setObjectName("saveRule")
        self.save_button.clicked.connect(self.save)
        self.days = QSpinBox()
        self.days.setObjectName("trialDays")
        self.days.setRange(1, 3650)
        self.days.setValue(TRIAL_DAYS)
        self.days.setSuffix(" days")
        self.days.setToolTip("How far back the trial reads")
        self.try_button = QPushButton("Try on past comments")
        self.try_button.setObjectName("tryRule")
        self.try_button.clicked.connect(self.try_draft)
        self.cancel_button = QPushButton("Cancel trial")
        self.cancel_button.setObjectName("cancelTrial")
        self.cancel_button.clicked.connect(self._cancel.set)
        self.cancel_button.setEnabled(False)
        buttons = QHBoxLayout()
        for b in (self.save_button, self.try_button, QLabel("of the last"), self.days,
                  self.cancel_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        return buttons

    def _show_params(self, params: dict[str, Any]) -> None:
        self.params_form.show_kind(self.kind_value(), params)

    # --- reading the form ---------------------------------------------------------------------
    def kind_value(self) -> str:
        return str(self.kind.currentData())

    def params(self) -> dict[str, Any]:
        return self.params_form.values()

    def set_field(self, name: str, value: Any) -> None:
        self.params_form.set_value(name, value)

    # --- the list -----------------------------------------------------------------------------
    def reload(self, select_id: str | None = None) -> None:
        store = self.store
        self.jobs.run(lambda _p: rules.list_rules(store),
                      lambda found: self._rules_arrived(found, select_id), self._failed)

    def _rules_arrived(self, found: list[RuleInfo], select_id: str | None) -> None:
        self.rules = found
        self.list.blockSignals(True)
        self.list.clear()
        for r in found:
            mark = "✓" if r.enabled else "–"
            item = QListWidgetItem(f"{mark} {r.label} · v{r.version} · {r.action}")
            item.setToolTip(r.description)
            item.setData(Qt.ItemDataRole.UserRole, r.id)
            self.list.addItem(item)
        self.list.blockSignals(False)
        self._shown_row = -1  # the list was read again: show the chosen rule afresh
        ids = [r.id for r in found]
        if select_id in ids:
            self.list.setCurrentRow(ids.index(select_id))
        elif self.editing is None and found:
            self.list.setCurrentRow(0)
        self.rules_loaded.emit()

    def _rule_chosen(self, row: int) -> None:
        if not 0 <= row < len(self.rules) or row == self._shown_row:
            return
        if self.has_unsaved_edits:  # picking another rule would drop the edits
            answer = self._ask_about_edits()
            if answer != QMessageBox.StandardButton.Discard:
                self.list.blockSignals(True)
                self.list.setCurrentRow(self._shown_row)
                self.list.blockSignals(False)
                if answer == QMessageBox.StandardButton.Save:
                    self.save()
                return
        r = self.rules[row]
        self.editing = r
        self.kind.blockSignals(True)
        self.kind.setCurrentIndex(max(0, self.kind.findData(r.kind)))
        self.kind.blockSignals(False)
        self.kind.setEnabled(False)  # a rule keeps its kind; make a new one for another
        self.action.setCurrentIndex(max(0, self.action.findData(r.action)))
        self.enabled.setChecked(r.enabled)
        self.description.setText(r.description)
        self._show_params(r.params)
        self.version.setText(f"Version {r.version}: changing parameters or the action makes "
                             "version " f"{r.version + 1}; comments held by earlier versions "
                             "keep their explanation.")
        self.error.clear()
        self._mark_clean()
        self._shown_row = row

    def new_rule(self) -> None:
        self.editing = None
        self._shown_row = -1
        self.list.clearSelection()
        self.kind.setEnabled(True)
        self.action.setCurrentIndex(max(0, self.action.findData("hold")))
        self.enabled.setChecked(True)
        self.description.clear()
        self.version.setText("A new rule.")
        self._show_params({})
        self._mark_clean()
        self.kind.setFocus()

    # --- saving -------------------------------------------------------------------------------
    def save(self) -> None:
        store, editing = self.store, self.editing
        kind, params = self.kind_value(), self.params()
        action, enabled = str(self.action.currentData()), self.enabled.isChecked()
        description = self.description.text().strip()

        def work(_p: Any) -> RuleInfo:
            if editing is None:
                return rules.add_rule(store, kind, params, action, description=description,
                                      enabled=enabled)
            info = rules.edit_rule(store, editing.id, params=params, action=action,
                                   description=description)
            if info.enabled != enabled:
                info = rules.set_rule_enabled(store, editing.id, enabled)
            return info

        self.jobs.run(work, self._saved, self._failed)

    def _saved(self, info: RuleInfo) -> None:
        self.error.clear()
        self.editing = info
        self._mark_clean()
        self.rules_saved.emit()
        if self._close_after_save:
            self._close_after_save = False
            self.reject()
            return
        self.reload(select_id=info.id)

    def _failed(self, sentence: str) -> None:
        self._close_after_save = False  # the dialog stays open with the sentence
        self.error.setText(sentence)

    # --- trying a draft -----------------------------------------------------------------------
    def try_draft(self) -> None:
        store, kind, params = self.store, self.kind_value(), self.params()
        action, days = str(self.action.currentData()), self.days.value()
        self._cancel.clear()
        cancel = self._cancel.is_set
        self.try_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.progress.setValue(0)
        self.trial_summary.setText(f"Reading the last {days} days of comments…")
        self.trial_hits.clear()
        self.trials.run(lambda progress: rules.try_rule_on_past(
            store, kind, params, action, days=days, progress=progress, cancel=cancel),
            lambda result: self._trial_done(result, days), self._trial_failed)

    def _trial_progress(self, done: int, total: int) -> None:
        self.progress.setMaximum(max(1, total))
        self.progress.setValue(done)

    def _trial_done(self, result: TrialResult, days: int = TRIAL_DAYS) -> None:
        self.try_button.setEnabled(True)
        self.cancel_button.setEnabled(False)
        verb = "would have held" if not result.cancelled else "had held, when cancelled,"
        self.trial_summary.setText(
            f"This draft {verb} {result.held:,} of the {result.scanned:,} comments read"
            f" from the last {days} days"
            + (" (cancelled before the end)." if result.cancelled else ".")
            + (f" The first {len(result.hits):,} are listed." if result.hits else ""))
        for hit in result.hits:
            text = " ".join(hit.excerpt.split())[:160]
            matched = ", ".join(f"“{m}”" for m in hit.hit.matched[:4])
            self.trial_hits.addItem(f"{display_text(hit.posted_at)} · "
                                    + (f"{matched} · " if matched else "") + text)
        self.trial_finished.emit(result)

    def _trial_failed(self, sentence: str) -> None:
        self.try_button.setEnabled(True)
        self.cancel_button.setEnabled(False)
        self.trial_summary.setText(sentence)

    # --- unsaved edits ------------------------------------------------------------------------
    def _form_state(self) -> tuple[Any, ...]:
        return (self.kind_value(), str(self.action.currentData()), self.enabled.isChecked(),
                self.description.text().strip(), sorted(self.params().items()))

    def _mark_clean(self) -> None:
        self._clean = self._form_state()

    @property
    def has_unsaved_edits(self) -> bool:
        return self._clean is not None and self._form_state() != self._clean

    def _ask_about_edits(self) -> QMessageBox.StandardButton:
        """Save, Discard or Cancel: what to do with the rule's unsaved edits."""
        name = self.editing.label if self.editing is not None else "the new rule"
        box = QMessageBox(QMessageBox.Icon.Question, "Unsaved changes",
                          f"Save your changes to {name} before going on?",
                          QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
                          | QMessageBox.StandardButton.Cancel, self)
        box.setObjectName("unsavedRuleQuestion")
        box.setInformativeText("Discarding keeps the rule as it was saved.")
        box.setDefaultButton(QMessageBox.StandardButton.Save)
        return QMessageBox.StandardButton(box.exec())

    def reject(self) -> None:
        if self.has_unsaved_edits:
            answer = self._ask_about_edits()
            if answer == QMessageBox.StandardButton.Cancel:
                return
            if answer == QMessageBox.StandardButton.Save:
                self._close_after_save = True
                self.save()
                return
        self._cancel.set()  # a running trial stops at its next batch
        super().reject()
