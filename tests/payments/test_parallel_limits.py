"""A plan's limit on published listings holds when many publish at the same moment, each on its own
connection and transaction, as parallel requests would: on PostgreSQL the organisation's row lock makes them
take turns at the count; on SQLite the write lock does."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from exchange.core.database import Database
from exchange.core.errors import Invalid
from exchange.core.viewer import Viewer
from exchange.listings import service as listings
from exchange.listings.models import ListingStatus, Pitch
from exchange.listings.schemas import PitchForm
from exchange.payments.plans import DEFAULT_PLANS_FILE
from exchange.wiring import install
from tests import factories
from tests.conftest import drop_database, new_database_url, prepare_database
from tests.conftest import test_settings as settings_for

LIMIT = 3
AT_ONCE = 12


@pytest.fixture
def committed(tmp_path_factory: pytest.TempPathFactory, tmp_path: Path) -> Iterator[tuple[Database, Viewer, int]]:
    """A database of its own, committed to, with a free plan of three pitches and a supplier with none yet."""
    plans = tmp_path / "plans.toml"
    plans.write_text(
        DEFAULT_PLANS_FILE.read_text(encoding="utf-8").replace("active_pitches = 25\n", f"active_pitches = {LIMIT}\n"),
        encoding="utf-8",
    )
    url = new_database_url(tmp_path_factory, "limits")
    engine = prepare_database(url)
    install()
    database = Database(engine, settings_for(url, plans_file=plans))
    try:
        with database.transaction() as db:
            owner = factories.user(db)
            organisation = factories.supplier(db, owner)
            viewer = factories.viewer(db, owner)
            organisation_id = organisation.id
        yield database, viewer, organisation_id
    finally:
        engine.dispose()
        drop_database(url)


def test_parallel_publishes_never_pass_the_plans_limit(committed: tuple[Database, Viewer, int]) -> None:
    database, viewer, organisation_id = committed
    start = threading.Barrier(AT_ONCE)
    published: list[int] = []
    refused: list[str] = []
    failed: list[BaseException] = []

    def publish(n: int) -> None:
        form = PitchForm(title=f"Pitch number {n}", summary="A pitch sent at the same moment as others.")
        start.wait(timeout=20)
        try:
            with database.transaction() as db:  # as a POST request's unit of work
                listings.create(db, viewer, Pitch, organisation_id, form)
            published.append(n)
        except Invalid as error:
            refused.append(error.message)
        except BaseException as error:
            failed.append(error)

    threads = [threading.Thread(target=publish, args=(n,)) for n in range(AT_ONCE)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert failed == []
    with database.session(write=False) as db:
        count = db.scalar(
            select(func.count()).where(
                Pitch.organisation_id == organisation_id, Pitch.status == ListingStatus.PUBLISHED
            )
        )
    assert count == len(published) == LIMIT
    assert len(refused) == AT_ONCE - LIMIT
    assert all("the most the free plan allows" in message for message in refused)
