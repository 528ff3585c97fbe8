"""The local store: typed ORM model, engine and session, migrations, outbox, full-text search.

``store`` imports nothing else of ours; everything above it takes a ``Session`` from
``Store.session()`` (one unit of work per user action).
"""

from pse_desk.store.db import Store, open_store

__all__ = ["Store", "open_store"]
