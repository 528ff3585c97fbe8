"""A desk syncing in a process of its own, to be killed mid-sync by a test (SIGKILL).

``python sync_child.py DB URL``: syncs in batches of two rows and prints a line after each
batch (``step <what> <done>``), flushing, so the test can kill it between or inside batches.
"""

from __future__ import annotations

import sys

from pse_desk.services import sync as sync_service
from pse_desk.store import open_store


def main() -> None:
    store = open_store(sys.argv[1])
    sync_service.PUSH_BATCH = 2
    sync_service.PULL_BATCH = 2

    def progress(what: str, done: int, _total: int) -> None:
        print(f"step {what} {done}", flush=True)

    report = sync_service.sync(store, url=sys.argv[2], progress=progress)
    print(f"done {report.outcome}", flush=True)
    store.close()


if __name__ == "__main__":
    main()
