"""Alembic environment: the only way the schema is made, on SQLite and PostgreSQL alike."""

from __future__ import annotations

import warnings
from typing import Any

from sqlalchemy.engine import Connection

from alembic import context
from exchange.core.database import make_engine
from exchange.matching.models import DATABASE_ONLY_OBJECTS as MATCHING_ONLY
from exchange.models import Base
from exchange.search.models import DATABASE_ONLY_OBJECTS as SEARCH_ONLY

config = context.config
# The index on lower(buyer_name) is made by hand (see DATABASE_ONLY_OBJECTS); SQLite reflection cannot read it.
warnings.filterwarnings("ignore", message="Skipped unsupported reflection of expression-based index")
target_metadata = Base.metadata


def include_object(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
    # Full-text tables, columns and indexes made by hand in the migrations (FTS5 shadow tables included).
    made_by_hand = SEARCH_ONLY | MATCHING_ONLY
    return not (name in made_by_hand or (name or "").startswith(("search_fts", "supplier_fts")))


def run_with(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        include_object=include_object,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    # Tests and the CLI hand over an open connection; otherwise use the configured database.
    connection = config.attributes.get("connection")
    if connection is not None:
        run_with(connection)
        return
    url = config.attributes.get("url")
    engine = make_engine(url)
    with engine.connect() as connection:
        run_with(connection)
    engine.dispose()


if context.is_offline_mode():
    raise SystemExit("Offline (--sql) migrations are not supported: run against a database.")
run_migrations_online()
