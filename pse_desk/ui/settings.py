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


def desk_settings() -> QSettings:
    """The user's settings (an INI file, so tests and users can read it)."""
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORG_NAME, APP_NAME)


def read_str(settings: QSettings, key: str, default: str = "") -> str:
    value = settings.value(key, default)
    return value if isinstance(value, str) else default
