"""The desk's QSettings: one INI file per user (organisation "PSE", application "PSE Desk").

Keys live here so no module invents its own spelling. Tests point the INI folder at a temporary
directory with ``QSettings.setPath(QSettings.IniFormat, QSettings.UserScope, folder)``.
"""

from __future__ import annotations

from PySide6.QtCore import QSettings

from pse_desk.paths import APP_NAME, ORG_NAME

GEOMETRY = "window/geometry"
STATE = "window/state"
WORKSPACE = "window/workspace"
THEME = "appearance/theme"
SPLITTER_PREFIX = "splitters/"
SHORTCUT_PREFIX = "shortcuts/"
EDITOR_FONT = "editor/font"  # family; "" is the system's fixed-width font
EDITOR_FONT_SIZE = "editor/font_size"  # points; 0 is the system's size
SPELLING = "editor/spelling"
AUTOSAVE_PAUSE = "editor/autosave_pause_s"
PREVIEW_WIDTH = "preview/width"  # desktop | mobile
ACTOR = "moderation/actor"  # the name the audit trail records; "" is the login name
BACKGROUND_SYNC = "sync/background"  # sync with the hub every SYNC_INTERVAL seconds
SYNC_INTERVAL = "sync/interval_s"
AUTO_BACKUP = "backup/automatic"  # a checked backup daily and on quit (7 daily, 4 weekly kept)


def desk_settings() -> QSettings:
    """The user's settings (an INI file, so tests and users can read it)."""
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORG_NAME, APP_NAME)


def read_str(settings: QSettings, key: str, default: str = "") -> str:
    value = settings.value(key, default)
    return value if isinstance(value, str) else default


def read_int(settings: QSettings, key: str, default: int, low: int, high: int) -> int:
    """An integer setting, kept within [low, high] (an INI file can hold anything)."""
    try:
        value = int(str(settings.value(key, default)))
    except ValueError:
        return default
    return min(max(value, low), high)


def read_bool(settings: QSettings, key: str, default: bool) -> bool:
    value = settings.value(key, default)
    if isinstance(value, bool):
        return value
    return str(value).lower() in ("true", "1", "yes", "on")
