"""Backups from the window (Ctrl+Shift+B, on quit) and the dialog for a damaged database."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel

from pse_desk.store import backup, salvage

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def _damage(db: Path, table: str) -> None:
    con = sqlite3.connect(db)
    try:
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        size = con.execute("PRAGMA page_size").fetchone()[0]
        pages = [r[0] for r in con.execute(
            "SELECT pageno FROM dbstat WHERE name = ? AND pagetype = 'leaf' ORDER BY pageno",
            (table,))]
    finally:
        con.close()
    with db.open("r+b") as fh:
        fh.seek((pages[len(pages) // 2] - 1) * size)
        fh.write(b"\xde\xad" * (size // 2))


def test_ctrl_shift_b_makes_a_checked_backup_and_says_so(qtbot, open_window,
                                                         demo_db: Path) -> None:
    window = open_window(demo_db)
    qtbot.keyClick(window, Qt.Key.Key_B, CTRL_SHIFT)
    qtbot.waitUntil(lambda: "Backed up to" in window.statusBar().currentMessage(),
                    timeout=15000)
    made = backup.list_backups(demo_db)
    assert len(made) == 1 and backup.check_backup(made[0].path) is None
    assert window.store is not None  # the desk kept working on its database


def test_quitting_backs_up_once_when_something_changed(qtbot, open_window, desk_settings,
                                                       demo_db: Path) -> None:
    desk_settings.setValue("backup/automatic", True)
    window = open_window(demo_db)
    qtbot.waitUntil(lambda: len(backup.list_backups(demo_db)) == 1, timeout=15000)  # daily
    qtbot.waitUntil(lambda: not window.backups.running, timeout=15000)
    first = backup.list_backups(demo_db)[0]
    window.close()
    assert backup.list_backups(demo_db)[0] == first  # nothing changed since: no new one


def _preferences(qtbot, window):  # type: ignore[no-untyped-def]
    from pse_desk.ui.preferences import PreferencesDialog

    qtbot.waitUntil(lambda: window.findChild(PreferencesDialog) is None)  # the last one went
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    qtbot.keyClick(window, Qt.Key.Key_Comma, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.findChild(PreferencesDialog) is not None)
    dialog = window.findChild(PreferencesDialog)
    qtbot.waitUntil(dialog.isVisible)
    dialog.pages.setCurrentIndex(dialog.pages.count() - 1)
    assert dialog.pages.tabText(dialog.pages.currentIndex()) == "Backups"
    return dialog


def test_preferences_turn_automatic_backups_on_and_off_at_once(qtbot, open_window,
                                                                desk_settings,
                                                                demo_db: Path) -> None:
    window = open_window(demo_db)  # the tests' settings: automatic backups off
    assert not window.backups.timer.isActive()
    dialog = _preferences(qtbot, window)
    assert not dialog.backup_box.isChecked()
    page = dialog.pages.currentWidget()
    assert any("demo.sqlite.backups" in label.text() for label in page.findChildren(QLabel))
    qtbot.mouseClick(dialog.backup_box, Qt.MouseButton.LeftButton)
    qtbot.keyClick(dialog, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert desk_settings.value("backup/automatic") in (True, "true")
    qtbot.waitUntil(lambda: len(backup.list_backups(demo_db)) == 1, timeout=15000)  # due
    assert window.backups.timer.isActive()

    dialog = _preferences(qtbot, window)
    assert dialog.backup_box.isChecked()
    qtbot.mouseClick(dialog.backup_box, Qt.MouseButton.LeftButton)
    qtbot.keyClick(dialog, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not window.backups.timer.isActive())
    assert desk_settings.value("backup/automatic") in (False, "false")


def test_the_salvage_dialog_recovers_and_keeps_the_damaged_file(qtbot, demo_db: Path) -> None:
    from pse_desk.ui.salvage_dialog import SalvageDialog

    _damage(demo_db, "comment")
    found = salvage.diagnose(demo_db)
    assert found is not None
    dialog = SalvageDialog(found)
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.restore_button.isEnabled()  # no backup yet: said on the button
    assert "No backup" in dialog.restore_button.text()
    qtbot.mouseClick(dialog.recover_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(dialog.open_button.isVisible, timeout=30000)
    assert "rows were recovered" in dialog.message.text()
    assert salvage.diagnose(demo_db) is None
    assert list(demo_db.parent.glob("demo.sqlite.damaged-*"))
    qtbot.keyClick(dialog, Qt.Key.Key_Return)
    assert dialog.result() == dialog.DialogCode.Accepted


def test_damage_found_after_opening_offers_the_newest_backup(qtbot, open_window,
                                                             demo_db: Path) -> None:
    made = backup.back_up(demo_db)
    with sqlite3.connect(demo_db) as con:
        articles = con.execute("SELECT count(*) FROM article").fetchone()[0]
    _damage(demo_db, "comment")
    window = open_window(demo_db, wait=False)
    qtbot.waitUntil(lambda: getattr(window, "salvage_dialog", None) is not None
                    and window.salvage_dialog.isVisible(), timeout=20000)
    dialog = window.salvage_dialog
    assert window.store is None  # released before anything is moved
    assert made.label in dialog.restore_button.text()
    qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(dialog.open_button.isVisible, timeout=20000)
    qtbot.mouseClick(dialog.open_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.store is not None, timeout=20000)
    assert salvage.diagnose(demo_db) is None
    with sqlite3.connect(demo_db) as con:
        assert con.execute("SELECT count(*) FROM article").fetchone()[0] == articles
    QApplication.processEvents()


def test_a_damaged_database_at_launch_is_diagnosed_for_the_dialog(demo_db: Path) -> None:
    import argparse

    from pse_desk.ui.launch import _preflight_refusal

    args = argparse.Namespace(db=str(demo_db))
    assert _preflight_refusal(args) == (None, None)
    demo_db.with_name(demo_db.name + "-wal").write_bytes(b"\x01" * 64)  # not SQLite's WAL
    sentence, found = _preflight_refusal(args)
    assert found is not None and found.readable
    assert sentence is not None and "write-ahead log" in sentence
    demo_db.with_name(demo_db.name + "-wal").unlink()
    demo_db.write_bytes(b"<html>not a newsroom</html>" * 50)
    sentence, found = _preflight_refusal(args)
    assert found is not None and not found.readable and "not an SQLite" in found.problem


SAMPLE_WXR = Path(__file__).resolve().parent.parent / "data" / "wxr-1.2-sample.xml"


def _article_count(db: Path) -> int:
    with sqlite3.connect(db) as con:
        return int(con.execute("SELECT count(*) FROM article").fetchone()[0])


def test_file_import_shows_a_dry_run_first_then_imports(qtbot, open_window, demo_db: Path,
                                                        monkeypatch) -> None:
    from PySide6.QtWidgets import QFileDialog

    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        lambda *a, **k: (str(SAMPLE_WXR), "WordPress export (WXR) (*.xml)"))
    window = open_window(demo_db)
    before = _article_count(demo_db)
    qtbot.keyClick(window, Qt.Key.Key_O, CTRL_SHIFT)
    dialog = window.import_dialog
    qtbot.waitUntil(dialog.import_button.isEnabled, timeout=20000)
    assert "Would import" in dialog.report.toPlainText()
    assert "Nothing was written" in dialog.report.toPlainText()
    assert _article_count(demo_db) == before  # the first step writes nothing
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.imported_all, timeout=20000)
    assert dialog.report.toPlainText().startswith("Imported")
    assert _article_count(demo_db) > before
