"""The hourly posting limit holds when one person's posts arrive all at once, each on its own connection and
transaction as parallel requests would (on PostgreSQL a count-then-insert accepted 30 against 10)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from exchange.conversations import service
from exchange.conversations.models import Post
from exchange.core.errors import TooManyRequests
from tests import factories
from tests.parallel import at_once, own_database

AT_ONCE = 30


def test_parallel_questions_never_pass_the_hourly_limit(tmp_path_factory: pytest.TempPathFactory) -> None:
    with own_database(tmp_path_factory, "posts") as database:
        with database.transaction() as db:
            officer = factories.officer(db)
            supplier_owner = factories.user(db)
            pitch = factories.pitch(db, supplier_owner, factories.supplier(db, supplier_owner))
            viewer = factories.viewer(db, officer)
            pitch_id = pitch.id

        def ask(n: int) -> None:
            with database.transaction() as db:  # as the posting request's unit of work
                service.ask(db, viewer, "pitch", pitch_id, f"Question number {n} about this pitch")

        outcomes = at_once(AT_ONCE, ask)

        assert outcomes.failed == []
        assert all(isinstance(error, TooManyRequests) for error in outcomes.refused)
        with database.session(write=False) as db:
            posted = db.scalar(select(func.count()).select_from(Post))
        assert posted == len(outcomes.done) == service.POSTS_PER_HOUR
