"""With payments on, a session's participant cap holds when many register at the same moment, each on its own
connection and transaction, as parallel requests would: on PostgreSQL the session's row lock makes them take
turns at the count; on SQLite the write lock does."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from exchange.core.database import Database
from exchange.core.errors import Conflict
from exchange.core.viewer import Viewer
from exchange.payments.plans import DEFAULT_PLANS_FILE
from exchange.sessions import service
from exchange.sessions.models import SessionParticipant, SessionStatus
from exchange.sessions.schemas import RegistrationForm, SessionForm
from exchange.wiring import install
from tests import factories
from tests.conftest import drop_database, new_database_url, prepare_database
from tests.conftest import test_settings as settings_for
from tests.sessions.conftest import session_values

LIMIT = 3
AT_ONCE = 10


@pytest.fixture
def committed(
    tmp_path_factory: pytest.TempPathFactory, tmp_path: Path
) -> Iterator[tuple[Database, int, list[tuple[Viewer, int]]]]:
    """A database of its own with payments on, a free plan of three participants per session, an open session
    and ten suppliers ready to register."""
    plans = tmp_path / "plans.toml"
    text = DEFAULT_PLANS_FILE.read_text(encoding="utf-8")
    plans.write_text(text.replace("session_participants = 40\n", f"session_participants = {LIMIT}\n"), "utf-8")
    url = new_database_url(tmp_path_factory, "session-limits")
    engine = prepare_database(url)
    install()
    database = Database(engine, settings_for(url, plans_file=plans, stripe_secret_key="sk_test_parallel"))
    try:
        with database.transaction() as db:
            officer, council = factories.officer(db, "BUN"), factories.council(db, "BUN")
            organiser = factories.viewer(db, officer)
            session = service.create(db, organiser, council.id, SessionForm.model_validate(session_values()))
            service.change_status(db, organiser, session.id, SessionStatus.OPEN)
            suppliers = []
            for n in range(AT_ONCE):
                person = factories.user(db)
                organisation = factories.supplier(db, person, name=f"Supplier at once {n}")
                suppliers.append((factories.viewer(db, person), organisation.id))
            session_id = session.id
        yield database, session_id, suppliers
    finally:
        engine.dispose()
        drop_database(url)


def test_parallel_registrations_never_pass_the_plans_cap(
    committed: tuple[Database, int, list[tuple[Viewer, int]]],
) -> None:
    database, session_id, suppliers = committed
    start = threading.Barrier(AT_ONCE)
    registered: list[int] = []
    refused: list[str] = []
    failed: list[BaseException] = []

    def register(viewer: Viewer, organisation_id: int) -> None:
        form = RegistrationForm(organisation_id=organisation_id, available=[0], max_meetings=1)
        start.wait(timeout=20)
        try:
            with database.transaction() as db:  # as a POST request's unit of work
                service.register(db, viewer, session_id, form)
            registered.append(organisation_id)
        except Conflict as error:
            refused.append(error.message)
        except BaseException as error:
            failed.append(error)

    threads = [threading.Thread(target=register, args=supplier) for supplier in suppliers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert failed == []
    with database.session(write=False) as db:
        count = db.scalar(select(func.count()).where(SessionParticipant.session_id == session_id))
    assert count == len(registered) == LIMIT
    assert len(refused) == AT_ONCE - LIMIT
    assert all(f"it takes {LIMIT} participants" in message for message in refused)
