"""Runs Alembic programmatically against an engine (SQLite locally, PostgreSQL on the hub)."""

from __future__ import annotations

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
    cfg = config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)


def script_heads() -> tuple[str, ...]:
    return tuple(ScriptDirectory.from_config(config()).get_heads())


def script_revisions() -> tuple[str, ...]:
    return tuple(sorted(r.revision for r in ScriptDirectory.from_config(config()).walk_revisions()))
