"""Integration fixtures: a real PostgreSQL server that the test run starts and removes itself.

``pg_server`` (session) starts one cluster for the whole run; ``pg_url`` (session) is the URL
of a database on it; ``pg_fresh_url`` gives each test its own empty database (dropped after).
Without PostgreSQL binaries these fixtures skip the test with the package to install.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import pytest
from pg_server import PgServer, PgUnavailable, start_server

_database_numbers = itertools.count(1)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    try:
        server = start_server()
    except PgUnavailable as exc:
        pytest.skip(f"PostgreSQL: {exc}")
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def pg_url(pg_server: PgServer) -> str:
    """A SQLAlchemy URL (``postgresql+psycopg://…``) of a database shared by the session."""
    return pg_server.create_database("pse_desk_test")


@pytest.fixture
def pg_fresh_url(pg_server: PgServer) -> Iterator[str]:
    """A SQLAlchemy URL of an empty database that only this test uses."""
    name = f"pse_desk_t{next(_database_numbers)}"
    url = pg_server.create_database(name)
    try:
        yield url
    finally:
        pg_server.drop_database(name)


@pytest.fixture
def hub(pg_server: PgServer, pg_fresh_url: str):  # type: ignore[no-untyped-def]
    """A hub made by `hub init` on its own database, with desk logins editor1…3 (members of
    pse_editor) and moderator1…3 (pse_moderator), each with a password."""
    from sync_helpers import make_hub

    return make_hub(pg_server, pg_fresh_url)
