"""Two officers looking at a need's proposals at the same moment, just after the closing date, open them once:
one audit row, whichever look came first. On two real connections at once, on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from sqlalchemy import select

from exchange.audit.models import AuditEvent
from exchange.core.database import Database
from exchange.core.viewer import Viewer
from exchange.needs import service as needs
from exchange.needs.models import NeedStage
from exchange.proposals import council
from exchange.proposals.models import NeedProcurement
from tests import factories
from tests.conftest import drop_database, new_database_url, prepare_database
from tests.conftest import test_settings as settings_for
from tests.evaluation.test_concurrency import submitted_proposal
from tests.proposals.conftest import days, make_council_admin, set_dates, set_up_procurement


@dataclass
class Setting:
    database: Database
    need_id: int
    officers: list[Viewer]


@pytest.fixture
def setting(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Setting]:
    """A database of its own, committed to, so that two connections see the same rows."""
    url = new_database_url(tmp_path_factory, "opening")
    engine = prepare_database(url)
    database = Database(engine, settings_for(url))
    try:
        with database.transaction() as db:
            officer, colleague = factories.officer(db, "BUN"), factories.officer(db, "BUN")
            council = factories.council(db, "BUN")
            make_council_admin(db, colleague, council)  # without a panel, the owner and admins read proposals
            need = factories.need(db, officer, council, title="Meals at home")
            needs.change_stage(db, factories.viewer(db, officer), need.id, NeedStage.OPEN_FOR_PROPOSALS)
            set_up_procurement(db, officer, need)
            owner = factories.user(db, "jo@pennine.example")
            factories.supplier(db, owner, name="Pennine Community Meals")
            submitted_proposal(db, factories.viewer(db, owner), need)
            set_dates(db, need, opens_on=days(-30), closes_on=days(-1), questions_close_on=None)
            value = Setting(database, need.id, [factories.viewer(db, officer), factories.viewer(db, colleague)])
        yield value
    finally:
        engine.dispose()
        drop_database(url)


def test_two_first_looks_at_once_open_the_proposals_once(setting: Setting) -> None:
    start = threading.Barrier(len(setting.officers))
    # On PostgreSQL both read the unopened settings before either writes; SQLite lets one writer in at a time.
    both_read = threading.Barrier(len(setting.officers)) if setting.database.dialect == "postgresql" else None
    seen: list[int] = []
    errors: list[BaseException] = []

    def look(viewer: Viewer) -> None:
        start.wait(timeout=10)
        session = setting.database.session(write=True)
        try:
            session.scalars(select(NeedProcurement).where(NeedProcurement.need_id == setting.need_id)).one()
            if both_read is not None:
                both_read.wait(timeout=10)
            seen.append(len(council.submitted_for_council(session, viewer, setting.need_id).proposals))
            session.commit()
        except BaseException as error:
            errors.append(error)
            session.rollback()
        finally:
            session.close()

    threads = [threading.Thread(target=look, args=(viewer,)) for viewer in setting.officers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == [] and seen == [1, 1]
    with setting.database.session(write=False) as db:
        opened = db.scalars(
            select(AuditEvent).where(AuditEvent.action == "proposals.opened", AuditEvent.entity_id == setting.need_id)
        ).all()
        assert len(opened) == 1
        assert opened[0].actor_user_id in {viewer.user_id for viewer in setting.officers}
