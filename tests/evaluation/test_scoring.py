"""Each evaluator scores each shortlisted proposal against each criterion, one criterion at a time, in place
(HTMX) or by a plain form post; until moderation each sees only their own scores. Bad scores are refused with
a clear message and nothing is written."""

from __future__ import annotations

import html
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from exchange.evaluation.models import EvaluationScore
from exchange.shortlists import service as shortlists
from tests import factories
from tests.client import Client
from tests.evaluation.conftest import Evaluation, before_the_deadline, score, sign_in, start_moderation, written
from tests.proposals.conftest import submitted_proposal

HTMX = {"HX-Request": "true"}


def score_path(ev: Evaluation, criterion_index: int = 0, proposal: Any = None) -> str:
    criterion = ev.criteria[criterion_index]
    return ev.path(proposal or ev.proposal, f"/scores/{criterion.id}")


def fields(ev: Evaluation, value: str, why: str = "Strong evidence of daily welfare checks.", index: int = 0) -> dict:
    criterion_id = ev.criteria[index].id
    return {f"score_{criterion_id}": value, f"justification_{criterion_id}": why}


def test_an_evaluator_saves_a_score_without_javascript_and_changes_it_later(
    client: Client, db: Session, evaluation: Evaluation
) -> None:
    ev = evaluation
    sign_in(client, ev.world.officer)
    page = client.get(ev.path(ev.proposal, "/scores"))
    assert page.status_code == 200
    assert "Score the proposal from Pennine Community Meals" in page.text and "weight 50%" in page.text

    response = client.post(score_path(ev), fields(ev, "72"))

    assert response.status_code == 303
    assert response.headers["location"] == ev.path(ev.proposal, f"/scores#criterion-{ev.criteria[0].id}")
    client.post(score_path(ev), fields(ev, "75", "Changed my mind after reading the approach again."))
    row = db.scalars(select(EvaluationScore)).one()
    assert (row.score, row.evaluator_id, row.criterion_id) == (75, ev.world.officer.id, ev.criteria[0].id)
    assert row.justification == "Changed my mind after reading the approach again."
    assert len(factories.audit_events(db, "proposal", ev.proposal.id, "evaluation.score_saved")) == 2
    again = client.get(ev.path(ev.proposal, "/scores")).text
    assert 'value="75"' in again and "Your score for technical quality is saved." in again


def test_with_htmx_one_score_is_saved_in_place(client: Client, db: Session, evaluation: Evaluation) -> None:
    ev = evaluation
    sign_in(client, ev.world.colleague)

    response = client.post(score_path(ev, 1), fields(ev, "64", index=1), headers=HTMX)

    assert response.status_code == 200 and "<html" not in response.text
    assert f'id="criterion-{ev.criteria[1].id}-heading"' in response.text and "Saved" in response.text
    assert db.scalars(select(EvaluationScore.score)).one() == 64


def test_until_moderation_each_evaluator_sees_only_their_own_scores(
    client: Client, db: Session, evaluation: Evaluation
) -> None:
    ev = evaluation
    score(db, ev, ev.world.colleague, ev.proposal, [91, 92, 93])
    sign_in(client, ev.world.officer)

    page = client.get(ev.path(page="/evaluation")).text
    scores_page = client.get(ev.path(ev.proposal, "/scores")).text
    api = client.get(f"/api/v1/needs/{ev.need.id}/evaluation").json()

    assert "Your scores" in page and ">91<" not in page and ev.world.colleague.name not in page
    assert "91" not in scores_page and ev.world.colleague.name not in scores_page
    assert api["evaluators"] == [] and api["moderation_started_at"] is None
    assert all(cell["scores"] == {} for row in api["proposals"] for cell in row["criteria"])
    # How many have scored is shown, never what they gave.
    assert '<td class="govuk-table__cell govuk-table__cell--numeric">1</td>' in page
    assert client.get(ev.path(page="/evaluation.csv")).status_code == 409


@pytest.mark.parametrize(
    ("value", "why", "field", "message"),
    [
        ("101", "Too generous.", "score", "The score must be 100 or less"),
        ("-1", "Too harsh.", "score", "The score must be 0 or more"),
        ("seventy", "In words.", "score", "The score must be a whole number"),
        ("7.5", "A fraction.", "score", "The score must be a whole number"),
        ("", "No score.", "score", "Enter the score"),
        ("70", "", "justification", "Enter the justification for the score"),
        ("70", "x" * 2_001, "justification", "The justification must be 2,000 characters or fewer: it has 2,001"),
    ],
)
def test_bad_scores_are_refused_with_the_message_and_nothing_is_written(
    client: Client, db: Session, evaluation: Evaluation, value: str, why: str, field: str, message: str
) -> None:
    ev = evaluation
    sign_in(client, ev.world.officer)
    before = written(db)
    field_id = f"{field}_{ev.criteria[0].id}"

    page = client.post(score_path(ev), fields(ev, value, why))
    fragment = client.post(score_path(ev), fields(ev, value, why), headers=HTMX)
    api = client.api(
        "PUT",
        f"/api/v1/needs/{ev.need.id}/proposals/{ev.proposal.id}/scores/{ev.criteria[0].id}",
        {"score": value, "justification": why},
    )

    assert page.status_code == fragment.status_code == api.status_code == 422
    text = html.unescape(page.text)
    assert "<title>Error: " in text and f'href="#{field_id}"' in text and message in text
    assert f'id="{field_id}-error"' in fragment.text and message in html.unescape(fragment.text)
    assert "<html" not in fragment.text
    assert field in api.json()["errors"]
    assert written(db) == before


def test_a_proposal_not_on_the_shortlist_cannot_be_scored(client: Client, db: Session, evaluation: Evaluation) -> None:
    ev = evaluation
    shortlists.remove(db, factories.viewer(db, ev.world.officer), ev.need.id, ev.world.rival.id)
    sign_in(client, ev.world.officer)
    before = written(db)

    page = client.post(score_path(ev, proposal=ev.rival_proposal), fields(ev, "50"))
    api = client.api(
        "PUT",
        f"/api/v1/needs/{ev.need.id}/proposals/{ev.rival_proposal.id}/scores/{ev.criteria[0].id}",
        {"score": 50, "justification": "Not shortlisted."},
    )

    assert page.status_code == api.status_code == 409
    assert "Rival Meals Ltd is not on the shortlist" in html.unescape(page.text)
    assert "not on the shortlist" in api.json()["detail"]
    assert client.get(ev.path(ev.rival_proposal, "/scores")).status_code == 409
    assert written(db) == before


def test_a_criterion_or_proposal_of_another_need_is_not_found(
    client: Client, db: Session, evaluation: Evaluation
) -> None:
    ev = evaluation
    other_need = factories.need(db, ev.world.officer, ev.world.council, title="Another need")
    sign_in(client, ev.world.officer)
    before = written(db)

    assert client.post(ev.path(ev.proposal, "/scores/999999"), {"score_999999": "50"}).status_code == 404
    assert (
        client.post(f"/needs/{other_need.id}/proposals/{ev.proposal.id}/scores/{ev.criteria[0].id}").status_code == 404
    )
    assert written(db) == before


def test_scores_are_fixed_once_moderation_starts(client: Client, db: Session, evaluation: Evaluation) -> None:
    ev = evaluation
    score(db, ev, ev.world.officer, ev.proposal, [70, 70, 70])
    start_moderation(db, ev)
    sign_in(client, ev.world.officer)
    before = written(db)

    response = client.post(score_path(ev), fields(ev, "99"))

    assert response.status_code == 409 and "Moderation started on" in html.unescape(response.text)
    assert "Your score was not saved" in response.text
    assert written(db) == before
    page = client.get(ev.path(ev.proposal, "/scores")).text
    assert "your scores are fixed" in page and '<form method="post" action="/needs' not in page


def test_a_withdrawn_proposal_cannot_be_scored(client: Client, db: Session, evaluation: Evaluation) -> None:
    from exchange.proposals import service as proposals

    ev = evaluation
    with before_the_deadline(db, ev):
        proposals.withdraw(db, factories.viewer(db, ev.world.rival_admin), ev.need.id, ev.rival_proposal.id)
    sign_in(client, ev.world.officer)

    response = client.post(score_path(ev, proposal=ev.rival_proposal), fields(ev, "50"))

    assert response.status_code == 409 and "withdrew its proposal" in response.text
    evaluation_page = client.get(ev.path(page="/evaluation")).text
    assert "Rival Meals Ltd" not in evaluation_page and "Pennine Community Meals" in evaluation_page


def test_the_api_saves_an_evaluators_own_score(client: Client, db: Session, evaluation: Evaluation) -> None:
    ev = evaluation
    sign_in(client, ev.world.colleague)
    url = f"/api/v1/needs/{ev.need.id}/proposals/{ev.proposal.id}/scores/{ev.criteria[2].id}"

    first = client.api("PUT", url, {"score": 55, "justification": "Price is high for the volume."})
    second = client.api("PUT", url, {"score": 58, "justification": "Price includes volunteer training."})

    assert first.status_code == second.status_code == 200
    body = second.json()
    assert (body["score"], body["evaluator_id"], body["evaluator_name"]) == (
        58,
        ev.world.colleague.id,
        ev.world.colleague.name,
    )
    assert factories.count(db, EvaluationScore) == 1
    mine = client.get(f"/api/v1/needs/{ev.need.id}/evaluation").json()
    pennine = next(row for row in mine["proposals"] if row["proposal_id"] == ev.proposal.id)
    assert pennine["criteria"][2]["scores"] == {str(ev.world.colleague.id): 58}


def test_a_second_proposal_from_the_shortlist_is_scored_on_its_own(
    client: Client, db: Session, evaluation: Evaluation
) -> None:
    ev = evaluation
    late = factories.user(db, "lee@late.example", name="Lee Late")
    factories.supplier(db, late, name="Late Meals CIC")
    with before_the_deadline(db, ev):
        submitted_proposal(db, ev.world, late)
    sign_in(client, ev.world.officer)
    page = client.get(ev.path(page="/evaluation")).text
    assert "Late Meals CIC" not in page  # submitted but not shortlisted
