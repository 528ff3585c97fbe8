"""The local store: typed ORM model, engine and session, migrations, outbox, full-text search.

``store`` imports nothing else of ours; everything above it takes a ``Session`` from
``Store.session()`` (one unit of work per user action). ``Store`` and ``open_store`` are loaded
on first use, so ``pse_desk.store.preflight`` can run before SQLAlchemy is imported.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pse_desk.store.db import Store, open_read_only, open_store

__all__ = ["Store", "open_read_only", "open_store"]


def __getattr__(name: str) -> object:
    if name in __all__:
        from pse_desk.store import db

        return getattr(db, name)
    raise AttributeError(name)
