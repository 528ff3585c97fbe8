"""The hub: an ordinary PostgreSQL with the desk's tables, a change sequence and two roles.

``init_hub(url)`` runs the same Alembic migrations as a desk, then (idempotently) adds what only
the hub has:

- ``hub_change``: every accepted change, numbered by a ``bigserial``, with the desk that sent
  it; a desk pulls the changes after its cursor (but for its own). Pushes take one
  transaction-level advisory lock, so numbers are committed in order and a pull can never
  step over a change still being written.
- ``hub_device``: per desk, the highest outbox sequence number the hub has applied, so a batch
  re-sent after a cut is recognised and applied once; ``hub_refusal`` keeps the rows the hub
  refused from such a batch, so a re-send gets the same answer.
- ``hub_info``: the hub's identity, made once.
- A guard trigger on every synced table: a row whose HLC is malformed or more than
  ``DRIFT_LIMIT_MS`` ahead of the hub's clock is not written (a desk with a wrong clock cannot
  win every conflict). Its condition is the trigger's ``WHEN``, so the function runs only for
  a row it drops.
- Two roles, ``pse_editor`` (articles, revisions, assets, layouts, editions) and
  ``pse_moderator`` (comments, commenters, moderation events, rules), enforced by GRANTs and by
  row-level security that is FORCEd (the owner is no exception). A desk logs in as its own
  user, a member of one of the roles, and says ``SET LOCAL ROLE`` in every transaction, so a
  pooled connection keeps nothing. Nobody may DELETE: synced rows have tombstones.
- Foreign keys become DEFERRABLE, so a batch may bring a child before its parent.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import psycopg
from psycopg import sql

from pse_desk.store.migrations import HEAD_REVISION, KNOWN_REVISIONS
from pse_desk.sync.roles import PG_ROLES, ROLE_TABLES, ROLE_WORDS
from pse_desk.sync.urls import display_url, libpq_url, sqlalchemy_url

DRIFT_LIMIT_MS = 5 * 60 * 1000
PUSH_LOCK_KEY = 0x7053_4544  # "pSED": serialises pushes so change numbers commit in order
CONNECT_TIMEOUT_S = 5

class HubError(Exception):
    """The hub cannot be used as asked; ``str()`` is one sentence for the person."""


class HubUnreachable(HubError):
    """No connection (offline, server down, wrong host): try again later."""


def _explain(exc: psycopg.Error, url: str) -> HubError:
    text = str(exc).strip()
    shown = display_url(url)
    low = text.lower()
    if "password authentication failed" in low or "no password supplied" in low:
        return HubError(f"The hub at {shown} refused the password; check it in "
                        "Preferences > Hub (or your ~/.pgpass).")
    if "does not exist" in low and "database" in low:
        return HubError(f"The hub at {shown} has no such database; create it, then run "
                        "`pse-desk hub init`.")
    if "role" in low and "does not exist" in low:
        return HubError(f"The hub at {shown} does not know that user.")
    return HubUnreachable(f"The hub at {shown} cannot be reached ("
                          f"{text.splitlines()[0] if text else type(exc).__name__}); "
                          "your work stays on this desk and syncs when it is back.")


def connect(url: str, *, password: str | None = None,
            timeout: float = CONNECT_TIMEOUT_S) -> psycopg.Connection[Any]:
    """A connection to the hub, or a ``HubError`` with one sentence. In autocommit mode:
    each ``conn.transaction()`` is a real transaction (one batch), committed at its end."""
    kwargs: dict[str, Any] = {"connect_timeout": max(1, int(timeout)),
                              "application_name": "pse-desk", "autocommit": True}
    if password:
        kwargs["password"] = password
    try:
        return psycopg.connect(libpq_url(url), **kwargs)
    except psycopg.Error as exc:
        raise _explain(exc, url) from exc
    except ValueError as exc:  # a malformed URL
        raise HubError(f"“{display_url(url)}” is not a PostgreSQL URL "
                       "(postgresql://user@host:port/database).") from exc


@contextmanager
def as_role(conn: psycopg.Connection[Any], role: str) -> Iterator[psycopg.Connection[Any]]:
    """One hub transaction acting as ``role`` (``SET LOCAL ROLE``: gone at commit)."""
    if role not in PG_ROLES:
        raise HubError(f"“{role}” is not a hub role (editor or moderator).")
    with conn.transaction():
        try:
            conn.execute(sql.SQL("SET LOCAL ROLE {}").format(sql.Identifier(PG_ROLES[role])))
        except psycopg.errors.InsufficientPrivilege as exc:
            raise HubError(f"Your hub user may not act as {ROLE_WORDS[role]}; ask the hub's "
                           f"administrator to GRANT {PG_ROLES[role]} to it, or choose the "
                           "right role in Preferences > Hub.") from exc
        yield conn


# --- the schema ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class HubInfo:
    identity: str
    revision: str


def schema_revision(conn: psycopg.Connection[Any]) -> str | None:
    """The hub's Alembic revision, or None when it has no schema yet."""
    row = conn.execute("SELECT to_regclass('public.alembic_version') IS NOT NULL").fetchone()
    if not row or not row[0]:
        return None
    found = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    return str(found[0]) if found else None


def check_schema(conn: psycopg.Connection[Any], url: str) -> HubInfo:
    """The hub's identity, if its schema is the one this desk speaks; else a ``HubError``."""
    revision = schema_revision(conn)
    shown = display_url(url)
    if revision is None:
        raise HubError(f"The hub at {shown} has no newsroom yet: run "
                       f"`pse-desk hub init --hub {shown}` once.")
    if revision not in KNOWN_REVISIONS:
        raise HubError(f"The hub at {shown} has a newer schema ({revision}) than this desk "
                       f"({HEAD_REVISION}): update PSE Desk before syncing.")
    if revision != HEAD_REVISION:
        raise HubError(f"The hub at {shown} has an older schema ({revision}) than this desk "
                       f"({HEAD_REVISION}): run `pse-desk hub init --hub {shown}` to upgrade it.")
    row = conn.execute("SELECT identity FROM hub_info WHERE id = 1").fetchone()
    if row is None:
        raise HubError(f"The hub at {shown} was not set up by `pse-desk hub init`.")
    return HubInfo(str(row[0]), revision)


_HUB_TABLES = [
    """CREATE TABLE IF NOT EXISTS hub_info (
        id integer PRIMARY KEY CHECK (id = 1),
        identity text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now())""",
    """CREATE TABLE IF NOT EXISTS hub_change (
        seq bigserial PRIMARY KEY,
        table_name text NOT NULL,
        row_id text NOT NULL,
        hlc text NOT NULL,
        origin text NOT NULL,
        payload jsonb NOT NULL,
        login text NOT NULL DEFAULT session_user,
        device text NOT NULL DEFAULT '',
        at timestamptz NOT NULL DEFAULT now())""",
    "ALTER TABLE hub_change ADD COLUMN IF NOT EXISTS device text NOT NULL DEFAULT ''",
    """CREATE TABLE IF NOT EXISTS hub_device (
        device_id text NOT NULL,
        login text NOT NULL DEFAULT session_user,
        role text NOT NULL DEFAULT '',
        last_seq bigint NOT NULL DEFAULT 0,
        seen_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (device_id, role))""",
    """CREATE TABLE IF NOT EXISTS hub_refusal (
        device_id text NOT NULL,
        seq bigint NOT NULL,
        table_name text NOT NULL,
        row_id text NOT NULL,
        reason text NOT NULL,
        login text NOT NULL DEFAULT session_user,
        at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (device_id, seq))""",
    f"""CREATE OR REPLACE FUNCTION pse_hub_guard() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF NEW.hlc IS NULL OR NEW.hlc !~ '^[0-9]{{13}}-[0-9]{{4}}-[A-Za-z0-9_]+$' THEN
            RETURN NULL;
        END IF;
        IF split_part(NEW.hlc, '-', 1)::bigint >
           (extract(epoch FROM clock_timestamp()) * 1000)::bigint + {DRIFT_LIMIT_MS} THEN
            RETURN NULL;
        END IF;
        RETURN NEW;
    END $$""",
]

# The guard's function runs only for a row it refuses: the executor tests this itself, far
# cheaper than entering PL/pgSQL for each of the rows a push writes (CASE keeps the cast from
# seeing a malformed stamp)
GUARD_WHEN = (
    "CASE WHEN NEW.hlc IS NULL OR NEW.hlc !~ '^[0-9]{13}-[0-9]{4}-[A-Za-z0-9_]+$' THEN true "
    "ELSE split_part(NEW.hlc, '-', 1)::bigint > "
    f"(extract(epoch FROM clock_timestamp()) * 1000)::bigint + {DRIFT_LIMIT_MS} END")

_ROLES = """DO $$ BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'pse_editor') THEN
        CREATE ROLE pse_editor NOLOGIN; END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'pse_moderator') THEN
        CREATE ROLE pse_moderator NOLOGIN; END IF;
END $$"""


def _ident(name: str) -> sql.Identifier:
    return sql.Identifier(name)


def _security(conn: psycopg.Connection[Any]) -> None:
    both = sql.SQL("pse_editor, pse_moderator")
    conn.execute(sql.SQL("GRANT USAGE ON SCHEMA public TO {}").format(both))
    conn.execute(sql.SQL("GRANT SELECT ON alembic_version, hub_info TO {}").format(both))
    conn.execute(sql.SQL("GRANT SELECT, INSERT ON hub_change TO {}").format(both))
    conn.execute(sql.SQL("GRANT USAGE ON SEQUENCE hub_change_seq_seq TO {}").format(both))
    conn.execute(sql.SQL("GRANT SELECT, INSERT, UPDATE ON hub_device, hub_refusal TO {}")
                 .format(both))
    for role, tables in ROLE_TABLES.items():
        writer, reader = PG_ROLES[role], PG_ROLES["moderator" if role == "editor" else "editor"]
        for table in tables:
            t = _ident(table)
            conn.execute(sql.SQL("REVOKE ALL ON {} FROM pse_editor, pse_moderator").format(t))
            conn.execute(sql.SQL("GRANT SELECT, INSERT, UPDATE ON {} TO {}")
                         .format(t, _ident(writer)))
            conn.execute(sql.SQL("GRANT SELECT ON {} TO {}").format(t, _ident(reader)))
            conn.execute(sql.SQL("ALTER TABLE {} ENABLE ROW LEVEL SECURITY").format(t))
            conn.execute(sql.SQL("ALTER TABLE {} FORCE ROW LEVEL SECURITY").format(t))
            for name in ("pse_write", "pse_read"):
                conn.execute(sql.SQL("DROP POLICY IF EXISTS {} ON {}").format(_ident(name), t))
            conn.execute(sql.SQL("CREATE POLICY pse_write ON {} FOR ALL TO {} "
                                 "USING (true) WITH CHECK (true)").format(t, _ident(writer)))
            conn.execute(sql.SQL("CREATE POLICY pse_read ON {} FOR SELECT TO {} USING (true)")
                         .format(t, _ident(reader)))
            conn.execute(sql.SQL("DROP TRIGGER IF EXISTS pse_hub_guard ON {}").format(t))
            conn.execute(sql.SQL("CREATE TRIGGER pse_hub_guard BEFORE INSERT OR UPDATE ON {} "
                                 "FOR EACH ROW WHEN ({}) EXECUTE FUNCTION pse_hub_guard()")
                         .format(t, sql.SQL(GUARD_WHEN)))
    # the change log: each role records changes only to its own tables
    for table in ("hub_change", "hub_device", "hub_refusal"):
        t = _ident(table)
        conn.execute(sql.SQL("ALTER TABLE {} ENABLE ROW LEVEL SECURITY").format(t))
        conn.execute(sql.SQL("ALTER TABLE {} FORCE ROW LEVEL SECURITY").format(t))
        for (drop,) in conn.execute(sql.SQL(
                "SELECT format('DROP POLICY %I ON %I', policyname, tablename) FROM pg_policies "
                "WHERE schemaname = 'public' AND tablename = {}").format(sql.Literal(table)))\
                .fetchall():
            conn.execute(drop)
    conn.execute(sql.SQL("CREATE POLICY pse_read ON hub_change FOR SELECT TO {} USING (true)")
                 .format(both))
    for role, tables in ROLE_TABLES.items():
        conn.execute(sql.SQL("CREATE POLICY {} ON hub_change FOR INSERT TO {} "
                             "WITH CHECK (table_name = ANY ({}))").format(
            _ident(f"pse_record_{role}"), _ident(PG_ROLES[role]), sql.Literal(list(tables))))
    for table in ("hub_device", "hub_refusal"):
        conn.execute(sql.SQL("CREATE POLICY pse_own ON {} FOR ALL TO {} "
                             "USING (login = session_user) WITH CHECK (login = session_user)")
                     .format(_ident(table), both))


def _deferrable_keys(conn: psycopg.Connection[Any]) -> None:
    rows = conn.execute(
        "SELECT c.conname, t.relname FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid "
        "JOIN pg_namespace n ON n.oid = t.relnamespace "
        "WHERE c.contype = 'f' AND n.nspname = 'public' AND NOT c.condeferrable").fetchall()
    for name, table in rows:
        conn.execute(sql.SQL("ALTER TABLE {} ALTER CONSTRAINT {} DEFERRABLE INITIALLY IMMEDIATE")
                     .format(_ident(table), _ident(name)))


def init_hub(url: str, *, password: str | None = None) -> HubInfo:
    """Create or upgrade the hub's schema (as its owner, e.g. the ``postgres`` superuser)."""
    from sqlalchemy import create_engine

    from pse_desk.store.migrations.runner import upgrade

    with connect(url, password=password) as conn:
        revision = schema_revision(conn)
    if revision is not None and revision not in KNOWN_REVISIONS:
        raise HubError(f"The hub at {display_url(url)} has a newer schema ({revision}) than "
                       f"this desk ({HEAD_REVISION}): update PSE Desk before `hub init`.")
    connect_args: dict[str, Any] = {"connect_timeout": CONNECT_TIMEOUT_S}
    if password:
        connect_args["password"] = password
    engine = create_engine(sqlalchemy_url(url), connect_args=connect_args)
    try:
        upgrade(engine)
    except Exception as exc:
        raise HubError(f"The hub's schema could not be upgraded: {exc}") from exc
    finally:
        engine.dispose()
    with connect(url, password=password) as conn, conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (PUSH_LOCK_KEY,))
        for statement in _HUB_TABLES:
            conn.execute(statement.encode())
        conn.execute(_ROLES.encode())
        conn.execute("INSERT INTO hub_info (id, identity) VALUES (1, %s) "
                     "ON CONFLICT (id) DO NOTHING", (uuid.uuid4().hex,))
        _deferrable_keys(conn)
        _security(conn)
        return check_schema(conn, url)


def hub_now_ms(conn: psycopg.Connection[Any]) -> int:
    row = conn.execute("SELECT (extract(epoch FROM clock_timestamp()) * 1000)::bigint")\
        .fetchone()
    assert row is not None
    return int(row[0])
