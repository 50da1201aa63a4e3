"""Questions to a case study's authors, answered by its council; a reported case study hidden by an
administrator, with its council told why; drafts take no questions."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from exchange.conversations import service as conversations
from exchange.core.errors import Conflict, NotAllowed, NotFound
from exchange.moderation import service as moderation
from exchange.notifications.models import Notification
from tests import factories
from tests.case_studies.conftest import World, create
from tests.client import Client


def test_the_council_answers_questions_about_its_case_study(db: Session, world: World, client: Client) -> None:
    study = create(db, world)
    asker = factories.viewer(db, world.other_officer)
    question = conversations.ask(db, asker, "case_study", study.id, "How did you reach younger residents?")
    with pytest.raises(NotAllowed):
        conversations.reply(db, factories.viewer(db, world.supplier_admin), question.id, "Not mine to answer")
    answer = conversations.reply(db, factories.viewer(db, world.officer), question.id, "Through the colleges.")
    assert answer.organisation_id == world.council.id
    page = client.get(f"/case-studies/{study.id}")
    assert "How did you reach younger residents?" in page.text and "Through the colleges." in page.text


def test_a_draft_takes_no_questions(db: Session, world: World) -> None:
    draft = create(db, world, publish=False)
    with pytest.raises(NotFound):
        conversations.ask(db, factories.viewer(db, world.other_officer), "case_study", draft.id, "Hello?")
    with pytest.raises(Conflict):
        conversations.ask(db, factories.viewer(db, world.officer), "case_study", draft.id, "Note to self")


def test_a_reported_case_study_is_hidden_by_an_administrator(db: Session, world: World, client: Client) -> None:
    study = create(db, world)
    moderation.report(db, factories.viewer(db, world.other_officer), "case_study", study.id, "Names a resident")
    with pytest.raises(NotFound):
        moderation.hide(db, factories.viewer(db, world.other_officer), "case_study", study.id, "No")
    admin = factories.admin(db)
    (item,) = moderation.queue(db, factories.viewer(db, admin))
    assert item.content.id == study.id
    moderation.hide(db, factories.viewer(db, admin), "case_study", study.id, "It names a resident: remove the name")
    assert study.hidden_at is not None
    assert client.get(f"/case-studies/{study.id}").status_code == 404
    author = study.created_by_id
    assert db.query(Notification).filter_by(user_id=author, kind="content_moderated").count() == 1
