"""Publish pressed many times at once (double clicks, two colleagues): the need is published once, with one
audit row, and the other requests find no draft (on PostgreSQL each request is its own transaction)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from exchange.audit.models import AuditEvent
from exchange.core.errors import NotFound
from exchange.needs.models import Need
from exchange.proposals import publishing
from tests import factories
from tests.parallel import at_once, own_database

AT_ONCE = 8


def test_parallel_publishing_publishes_once(tmp_path_factory: pytest.TempPathFactory) -> None:
    with own_database(tmp_path_factory, "publishing") as database:
        with database.transaction() as db:
            officer = factories.officer(db)
            need = factories.need(db, officer, factories.council(db), draft=True)
            viewer = factories.viewer(db, officer)
            need_id = need.id

        def publish(_: int) -> None:
            with database.transaction() as db:  # as the publishing request's unit of work
                publishing.publish(db, viewer, need_id)

        outcomes = at_once(AT_ONCE, publish)

        assert outcomes.failed == []
        assert len(outcomes.done) == 1
        assert all(isinstance(error, NotFound) for error in outcomes.refused)
        with database.session(write=False) as db:
            assert db.get_one(Need, need_id).published_at is not None
            published = select(func.count()).where(AuditEvent.action == "need.published")
            assert db.scalar(published.select_from(AuditEvent)) == 1
