"""Clarification questions: a supplier asks, the council answers once, and the answer is published to everyone
without who asked; the asker and every organisation with a proposal are told."""

from __future__ import annotations

import html

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from exchange.accounts.models import User
from exchange.needs import service as needs
from exchange.needs.models import NeedStage
from exchange.notifications import service as notifications
from exchange.notifications.models import Notification, NotificationKind
from exchange.proposals import clarifications, service
from exchange.proposals.models import Clarification
from exchange.proposals.schemas import QuestionForm
from tests import factories
from tests.client import Client
from tests.proposals.conftest import World, days, draft_proposal, set_dates, sign_in, submitted_proposal, written

QUESTION = "Can a proposal cover only part of the borough?"
ANSWER = "Yes: say which wards you would cover."


def ask(db: Session, world: World, person: User | None = None) -> Clarification:
    viewer = factories.viewer(db, person or world.supplier_member)
    return clarifications.ask(db, viewer, world.need.id, QuestionForm(question=QUESTION))


def test_a_supplier_asks_and_only_it_and_the_council_see_the_question_until_it_is_answered(
    client: Client, other_client: Client, db: Session, world: World
) -> None:
    sign_in(client, world.supplier_member)
    assert "Ask a clarification question" in client.get(f"/needs/{world.need.id}").text
    assert client.get(f"/needs/{world.need.id}/clarifications/new").status_code == 200

    response = client.post(f"/needs/{world.need.id}/clarifications/new", {"question": QUESTION})

    assert response.status_code == 303 and response.headers["location"].endswith("#clarifications")
    question = db.scalars(select(Clarification)).one()
    assert question.asked_by_id == world.supplier_member.id and not question.answered
    assert factories.audit_events(db, "clarification", question.id, "clarification.asked")
    mine = client.get(f"/needs/{world.need.id}").text
    assert QUESTION in mine and "Waiting for an answer" in mine

    for person in (None, world.rival_admin, world.supplier_admin, world.other_officer):
        other_client.http.cookies.clear()  # type: ignore[union-attr]
        sign_in(other_client, person)
        assert QUESTION not in other_client.get(f"/needs/{world.need.id}").text, person
    other_client.http.cookies.clear()  # type: ignore[union-attr]
    sign_in(other_client, world.officer)
    assert QUESTION in other_client.get(f"/needs/{world.need.id}/clarifications").text
    assert "(1 to answer)" in other_client.get(f"/needs/{world.need.id}").text


def test_the_council_answers_and_the_answer_is_published_for_everyone_without_who_asked(
    client: Client, other_client: Client, db: Session, world: World
) -> None:
    question = ask(db, world)
    sign_in(client, world.officer)

    response = client.post(
        f"/needs/{world.need.id}/clarifications/{question.id}/answer", {f"answer_{question.id}": ANSWER}
    )

    assert response.status_code == 303
    db.refresh(question)
    assert question.answer == ANSWER and question.answered_by_id == world.officer.id
    assert factories.audit_events(db, "clarification", question.id, "clarification.answered")
    asker = world.supplier_member
    for person in (None, world.rival_admin, world.other_officer, world.officer):
        other_client.http.cookies.clear()  # type: ignore[union-attr]
        sign_in(other_client, person)
        page = html.unescape(other_client.get(f"/needs/{world.need.id}").text)
        assert QUESTION in page and ANSWER in page, person
        council_page = other_client.get(f"/needs/{world.need.id}/clarifications")
        api = other_client.get(f"/api/v1/needs/{world.need.id}/clarifications")
        assert api.json() == [
            {
                "id": question.id,
                "question": QUESTION,
                "answer": ANSWER,
                "answered_at": api.json()[0]["answered_at"],
                "corrected_at": None,
                "earlier_answer": None,
            }
        ]
        for text in (page, council_page.text, api.text):
            assert asker.name not in text and asker.email not in text and "Pennine" not in text, person


def test_the_asker_and_every_organisation_with_a_proposal_are_told_and_emailed_if_they_want(
    client: Client, db: Session, world: World
) -> None:
    question = ask(db, world, world.rival_admin)
    draft_proposal(db, world)  # Pennine, a draft: both its members are told
    gone_admin = factories.user(db, "lee@gone.example")
    factories.supplier(db, gone_admin, name="Gone Ltd")
    gone = submitted_proposal(db, world, gone_admin)
    service.withdraw(db, factories.viewer(db, gone_admin), world.need.id, gone.id)  # withdrawn: not told
    factories.supplier(db, factories.user(db, "pat@bystander.example"))  # no proposal: not told
    notifications.set_email(db, world.supplier_member.id, NotificationKind.CLARIFICATION_ANSWERED, False)
    sign_in(client, world.colleague)

    client.post(f"/needs/{world.need.id}/clarifications/{question.id}/answer", {f"answer_{question.id}": ANSWER})

    told = set(
        db.scalars(select(Notification.user_id).where(Notification.kind == NotificationKind.CLARIFICATION_ANSWERED))
    )
    assert told == {world.rival_admin.id, world.supplier_admin.id, world.supplier_member.id}
    assert len(factories.emails_to(db, world.rival_admin.email)) == 1
    assert len(factories.emails_to(db, world.supplier_admin.email)) == 1
    assert factories.emails_to(db, world.supplier_member.email) == []  # that kind of email is off
    # Gone Ltd had only the receipts for its own proposal.
    assert {m.subject.split(":")[0] for m in factories.emails_to(db, "lee@gone.example")} == {
        "Proposal submitted",
        "Proposal withdrawn",
    }
    assert factories.emails_to(db, "pat@bystander.example") == []
    email = factories.emails_to(db, world.rival_admin.email)[0]
    assert ANSWER in email.body_text and f"/needs/{world.need.id}" in email.body_text and email.unsubscribe_url


def test_an_answer_is_given_once(client: Client, db: Session, world: World) -> None:
    question = ask(db, world)
    sign_in(client, world.officer)
    path = f"/needs/{world.need.id}/clarifications/{question.id}/answer"
    assert client.post(path, {f"answer_{question.id}": ANSWER}).status_code == 303
    before = written(db)
    second = client.post(path, {f"answer_{question.id}": "Something else"})
    assert second.status_code == 409 and "already answered" in second.text
    assert written(db) == before
    db.refresh(question)
    assert question.answer == ANSWER


def test_an_empty_answer_is_refused_with_a_message(client: Client, db: Session, world: World) -> None:
    question = ask(db, world)
    sign_in(client, world.officer)
    before = written(db)
    response = client.post(f"/needs/{world.need.id}/clarifications/{question.id}/answer", {})
    assert response.status_code == 422
    assert f'href="#answer_{question.id}"' in response.text and "Enter the answer" in response.text
    assert written(db) == before


@pytest.mark.parametrize("who", ["other council", "supplier", "asker", "anonymous"])
def test_only_the_council_can_answer(client: Client, db: Session, world: World, who: str) -> None:
    question = ask(db, world)
    person = {
        "other council": world.other_officer,
        "supplier": world.rival_admin,
        "asker": world.supplier_member,
        "anonymous": None,
    }[who]
    sign_in(client, person)
    before = written(db)
    assert client.get(f"/needs/{world.need.id}/clarifications").status_code == 404
    response = client.post(
        f"/needs/{world.need.id}/clarifications/{question.id}/answer", {f"answer_{question.id}": ANSWER}
    )
    assert response.status_code == 404
    assert written(db) == before


def test_a_question_after_the_deadline_is_refused_and_nothing_is_written(
    client: Client, db: Session, world: World
) -> None:
    set_dates(db, world.need, questions_close_on=days(-1))
    sign_in(client, world.supplier_member)
    before = written(db)
    response = client.post(f"/needs/{world.need.id}/clarifications/new", {"question": QUESTION})
    assert response.status_code == 409
    assert "The deadline for questions was" in html.unescape(response.text) and "not sent" in response.text
    assert written(db) == before
    assert "The deadline for questions was" in client.get(f"/needs/{world.need.id}").text


def test_a_question_on_a_closed_need_is_refused(client: Client, db: Session, world: World) -> None:
    needs.change_stage(db, factories.viewer(db, world.officer), world.need.id, NeedStage.CLOSED)
    sign_in(client, world.supplier_member)
    before = written(db)
    assert client.post(f"/needs/{world.need.id}/clarifications/new", {"question": QUESTION}).status_code == 409
    assert written(db) == before


@pytest.mark.parametrize("who", ["officer", "other council"])
def test_councils_cannot_ask_questions(client: Client, db: Session, world: World, who: str) -> None:
    sign_in(client, world.officer if who == "officer" else world.other_officer)
    before = written(db)
    response = client.post(f"/needs/{world.need.id}/clarifications/new", {"question": QUESTION})
    assert response.status_code == 403
    assert "Only members of suppliers" in response.text
    assert written(db) == before


@pytest.mark.parametrize(("question", "message"), [("", "Enter your question"), ("x" * 1001, "1,000 characters")])
def test_a_bad_question_is_refused_with_a_message(
    client: Client, db: Session, world: World, question: str, message: str
) -> None:
    sign_in(client, world.supplier_member)
    before = written(db)
    response = client.post(f"/needs/{world.need.id}/clarifications/new", {"question": question})
    assert response.status_code == 422
    assert 'href="#question"' in response.text and message in response.text
    assert written(db) == before


def test_anonymous_visitors_are_asked_to_sign_in_before_asking(client: Client, world: World) -> None:
    response = client.get(f"/needs/{world.need.id}/clarifications/new")
    assert response.status_code == 303 and "/account/sign-in" in response.headers["location"]
