"""The form of one rule kind's parameters: a field for each (a word list, a whole number, a
share), filled from a rule's params and read back as the params a rule is built from."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QDoubleSpinBox, QFormLayout, QPlainTextEdit, QSpinBox, QWidget

# kind -> (parameter, label, widget kind, default)
PARAM_FIELDS: dict[str, tuple[tuple[str, str, str, Any], ...]] = {
    "banned_words": (("words", "Words (one a line)", "words", []),),
    "suspect_words": (("words", "Words (one a line)", "words", []),),
    "link_count": (("max_links", "Most links allowed", "int0", 2),),
    "first_time": (),
    "shouting": (("min_letters", "Letters before it counts", "int", 20),
                 ("max_caps_ratio", "Largest share of capitals", "ratio", 0.6)),
    "duplicate": (("window_days", "Days to look back", "int", 7),
                  ("similarity", "Similarity that counts as the same", "ratio", 0.9)),
    "rate_limit": (("max_comments", "Most comments", "int", 5),
                   ("minutes", "Within minutes", "int", 10)),
    "banned_commenter": (),
    "reports": (("min_reports", "Reader reports that hold a comment", "int", 3),),
}


def _field(widget_kind: str, value: Any) -> QWidget:
    if widget_kind == "words":
        box = QPlainTextEdit("\n".join(value if isinstance(value, list) else []))
        box.setPlaceholderText("one word or phrase a line")
        box.setMaximumHeight(110)
        return box
    if widget_kind == "ratio":
        spin = QDoubleSpinBox()
        spin.setRange(0.01, 1.0)
        spin.setSingleStep(0.05)
        spin.setValue(float(value))
        return spin
    ispin = QSpinBox()
    ispin.setRange(0 if widget_kind == "int0" else 1, 100_000)
    ispin.setValue(int(value))
    return ispin


class RuleParamsForm(QFormLayout):
    def __init__(self) -> None:
        super().__init__()
        self._fields: dict[str, QWidget] = {}

    def show_kind(self, kind: str, params: dict[str, Any]) -> None:
        """The fields of ``kind``, holding ``params`` (or the defaults)."""
        while self.rowCount():
            self.removeRow(0)
        self._fields = {}
        for name, label, widget_kind, default in PARAM_FIELDS.get(kind, ()):
            widget = _field(widget_kind, params.get(name, default))
            widget.setObjectName(f"param.{name}")
            self._fields[name] = widget
            self.addRow(label, widget)

    def values(self) -> dict[str, Any]:
        found: dict[str, Any] = {}
        for name, widget in self._fields.items():
            if isinstance(widget, QPlainTextEdit):
                found[name] = [w.strip() for w in widget.toPlainText().splitlines()
                               if w.strip()]
            elif isinstance(widget, QDoubleSpinBox):
                found[name] = round(widget.value(), 2)
            elif isinstance(widget, QSpinBox):
                found[name] = widget.value()
        return found

    def set_value(self, name: str, value: Any) -> None:
        widget = self._fields[name]
        if isinstance(widget, QPlainTextEdit):
            widget.setPlainText("\n".join(value))
        elif isinstance(widget, QDoubleSpinBox | QSpinBox):
            widget.setValue(value)
