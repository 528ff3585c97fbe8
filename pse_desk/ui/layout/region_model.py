"""The page's regions and their panels as a tree: a region per top row, its panels below it in
page order (disabled ones greyed, ones with warnings marked), and the Unplaced tray when a panel's
region is not in the template.

Dragging a panel onto a region or between panels does not move the row in the model: the model
asks for the move (``move_requested``), the workspace saves it as an undoable command, and the
tree is rebuilt from the saved layout, so what it shows is always what is stored.
"""

from __future__ import annotations

from PySide6.QtCore import QMimeData, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QStandardItem, QStandardItemModel

from pse_desk.layout.validate import describe
from pse_desk.layout.values import UNPLACED, ResolvedPanel
from pse_desk.render.page import region_label

MIME = "application/x-pse-desk-panel"
PANEL_ID = Qt.ItemDataRole.UserRole + 1
REGION = Qt.ItemDataRole.UserRole + 2
ModelIndex = QModelIndex | QPersistentModelIndex


class RegionModel(QStandardItemModel):
    move_requested = Signal(str, str, int)  # panel id, region, index among its new siblings

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setHorizontalHeaderLabels(["Regions and panels, in page order"])
        self.regions: tuple[str, ...] = ()
        self._icons: dict[str, object] = {}

    def set_icons(self, warning: object, off: object) -> None:
        self._icons = {"warning": warning, "off": off}

    # --- filling ---------------------------------------------------------------------------
    def fill(self, regions: tuple[str, ...], panels: list[ResolvedPanel]) -> None:
        """Rebuild from resolved panels (every panel of the layout, page order per region)."""
        self.regions = regions
        self.removeRows(0, self.rowCount())
        by_region: dict[str, list[ResolvedPanel]] = {r: [] for r in regions}
        tray: list[ResolvedPanel] = []
        for rp in sorted(panels, key=lambda p: (p.panel.rank, p.panel.id)):
            by_region.get(rp.panel.region, tray).append(rp)
        for region in regions:
            self._region_row(region, region_label(region), by_region[region])
        if tray:
            self._region_row(UNPLACED, "Unplaced (region not on the page)", tray)

    def _region_row(self, region: str, label: str, panels: list[ResolvedPanel]) -> None:
        row = QStandardItem(f"{label}  ({len(panels)})")
        row.setData(region, REGION)
        row.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                     | Qt.ItemFlag.ItemIsDropEnabled)
        font = row.font()
        font.setBold(True)
        row.setFont(font)
        for rp in panels:
            row.appendRow(self._panel_row(rp))
        self.appendRow(row)

    def _panel_row(self, rp: ResolvedPanel) -> QStandardItem:
        panel = rp.panel
        title = " ".join(panel.title.split())
        text = title if len(title) <= 80 else title[:79] + "…"
        shown = len(rp.items)
        text += f"  — {shown} shown" + ("" if panel.enabled else ", disabled")
        item = QStandardItem(text)
        item.setData(panel.id, PANEL_ID)
        item.setData(panel.region, REGION)
        item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                      | Qt.ItemFlag.ItemIsDragEnabled)
        tips = [f"{title}\n{shown} item(s) shown; source: {panel.source.kind}"]
        if rp.warnings:
            tips.append(describe(rp.warnings))
            if "warning" in self._icons:
                item.setIcon(self._icons["warning"])  # type: ignore[arg-type]
        elif not panel.enabled and "off" in self._icons:
            item.setIcon(self._icons["off"])  # type: ignore[arg-type]
        if not panel.enabled:
            item.setForeground(QBrush(QColor(128, 128, 128)))
        item.setToolTip("\n".join(tips))
        item.setAccessibleText(text)
        return item

    # --- finding ---------------------------------------------------------------------------
    def index_of_panel(self, panel_id: str) -> QModelIndex:
        for r in range(self.rowCount()):
            region = self.item(r)
            for c in range(region.rowCount()):
                if region.child(c).data(PANEL_ID) == panel_id:
                    return region.child(c).index()
        return QModelIndex()

    def index_of_region(self, region: str) -> QModelIndex:
        for r in range(self.rowCount()):
            if self.item(r).data(REGION) == region:
                return self.item(r).index()
        return QModelIndex()

    # --- drag and drop ---------------------------------------------------------------------
    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:
        return [MIME]

    def mimeData(self, indexes: list[QModelIndex]) -> QMimeData:  # type: ignore[override]
        data = QMimeData()
        ids = [i.data(PANEL_ID) for i in indexes if i.data(PANEL_ID)]
        if ids:
            data.setData(MIME, str(ids[0]).encode())
        return data

    def canDropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int,
                        parent: ModelIndex) -> bool:
        return data.hasFormat(MIME) and self._target(row, parent) is not None

    def _target(self, row: int, parent: ModelIndex) -> tuple[str, int] | None:
        if not parent.isValid():
            return None  # between regions: no region to drop into
        region_index = parent if not parent.data(PANEL_ID) else parent.parent()
        region = region_index.data(REGION)
        if not region or region == UNPLACED:
            return None  # panels leave the tray, never go into it
        if parent.data(PANEL_ID):  # dropped onto a panel: just before it
            row = parent.row()
        count = self.rowCount(region_index)
        return str(region), count if row < 0 else row

    def dropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int,
                     parent: ModelIndex) -> bool:
        target = self._target(row, parent)
        if not data.hasFormat(MIME) or target is None:
            return False
        panel_id = bytes(data.data(MIME).data()).decode()
        region, index = target
        source = self.index_of_panel(panel_id)
        if source.isValid() and source.parent().data(REGION) == region \
                and source.row() < index:
            index -= 1  # its own row, above the drop point, is not among its new siblings
        self.move_requested.emit(panel_id, region, index)
        return False  # the tree is rebuilt from the saved move
