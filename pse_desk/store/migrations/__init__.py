"""Alembic migrations of the local database and the hub.

Revision ids are the four-digit prefix of each file in ``versions/`` (``0001_initial.py`` is
revision ``0001``), so the list of known revisions is read from file names without importing
Alembic — the start-up check needs it before the first paint. A test keeps this in step with
Alembic's own view of the script directory.
"""

from __future__ import annotations

from pathlib import Path

VERSIONS_DIR = Path(__file__).parent / "versions"
KNOWN_REVISIONS: tuple[str, ...] = tuple(sorted(
    p.name[:4] for p in VERSIONS_DIR.glob("[0-9][0-9][0-9][0-9]_*.py")))
HEAD_REVISION: str = KNOWN_REVISIONS[-1]
