"""The hub's URL in the forms libpq, SQLAlchemy and a person read (never with a password)."""

from __future__ import annotations

import re


def libpq_url(url: str) -> str:
    """The URL as libpq reads it (``postgresql://``), from a SQLAlchemy one too."""
    return re.sub(r"^postgresql\+\w+://", "postgresql://", url.strip())


def sqlalchemy_url(url: str) -> str:
    return re.sub(r"^postgres(ql)?://", "postgresql+psycopg://", libpq_url(url))


def display_url(url: str) -> str:
    """The URL without a password, for the screen, the log and the database."""
    return re.sub(r"://([^:@/]+):[^@/]*@", r"://\1@", libpq_url(url))
