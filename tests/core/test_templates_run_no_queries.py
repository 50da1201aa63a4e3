"""Templates get their data from the view: not one SQL statement runs while a page's template renders."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import jinja2
import pytest
from sqlalchemy import event
from sqlalchemy.orm import Session

from exchange.core.database import Database
from exchange.needs import service as needs
from exchange.needs.models import NeedStage
from tests import factories
from tests.client import Client

_rendering = threading.local()


@pytest.fixture
def queries_while_rendering(database: Database, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The SQL run while any Jinja template renders (the suite's app renders in worker threads)."""
    seen: list[str] = []
    render = jinja2.Template.render

    def tracked_render(self: jinja2.Template, *args: Any, **kwargs: Any) -> str:
        _rendering.on = True
        try:
            return render(self, *args, **kwargs)
        finally:
            _rendering.on = False

    def before_cursor_execute(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if getattr(_rendering, "on", False):
            seen.append(statement)

    monkeypatch.setattr(jinja2.Template, "render", tracked_render)
    event.listen(database.engine, "before_cursor_execute", before_cursor_execute)
    yield seen
    event.remove(database.engine, "before_cursor_execute", before_cursor_execute)


def test_item_pages_with_follow_buttons_and_endorsements_query_nothing_while_rendering(
    client: Client, db: Session, queries_while_rendering: list[str]
) -> None:
    officer = factories.officer(db)
    council = factories.council(db)
    need = factories.need(db, officer, council, title="Meals at home")
    needs.change_stage(db, factories.viewer(db, officer), need.id, NeedStage.OPEN_FOR_PROPOSALS)
    owner = factories.user(db)
    organisation = factories.supplier(db, owner)
    offer = factories.offer(db, owner, organisation)
    pitch = factories.pitch(db, owner, organisation)
    db.flush()
    client.sign_in(officer.email, factories.PASSWORD)

    pages = [
        "/",
        "/dashboard",
        f"/needs/{need.id}",
        f"/offers/{offer.id}",
        f"/pitches/{pitch.id}",
        f"/organisations/{organisation.slug}",
        "/search?q=meals",
        "/pricing",
    ]
    for path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        assert 'class="exchange-follow' in response.text or path in ("/", "/dashboard", "/search?q=meals", "/pricing")

    assert queries_while_rendering == []
