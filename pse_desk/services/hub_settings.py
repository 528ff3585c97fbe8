"""The desk's hub settings: the hub's URL (never a password) and the role it syncs as.

Light on purpose (no PostgreSQL driver): the desk applies its role when the database opens, so
a moderator's desk refuses an article change before it is queued, even offline.
"""

from __future__ import annotations

from dataclasses import dataclass

from pse_desk.errors import RoleRefusedError, ValidationError
from pse_desk.store.db import Store
from pse_desk.store.model import SyncState
from pse_desk.sync.roles import refusal_for
from pse_desk.sync.urls import display_url

ROLES = ("editor", "moderator")


@dataclass(frozen=True)
class HubSettings:
    url: str = ""      # shown form: never with a password
    role: str = ""     # editor / moderator

    @property
    def configured(self) -> bool:
        return bool(self.url and self.role)


def settings(store: Store) -> HubSettings:
    with store.read_session() as s:
        state = s.get(SyncState, 1)
        return HubSettings(state.hub_url, state.role) if state else HubSettings()


def save_settings(store: Store, url: str, role: str) -> HubSettings:
    """Keep the hub's URL (without any password) and role, and apply the role at once."""
    url = url.strip()
    if role and role not in ROLES:
        raise ValidationError(f"“{role}” is not a hub role: choose editor or moderator.")
    if url and not url.startswith(("postgresql://", "postgres://", "postgresql+psycopg://")):
        raise ValidationError("The hub's URL starts with postgresql:// "
                              "(postgresql://user@host:port/database).")
    shown = display_url(url) if url else ""
    if not shown:
        role = ""  # no hub: the desk may change anything, as before it had one
    with store.session() as s:
        state = s.get(SyncState, 1)
        assert state is not None
        if shown != state.hub_url:
            state.hub_identity = ""  # a new hub: its identity is learnt on the first sync
        state.hub_url, state.role = shown, role
        s.commit()
    apply_role(store, role)
    return HubSettings(shown, role)


def apply_role(store: Store, role: str | None = None) -> None:
    """Make the desk refuse, before they are queued, changes its hub role may not make."""
    if role is None:
        role = settings(store).role
    if not role:
        store.guard.check = None
        return

    def check(table: str) -> None:
        sentence = refusal_for(role, table)
        if sentence:
            raise RoleRefusedError(sentence)

    store.guard.check = check
