"""The action registry: every command of the window declared once, with its menu, shortcut,
icon and tooltip; QActions are made from it and user overrides of shortcuts live in QSettings.

A shortcut is a ``QKeySequence.StandardKey`` where Qt has one (it then follows the platform),
else a documented key string. ``ActionRegistry.effective_shortcut`` applies the user's override.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from PySide6.QtCore import QKeyCombination, QObject, QSettings, QSize, Qt, Signal
from PySide6.QtGui import QAction, QIcon, QKeySequence, QPixmap

from pse_desk.ui.settings import SHORTCUT_PREFIX

Std = QKeySequence.StandardKey
MENUS = ("File", "Edit", "Format", "View", "Go", "Moderate", "Layout", "Editions", "Tools",
         "Help")


@dataclass(frozen=True)
class ActionSpec:
    id: str
    text: str
    menu: str
    keys: str  # documented key string, used where the platform has no standard binding
    icon: str  # qtawesome name
    tooltip: str
    standard: Std | None = None
    checkable: bool = False
    also: tuple[str, ...] = ()  # further documented keys that do the same (e.g. Ctrl+/ for F1)
    # A workspace key (e.g. "moderate"): the action's keys work only while the focus is inside
    # that workspace (Qt.WidgetWithChildrenShortcut), so single letters never fire elsewhere.
    # "editor": the Markdown editor (and its find bar) takes these keys itself while it has
    # the focus; from the menu, the command works on the open article's editor.
    scope: str = ""
    # window-wide commands whose keys this scoped one takes over inside its scope (Ctrl+F
    # finds in the article while the editor has the focus, and goes to the search box elsewhere)
    shadows: tuple[str, ...] = ()

    def default_shortcut(self) -> QKeySequence:
        if self.standard is not None:
            bound = QKeySequence.keyBindings(self.standard)
            if bound:
                return bound[0]
        return QKeySequence(self.keys)


SPECS: tuple[ActionSpec, ...] = (
    ActionSpec("file.open", "&Open database…", "File", "Ctrl+O", "mdi6.database-search",
               "Switch to another newsroom database", Std.Open),
    ActionSpec("write.new", "&New article", "File", "Ctrl+N", "mdi6.file-document-plus-outline",
               "Start a new draft article in the Write workspace", Std.New),
    ActionSpec("write.duplicate", "D&uplicate article", "File", "Ctrl+D",
               "mdi6.content-duplicate", "Make a draft copy of the open article"),
    ActionSpec("write.save_revision", "&Save a revision…", "File", "Ctrl+S",
               "mdi6.content-save-outline",
               "Save the open article's text as a named revision", Std.Save),
    ActionSpec("write.revisions", "Re&visions…", "File", "Ctrl+Shift+H", "mdi6.history",
               "The open article's revisions: compare any two, restore one"),
    ActionSpec("write.export_html", "&Export article as HTML…", "File", "Ctrl+Shift+E",
               "mdi6.file-export-outline",
               "Write the open article as one standalone HTML page"),
    ActionSpec("write.close_tab", "&Close article", "File", "Ctrl+W", "mdi6.close-box-outline",
               "Close the open article's tab (its text is saved)"),
    ActionSpec("file.import", "&Import WordPress or Disqus…", "File", "Ctrl+Shift+O",
               "mdi6.database-import-outline",
               "Import a WordPress (WXR) or Disqus export: a dry run first, then the import"),
    ActionSpec("file.export", "E&xport the newsroom…", "File", "Ctrl+Shift+X",
               "mdi6.database-export-outline",
               "Articles as Markdown with front matter, comments as CSV, or a whole-newsroom "
               "dump"),
    ActionSpec("file.backup", "&Back up now", "File", "Ctrl+Shift+B", "mdi6.backup-restore",
               "Make a checked backup of the newsroom database (kept: 7 daily, 4 weekly)"),
    ActionSpec("file.restore", "&Restore from a backup…", "File", "Ctrl+Shift+R",
               "mdi6.database-refresh-outline",
               "Put a backup in place of the open database (the current file is kept aside)"),
    ActionSpec("file.quit", "&Quit", "File", "Ctrl+Q", "mdi6.exit-to-app",
               "Close PSE Desk", Std.Quit),
    ActionSpec("edit.undo", "&Undo", "Edit", "Ctrl+Z", "mdi6.undo",
               "Undo the last change in this workspace", Std.Undo),
    ActionSpec("edit.redo", "&Redo", "Edit", "Ctrl+Shift+Z", "mdi6.redo",
               "Redo the change just undone", Std.Redo, also=("Ctrl+Shift+Z",)),
    ActionSpec("edit.find", "&Find…", "Edit", "Ctrl+F", "mdi6.magnify",
               "Put the cursor in this workspace's search box", Std.Find),
    # --- the article editor: keys of its own while it has the focus, menu entries for all ----
    ActionSpec("editor.find", "Find in &article…", "Edit", "Ctrl+F", "mdi6.text-search",
               "Find words or a pattern in the open article (the bar under the text)",
               Std.Find, scope="editor", shadows=("edit.find",)),
    ActionSpec("editor.replace", "R&eplace in article…", "Edit", "Ctrl+H",
               "mdi6.find-replace", "Find and replace in the open article; Replace all is one "
               "undo step", scope="editor"),
    ActionSpec("editor.find_next", "Find &next", "Edit", "F3", "mdi6.chevron-double-down",
               "Select the next match in the open article", scope="editor"),
    ActionSpec("editor.find_previous", "Find pre&vious", "Edit", "Shift+F3",
               "mdi6.chevron-double-up", "Select the previous match in the open article",
               scope="editor"),
    ActionSpec("write.insert_image", "Insert &image…", "Edit", "Ctrl+Shift+I",
               "mdi6.image-plus-outline", "Insert an image file at the cursor (it is stored "
               "in the database)"),
    ActionSpec("write.delete", "&Delete article", "Edit", "Ctrl+Shift+Del",
               "mdi6.delete-outline", "Delete the open article (Ctrl+Z brings it back)"),
    ActionSpec("edit.preferences", "&Preferences…", "Edit", "Ctrl+,", "mdi6.cog-outline",
               "Theme and other preferences"),
    ActionSpec("editor.bold", "&Bold", "Format", "Ctrl+B", "mdi6.format-bold",
               "Make the selection (or the word) bold, or plain again", Std.Bold,
               scope="editor"),
    ActionSpec("editor.italic", "&Italic", "Format", "Ctrl+I", "mdi6.format-italic",
               "Make the selection (or the word) italic, or plain again", Std.Italic,
               scope="editor"),
    ActionSpec("editor.link", "&Link…", "Format", "Ctrl+K", "mdi6.link-variant",
               "Make the selection a link; type the address over “url”", scope="editor"),
    ActionSpec("view.dark_theme", "&Dark theme", "View", "Ctrl+Shift+D", "mdi6.theme-light-dark",
               "Switch between the light and the dark theme", checkable=True),
    ActionSpec("view.mobile_preview", "&Mobile-width preview", "View", "Ctrl+Shift+M",
               "mdi6.cellphone", "Show the article preview at a phone's width",
               checkable=True),
    ActionSpec("view.remote_images", "Load r&emote images in the preview", "View",
               "Ctrl+Alt+R", "mdi6.image-sync-outline",
               "Let the preview of this article load https: images (all else stays blocked)",
               checkable=True),
    ActionSpec("view.refresh", "&Refresh", "View", "F5", "mdi6.refresh",
               "Read this workspace again from the database", Std.Refresh),
    ActionSpec("view.full_screen", "&Full screen", "View", "F11", "mdi6.fullscreen",
               "Use the whole screen", Std.FullScreen, checkable=True),
    ActionSpec("go.write", "&Write", "Go", "Ctrl+1", "mdi6.file-document-edit-outline",
               "Articles and their text"),
    ActionSpec("go.moderate", "&Moderate", "Go", "Ctrl+2", "mdi6.comment-check-outline",
               "Reader comments waiting for a decision"),
    ActionSpec("go.layout", "&Layout", "Go", "Ctrl+3", "mdi6.view-dashboard-outline",
               "The site's panels and their items"),
    ActionSpec("go.editions", "&Editions", "Go", "Ctrl+4", "mdi6.book-open-page-variant-outline",
               "Print editions and what goes in them"),
    # --- the Moderate workspace (issue 5): its keys work only while it has the focus --------
    ActionSpec("moderate.next", "&Next comment", "Moderate", "J", "mdi6.chevron-down",
               "Show the next comment", scope="moderate"),
    ActionSpec("moderate.previous", "&Previous comment", "Moderate", "K", "mdi6.chevron-up",
               "Show the previous comment", scope="moderate"),
    ActionSpec("moderate.approve", "&Approve", "Moderate", "A", "mdi6.check",
               "Approve this comment and move on", scope="moderate"),
    ActionSpec("moderate.reject", "&Reject", "Moderate", "R", "mdi6.close",
               "Reject this comment and move on", scope="moderate"),
    ActionSpec("moderate.spam", "&Spam", "Moderate", "S", "mdi6.email-alert-outline",
               "Mark this comment as spam and move on", scope="moderate"),
    ActionSpec("moderate.select", "Se&lect", "Moderate", "Space",
               "mdi6.checkbox-marked-outline",
               "Add this comment to the selection, or take it out", scope="moderate"),
    ActionSpec("moderate.select_next", "Select and &move on", "Moderate", "X",
               "mdi6.playlist-check", "Add this comment to the selection and show the next",
               scope="moderate"),
    ActionSpec("moderate.approve_selection", "Approve selection", "Moderate", "Shift+A",
               "mdi6.check-all", "Approve every selected comment", scope="moderate"),
    ActionSpec("moderate.reject_selection", "Reject selection", "Moderate", "Shift+R",
               "mdi6.close-box-multiple-outline", "Reject every selected comment",
               scope="moderate"),
    ActionSpec("moderate.select_all", "Select the whole listing", "Moderate", "Ctrl+Shift+A",
               "mdi6.checkbox-multiple-marked-outline",
               "Select every comment of this queue or search (up to 100,000)",
               scope="moderate"),
    ActionSpec("moderate.clear_selection", "Clear selection", "Moderate", "Shift+X",
               "mdi6.checkbox-blank-off-outline", "Select nothing", scope="moderate"),
    ActionSpec("moderate.ban", "&Ban commenter…", "Moderate", "B",
               "mdi6.account-cancel-outline",
               "Ban this comment's author and reject their pending comments", scope="moderate"),
    ActionSpec("moderate.next_queue", "Next &queue", "Moderate", "T", "mdi6.skip-next-outline",
               "Go to the next queue", scope="moderate"),
    ActionSpec("moderate.search", "Search c&omments", "Moderate", "/", "mdi6.magnify-scan",
               "Search: words, user:, article:, status:, rule:, before:, after:",
               scope="moderate"),
    ActionSpec("moderate.rules", "R&ules…", "Moderate", "Ctrl+Alt+U", "mdi6.gavel",
               "Add, edit and try moderation rules", scope="moderate"),
    ActionSpec("moderate.audit", "Au&dit log…", "Moderate", "Ctrl+Alt+L",
               "mdi6.clipboard-text-clock-outline",
               "Every moderation decision, with filters and CSV export", scope="moderate"),
    ActionSpec("moderate.shortcuts", "Moderation &keys", "Moderate", "?",
               "mdi6.help-circle-outline", "The keys of the Moderate workspace",
               scope="moderate"),
    ActionSpec("layout.add_panel", "&Add panel…", "Layout", "Ctrl+Alt+N", "mdi6.card-plus-outline",
               "Add a panel to the selected region", scope="layout"),
    ActionSpec("layout.rename_panel", "Re&name panel…", "Layout", "F2", "mdi6.rename-box",
               "Give the selected panel another title", scope="layout"),
    ActionSpec("layout.duplicate_panel", "D&uplicate panel", "Layout", "Ctrl+Alt+D",
               "mdi6.content-duplicate",
               "Copy the selected panel, with its items, just below it", scope="layout"),
    ActionSpec("layout.toggle_panel", "&Enable or disable panel", "Layout", "Ctrl+E",
               "mdi6.eye-off-outline",
               "Show or hide the selected panel on the page", scope="layout"),
    ActionSpec("layout.remove_panel", "&Remove panel", "Layout", "Del", "mdi6.card-remove-outline",
               "Remove the selected panel (undo brings it back)", scope="layout"),
    ActionSpec("layout.move_up", "Move panel &up", "Layout", "Alt+Up", "mdi6.arrow-up",
               "Move the selected panel up within its region", scope="layout"),
    ActionSpec("layout.move_down", "Move panel &down", "Layout", "Alt+Down", "mdi6.arrow-down",
               "Move the selected panel down within its region", scope="layout"),
    ActionSpec("layout.move_left", "Move panel to the &previous region", "Layout", "Alt+Left",
               "mdi6.arrow-left",
               "Move the selected panel to the region before its own", scope="layout"),
    ActionSpec("layout.move_right", "Move panel to the ne&xt region", "Layout", "Alt+Right",
               "mdi6.arrow-right",
               "Move the selected panel to the region after its own", scope="layout"),
    ActionSpec("layout.add_article", "Add ar&ticle…", "Layout", "Ctrl+Alt+A",
               "mdi6.file-plus-outline",
               "Pick a published article for the selected panel", scope="layout"),
    ActionSpec("layout.add_link", "Add lin&k…", "Layout", "Ctrl+Alt+I", "mdi6.link-plus",
               "Add an external link (a video, a report) to the selected panel", scope="layout"),
    ActionSpec("layout.pin_item", "&Pin item…", "Layout", "Ctrl+Alt+P", "mdi6.pin-outline",
               "Keep the selected item on top, from and until a date and time", scope="layout"),
    ActionSpec("layout.item_up", "Move item up", "Layout", "Alt+Shift+Up", "mdi6.chevron-up",
               "Move the selected item up in its panel", scope="layout"),
    ActionSpec("layout.item_down", "Move item down", "Layout", "Alt+Shift+Down",
               "mdi6.chevron-down",
               "Move the selected item down in its panel", scope="layout"),
    ActionSpec("layout.remove_item", "Remove item", "Layout", "Shift+Del", "mdi6.playlist-remove",
               "Remove the selected item from its panel", scope="layout"),
    ActionSpec("layout.preview_at", "Preview &at…", "Layout", "Ctrl+Alt+T", "mdi6.clock-outline",
               "Show the page as it will look at a chosen date and time", scope="layout"),
    ActionSpec("layout.compare", "&Compare layouts…", "Layout", "Ctrl+Alt+C",
               "mdi6.compare-horizontal",
               "Two layouts side by side: which panels and items differ", scope="layout"),
    ActionSpec("layout.history", "Layout &history…", "Layout", "Ctrl+Alt+H", "mdi6.history",
               "Every saved change of this layout; restore any of them", scope="layout"),
    ActionSpec("layout.new_layout", "New &layout…", "Layout", "Ctrl+Alt+Shift+N",
               "mdi6.view-dashboard-edit-outline",
               "Start an empty named layout", scope="layout"),
    ActionSpec("layout.duplicate_layout", "Duplicate la&yout…", "Layout", "Ctrl+Alt+Shift+D",
               "mdi6.content-copy",
               "Copy this layout under a new name", scope="layout"),
    ActionSpec("layout.rename_layout", "Rename layout…", "Layout", "Ctrl+Alt+Shift+R",
               "mdi6.form-textbox",
               "Give this layout another name", scope="layout"),
    ActionSpec("layout.activate_layout", "Make layout acti&ve", "Layout", "Ctrl+Alt+Shift+A",
               "mdi6.star-outline",
               "Make this layout the one the site, the Write preview and the export "
               "use", scope="layout"),
    ActionSpec("layout.remove_layout", "Remove layout", "Layout", "Ctrl+Alt+Shift+Del",
               "mdi6.delete-outline",
               "Remove this layout (undo brings it back)", scope="layout"),
    ActionSpec("editions.new", "&New edition…", "Editions", "Ctrl+Alt+E", "mdi6.book-plus-outline",
               "Start a new print edition", scope="editions"),
    ActionSpec("editions.duplicate", "D&uplicate edition…", "Editions", "Ctrl+Alt+Shift+E",
               "mdi6.book-multiple-outline",
               "Copy the selected edition, with its contents", scope="editions"),
    ActionSpec("editions.delete", "&Delete edition", "Editions", "Ctrl+Alt+Shift+X",
               "mdi6.book-remove-outline",
               "Remove the selected edition (undo brings it back)", scope="editions"),
    ActionSpec("editions.add_article", "Add &article…", "Editions", "Ctrl+Alt+J",
               "mdi6.file-plus-outline",
               "Add an article to the selected edition", scope="editions"),
    ActionSpec("editions.add_panel", "Add &panel…", "Editions", "Ctrl+Alt+Shift+P",
               "mdi6.card-plus-outline",
               "Print a panel of the edition's layout (up front, inline or at the "
               "back)", scope="editions"),
    ActionSpec("editions.item_up", "Move item &up", "Editions", "Ctrl+Alt+Up", "mdi6.arrow-up",
               "Move the selected item earlier in print order", scope="editions"),
    ActionSpec("editions.item_down", "Move item do&wn", "Editions", "Ctrl+Alt+Down",
               "mdi6.arrow-down",
               "Move the selected item later in print order", scope="editions"),
    ActionSpec("editions.page_break", "&Page break before", "Editions", "Ctrl+Alt+B",
               "mdi6.format-page-break",
               "Start the selected item on a new page (or not)", scope="editions"),
    ActionSpec("editions.placement", "Panel &placement", "Editions", "Ctrl+Alt+G",
               "mdi6.page-layout-header-footer",
               "Print the selected panel up front, inline or at the back", scope="editions"),
    ActionSpec("editions.remove_item", "&Remove item", "Editions", "Ctrl+Alt+X",
               "mdi6.playlist-remove",
               "Take the selected item out of the edition", scope="editions"),
    ActionSpec("editions.preflight", "Pre&flight", "Editions", "Ctrl+Alt+F",
               "mdi6.clipboard-check-outline",
               "Check the edition for what a printer would refuse, before exporting",
               scope="editions"),
    ActionSpec("editions.preview", "Print pre&view", "Editions", "Ctrl+Alt+V",
               "mdi6.file-eye-outline", "Make a proof and show its pages", scope="editions"),
    ActionSpec("editions.export", "E&xport PDF…", "Editions", "Ctrl+Alt+S",
               "mdi6.file-pdf-box", "Export the edition as PDF/X-4, PDF/A-2b or one HTML file",
               scope="editions"),
    ActionSpec("editions.proofs", "Pr&oofs…", "Editions", "Ctrl+Alt+O",
               "mdi6.file-compare",
               "Every export of this edition: export one again, or compare two page by page",
               scope="editions"),
    # --- sync with the hub (issue 12): F5 stays Refresh, so Sync now has F9 -------------------
    ActionSpec("sync.now", "S&ync now", "Tools", "F9", "mdi6.cloud-sync-outline",
               "Send this desk's changes to the newsroom hub and receive the others' "
               "(Preferences > Hub)"),
    ActionSpec("sync.cancel", "&Cancel the sync", "Tools", "Shift+F9", "mdi6.cloud-cancel-outline",
               "Stop the sync that is running; what was sent and received is kept"),
    ActionSpec("sync.log", "Sync &log…", "Tools", "Ctrl+F9", "mdi6.cloud-check-outline",
               "Every sync with the hub: when, what moved, what went wrong"),
    ActionSpec("tools.shortcuts", "Customise &shortcuts…", "Tools", "Ctrl+Alt+K",
               "mdi6.keyboard-settings-outline", "Change the keys of any command"),
    ActionSpec("help.shortcuts", "&Keyboard shortcuts", "Help", "F1", "mdi6.keyboard-outline",
               "Every command and its keys", Std.HelpContents, also=("Ctrl+/",)),
    ActionSpec("help.log", "Show &log", "Help", "Ctrl+Shift+L", "mdi6.text-box-search-outline",
               "What the desk wrote in its log (beside the database)"),
    ActionSpec("help.about", "&About PSE Desk", "Help", "Ctrl+F1", "mdi6.information-outline",
               "Version and licence"),
)


def spec(action_id: str) -> ActionSpec:
    for s in SPECS:
        if s.id == action_id:
            return s
    raise KeyError(action_id)


def default_editor_keys() -> dict[int, str]:
    """``ActionRegistry.editor_keys`` with the default keys: an editor outside a window."""
    return {combined(s.default_shortcut()): s.id for s in SPECS if s.scope == "editor"}


def combined(keys: QKeySequence) -> int:
    """The first key of ``keys`` and its modifiers as one int (how the editor looks keys up)."""
    first: QKeyCombination = keys[0]  # type: ignore[index]  # its __getitem__ is not typed
    return first.toCombined()


class ActionRegistry(QObject):
    """Makes one QAction per spec and keeps their shortcuts in step with QSettings."""

    shortcuts_changed = Signal()  # the user chose other keys for a command

    def __init__(self, settings: QSettings, parent: QObject | None = None,
                 specs: Iterable[ActionSpec] = SPECS) -> None:
        super().__init__(parent)
        self._settings = settings
        self.specs: tuple[ActionSpec, ...] = tuple(specs)
        self._actions: dict[str, QAction] = {}
        for s in self.specs:
            act = QAction(s.text, self)
            act.setObjectName(s.id)
            act.setToolTip(f"{s.tooltip}")
            act.setStatusTip(s.tooltip)
            act.setCheckable(s.checkable)
            if s.scope == "editor":  # the editor reads these keys itself (``editor_keys``);
                # the QAction shows them in its menu and never fires on them
                act.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            self._actions[s.id] = act
            self._apply_keys(s.id)

    def scoped(self, scope: str) -> list[QAction]:
        return [self._actions[s.id] for s in self.specs if s.scope == scope]

    def __getitem__(self, action_id: str) -> QAction:
        return self._actions[action_id]

    def actions(self) -> list[QAction]:
        return [self._actions[s.id] for s in self.specs]

    def in_menu(self, menu: str) -> list[QAction]:
        return [self._actions[s.id] for s in self.specs if s.menu == menu]

    def connect(self, action_id: str,  # type: ignore[override]  # not QObject.connect
                slot: Callable[..., object]) -> None:
        """Run ``slot`` when the action ``action_id`` is triggered."""
        self._actions[action_id].triggered.connect(slot)

    def effective_shortcut(self, action_id: str) -> QKeySequence:
        stored = self._settings.value(SHORTCUT_PREFIX + action_id)
        if isinstance(stored, str) and stored:
            return QKeySequence(stored)
        return spec(action_id).default_shortcut()

    def set_shortcut(self, action_id: str, keys: QKeySequence) -> None:
        """Store the user's choice (or forget it when it equals the default) and apply it."""
        key = SHORTCUT_PREFIX + action_id
        if keys == spec(action_id).default_shortcut():
            self._settings.remove(key)
        else:
            self._settings.setValue(key, keys.toString(QKeySequence.SequenceFormat.PortableText))
        self._apply_keys(action_id)
        self.shortcuts_changed.emit()

    def _apply_keys(self, action_id: str) -> None:
        main = self.effective_shortcut(action_id)
        extra = [QKeySequence(k) for k in spec(action_id).also]
        self._actions[action_id].setShortcuts([main, *[k for k in extra if k != main]])

    def shortcut_text(self, action_id: str) -> str:
        """All keys of an action as the user reads them, e.g. "F1, Ctrl+/"."""
        return ", ".join(k.toString(QKeySequence.SequenceFormat.NativeText)
                         for k in self._actions[action_id].shortcuts())

    def collisions(self) -> dict[str, list[str]]:
        """Shortcut text -> action ids, for every shortcut used by more than one action."""
        used: dict[str, list[str]] = {}
        for s in self.specs:
            for keys in self._actions[s.id].shortcuts():
                text = keys.toString(QKeySequence.SequenceFormat.PortableText)
                if text:
                    used.setdefault(text, []).append(s.id)
        return {k: ids for k, ids in used.items()
                if len(ids) > 1 and not self._shadowing(ids)}

    @staticmethod
    def _shadowing(ids: list[str]) -> bool:
        """Two actions of which the scoped one takes the other's keys inside its scope."""
        if len(ids) != 2:
            return False
        a, b = spec(ids[0]), spec(ids[1])
        return a.id in b.shadows or b.id in a.shadows

    def editor_keys(self) -> dict[int, str]:
        """Key combination -> id of the editor command it runs (the user's choice of keys)."""
        return {combined(keys): action_id
                for action_id in (s.id for s in self.specs if s.scope == "editor")
                for keys in self._actions[action_id].shortcuts() if not keys.isEmpty()}

    def reserve_icons(self, size: QSize) -> None:
        """Give every action a blank icon of ``size`` until ``apply_icons``: toolbars are laid
        out with room for their icons from the first paint, so nothing moves when the real
        icons arrive (qtawesome is loaded after the window shows its data)."""
        blank = QPixmap(size)
        blank.fill(Qt.GlobalColor.transparent)
        icon = QIcon(blank)
        for act in self._actions.values():
            if act.icon().isNull():
                act.setIcon(icon)

    def apply_icons(self, make_icon: Callable[[str], QIcon]) -> None:
        """Set every action's icon; called after the first paint (qtawesome takes ~0.3 s)."""
        for s in self.specs:
            self._actions[s.id].setIcon(make_icon(s.icon))
