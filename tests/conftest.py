"""Test set-up: one database per run made by `alembic upgrade head`; each test runs in a rolled-back transaction.

EXCHANGE_TEST_DATABASE_URL picks PostgreSQL (a fresh database is created on that server for the run and
dropped after); unset or empty, the run uses a new SQLite file. PostgreSQL that cannot be reached fails
the run: it is never skipped.
"""

from __future__ import annotations

import os
import re
import secrets
import socket
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from email import message_from_bytes
from email.message import Message
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from fastapi import FastAPI
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.orm import Session

from exchange.core import migrations
from exchange.core.database import Database, make_engine
from exchange.core.settings import Settings
from exchange.search import cache as search_cache
from exchange.seeding.reference import load_categories, load_regions_and_councils
from tests.client import Client

pytest_plugins = ["tests.localstripe"]

PROJECT_ROOT = Path(__file__).resolve().parents[1]
TEST_SECRET = "test-secret-key-for-the-test-suite-only-0123456789"

# Cheap Argon2 for the suite only (the settings default is full strength): hundreds of sign-ins would
# otherwise cost a fifth of a second each. Set before any test module hashes a password (tests.factories
# does on import).
os.environ.setdefault("EXCHANGE_PASSWORD_HASH_TIME_COST", "1")
os.environ.setdefault("EXCHANGE_PASSWORD_HASH_MEMORY_KIB", "64")
os.environ.setdefault("EXCHANGE_PASSWORD_HASH_PARALLELISM", "1")
# Jobs run at once, in the process that enqueues them, against the test's own database (see ``database``);
# tests/queue starts real worker processes on a SQLite queue file and on Redis.
os.environ.setdefault("EXCHANGE_QUEUE_URL", "immediate")


def pytest_configure(config: pytest.Config) -> None:
    # Every test says which database its jobs use; a job without one fails instead of using var/exchange.db.
    from exchange.core.queue import forbid_process_context

    forbid_process_context()


def _create_postgres_database(server_url: str) -> str:
    url = make_url(server_url)
    name = f"exchange_test_{os.getpid()}_{secrets.token_hex(3)}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


def _drop_postgres_database(database_url: str) -> None:
    url = make_url(database_url)
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)'))
    admin.dispose()


def new_database_url(tmp_path_factory: pytest.TempPathFactory, label: str) -> str:
    server = os.environ.get("EXCHANGE_TEST_DATABASE_URL", "").strip()
    if server:
        return _create_postgres_database(server)
    return f"sqlite:///{tmp_path_factory.mktemp(label) / 'exchange.db'}"


def drop_database(url: str) -> None:
    if url.startswith("postgresql"):
        _drop_postgres_database(url)


def prepare_database(url: str, settings: Settings | None = None) -> Engine:
    """Migrate a new database to head and load the reference data, committed."""
    migrations.upgrade(url)
    settings = settings or test_settings(url)
    engine = make_engine(url, settings)
    database = Database(engine, settings)
    with database.transaction() as db:
        load_regions_and_councils(db, PROJECT_ROOT / "seed_data")
        load_categories(db, PROJECT_ROOT / "seed_data")
    return engine


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    url = new_database_url(tmp_path_factory, "db")
    yield url
    drop_database(url)


@pytest.fixture(scope="session")
def engine(database_url: str) -> Iterator[Engine]:
    engine = prepare_database(database_url)
    yield engine
    engine.dispose()


@contextmanager
def transaction_with_jobs(database: Database, settings: Settings) -> Iterator[Session]:
    """A committed transaction outside any request (a live server's data), whose jobs, run at once, work on
    the same database: without this they would fall back to the process's default database."""
    from exchange.core.queue import JobContext, use_context

    token = use_context(JobContext(database, settings))
    try:
        with database.transaction() as db:
            yield db
    finally:
        token.var.reset(token)


@pytest.fixture
def connection(engine: Engine) -> Iterator[Connection]:
    with engine.connect() as connection:
        transaction = connection.begin()
        yield connection
        transaction.rollback()
    # What a test's rolled-back rows left in this process's memory must not answer for the next test's rows,
    # which reuse their ids.
    search_cache.clear()


@pytest.fixture
def database(connection: Connection, settings: Settings) -> Iterator[Database]:
    from exchange.core.queue import JobContext, use_context
    from exchange.wiring import install

    install()
    database = Database.for_connection(connection, settings)
    token = use_context(JobContext(database, settings))
    yield database
    token.var.reset(token)


@pytest.fixture
def db(database: Database) -> Iterator[Session]:
    session = database.session()
    yield session
    session.close()


def test_settings(database_url: str, **changes: Any) -> Settings:
    return Settings(
        env="test", database_url=database_url, secret_key=TEST_SECRET, base_url="http://testserver", **changes
    )


@pytest.fixture
def settings(database_url: str) -> Settings:
    return test_settings(database_url)


@pytest.fixture(scope="session")
def shared_app(engine: Engine, database_url: str) -> FastAPI:
    """One application for the whole run: building one (its routes, its compiled templates) costs far more
    than most tests. Each test points it at its own settings and rolled-back database (see ``app``)."""
    from exchange.app import create_app

    return create_app(test_settings(database_url), Database(engine))


@pytest.fixture
def app(shared_app: FastAPI, settings: Settings, database: Database) -> Iterator[FastAPI]:
    state = shared_app.state
    kept = dict(state._state)
    state.settings = settings
    state.database = database
    yield shared_app
    # Whatever a test changed on the application (its settings, a payments gateway) ends with it.
    state._state.clear()
    state._state.update(kept)


@pytest.fixture
def client(app: FastAPI) -> Iterator[Client]:
    with Client(app) as client:
        yield client


@pytest.fixture
def other_client(app: FastAPI) -> Iterator[Client]:
    """A second browser: its own cookies."""
    with Client(app) as client:
        yield client


def is_postgres(database_url: str) -> bool:
    return database_url.startswith("postgresql")


CSRF_PATTERN = re.compile(r'name="csrf_token" value="([^"]+)"')


# --- a real SMTP server on loopback (aiosmtpd), for email delivery tests ---


class Inbox:
    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
        self.messages.append(message_from_bytes(envelope.content))  # type: ignore[attr-defined]
        return "250 Message accepted for delivery"


def wait_for(condition: Callable[[], Any], what: str, limit: float = 30.0) -> Any:
    """Poll until ``condition()`` is truthy (what another process or thread does arrives a moment later)."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(0.1)
    pytest.fail(f"gave up waiting for {what}")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def inbox() -> Iterator[tuple[Inbox, int]]:
    handler = Inbox()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    yield handler, port
    controller.stop()


class RefusingInbox(Inbox):
    """A real SMTP server that refuses any recipient whose address starts with "refuse"."""

    async def handle_RCPT(
        self, server: object, session: object, envelope: object, address: str, options: list[str]
    ) -> str:
        if address.startswith("refuse"):
            return "550 No such mailbox"
        envelope.rcpt_tos.append(address)  # type: ignore[attr-defined]
        return "250 OK"


@pytest.fixture
def refusing_inbox() -> Iterator[tuple[RefusingInbox, int]]:
    handler = RefusingInbox()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    yield handler, port
    controller.stop()


@pytest.fixture
def delivered(database: Database, database_url: str, inbox: tuple[Inbox, int]) -> Iterator[Inbox]:
    """The inbox that email jobs run in this test deliver to, as the worker would after each commit."""
    from exchange.core.queue import JobContext, use_context

    handler, port = inbox
    token = use_context(JobContext(database, test_settings(database_url, smtp_url=f"smtp://127.0.0.1:{port}")))
    yield handler
    token.var.reset(token)
