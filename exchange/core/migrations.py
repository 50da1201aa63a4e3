"""Running Alembic from Python (CLI, tests): the schema is only ever made by the migrations."""

from __future__ import annotations

from alembic.config import Config
from sqlalchemy.engine import Connection

from alembic import command
from exchange.core.settings import PROJECT_ROOT


def alembic_config(url: str | None = None, connection: Connection | None = None) -> Config:
    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    if url is not None:
        config.attributes["url"] = url
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def upgrade(url: str | None = None, revision: str = "head", connection: Connection | None = None) -> None:
    command.upgrade(alembic_config(url, connection), revision)


def downgrade(url: str | None = None, revision: str = "-1", connection: Connection | None = None) -> None:
    command.downgrade(alembic_config(url, connection), revision)


def current(url: str | None = None) -> None:
    command.current(alembic_config(url), verbose=False)
