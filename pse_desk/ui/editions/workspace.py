"""The Editions workspace: the print editions (top left) and the contents of the selected one in
print order (bottom left), with its settings beside them — title, issue number and date, page
size, bleed, crop and cross marks, a table of contents, the named layout whose panels print.

Every change is an undoable command (``ui.undoable``) whose service call runs on the store's
writer lane; the lists are read again after it. Keys work only inside the workspace.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, QPoint, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QInputDialog,
    QLineEdit,
    QMenu,
    QPushButton,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from pse_desk.layout.wording import quoted
from pse_desk.services import edition_edit as edit
from pse_desk.services import editions
from pse_desk.services.edition_edit import EditionFields
from pse_desk.services.edition_read import live_edition
from pse_desk.services.editions import EditionItemRow, EditionRow, PanelChoice
from pse_desk.services.layout.read import list_layouts
from pse_desk.store.db import Store
from pse_desk.ui import scoped_actions
from pse_desk.ui.actions import ActionRegistry
from pse_desk.ui.editions.contents import ArticleList, ContentsModel
from pse_desk.ui.layout.dialogs import NameDialog
from pse_desk.ui.master_detail import MasterDetailWorkspace
from pse_desk.ui.table_model import Column
from pse_desk.ui.undoable import Call, Change, ServiceCommand, drop_refused
from pse_desk.ui.workers import ReadRunner
from pse_desk.ui.workspace import plain_label
from pse_desk.ui.write.autosave import WriteQueue

EDITIONS_SPECS = scoped_actions.scope_specs("editions")
PLACEMENT_NAMES = {"front": "up front", "inline": "where it stands", "back": "at the back"}

MASTER_MENU = ("editions.new", "editions.duplicate", "editions.delete", None,
               "editions.preflight", "editions.preview", "editions.export", "editions.proofs")
ITEM_MENU = ("editions.item_up", "editions.item_down", "editions.page_break",
             "editions.placement", None, "editions.remove_item", None, "editions.add_article",
             "editions.add_panel")

EDITION_COLUMNS: tuple[Column[EditionRow], ...] = (
    Column("Title", lambda e: e.title),
    Column("Issue date", lambda e: e.issue_date),
    Column("Page size", lambda e: e.page_size),
    Column("Bleed", lambda e: f"{e.bleed_mm:g} mm", align_right=True),
    Column("Items", lambda e: e.item_count, align_right=True),
    Column("Status", lambda e: e.status),
)
ITEM_COLUMNS: tuple[Column[EditionItemRow], ...] = (
    Column("#", lambda i: i.position + 1, align_right=True),
    Column("Page break", lambda i: "new page" if i.page_break_before else ""),
    Column("Kind", lambda i: i.kind if i.kind == "article"
           else f"panel, {PLACEMENT_NAMES.get(i.placement, i.placement)}"),
    Column("Title", lambda i: i.title),
)


class EditionsWorkspace(MasterDetailWorkspace[EditionRow, EditionItemRow]):
    key = "editions"
    title = "Editions"
    master_title = "Editions, newest issue first"
    items_title = "Contents of the selected edition, in print order"

    def __init__(self, runner: ReadRunner, parent: QWidget | None = None) -> None:
        super().__init__(runner, EDITION_COLUMNS, ITEM_COLUMNS, (320, 100, 80, 70, 60, 80),
                         (40, 90, 150, 400), stretch=(0, 3), parent=parent)
        self._use_contents_model()
        self.queue = WriteQueue(lambda: runner.store, self)
        self.queue.failed.connect(self._on_error)
        self._select_after: tuple[str | None, str | None] = (None, None)
        self._edition_fields: EditionFields | None = None
        self._build_settings()
        self.actions_by_id = scoped_actions.make_actions(self, EDITIONS_SPECS, self._slots())
        for spec in EDITIONS_SPECS:
            self.toolbar.addAction(self.actions_by_id[spec.id])
        for view, ids in ((self.master_view, MASTER_MENU), (self.item_view, ITEM_MENU)):
            view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
            view.customContextMenuRequested.connect(
                lambda at, v=view, i=ids: self._context_menu(v, i, at))

    # --- building ----------------------------------------------------------------------------
    def _use_contents_model(self) -> None:
        """The contents take drops: articles from the list, and their own rows (reordering)."""
        self.item_model = ContentsModel(ITEM_COLUMNS, self)
        self.item_view.setModel(self.item_model)
        self.item_view.setDragEnabled(True)
        self.item_view.setAcceptDrops(True)
        self.item_view.setDropIndicatorShown(True)
        self.item_view.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.item_view.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.item_view.setDragDropOverwriteMode(False)
        self.item_model.article_dropped.connect(self.add_article_at)
        self.item_model.item_moved.connect(self.move_item_to)

    def _build_settings(self) -> None:
        self.settings = QGroupBox("Edition")
        form = QFormLayout(self.settings)
        self.f_title = QLineEdit()
        self.f_title.setObjectName("editionTitle")
        self.f_number = QSpinBox()
        self.f_number.setRange(0, 9999)
        self.f_number.setSpecialValueText("none")
        self.f_date = QDateEdit()
        self.f_date.setCalendarPopup(True)
        self.f_date.setDisplayFormat("dd/MM/yyyy")
        self.f_size = QComboBox()
        self.f_size.addItems(list(edit.PAGE_SIZES))
        self.f_bleed = QDoubleSpinBox()
        self.f_bleed.setRange(0, edit.MAX_BLEED_MM)
        self.f_bleed.setSuffix(" mm")
        self.f_crop = QCheckBox("Crop marks")
        self.f_cross = QCheckBox("Cross marks")
        self.f_toc = QCheckBox("Table of contents")
        self.f_layout = QComboBox()
        self.f_layout.setObjectName("editionLayout")
        self.apply = QPushButton("Apply")
        self.apply.setObjectName("editionApply")
        self.apply.clicked.connect(self.apply_settings)
        self.f_title.returnPressed.connect(self.apply_settings)
        for label, widget in (("&Title", self.f_title), ("Issue &number", self.f_number),
                              ("Issue &date", self.f_date), ("Page &size", self.f_size),
                              ("&Bleed", self.f_bleed), ("Panels from &layout", self.f_layout)):
            form.addRow(label, widget)
        for flag in (self.f_crop, self.f_cross, self.f_toc):
            form.addRow(flag)
        form.addRow(self.apply)
        self.note = plain_label("editionNote")
        self.articles = ArticleList(self.runner)
        self.articles.chosen.connect(lambda ident, title: self.add_article_at(
            ident, self._insert_index(), title))
        side = QWidget()
        box = QVBoxLayout(side)
        box.addWidget(self.settings)
        box.addWidget(self.note)
        box.addWidget(self.articles, 1)
        from pse_desk.ui.editions.printing import PrintPanel

        self.printing = PrintPanel(lambda: self.runner.store)
        self.printing.finding_chosen.connect(self._show_cause)
        self.printing.page_chosen.connect(self._show_article)
        self.printing.notice.connect(self._on_error)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.lists)
        split.addWidget(side)
        split.addWidget(self.printing)
        split.setSizes([560, 320, 420])
        self.remember_splitter("sides", split)
        self.main_layout.addWidget(split)
        self.settings.setEnabled(False)

    def _slots(self) -> dict[str, Callable[[], object]]:
        return {"editions.new": self.new_edition, "editions.duplicate": self.duplicate_edition,
                "editions.delete": self.delete_edition, "editions.add_article": self.add_article,
                "editions.add_panel": self.add_panel,
                "editions.item_up": lambda: self.step_item(-1),
                "editions.item_down": lambda: self.step_item(1),
                "editions.page_break": self.toggle_page_break,
                "editions.placement": self.cycle_placement,
                "editions.remove_item": self.remove_item,
                "editions.preflight": lambda: self.printing.run_preflight(),
                "editions.preview": lambda: self.printing.run_preview(),
                "editions.export": self.export, "editions.proofs": self.show_proofs}

    def adopt_actions(self, registry: ActionRegistry) -> None:
        # (their icons come with the window's, after the first paint: ActionRegistry)
        scoped_actions.adopt_registry(self.actions_by_id, registry, self._slots(),
                                      [self, self.toolbar], self.window())

    def _context_menu(self, view: QAbstractItemView, ids: tuple[str | None, ...],
                      at: QPoint) -> None:
        """Right-click on an edition or an item: its commands, on the row under the mouse."""
        index = view.indexAt(at)
        if index.isValid():
            view.selectRow(index.row())  # type: ignore[attr-defined]
        menu = QMenu(view)
        menu.setObjectName(f"{view.objectName()}Menu")
        for ident in ids:
            if ident is None:
                menu.addSeparator()
            else:
                menu.addAction(self.actions_by_id[ident])
        menu.popup(view.viewport().mapToGlobal(at))

    # --- reading -----------------------------------------------------------------------------
    def read_masters(self) -> Callable[[Any], list[EditionRow]]:
        return editions.list_editions

    def read_items(self, master: EditionRow) -> Callable[[Any], list[EditionItemRow]]:
        edition_id = master.id
        return lambda s: editions.edition_items(s, edition_id)

    def current_edition(self) -> EditionRow | None:
        return self._current_master()

    def current_item(self) -> EditionItemRow | None:
        rows = self.item_view.selectionModel().selectedRows()
        return self.item_model.row_at(rows[0].row()) if rows else None

    def _masters_arrived(self, rows: list[EditionRow]) -> None:
        wanted = self._select_after[0]
        super()._masters_arrived(rows)
        ids = [r.id for r in rows]
        if wanted in ids:
            self.master_view.selectRow(ids.index(wanted))
        self._read_settings()

    def _items_arrived(self, rows: list[EditionItemRow]) -> None:
        super()._items_arrived(rows)
        self.printing.titles = [r.title for r in rows if r.kind == "article"]
        wanted = self._select_after[1]
        ids = [r.id for r in rows]
        if wanted in ids:
            self.item_view.selectRow(ids.index(wanted))
        self._select_after = (None, None)
        self._read_settings()

    def _read_settings(self) -> None:
        edition = self.current_edition()
        self.printing.set_edition(edition.id if edition is not None else None)
        if edition is None:
            self.settings.setEnabled(False)
            return
        ident = edition.id

        def read(s: Any) -> tuple[EditionFields, list[Any]]:
            return edit.fields_of(live_edition(s, ident)), list_layouts(s)
        self.runner.submit("editions.settings", read, self._show_settings, self._on_error)

    def _show_settings(self, payload: tuple[EditionFields, list[Any]]) -> None:
        fields, layouts = payload
        self._edition_fields = fields
        self.settings.setEnabled(True)
        self.f_title.setText(fields.title)
        self.f_number.setValue(fields.issue_number or 0)
        day = fields.issue_date or date.today()
        self.f_date.setDate(QDate(day.year, day.month, day.day))
        self.f_size.setCurrentText(fields.page_size)
        self.f_bleed.setValue(fields.bleed_mm)
        self.f_crop.setChecked(fields.crop_marks)
        self.f_cross.setChecked(fields.cross_marks)
        self.f_toc.setChecked(fields.toc)
        self.f_layout.clear()
        self.f_layout.addItem("(no layout: only the panels listed)", None)
        for row in layouts:
            self.f_layout.addItem(row.name, row.id)
        self.f_layout.setCurrentIndex(max(0, self.f_layout.findData(fields.layout_id)))

    def form_fields(self) -> EditionFields:
        d = self.f_date.date()
        return EditionFields(title=self.f_title.text(), issue_number=self.f_number.value() or None,
                             issue_date=date(d.year(), d.month(), d.day()),
                             page_size=self.f_size.currentText(),
                             bleed_mm=round(self.f_bleed.value(), 1),
                             crop_marks=self.f_crop.isChecked(),
                             cross_marks=self.f_cross.isChecked(), toc=self.f_toc.isChecked(),
                             layout_id=self.f_layout.currentData())

    # --- printing ----------------------------------------------------------------------------
    def _show_cause(self, finding: Any) -> None:
        """A preflight finding was clicked: select the article or panel it is about."""
        wanted = getattr(finding, "article_id", None) or getattr(finding, "panel_id", None)
        for row, item in enumerate(self.item_model.rows()):
            if wanted and item.ref_id == wanted:
                self.item_view.selectRow(row)
                self.item_view.setFocus()
                return

    def _show_article(self, title: str) -> None:
        """A page was clicked: select the article it belongs to."""
        for row, item in enumerate(self.item_model.rows()):
            if item.kind == "article" and item.title == title:
                self.item_view.selectRow(row)
                return

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        if not self.articles.model.rowCount():
            self.articles.read()
        # articles may have changed in Write meanwhile: a preview on screen follows them
        self.printing.contents_changed()
        self.printing.warm_up()

    def export(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        edition = self._edition_or_say()
        if edition is None:
            return
        name = "".join(c if c.isalnum() else "-" for c in edition.title).strip("-") or "edition"
        path, chosen = QFileDialog.getSaveFileName(
            self, "Export the edition", f"{name}.pdf",
            "PDF/X-4 for the printer (*.pdf);;PDF/A-2b for the archive (*.pdf);;"
            "One HTML file (*.html)")
        if not path:
            return
        variant = ("html" if chosen.startswith("One HTML") else
                   "pdf/a-2b" if chosen.startswith("PDF/A") else "pdf/x-4")
        self.printing.run_export(Path(path), variant)

    def show_proofs(self) -> None:
        from pse_desk.ui.editions.proofs_dialog import ProofsDialog

        edition = self._edition_or_say()
        if edition is not None:
            ProofsDialog(self.runner, edition.id, edition.title, self).open()

    def prepare_to_close(self) -> None:
        self.printing.shutdown()

    def when_ready_for_screenshot(self, ready: Callable[[], None]) -> None:
        """Before the launcher's grab (``--screenshot`` renders offscreen): preflight, then
        the print preview of the selected edition (or at most 60 s). On a screen the desk
        makes no proof by itself: ``ready`` at once."""
        from PySide6.QtCore import QTimer
        from PySide6.QtGui import QGuiApplication
        from PySide6.QtPdf import QPdfDocument

        if QGuiApplication.platformName() != "offscreen":
            ready()
            return

        done = [False]

        def once(*_args: object) -> None:
            if not done[0]:
                done[0] = True
                QTimer.singleShot(300, ready)

        self.printing.preview_updated.connect(once)  # shown, every page drawn

        def loaded(status: QPdfDocument.Status) -> None:
            if status == QPdfDocument.Status.Error:
                once()

        def previewed() -> None:
            if self.printing.busy:
                QTimer.singleShot(100, previewed)
            elif self.printing.document.status() != QPdfDocument.Status.Ready:
                self.printing.document.statusChanged.connect(loaded)
                self.printing.run_preview()
                QTimer.singleShot(100, lambda: None if self.printing.busy else once())

        self.printing.run_preflight()
        QTimer.singleShot(100, previewed)
        QTimer.singleShot(60_000, once)

    # --- running changes ---------------------------------------------------------------------
    def push(self, change: Change) -> None:
        self.undo_stack.push(ServiceCommand(change, self._run))

    def _run(self, command: ServiceCommand, call: Call, focus: tuple[str | None, str | None]
             | None, undoing: bool) -> None:
        store: Store | None = self.runner.store
        if store is None:
            self._on_error("No newsroom database is open.")
            return
        first = focus is None and not undoing and not command.refused

        def done(_result: object) -> None:
            self._select_after = (focus if focus is not None else
                                  command.first_focus() or (None, None))
            self.refresh()
            self.data_changed.emit()
            self.printing.contents_changed()

        def failed(sentence: str) -> None:
            if first:
                drop_refused(self.undo_stack, command)
            self._on_error(sentence)
            self.refresh()

        self.queue.submit(lambda: call(store), done, failed, self)

    def _made(self, made: Change | str | None) -> None:
        if isinstance(made, str):
            self._on_error(made)
        elif made is not None:
            self.push(made)

    def _edition_or_say(self) -> EditionRow | None:
        edition = self.current_edition()
        if edition is None:
            self._on_error("Select an edition first (or make one with Ctrl+Alt+E).")
        return edition

    def _item_or_say(self) -> tuple[EditionRow, EditionItemRow] | None:
        edition, item = self.current_edition(), self.current_item()
        if edition is None or item is None:
            self._on_error("Select an item of the edition first.")
            return None
        return edition, item

    # --- editions ----------------------------------------------------------------------------
    def new_edition(self) -> None:
        dialog = NameDialog("New edition", "&Title", "", self, limit=edit.MAX_TITLE)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        fields = EditionFields(title=dialog.value())
        self._made(Change(f"Create the edition {quoted(fields.title)}",
                          do=lambda st: edit.create_edition(st, fields),
                          undo=lambda st, new: edit.remove_edition(st, new),
                          again=lambda st, new: edit.restore_edition(st, new),
                          focus=lambda new: (new, None)))

    def duplicate_edition(self) -> None:
        edition = self._edition_or_say()
        if edition is None:
            return
        dialog = NameDialog("Duplicate the edition", "&Title of the copy",
                            f"{edition.title} (copy)", self, limit=edit.MAX_TITLE)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        ident, title = edition.id, dialog.value()
        self._made(Change(f"Duplicate the edition {quoted(edition.title)}",
                          do=lambda st: edit.duplicate_edition(st, ident, title),
                          undo=lambda st, new: edit.remove_edition(st, new),
                          again=lambda st, new: edit.restore_edition(st, new),
                          focus=lambda new: (new, None), undo_focus=lambda _r: (ident, None)))

    def delete_edition(self) -> None:
        edition = self._edition_or_say()
        if edition is None:
            return
        ident = edition.id
        self._made(Change(f"Delete the edition {quoted(edition.title)}",
                          do=lambda st: edit.remove_edition(st, ident),
                          undo=lambda st, _r: edit.restore_edition(st, ident),
                          again=lambda st, _r: edit.remove_edition(st, ident),
                          undo_focus=lambda _r: (ident, None)))

    def apply_settings(self) -> None:
        edition = self.current_edition()
        if edition is None or self._edition_fields is None:
            return
        fields = self.form_fields()
        why = edit.refusal(fields)
        if why is not None:
            self._on_error(why)
            return
        if fields == self._edition_fields:
            return
        ident = edition.id
        self._made(Change(f"Change the settings of {quoted(edition.title)}",
                          do=lambda st: edit.update_edition(st, ident, fields),
                          undo=lambda st, old: edit.update_edition(st, ident, old),
                          again=lambda st, _old: edit.update_edition(st, ident, fields),
                          focus=lambda _r: (ident, None), undo_focus=lambda _r: (ident, None)))

    # --- contents ----------------------------------------------------------------------------
    def add_article(self) -> None:
        """Ctrl+Alt+J: to the article list's search box (Enter adds the first match after the
        selected item; or drag one into the contents)."""
        if self._edition_or_say() is not None:
            self.articles.search.setFocus()
            self.articles.search.selectAll()
            if not self.articles.model.rowCount():
                self.articles.read()

    def add_article_at(self, article_id: str, at: int | None, title: str = "") -> None:
        edition = self._edition_or_say()
        if edition is None:
            return
        ident = edition.id
        name = quoted(title) if title else "an article"
        self._made(Change(f"Add {name} to {quoted(edition.title)}",
                          do=lambda st: edit.add_article(st, ident, article_id, index=at),
                          undo=lambda st, new: edit.remove_item(st, new),
                          again=lambda st, new: edit.restore_item(
                              st, new, 10**6 if at is None else at),
                          focus=lambda new: (ident, new), undo_focus=lambda _r: (ident, None)))

    def move_item_to(self, item_id: str, at: int) -> None:
        edition = self.current_edition()
        item = next((r for r in self.item_model.rows() if r.id == item_id), None)
        if edition is None or item is None or item.position == at:
            return
        eid = edition.id
        self._made(Change(f"Move {quoted(item.title)} to place {at + 1}",
                          do=lambda st: edit.move_item(st, item_id, at),
                          undo=lambda st, old: edit.move_item(st, item_id, old),
                          again=lambda st, _old: edit.move_item(st, item_id, at),
                          focus=lambda _r: (eid, item_id), undo_focus=lambda _r: (eid, item_id)))

    def _insert_index(self) -> int | None:
        item = self.current_item()
        return item.position + 1 if item is not None else None

    def add_panel(self) -> None:
        edition = self._edition_or_say()
        if edition is None:
            return
        ident = edition.id
        self.runner.submit("editions.panels", lambda s: editions.printable_panels(s, ident),
                           lambda panels: self._choose_panel(edition, panels), self._on_error)

    def _choose_panel(self, edition: EditionRow, panels: list[PanelChoice]) -> None:
        if not panels:
            self._on_error("The edition's layout has no panels to print.")
            return
        names = [f"{p.title} ({p.layout})" for p in panels]
        name, ok = QInputDialog.getItem(self, "Add a panel", "Panel (it prints at the back; "
                                        "Ctrl+Alt+G moves it up front)", names, 0, False)
        if not ok:
            return
        panel, ident = panels[names.index(name)], edition.id
        self._made(Change(f"Print {quoted(panel.title)} in {quoted(edition.title)}",
                          do=lambda st: edit.add_panel(st, ident, panel.id),
                          undo=lambda st, new: edit.remove_item(st, new),
                          again=lambda st, new: edit.restore_item(st, new, 10**6),
                          focus=lambda new: (ident, new), undo_focus=lambda _r: (ident, None)))

    def remove_item(self) -> None:
        chosen = self._item_or_say()
        if chosen is None:
            return
        edition, item = chosen
        eid, iid = edition.id, item.id
        self._made(Change(f"Take {quoted(item.title)} out of {quoted(edition.title)}",
                          do=lambda st: edit.remove_item(st, iid),
                          undo=lambda st, place: edit.restore_item(st, iid, place),
                          again=lambda st, _p: edit.remove_item(st, iid),
                          focus=lambda _r: (eid, None), undo_focus=lambda _r: (eid, iid)))

    def step_item(self, step: int) -> None:
        chosen = self._item_or_say()
        if chosen is None:
            return
        edition, item = chosen
        target = item.position + step
        if not 0 <= target < self.item_model.rowCount():
            self._on_error("It is already the " + ("first" if step < 0 else "last") + " item.")
            return
        self._set_on_item(edition, item, f"Move {quoted(item.title)} "
                          + ("up" if step < 0 else "down"), edit.move_item, target)

    def _set_on_item(self, edition: EditionRow, item: EditionItemRow, text: str,
                     setter: Callable[[Store, str, Any], Any], value: Any) -> None:
        """An undoable change of one item: ``setter(store, item id, value)`` returns the value
        it replaced, which undo sets back."""
        eid, iid = edition.id, item.id
        self._made(Change(text, do=lambda st: setter(st, iid, value),
                          undo=lambda st, old: setter(st, iid, old),
                          again=lambda st, _old: setter(st, iid, value),
                          focus=lambda _r: (eid, iid), undo_focus=lambda _r: (eid, iid)))

    def toggle_page_break(self) -> None:
        chosen = self._item_or_say()
        if chosen is None:
            return
        edition, item = chosen
        wanted = not item.page_break_before
        self._set_on_item(edition, item, ("Start " if wanted else "Run on ") + quoted(item.title)
                          + (" on a new page" if wanted else " without a page break"),
                          edit.set_page_break, wanted)

    def cycle_placement(self) -> None:
        chosen = self._item_or_say()
        if chosen is None:
            return
        edition, item = chosen
        if item.kind != "panel":
            self._on_error("Articles print where they stand; only panels go up front or at "
                           "the back.")
            return
        order = list(edit.PLACEMENTS)
        nxt = order[(order.index(item.placement) + 1) % len(order)] \
            if item.placement in order else "front"
        self._set_on_item(edition, item, f"Print {quoted(item.title)} {PLACEMENT_NAMES[nxt]}",
                          edit.set_placement, nxt)
