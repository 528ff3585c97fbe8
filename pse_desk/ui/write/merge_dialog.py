"""The merge view: an article's two texts side by side, each changed block taken from the left,
the right or both, and the result saved as a new revision.

Left is the text the article shows now (the newer one), right the text sync kept aside as a
"conflict" revision. Blocks both texts share are shown once, greyed; each changed run of blocks
is a row with the two versions and three choices (Alt+1 left, Alt+2 right, Alt+3 both, for the
row that has the focus). The result below follows every choice. Title and standfirst, when they
differ, are chosen the same way.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from pse_desk.services.conflicts import ArticleConflict
from pse_desk.services.revisions import ArticleText
from pse_desk.sync import merge

CHOICES: tuple[merge.Choice, ...] = ("left", "right", "both")


def _text_box(text: str, name: str, *, muted: bool = False) -> QPlainTextEdit:
    box = QPlainTextEdit(text)
    box.setObjectName(name)
    box.setReadOnly(True)
    box.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
    lines = max(2, min(12, text.count("\n") + 2 + len(text) // 90))
    box.setFixedHeight(box.fontMetrics().lineSpacing() * lines + 12)
    if muted:
        box.setStyleSheet("QPlainTextEdit { color: palette(mid); }")
    return box


class ChoiceRow(QFrame):
    """One changed region: the left version, the right version, and the choice."""

    changed = Signal()

    def __init__(self, index: int, left: str, right: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.index = index
        self.setObjectName(f"mergeRegion{index}")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.left = _text_box(left or "(nothing)", f"mergeLeft{index}", muted=not left)
        self.right = _text_box(right or "(nothing)", f"mergeRight{index}", muted=not right)
        self.group = QButtonGroup(self)
        buttons = QHBoxLayout()
        words = {"left": "Take &left", "right": "Take &right", "both": "Take &both"}
        for n, choice in enumerate(CHOICES):
            radio = QRadioButton(words[choice].replace("&", ""))
            radio.setObjectName(f"mergeChoice{index}_{choice}")
            radio.setToolTip(f"Alt+{n + 1}")
            self.group.addButton(radio, n)
            buttons.addWidget(radio)
        buttons.addStretch(1)
        self.group.button(0).setChecked(True)
        self.group.idToggled.connect(self._toggled)
        grid = QGridLayout(self)
        grid.addWidget(self.left, 0, 0)
        grid.addWidget(self.right, 0, 1)
        grid.addLayout(buttons, 1, 0, 1, 2)

    def _toggled(self, _id: int, on: bool) -> None:
        if on:
            self.changed.emit()

    @property
    def choice(self) -> merge.Choice:
        return CHOICES[max(0, self.group.checkedId())]

    def choose(self, choice: merge.Choice) -> None:
        self.group.button(CHOICES.index(choice)).setChecked(True)


class MergeDialog(QDialog):
    """Both texts of a conflicted article; ``merged()`` is the text to save (after Save)."""

    def __init__(self, conflict: ArticleConflict, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mergeDialog")
        self.setWindowTitle("Merge the two texts of this article")
        self.resize(1100, 760)
        self.conflict = conflict
        self.regions = list(conflict.regions)
        self.rows: list[ChoiceRow] = []
        heading = QLabel(
            f"This article was changed on two desks at once. <b>Left</b>: the text it shows now. "
            f"<b>Right</b>: the other text ({html.escape(conflict.other_label or 'kept aside')}). "
            "Choose, for each "
            "changed part, which to keep; the result is saved as a new revision.")
        heading.setWordWrap(True)
        heading.setObjectName("mergeHeading")
        self.fields: dict[str, QButtonGroup] = {}
        field_rows = QVBoxLayout()
        for name, label in (("title", "Title"), ("standfirst", "Standfirst")):
            left, right = getattr(conflict.live, name), getattr(conflict.other, name)
            if left != right:
                field_rows.addWidget(self._field_row(name, label, left, right))
        body = QWidget()
        body_layout = QVBoxLayout(body)
        for index, region in enumerate(self.regions):
            if region.changed:
                row = ChoiceRow(index, region.left, region.right)
                row.changed.connect(self._update_result)
                self.rows.append(row)
                body_layout.addWidget(row)
            else:
                body_layout.addWidget(_text_box(region.left, f"mergeSame{index}", muted=True))
        body_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setObjectName("mergeRegions")
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        self.result_view = QPlainTextEdit()
        self.result_view.setObjectName("mergeResult")
        self.result_view.setReadOnly(True)
        all_left = QPushButton("All &left")
        all_left.setObjectName("mergeAllLeft")
        all_left.clicked.connect(lambda: self.choose_all("left"))
        all_right = QPushButton("All &right")
        all_right.setObjectName("mergeAllRight")
        all_right.clicked.connect(lambda: self.choose_all("right"))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText(
            "&Save as a new revision")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addWidget(all_left)
        bottom.addWidget(all_right)
        bottom.addStretch(1)
        bottom.addWidget(self.buttons)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(scroll)
        result_box = QWidget()
        result_layout = QVBoxLayout(result_box)
        result_layout.setContentsMargins(0, 0, 0, 0)
        result_layout.addWidget(QLabel("The result"))
        result_layout.addWidget(self.result_view)
        split.addWidget(result_box)
        split.setSizes([520, 200])
        lay = QVBoxLayout(self)
        lay.addWidget(heading)
        lay.addLayout(field_rows)
        lay.addWidget(split, 1)
        lay.addLayout(bottom)
        for n, choice in enumerate(CHOICES):
            shortcut = QShortcut(QKeySequence(f"Alt+{n + 1}"), self)
            shortcut.activated.connect(lambda c=choice: self._choose_focused(c))
        self._update_result()
        if self.rows:
            self.rows[0].group.button(0).setFocus()

    def _field_row(self, name: str, label: str, left: str, right: str) -> QWidget:
        row = QWidget()
        row.setObjectName(f"mergeField_{name}")
        lay = QHBoxLayout(row)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(QLabel(f"<b>{label}</b>"))
        group = QButtonGroup(row)
        for n, (side, text) in enumerate((("left", left), ("right", right))):
            radio = QRadioButton(text or "(empty)")
            radio.setObjectName(f"mergeField_{name}_{side}")
            group.addButton(radio, n)
            lay.addWidget(radio, 1)
        group.button(0).setChecked(True)
        group.idToggled.connect(self._field_toggled)
        self.fields[name] = group
        return row

    def _field_toggled(self, _id: int, on: bool) -> None:
        if on:
            self._update_result()

    def _choose_focused(self, choice: merge.Choice) -> None:
        focus = self.focusWidget()
        for row in self.rows:
            if focus is not None and row.isAncestorOf(focus):
                row.choose(choice)
                return
        if self.rows:
            self.rows[0].choose(choice)

    def choose_all(self, choice: merge.Choice) -> None:
        for row in self.rows:
            row.choose(choice)
        for group in self.fields.values():
            group.button(0 if choice == "left" else 1).setChecked(True)

    def choices(self) -> dict[int, merge.Choice]:
        return {row.index: row.choice for row in self.rows}

    def merged(self) -> ArticleText:
        def field(name: str) -> str:
            group = self.fields.get(name)
            side = self.conflict.other if group is not None and group.checkedId() == 1 \
                else self.conflict.live
            return str(getattr(side, name))

        return ArticleText(field("title"), field("standfirst"),
                           merge.compose(self.regions, self.choices()))

    def _update_result(self) -> None:
        self.result_view.setPlainText(self.merged().body_md)
