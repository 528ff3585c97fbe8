"""Runs Alembic programmatically against an engine (SQLite locally, PostgreSQL on the hub)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

HERE = Path(__file__).parent


def config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(HERE))
    return cfg


def upgrade(engine: Engine, revision: str = "head") -> None:
    _run(engine, lambda cfg: command.upgrade(cfg, revision))


def downgrade(engine: Engine, revision: str) -> None:
    _run(engine, lambda cfg: command.downgrade(cfg, revision))


def _run(engine: Engine, step: Callable[[Config], None]) -> None:
    """One transaction. On SQLite, foreign keys are off while it runs (a batch migration
    copies a table, drops the old one and renames the copy, which a referenced table cannot
    survive with them on; and the pragma is ignored inside a transaction), and the whole
    database is checked for broken references before the commit."""
    cfg = config()
    with engine.connect() as conn:
        sqlite = conn.dialect.name == "sqlite"
        raw = conn.connection.driver_connection if sqlite else None
        if raw is not None:
            raw.execute("PRAGMA foreign_keys = OFF")
        try:
            with conn.begin():
                cfg.attributes["connection"] = conn
                step(cfg)
                if sqlite:
                    broken = conn.exec_driver_sql("PRAGMA foreign_key_check").first()
                    if broken is not None:
                        raise RuntimeError(f"the migration broke a reference: {tuple(broken)}")
        finally:
            if raw is not None:
                raw.execute("PRAGMA foreign_keys = ON")


def script_heads() -> tuple[str, ...]:
    return tuple(ScriptDirectory.from_config(config()).get_heads())


def script_revisions() -> tuple[str, ...]:
    return tuple(sorted(r.revision for r in ScriptDirectory.from_config(config()).walk_revisions()))
