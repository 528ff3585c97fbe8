"""A desk at work, to be killed: autosaves, moderation decisions and imports, round after round.

Usage: python crash_worker.py DB_PATH SEED [WXR_FOLDER]

Each change goes through the same service the window calls; once the service has returned
(committed), the worker prints one line saying what was saved, flushed at once:
``saved autosave <article id> <marker>``, ``saved decision <comment id> <status>``,
``saved import <file>``. The test SIGKILLs it at a random moment and checks that every line it
read is in the database.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

from pse_desk.services import revisions
from pse_desk.services.moderation.decisions import decide
from pse_desk.store import open_store
from pse_desk.store.model import Article, Comment

ACTIONS = {"approve": "approved", "reject": "rejected", "spam": "spam"}


def main(db: str, seed: int, wxr_folder: str | None) -> None:
    rng = random.Random(seed)
    store = open_store(db)
    with store.read_session() as s:
        articles = [a.id for a in s.query(Article).filter(Article.deleted.is_(False)).all()]
        comments = [c.id for c in s.query(Comment).limit(2000).all()]
    files = sorted(Path(wxr_folder).glob("*.xml")) if wxr_folder else []
    print("ready", flush=True)
    n = 0
    while True:
        n += 1
        kind = rng.choice(("autosave", "autosave", "decision", "import"))
        if kind == "autosave":
            article = rng.choice(articles)
            marker = f"m{seed}-{n}"
            revisions.autosave(store, article, revisions.ArticleText(
                f"Title {marker}", "", f"Body written in round {n}.\n\n{marker}\n"))
            print(f"saved autosave {article} {marker}", flush=True)
        elif kind == "decision":
            comment = rng.choice(comments)
            action = rng.choice(list(ACTIONS))
            if decide(store, [comment], action, actor="crash-test").count:  # else: no change
                print(f"saved decision {comment} {ACTIONS[action]}",
                      flush=True)
        elif files:
            from pse_desk.services.importing import import_file

            chosen = rng.choice(files)
            import_file(store, chosen, "wxr")
            print(f"saved import {chosen}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), sys.argv[3] if len(sys.argv) > 3 else None)
