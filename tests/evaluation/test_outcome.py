"""Recording the outcome: through the guarded stage transitions with audit rows, once only, to a supplier that
submitted a proposal; every proposer is told (in-app, and by email as each person chose); each then reads its
own agreed scores and feedback, never anyone else's, nor who scored."""

from __future__ import annotations

import html
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from exchange.evaluation.models import NeedOutcome, OutcomeKind
from exchange.needs.models import NeedStage
from exchange.notifications import service as notifications
from exchange.notifications.models import Notification, NotificationKind
from exchange.proposals import service as proposals
from tests import factories
from tests.client import Client
from tests.evaluation.conftest import (
    Evaluation,
    award,
    before_the_deadline,
    close_proposals,
    days,
    fully_evaluated,
    score,
    sign_in,
    written,
)
from tests.proposals.conftest import draft_proposal


def outcome_form(ev: Evaluation, **changes: Any) -> dict[str, str]:
    values = {
        "kind": "awarded",
        "organisation_id": str(ev.world.supplier.id),
        "value": "£88,000",
        "starts_on": f"{days(60).day}/{days(60).month}/{days(60).year}",
        **changes,
    }
    return {key: value for key, value in values.items() if value is not None}


def outcome_notifications(db: Session) -> list[Notification]:
    return list(
        db.scalars(select(Notification).where(Notification.kind == NotificationKind.OUTCOME).order_by(Notification.id))
    )


def test_the_council_awards_the_need_and_every_proposer_is_told(
    client: Client, other_client: Client, db: Session, evaluation: Evaluation
) -> None:
    ev = evaluation
    fully_evaluated(db, ev)
    close_proposals(db, ev)
    # Sam keeps outcomes in the app only.
    notifications.set_email(db, ev.world.supplier_member.id, NotificationKind.OUTCOME, False)
    sign_in(client, ev.world.colleague)
    form = client.get(ev.path(page="/outcome")).text
    assert form.index("Pennine Community Meals") < form.index("Rival Meals Ltd")  # ranked
    assert "Rank 1, agreed total 70.0" in form

    response = client.post(ev.path(page="/outcome"), outcome_form(ev))

    assert response.status_code == 303
    recorded = db.scalars(select(NeedOutcome)).one()
    assert (recorded.kind, recorded.organisation_id, recorded.proposal_id, recorded.value, recorded.starts_on) == (
        OutcomeKind.AWARDED,
        ev.world.supplier.id,
        ev.proposal.id,
        88_000,
        days(60),
    )
    db.refresh(ev.need)
    assert ev.need.stage is NeedStage.AWARDED
    moves = factories.audit_events(db, "need", ev.need.id, "need.stage_changed")
    assert [(e.data["from_stage"], e.data["to_stage"]) for e in moves][-2:] == [
        ("open_for_proposals", "closed"),
        ("closed", "awarded"),
    ]
    assert factories.audit_events(db, "need", ev.need.id, "need.outcome_recorded")[0].data["kind"] == "awarded"

    told = {(n.user_id, n.title) for n in outcome_notifications(db)}
    assert told == {
        (ev.world.supplier_admin.id, f"Your proposal was successful: {ev.need.title}"),
        (ev.world.supplier_member.id, f"Your proposal was successful: {ev.need.title}"),
        (ev.world.rival_admin.id, f"Outcome of your proposal: {ev.need.title}"),
    }
    assert factories.emails_to(db, ev.world.supplier_admin.email)[-1].subject.startswith("Your proposal was successful")
    assert not any(
        m.subject.startswith("Your proposal") for m in factories.emails_to(db, ev.world.supplier_member.email)
    )
    rival_email = factories.emails_to(db, ev.world.rival_admin.email)[-1]
    assert "not successful" in rival_email.body_text
    assert factories.link_in(rival_email, "/needs/") == ev.path(ev.rival_proposal, "/outcome")
    # The council and the public see the outcome.
    assert "Awarded" in client.get(ev.path(page="/outcome")).text
    public = other_client.get(ev.path()).text
    assert "Outcome" in public and "Pennine Community Meals" in public and "£88,000" in public


def test_the_losing_supplier_reads_its_scores_beside_the_winners_with_the_councils_reasons(
    client: Client, db: Session, evaluation: Evaluation
) -> None:
    ev = evaluation
    fully_evaluated(db, ev)
    close_proposals(db, ev)
    own_path = ev.path(ev.rival_proposal, "/outcome")
    sign_in(client, ev.world.rival_admin)
    assert client.get(own_path).status_code == 404  # nothing before the outcome
    award(db, ev)

    page = html.unescape(client.get(own_path).text)

    assert "was not successful this time" in page
    assert "Did not show how welfare checks would be carried out." in page
    assert ">45<" in page and ">50<" in page and ">80<" in page and "53.5" in page
    # The debrief: the successful proposal's agreed scores beside its own, and the reasons for its own.
    assert "Successful proposal" in page and ">70<" in page and ">70.0<" in page
    assert "Agreed 45 after discussion." in page and "Agreed 80 after discussion." in page
    assert "Agreed 70 after discussion." not in page  # the winner's notes stay the council's
    for private in (
        ev.world.officer.name,
        ev.world.colleague.name,
        "Strong on welfare checks",  # Pennine's feedback
        "gives 40",  # an evaluator's justification
    ):
        assert private not in page, private
    api = client.get(f"/api/v1/needs/{ev.need.id}/proposal/outcome").json()
    assert api["successful"] is False and api["agreed_total"] == 53.5
    assert [s["score"] for s in api["agreed_scores"]] == [45, 50, 80]
    assert "evaluator" not in str(api).lower() and "note" not in str(api)
    proposal_page = client.get(ev.path(ev.rival_proposal)).text
    assert "Read the outcome, your scores" in proposal_page
    # Another supplier's result stays private.
    assert client.get(ev.path(ev.proposal, "/outcome")).status_code == 404


def test_the_winner_sees_it_won(client: Client, db: Session, evaluation: Evaluation) -> None:
    ev = evaluation
    fully_evaluated(db, ev)
    close_proposals(db, ev)
    award(db, ev)
    sign_in(client, ev.world.supplier_member)

    page = html.unescape(client.get(ev.path(ev.proposal, "/outcome")).text)

    assert "Your proposal was successful" in page and "£88,000" in page
    assert "Successful proposal" not in page and ">53.5<" not in page  # nobody else's scores
    assert "Strong on welfare checks; the price is within budget." in page
    assert "Did not show" not in page
    assert client.get(f"/api/v1/needs/{ev.need.id}/proposal/outcome").json()["successful"] is True
    dashboard = client.get("/dashboard").text
    assert "Your proposals" in dashboard and "Successful" in dashboard


@pytest.mark.parametrize("who", ["rival with a draft", "an organisation that never responded", "nobody"])
def test_awarding_to_a_supplier_without_a_submitted_proposal_is_refused(
    client: Client, db: Session, evaluation: Evaluation, who: str
) -> None:
    ev = evaluation
    other = factories.user(db, "draft@drafty.example", name="Dee Draft")
    drafty = factories.supplier(db, other, name="Drafty Meals")
    with before_the_deadline(db, ev):
        draft_proposal(db, ev.world, other)
    stranger = factories.supplier(db, factories.user(db), name="Stranger Ltd")
    close_proposals(db, ev)
    chosen = {"rival with a draft": str(drafty.id), "an organisation that never responded": str(stranger.id)}
    sign_in(client, ev.world.officer)
    before = written(db)

    response = client.post(ev.path(page="/outcome"), outcome_form(ev, organisation_id=chosen.get(who)))

    assert response.status_code == 422
    text = html.unescape(response.text)
    expected = (
        "Choose the supplier you awarded the contract to"
        if who == "nobody"
        else "Choose a supplier that submitted a proposal for this need"
    )
    assert expected in text and 'href="#organisation_id"' in text
    assert written(db) == before
    db.refresh(ev.need)
    assert ev.need.stage is NeedStage.OPEN_FOR_PROPOSALS


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"value": None}, "value", "Enter the value of the contract in pounds"),
        ({"value": "lots"}, "value", "must be an amount in numbers"),
        ({"starts_on": None}, "starts_on", "Enter the date the contract starts"),
        ({"starts_on": "31/2/2027"}, "starts_on", "must be a real date"),
        ({"kind": "postponed"}, "kind", "Choose what happened"),
    ],
)
def test_an_incomplete_award_is_refused(
    client: Client, db: Session, evaluation: Evaluation, changes: dict[str, Any], field: str, message: str
) -> None:
    ev = evaluation
    close_proposals(db, ev)
    sign_in(client, ev.world.officer)
    before = written(db)

    response = client.post(ev.path(page="/outcome"), outcome_form(ev, **changes))

    assert response.status_code == 422
    text = html.unescape(response.text)
    assert f'href="#{field}"' in text and message in text
    assert written(db) == before


def test_an_outcome_cannot_be_recorded_twice(client: Client, db: Session, evaluation: Evaluation) -> None:
    ev = evaluation
    close_proposals(db, ev)
    award(db, ev)
    sign_in(client, ev.world.colleague)
    before = written(db)

    page = client.post(ev.path(page="/outcome"), outcome_form(ev, kind="cancelled"))
    api = client.api("POST", f"/api/v1/needs/{ev.need.id}/outcome", {"kind": "no_suitable_supplier"})

    assert page.status_code == api.status_code == 409
    assert "it cannot be recorded twice" in html.unescape(page.text)
    assert "cannot be recorded twice" in api.json()["detail"]
    assert written(db) == before
    db.refresh(ev.need)
    assert ev.need.stage is NeedStage.AWARDED


def test_a_supplier_is_chosen_only_after_proposals_close(client: Client, db: Session, evaluation: Evaluation) -> None:
    ev = evaluation
    sign_in(client, ev.world.officer)
    with before_the_deadline(db, ev):
        before = written(db)
        form = html.unescape(client.get(ev.path(page="/outcome")).text)
        response = client.post(ev.path(page="/outcome"), outcome_form(ev))
        no_supplier = client.api("POST", f"/api/v1/needs/{ev.need.id}/outcome", {"kind": "no_suitable_supplier"})

    assert "a supplier can be chosen only after they close" in form
    assert 'value="awarded"' not in form and 'value="cancelled"' in form
    assert response.status_code == no_supplier.status_code == 409
    assert "Proposals are open until the end of" in html.unescape(response.text)
    assert written(db) == before


def test_cancelling_an_open_need_tells_the_proposers(client: Client, db: Session, evaluation: Evaluation) -> None:
    ev = evaluation
    sign_in(client, ev.world.officer)

    response = client.api("POST", f"/api/v1/needs/{ev.need.id}/outcome", {"kind": "cancelled", "value": 5})

    assert response.status_code == 200
    body = response.json()
    assert (body["kind"], body["organisation_id"], body["value"]) == ("cancelled", None, None)
    db.refresh(ev.need)
    assert ev.need.stage is NeedStage.CANCELLED
    assert {n.user_id for n in outcome_notifications(db)} == {
        ev.world.supplier_admin.id,
        ev.world.supplier_member.id,
        ev.world.rival_admin.id,
    }
    assert all("has cancelled" in n.body for n in outcome_notifications(db))
    assert client.get(f"/api/v1/needs/{ev.need.id}/outcome").json()["kind"] == "cancelled"


def test_no_suitable_supplier_from_a_closed_need(client: Client, db: Session, evaluation: Evaluation) -> None:
    from exchange.needs import service as needs

    ev = evaluation
    needs.change_stage(db, factories.viewer(db, ev.world.officer), ev.need.id, NeedStage.CLOSED)
    sign_in(client, ev.world.officer)

    response = client.post(ev.path(page="/outcome"), outcome_form(ev, kind="no_suitable_supplier"))

    assert response.status_code == 303
    db.refresh(ev.need)
    assert ev.need.stage is NeedStage.NO_SUITABLE_SUPPLIER
    assert db.scalars(select(NeedOutcome.organisation_id)).one() is None


def test_the_evaluation_is_closed_once_the_outcome_is_recorded(
    client: Client, db: Session, evaluation: Evaluation
) -> None:
    ev = evaluation
    score(db, ev, ev.world.officer, ev.proposal, [80, 70, 60])
    close_proposals(db, ev)
    award(db, ev)
    sign_in(client, ev.world.officer)
    before = written(db)
    criterion = ev.criteria[0]

    score_response = client.post(
        ev.path(ev.proposal, "/scores"),
        {f"score_{criterion.id}": "1", f"justification_{criterion.id}": "x"},
    )
    moderation = client.post(ev.path(page="/evaluation/moderation"))

    assert score_response.status_code == moderation.status_code == 409
    assert "the evaluation is closed" in html.unescape(score_response.text)
    assert written(db) == before
    page = client.get(ev.path(page="/evaluation")).text
    assert "Start moderation" not in page and "Record the outcome" not in page


def test_a_withdrawn_supplier_is_not_told_and_reads_no_result(
    client: Client, db: Session, evaluation: Evaluation
) -> None:
    ev = evaluation
    with before_the_deadline(db, ev):
        proposals.withdraw(db, factories.viewer(db, ev.world.rival_admin), ev.need.id, ev.rival_proposal.id)
    close_proposals(db, ev)
    award(db, ev)
    assert ev.world.rival_admin.id not in {n.user_id for n in outcome_notifications(db)}
    sign_in(client, ev.world.rival_admin)
    assert client.get(ev.path(ev.rival_proposal, "/outcome")).status_code == 404
