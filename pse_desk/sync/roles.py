"""Who may change what: the two hub roles and the tables each owns.

Plain data and one sentence, with nothing heavy imported: the desk asks it before queueing any
change (a moderator's desk refuses an article change while offline), and the hub's GRANTs and
policies are made from the same tables (``pse_desk.sync.hub``).
"""

from __future__ import annotations

from pse_desk.store.model import SYNCED_TABLES

ROLE_TABLES: dict[str, tuple[str, ...]] = {
    "editor": ("article", "revision", "asset", "layout", "panel", "panel_item",
               "layout_version", "edition", "edition_item", "edition_proof"),
    "moderator": ("comment", "commenter", "moderation_event", "rule"),
}
PG_ROLES = {"editor": "pse_editor", "moderator": "pse_moderator"}
ROLE_WORDS = {"editor": "an editor", "moderator": "a moderator"}
TABLE_WORDS = {
    "article": "articles", "revision": "revisions", "asset": "images", "layout": "layouts",
    "panel": "panels", "panel_item": "panel items", "layout_version": "layout versions",
    "edition": "editions", "edition_item": "edition contents", "edition_proof": "proofs",
    "comment": "comments", "commenter": "commenters", "moderation_event": "moderation events",
    "rule": "moderation rules",
}
assert set(SYNCED_TABLES) == {t for tables in ROLE_TABLES.values() for t in tables}


def role_of_table(table: str) -> str | None:
    for role, tables in ROLE_TABLES.items():
        if table in tables:
            return role
    return None


def refusal_for(role: str, table: str) -> str | None:
    """The sentence a desk syncing as ``role`` gets for changing ``table`` (None: allowed)."""
    owner = role_of_table(table)
    if not role or owner is None or owner == role:
        return None
    return (f"This desk syncs with the hub as {ROLE_WORDS.get(role, role)}, and only "
            f"{ROLE_WORDS[owner]}'s desk may change {TABLE_WORDS.get(table, table)}.")
