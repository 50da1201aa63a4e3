"""Migration 0028 on a database with closed groups already in use: whoever posted or replied in a group becomes
one of its members (once), posts elsewhere make nobody a member; on SQLite and PostgreSQL alike."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import text

from exchange.core import migrations
from exchange.core.database import make_engine
from tests.conftest import drop_database, new_database_url

ROWS = [
    "INSERT INTO users (id, email, name, password_hash, is_admin, session_version) VALUES"
    " (1, 'a@x.gov.uk', 'A', 'x', false, 1), (2, 'b@x.gov.uk', 'B', 'x', false, 1),"
    " (3, 'c@x.gov.uk', 'C', 'x', false, 1)",
    "INSERT INTO groups (id, slug, name, description, created_by_id) VALUES"
    " (1, 'one', 'One', '', 1), (2, 'two', 'Two', '', 1)",
    "INSERT INTO posts (id, subject_kind, subject_id, parent_id, author_id, body, status, created_at, updated_at)"
    " VALUES (1, 'group', 1, NULL, 2, 'Hello', 'visible', '2026-11-01 10:00:00', '2026-11-01 10:00:00'),"
    " (2, 'group', 1, 1, 2, 'Again', 'visible', '2026-11-02 10:00:00', '2026-11-02 10:00:00'),"
    " (3, 'group', 1, 1, 3, 'Reply', 'visible', '2026-11-03 10:00:00', '2026-11-03 10:00:00'),"
    " (4, 'pitch', 2, NULL, 1, 'Not a group', 'visible', '2026-11-03 10:00:00', '2026-11-03 10:00:00')",
]


@pytest.fixture
def fresh_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    url = new_database_url(tmp_path_factory, "group-membership-migration")
    yield url
    drop_database(url)


def test_existing_posters_become_members(fresh_url: str) -> None:
    migrations.upgrade(fresh_url, "0023")
    engine = make_engine(fresh_url)
    try:
        with engine.begin() as connection:
            for row in ROWS:
                connection.execute(text(row))
        migrations.upgrade(fresh_url, "0028")
        with engine.connect() as connection:
            rows = connection.execute(
                text("SELECT group_id, user_id, status FROM group_memberships ORDER BY group_id, user_id")
            ).all()
        assert [tuple(r) for r in rows] == [(1, 2, "member"), (1, 3, "member")]
        migrations.downgrade(fresh_url, "0023")
        with engine.connect() as connection:
            assert connection.execute(text("SELECT count(*) FROM posts")).scalar() == 4
    finally:
        engine.dispose()
