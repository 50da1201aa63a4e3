"""The council rewords a clarification question or corrects a published answer: each is checked on a page that
shows the new text and who will be told before it is made, and audited; a correction is shown as one and told to
the asker, every organisation with a proposal and every follower of the need."""

from __future__ import annotations

import html

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from exchange.core.errors import Conflict, Invalid, NotFound
from exchange.knowledge import follows
from exchange.knowledge.models import FollowKind
from exchange.notifications.models import Notification
from exchange.proposals import clarifications
from exchange.proposals.models import Clarification
from exchange.proposals.schemas import AnswerForm, QuestionForm
from tests import factories
from tests.client import Client
from tests.proposals.conftest import World, draft_proposal, sign_in, written
from tests.proposals.test_clarifications import ANSWER, ask

CORRECTED = "Yes, but only whole wards: say which ones."
REWORDED = "Can a proposal cover only part of the area?"


def answered(db: Session, world: World) -> Clarification:
    question = ask(db, world)
    viewer = factories.viewer(db, world.officer)
    return clarifications.answer(db, viewer, world.need.id, question.id, AnswerForm(answer=ANSWER))


def corrections_told(db: Session) -> set[int]:
    return set(db.scalars(select(Notification.user_id).where(Notification.title.startswith("Answer corrected"))))


def test_a_correction_keeps_the_earlier_answer_and_tells_the_asker_bidders_and_followers(
    db: Session, world: World
) -> None:
    question = answered(db, world)
    draft_proposal(db, world, world.supplier_admin)
    follower = factories.user(db, "fay@follows.example")
    follows.follow(db, factories.viewer(db, follower), FollowKind.NEED, world.need.id)
    viewer = factories.viewer(db, world.colleague)

    clarifications.correct_answer(db, viewer, world.need.id, question.id, AnswerForm(answer=CORRECTED))

    assert (question.answer, question.earlier_answer, question.corrected_at is not None) == (CORRECTED, ANSWER, True)
    assert corrections_told(db) == {world.supplier_admin.id, world.supplier_member.id, follower.id}
    [email] = [m for m in factories.emails_to(db, follower.email) if m.subject.startswith("Answer corrected")]
    assert CORRECTED in email.body_text and ANSWER in email.body_text
    [event] = factories.audit_events(db, "clarification", question.id, "clarification.corrected")
    assert event.actor_user_id == world.colleague.id and event.data["earlier_answer"] == ANSWER


def test_a_question_is_reworded_quietly_and_audited_without_its_earlier_wording(db: Session, world: World) -> None:
    question = answered(db, world)
    before = len(db.scalars(select(Notification)).all())

    clarifications.edit_question(
        db, factories.viewer(db, world.officer), world.need.id, question.id, QuestionForm(question=REWORDED)
    )

    assert question.question == REWORDED and question.question_edited_at is not None
    assert len(db.scalars(select(Notification)).all()) == before
    [event] = factories.audit_events(db, "clarification", question.id, "clarification.question_edited")
    assert "Can a proposal cover only part of the borough?" not in str(event.data)


def test_an_unanswered_question_cannot_be_corrected_and_an_unchanged_text_is_refused(db: Session, world: World) -> None:
    question = ask(db, world)
    viewer = factories.viewer(db, world.officer)
    with pytest.raises(Conflict):
        clarifications.correct_answer(db, viewer, world.need.id, question.id, AnswerForm(answer=CORRECTED))
    with pytest.raises(Invalid):
        clarifications.edit_question(db, viewer, world.need.id, question.id, QuestionForm(question=question.question))
    with pytest.raises(NotFound):
        clarifications.edit_question(
            db, factories.viewer(db, world.other_officer), world.need.id, question.id, QuestionForm(question=REWORDED)
        )


def test_the_council_confirms_a_correction_and_the_need_page_shows_it(
    client: Client, other_client: Client, db: Session, world: World
) -> None:
    question = answered(db, world)
    draft_proposal(db, world, world.supplier_admin)
    sign_in(client, world.officer)
    path = f"/needs/{world.need.id}/clarifications/{question.id}/correct"
    assert ANSWER in html.unescape(client.get(path).text)
    before = written(db)

    check = client.post(path, {"answer": CORRECTED})

    page = html.unescape(check.text)
    assert check.status_code == 200 and CORRECTED in page and "Publish the correction" in page
    assert "the person who asked the question" in page and "the 1 organisation with a proposal" in page
    assert written(db) == before and corrections_told(db) == set()
    done = client.post(path, {"answer": CORRECTED, "confirmed": "yes"})
    assert done.status_code == 303
    db.refresh(question)
    sign_in(other_client, world.rival_admin)
    need_page = html.unescape(other_client.get(f"/needs/{world.need.id}").text)
    corrected_on = f"Corrected on {question.corrected_at.day} "  # type: ignore[union-attr]
    assert CORRECTED in need_page and corrected_on in need_page and f"<del>{ANSWER}</del>" in need_page
    assert "The earlier answer" in need_page
    [published] = other_client.get(f"/api/v1/needs/{world.need.id}/clarifications").json()
    assert (published["answer"], published["earlier_answer"]) == (CORRECTED, ANSWER) and published["corrected_at"]


def test_the_council_confirms_a_new_wording(client: Client, db: Session, world: World) -> None:
    question = ask(db, world)
    sign_in(client, world.officer)
    path = f"/needs/{world.need.id}/clarifications/{question.id}/edit"
    assert client.get(path).status_code == 200

    check = html.unescape(client.post(path, {"question": REWORDED}).text)
    assert REWORDED in check and "Nobody is told" in check
    db.refresh(question)
    assert question.question != REWORDED
    again = client.post(path, {"question": REWORDED, "change_again": "yes"})
    assert again.status_code == 200 and "Continue" in again.text
    assert client.post(path, {"question": REWORDED, "confirmed": "yes"}).status_code == 303
    db.refresh(question)
    assert question.question == REWORDED


@pytest.mark.parametrize(
    ("kind", "field", "text", "message"),
    [
        ("edit", "question", "", "Enter the question"),
        ("correct", "answer", "", "Enter the answer"),
        ("correct", "answer", "x" * 5001, "characters or fewer"),
        ("correct", "answer", ANSWER, "The answer is the same as before"),
        ("edit", "question", "Can a proposal cover only part of the borough?", "The question is the same as before"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_changes(
    client: Client, db: Session, world: World, kind: str, field: str, text: str, message: str
) -> None:
    question = answered(db, world)
    sign_in(client, world.officer)
    before = written(db)
    for confirmed in ({}, {"confirmed": "yes"}):
        response = client.post(
            f"/needs/{world.need.id}/clarifications/{question.id}/{kind}", {field: text, **confirmed}
        )
        assert response.status_code == 422 and message in html.unescape(response.text)
        assert f'href="#{field}"' in response.text
    assert written(db) == before


@pytest.mark.parametrize("who", ["other council", "supplier", "asker", "anonymous"])
def test_only_the_council_rewords_or_corrects(client: Client, db: Session, world: World, who: str) -> None:
    question = answered(db, world)
    person = {
        "other council": world.other_officer,
        "supplier": world.rival_admin,
        "asker": world.supplier_member,
        "anonymous": None,
    }[who]
    sign_in(client, person)
    before = written(db)
    for kind, field in (("edit", "question"), ("correct", "answer")):
        path = f"/needs/{world.need.id}/clarifications/{question.id}/{kind}"
        assert client.get(path).status_code == 404
        assert client.post(path, {field: CORRECTED, "confirmed": "yes"}).status_code == 404
    assert written(db) == before
