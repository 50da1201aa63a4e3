"""Each main page runs a bounded number of SQL statements on the demo exchange, so an N+1 (a query per item
shown) fails the suite. The budgets are what the pages run today with a little room; a page that needs more
must show why in review, not drift."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.orm import Session

from exchange.core.database import Database
from tests.client import Client
from tests.security.world import DEMO_PASSWORD, EMAILS, World, build

# (role, path with the world's ids, most statements allowed)
BUDGETS = [
    ("anonymous", "/", 7),
    ("anonymous", "/search?kind=need", 4),
    ("anonymous", "/search?q=consultation", 5),
    ("anonymous", "/needs/{need_id}", 14),
    ("council", "/needs/{need_id}", 20),
    ("anonymous", "/pitches/{pitch_id}", 13),
    ("anonymous", "/offers/{offer_id}", 11),
    ("anonymous", "/organisations/{supplier_slug}", 12),
    ("council", "/dashboard", 19),
    ("supplier", "/dashboard", 44),
    ("council", "/sessions/{session_id}", 10),
    ("supplier", "/sessions/{session_id}/agenda", 14),
    ("council", "/needs/{need_id}/evaluation", 17),
    ("council", "/needs/{need_id}/proposals", 17),
]
# Statements that only manage the test's own transaction.
NOT_COUNTED = ("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT", "BEGIN", "COMMIT", "ROLLBACK")


@pytest.fixture
def statements(database: Database) -> Iterator[list[str]]:
    seen: list[str] = []

    def before_cursor_execute(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if not statement.lstrip().upper().startswith(NOT_COUNTED):
            seen.append(statement)

    event.listen(database.engine, "before_cursor_execute", before_cursor_execute)
    yield seen
    event.remove(database.engine, "before_cursor_execute", before_cursor_execute)


@pytest.fixture
def world(db: Session) -> World:
    built = build(db)
    db.commit()
    return built


def test_main_pages_stay_within_their_query_budgets(app: Any, world: World, statements: list[str]) -> None:
    browsers: dict[str, Client] = {}
    over: list[str] = []
    try:
        for role, path, budget in BUDGETS:
            if role not in browsers:
                browsers[role] = Client(app).__enter__()
                if role != "anonymous":
                    browsers[role].sign_in(EMAILS[role], DEMO_PASSWORD)
            url = path.format(**world.ids)
            browsers[role].get(url)  # the first view warms the caches every visitor after shares
            statements.clear()
            response = browsers[role].get(url)
            assert response.status_code == 200, (role, url, response.status_code)
            if len(statements) > budget:
                over.append(f"{role} {path}: {len(statements)} statements, budget {budget}")
    finally:
        for browser in browsers.values():
            browser.__exit__(None, None, None)
    assert not over, "\n".join(over)
