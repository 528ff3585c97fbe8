"""Our exception classes, each carrying a sentence a person understands.

Services raise these; the UI shows ``str(error)`` in a dialog and the CLI prints it on stderr.
Nothing here imports anything of ours or of Qt.
"""

from __future__ import annotations


class DeskError(Exception):
    """Base class: ``str(err)`` is one clear sentence meant for the user."""


class DatabaseError(DeskError):
    """The database could not be opened or used."""


class NotADatabaseError(DatabaseError):
    def __init__(self, path: str, reason: str = "it is not an SQLite file") -> None:
        super().__init__(f"{path} is not a PSE Desk database ({reason}); "
                         "it was left untouched.")
        self.path = path


class DatabaseReadOnlyError(DatabaseError):
    def __init__(self, path: str) -> None:
        super().__init__(f"Cannot write to {path}: the file or its folder is read-only. "
                         "Choose another location with --db.")
        self.path = path


class MissingDatabaseError(DatabaseError):
    def __init__(self, path: str) -> None:
        super().__init__(f"{path} does not exist or is empty: there is no newsroom to read.")
        self.path = path


class NeedsUpgradeError(DatabaseError):
    def __init__(self, path: str) -> None:
        super().__init__(f"{path} was made by an older PSE Desk and cannot be read without "
                         "upgrading it; run `pse-desk db upgrade` where the file can be "
                         "written. The file was not changed.")
        self.path = path


class DatabaseLockedError(DatabaseError):
    def __init__(self, path: str) -> None:
        super().__init__(f"{path} is locked by another program (another PSE Desk?); "
                         "close it and try again.")
        self.path = path


class SchemaTooNewError(DatabaseError):
    def __init__(self, path: str, found: str) -> None:
        super().__init__(f"{path} was made by a newer PSE Desk (schema {found}); "
                         "update PSE Desk to open it. The file was not changed.")
        self.path = path
        self.found = found


class CorruptDatabaseError(DatabaseError):
    def __init__(self, path: str, detail: str) -> None:
        super().__init__(f"{path} is damaged and cannot be opened safely ({detail}); "
                         "it was left untouched. Restore the newest good backup "
                         "(`pse-desk restore`) or recover what can be read "
                         "(`pse-desk db recover`).")
        self.path = path


class NotFoundError(DeskError):
    """A row the user asked for does not exist (or was deleted)."""


class ValidationError(DeskError):
    """Input that the user can correct."""


class RenderError(DeskError):
    """A text could not be rendered (timeout, crash of the render worker)."""


class ExportError(DeskError):
    """An edition could not be exported; nothing was written under the file's name."""


class ExportCancelled(ExportError):
    def __init__(self) -> None:
        super().__init__("The export was cancelled; no file was written and the edition is "
                         "unchanged.")


class SyncError(DeskError):
    """A sync with the hub could not finish; local work is untouched and still queued."""


class RoleRefusedError(DeskError):
    """This desk's hub role may not make that change (refused before it is queued)."""


class BackupError(DeskError):
    """A backup could not be made, checked or restored; nothing was changed."""


class SalvageError(DeskError):
    """A damaged database could not be recovered or replaced; it was left where it was."""


class ImportFileError(DeskError):
    """A WordPress or Disqus export could not be read; nothing was imported."""


class ImportCancelled(DeskError):
    def __init__(self) -> None:
        super().__init__("The import was cancelled; nothing was imported and the database is "
                         "unchanged.")


class DumpFileError(DeskError):
    """A newsroom dump could not be restored (not a dump, incomplete, changed, not ours)."""

    def __init__(self, path: str, detail: str, line: int) -> None:
        super().__init__(f"{path}, line {line:,}: {detail}; nothing was restored.")
        self.path = path
        self.line = line


class RestoreRefusedError(DeskError):
    """A dump is restored only into an empty database; this one holds a newsroom."""


class WorkCancelled(DeskError):
    """An export or a restore was cancelled; ``str()`` says what was left as it was."""
