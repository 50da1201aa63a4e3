"""Each assigned evaluator scores each shortlisted proposal against every criterion in one form, saved
together; until moderation each sees only their own scores. A bad score anywhere on the form is refused with
a clear message for each problem, everything typed is kept, and nothing is written."""

from __future__ import annotations

import html
import re
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


def score_path(ev: Evaluation, proposal: Any = None) -> str:
    return ev.path(proposal or ev.proposal, "/scores")


def fields(ev: Evaluation, value: str, why: str = "Strong evidence of daily welfare checks.", index: int = 0) -> dict:
    """The whole form: the given score and reason for one criterion, 60 with a reason for the others."""
    form: dict[str, str] = {}
    for position, criterion in enumerate(ev.criteria):
        given = position == index
        form[f"score_{criterion.id}"] = value if given else "60"
        form[f"justification_{criterion.id}"] = why if given else f"Sound on {criterion.name.lower()}."
    return form


def test_an_evaluator_saves_a_score_without_javascript_and_changes_it_later(
    client: Client, db: Session, evaluation: Evaluation
) -> None:
    ev = evaluation
    sign_in(client, ev.world.officer)
    page = client.get(ev.path(ev.proposal, "/scores"))
    assert page.status_code == 200
    assert "Score the proposal from Pennine Community Meals" in page.text and "weight 50%" in page.text

    response = client.post(score_path(ev), fields(ev, "72"))

    assert response.status_code == 303 and response.headers["location"] == ev.path(page="/evaluation")
    assert "Your scores for Pennine Community Meals are saved." in client.get(response.headers["location"]).text
    client.post(score_path(ev), fields(ev, "75", "Changed my mind after reading the approach again."))
    rows = {row.criterion_id: row for row in db.scalars(select(EvaluationScore))}
    assert {c: (r.score, r.evaluator_id) for c, r in rows.items()} == {
        ev.criteria[0].id: (75, ev.world.officer.id),
        ev.criteria[1].id: (60, ev.world.officer.id),
        ev.criteria[2].id: (60, ev.world.officer.id),
    }
    assert rows[ev.criteria[0].id].justification == "Changed my mind after reading the approach again."
    assert len(factories.audit_events(db, "proposal", ev.proposal.id, "evaluation.score_saved")) == 6
    again = client.get(ev.path(ev.proposal, "/scores")).text
    assert 'value="75"' in again and again.count("Save your scores") == 1


def test_one_form_saves_every_criterion_in_one_post(client: Client, db: Session, evaluation: Evaluation) -> None:
    """Filling in three criteria and pressing the one button saves all three."""
    ev = evaluation
    sign_in(client, ev.world.colleague)
    form = {}
    for criterion, value in zip(ev.criteria, ["81", "62", "43"], strict=True):
        form[f"score_{criterion.id}"] = value
        form[f"justification_{criterion.id}"] = f"{value}: see the proposal."

    assert client.post(score_path(ev), form).status_code == 303

    saved = {row.criterion_id: row.score for row in db.scalars(select(EvaluationScore))}
    assert saved == {ev.criteria[0].id: 81, ev.criteria[1].id: 62, ev.criteria[2].id: 43}


def test_a_bad_score_anywhere_leaves_every_score_unchanged_with_each_message(
    client: Client, db: Session, evaluation: Evaluation
) -> None:
    ev = evaluation
    score(db, ev, ev.world.officer, ev.proposal, [70, 70, 70])
    sign_in(client, ev.world.officer)
    before = written(db)
    first, second, third = ev.criteria
    form = {
        f"score_{first.id}": "88",
        f"justification_{first.id}": "Kept as typed.",
        f"score_{second.id}": "101",
        f"justification_{second.id}": "Too generous.",
        f"score_{third.id}": "50",
        f"justification_{third.id}": "",
    }

    page = client.post(score_path(ev), form)

    assert page.status_code == 422
    text = html.unescape(page.text)
    assert "There is a problem" in text and f'href="#score_{second.id}"' in text
    assert f'href="#justification_{third.id}"' in text
    assert "Your score for social value must be a whole number from 0 to 100" in text
    assert "Enter why you gave this score for price" in text
    assert 'value="88"' in text and "Too generous." in text  # everything typed is kept
    assert written(db) == before
    assert {row.score for row in db.scalars(select(EvaluationScore))} == {70}


def test_until_moderation_each_evaluator_sees_only_their_own_scores(
    client: Client, db: Session, evaluation: Evaluation
) -> None:
    ev = evaluation
    score(db, ev, ev.world.colleague, ev.proposal, [91, 92, 93])
    sign_in(client, ev.world.officer)

    page = client.get(ev.path(page="/evaluation")).text
    scores_page = client.get(ev.path(ev.proposal, "/scores")).text
    api = client.get(f"/api/v1/needs/{ev.need.id}/evaluation").json()

    assert "Your scores" in page and ">91<" not in page
    # Not as a field's value nor as text (ids and the form's random token may hold the same digits).
    assert not re.search(r'value="9[1-3]"|>\s*9[1-3]\s*<', scores_page)
    assert ev.world.colleague.name not in scores_page
    assert api["evaluators"] == [] and api["moderation_started_at"] is None
    assert all(cell["scores"] == {} for row in api["proposals"] for cell in row["criteria"])
    # How many have scored is shown, never what they gave.
    assert '<td class="govuk-table__cell govuk-table__cell--numeric">1</td>' in page
    assert client.get(ev.path(page="/evaluation.csv")).status_code == 409


@pytest.mark.parametrize(
    ("value", "why", "field", "message", "api_message"),
    [
        ("101", "Too generous.", "score", "must be a whole number from 0 to 100", "100 or less"),
        ("-1", "Too harsh.", "score", "must be a whole number from 0 to 100", "0 or more"),
        ("seventy", "In words.", "score", "must be a whole number from 0 to 100", "whole number"),
        ("7.5", "A fraction.", "score", "must be a whole number from 0 to 100", "whole number"),
        ("", "No score.", "score", "Enter your score for technical quality", "whole number"),
        ("70", "", "justification", "Enter why you gave this score for technical quality", "Enter the"),
        ("70", "x" * 2_001, "justification", "must be 2,000 characters or fewer: it has 2,001", "2,000 characters"),
    ],
)
def test_bad_scores_are_refused_with_the_message_and_nothing_is_written(
    client: Client,
    db: Session,
    evaluation: Evaluation,
    value: str,
    why: str,
    field: str,
    message: str,
    api_message: str,
) -> None:
    ev = evaluation
    sign_in(client, ev.world.officer)
    before = written(db)
    field_id = f"{field}_{ev.criteria[0].id}"

    page = client.post(score_path(ev), fields(ev, value, why))
    api = client.api(
        "PUT",
        f"/api/v1/needs/{ev.need.id}/proposals/{ev.proposal.id}/scores/{ev.criteria[0].id}",
        {"score": value, "justification": why},
    )

    assert page.status_code == api.status_code == 422
    text = html.unescape(page.text)
    assert "<title>Error: " in text and f'href="#{field_id}"' in text and message in text
    assert field in api.json()["errors"] and api_message in api.json()["errors"][field]
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
    assert client.post(f"/needs/{other_need.id}/proposals/{ev.proposal.id}/scores", fields(ev, "50")).status_code == 404
    assert written(db) == before


def test_scores_are_fixed_once_moderation_starts(client: Client, db: Session, evaluation: Evaluation) -> None:
    ev = evaluation
    score(db, ev, ev.world.officer, ev.proposal, [70, 70, 70])
    start_moderation(db, ev)
    sign_in(client, ev.world.officer)
    before = written(db)

    response = client.post(score_path(ev), fields(ev, "99"))

    assert response.status_code == 409 and "Moderation started on" in html.unescape(response.text)
    assert "Your scores were not saved" in response.text
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
