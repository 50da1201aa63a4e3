"""A database too busy to answer in time (SQLite's write lock held, a PostgreSQL lock not granted) is a 503
with Retry-After that changed nothing, never a 500; the same request succeeds once the database is free."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from sqlalchemy import text
from sqlalchemy.engine import Connection

from exchange.accounts.models import SignInAttempt
from exchange.app import create_app
from exchange.core.database import Database
from tests import factories
from tests.client import Client
from tests.parallel import own_database, settings_of_database


@pytest.fixture
def busy_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[FastAPI, Database]]:
    """An application on a database of its own, which waits a fifth of a second for a lock."""
    with own_database(tmp_path_factory, "busy", database_wait_seconds=0.2) as database:
        with database.transaction() as db:
            factories.user(db, "someone@supplier.example")
        yield create_app(settings_of_database(database), database), database


def hold_the_lock(database: Database) -> Connection:
    """Another process's long write: SQLite's write lock, or PostgreSQL's lock on the rate-limit table."""
    connection = database.engine.execution_options(sqlite_immediate=True).connect()
    connection.begin()
    if database.engine.dialect.name == "postgresql":
        connection.execute(text("LOCK TABLE rate_limit_hits IN ACCESS EXCLUSIVE MODE"))
    return connection


def test_a_busy_database_answers_503_with_retry_after(busy_app: tuple[FastAPI, Database]) -> None:
    app, database = busy_app
    answer = {"email": "someone@supplier.example", "password": factories.PASSWORD}
    with Client(app) as browser:
        browser.get("/account/sign-in")
        lock = hold_the_lock(database)
        try:
            busy = browser.post("/account/sign-in", answer)
            api = browser.api("POST", "/api/v1/pitches", {"title": "x"})
        finally:
            lock.rollback()
            lock.close()

        assert busy.status_code == 503
        assert busy.headers["Retry-After"] == "5"
        assert "The exchange is busy" in busy.text
        assert api.status_code in (401, 503)
        with database.session(write=False) as db:
            assert db.query(SignInAttempt).count() == 0
        assert browser.post("/account/sign-in", answer).status_code == 303
