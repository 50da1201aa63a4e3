"""The migration that keeps needs apart from meeting reasons and gives calendars their keys, run over a session
that already has participants and a meeting whose stored reason named a need, on SQLite and PostgreSQL alike:
nothing is lost (SQLite must not rebuild the tables, whose cascades would delete the rows referring to them)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import text

from exchange.core import migrations
from exchange.core.database import make_engine
from tests.conftest import drop_database, new_database_url

ROWS = [
    "INSERT INTO users (id, email, name, password_hash, is_admin, session_version)"
    " VALUES (1, 'o@example.gov.uk', 'Officer', 'x', false, 1)",
    "INSERT INTO organisations (id, kind, name, slug, description, verified) VALUES"
    " (1, 'council', 'Burnley', 'burnley', '', true), (2, 'supplier', 'Civic', 'civic', '', true)",
    "INSERT INTO matchmaking_sessions (id, organisation_id, created_by_id, title, description, venue, online_link,"
    " held_on, grid, slots, tables, max_meetings, open_to, registration_closes_at, preferences_close_at, status)"
    " VALUES (1, 1, 1, 'Day', '', '', '', '2027-01-20', '{}', '[{\"start\": \"09:30\", \"end\": \"09:50\"}]',"
    " 1, 1, '[\"council\"]', '2027-01-01 00:00:00', '2027-01-02 00:00:00', 'final')",
    "INSERT INTO session_participants (id, session_id, organisation_id, registered_by_id, side, max_meetings)"
    " VALUES (1, 1, 1, 1, 'council', 1), (2, 1, 2, 1, 'supplier', 1)",
    "INSERT INTO session_meetings (id, session_id, council_id, supplier_id, slot, table_number, value, reason)"
    " VALUES (1, 1, 1, 2, 0, 1, 0.5, 'Suggested: 40% match for “Closing the libraries” (fits)')",
]


@pytest.fixture
def fresh_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    url = new_database_url(tmp_path_factory, "trust-migration")
    yield url
    drop_database(url)


def test_old_reasons_lose_the_need_and_existing_rows_get_calendar_secrets(fresh_url: str) -> None:
    migrations.upgrade(fresh_url, "0018")
    engine = make_engine(fresh_url)
    try:
        with engine.begin() as connection:
            for row in ROWS:
                connection.execute(text(row))
        migrations.upgrade(fresh_url, "0020")
        with engine.connect() as connection:
            reason, need_id = connection.execute(text("SELECT reason, need_id FROM session_meetings")).one()
            key, sequence = connection.execute(
                text("SELECT calendar_key, calendar_sequence FROM matchmaking_sessions")
            ).one()
            tokens = connection.execute(text("SELECT calendar_token FROM session_participants")).scalars().all()
        assert (reason, need_id) == ("Suggested by the exchange", None)
        assert len(key) >= 40 and sequence == 0
        assert len(set(tokens)) == 2 and all(len(t) >= 40 for t in tokens)
        migrations.downgrade(fresh_url, "0018")
        # Nothing that referred to the session went with the columns, either way.
        with engine.connect() as connection:
            assert connection.execute(text("SELECT count(*) FROM session_meetings")).scalar() == 1
            assert connection.execute(text("SELECT count(*) FROM session_participants")).scalar() == 2
    finally:
        engine.dispose()
