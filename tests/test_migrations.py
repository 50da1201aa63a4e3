"""The migrations make the whole schema on a new database, undo it completely, make it again, and match
the models exactly (`alembic check`), on SQLite and on PostgreSQL alike."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import inspect, text

from alembic import command
from exchange.core import migrations
from exchange.core.database import make_engine
from exchange.models import Base
from tests.conftest import drop_database, new_database_url


@pytest.fixture
def fresh_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    url = new_database_url(tmp_path_factory, "migrations")
    yield url
    drop_database(url)


def tables(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def full_text_part(url: str) -> bool:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            if engine.dialect.name == "sqlite":
                found = connection.execute(text("SELECT name FROM sqlite_master WHERE name = 'search_fts'"))
            else:
                found = connection.execute(
                    text(
                        "SELECT 1 FROM information_schema.columns"
                        " WHERE table_name = 'search_documents' AND column_name = 'tsv'"
                    )
                )
            return found.first() is not None
    finally:
        engine.dispose()


def test_upgrade_downgrade_upgrade_then_check_finds_no_difference(fresh_url: str) -> None:
    model_tables = set(Base.metadata.tables)

    migrations.upgrade(fresh_url)
    assert model_tables <= tables(fresh_url)
    assert full_text_part(fresh_url)

    migrations.downgrade(fresh_url, "base")
    assert tables(fresh_url) <= {"alembic_version"}

    migrations.upgrade(fresh_url)
    assert model_tables <= tables(fresh_url)
    assert full_text_part(fresh_url)

    command.check(migrations.alembic_config(fresh_url))  # raises if the models and the schema differ


def test_the_full_text_index_follows_the_documents_after_a_fresh_upgrade(fresh_url: str) -> None:
    migrations.upgrade(fresh_url)
    engine = make_engine(fresh_url)
    try:
        with engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO search_documents (kind, item_id, organisation_id, organisation_name,"
                    " organisation_kind, title, summary, body, visibility, updated_at)"
                    " VALUES ('pitch', 1, 1, 'Acme', 'supplier',"
                    " 'Budget consultations', 'Residents choose', '', 'public', CURRENT_TIMESTAMP)"
                )
            )
            if engine.dialect.name == "sqlite":
                query = "SELECT rowid FROM search_fts WHERE search_fts MATCH '\"consultation\"*'"
            else:
                query = "SELECT id FROM search_documents WHERE tsv @@ to_tsquery('english', 'consultation:*')"
            assert len(connection.execute(text(query)).all()) == 1
    finally:
        engine.dispose()


def test_a_needs_deadline_becomes_its_one_closing_date(fresh_url: str) -> None:
    """Migration 0019: a need's own deadline moves to its proposals' closing date, unless proposals already had
    one (the date suppliers were held to); downgrading gives it back."""
    migrations.upgrade(fresh_url, "0018")
    engine = make_engine(fresh_url)
    try:
        with engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO organisations (id, name, slug, kind, description, verified, created_at, updated_at)"
                    " VALUES (1, 'Burnley', 'burnley', 'council', '', true, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
                )
            )
            for need_id, deadline in ((1, "2027-03-31"), (2, "2027-03-31"), (3, None)):
                connection.execute(
                    text(
                        "INSERT INTO needs (id, organisation_id, title, summary, problem_statement, users,"
                        " tried_so_far, stage, visibility, deadline, tags, created_at, updated_at)"
                        " VALUES (:id, 1, 'Meals', 'Meals at home', 'Older residents need meals', '', '',"
                        " 'open_for_proposals', 'public', :deadline, '[]', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
                    ),
                    {"id": need_id, "deadline": deadline},
                )
            connection.execute(
                text(
                    "INSERT INTO need_procurements (need_id, opens_on, closes_on, created_at, updated_at)"
                    " VALUES (2, '2026-12-01', '2027-02-03', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
                )
            )

        migrations.upgrade(fresh_url)

        with engine.connect() as connection:
            closing = dict(connection.execute(text("SELECT need_id, closes_on FROM need_procurements")).all())
        assert {need_id: str(day) for need_id, day in closing.items()} == {1: "2027-03-31", 2: "2027-02-03"}

        migrations.downgrade(fresh_url, "0018")
        with engine.connect() as connection:
            deadlines = dict(connection.execute(text("SELECT id, deadline FROM needs")).all())
        assert {need_id: day and str(day) for need_id, day in deadlines.items()} == {
            1: "2027-03-31",
            2: "2027-02-03",
            3: None,
        }
    finally:
        engine.dispose()
