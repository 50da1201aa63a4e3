"""A plan's limit on published listings holds when many publish at the same moment, as parallel requests
would: on PostgreSQL the organisation's row lock makes them take turns at the count; on SQLite the write
lock does."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from exchange.core.database import Database
from exchange.core.viewer import Viewer
from exchange.listings import service as listings
from exchange.listings.models import ListingStatus, Pitch
from exchange.listings.schemas import PitchForm
from exchange.payments.plans import DEFAULT_PLANS_FILE
from tests import factories
from tests.parallel import at_once, own_database

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
    with own_database(tmp_path_factory, "limits", plans_file=plans) as database:
        with database.transaction() as db:
            owner = factories.user(db)
            organisation = factories.supplier(db, owner)
            viewer = factories.viewer(db, owner)
            organisation_id = organisation.id
        yield database, viewer, organisation_id


def test_parallel_publishes_never_pass_the_plans_limit(committed: tuple[Database, Viewer, int]) -> None:
    database, viewer, organisation_id = committed

    def publish(n: int) -> None:
        form = PitchForm(title=f"Pitch number {n}", summary="A pitch sent at the same moment as others.")
        with database.transaction() as db:  # as a POST request's unit of work
            listings.create(db, viewer, Pitch, organisation_id, form)

    outcomes = at_once(AT_ONCE, publish)

    assert outcomes.failed == []
    with database.session(write=False) as db:
        count = db.scalar(
            select(func.count()).where(
                Pitch.organisation_id == organisation_id, Pitch.status == ListingStatus.PUBLISHED
            )
        )
    assert count == len(outcomes.done) == LIMIT
    assert len(outcomes.refused) == AT_ONCE - LIMIT
    assert all("the most the free plan allows" in error.message for error in outcomes.refused)
