"""Moderation: starting it shows every evaluator's scores with their spread and weighted totals; the council
then agrees one score per proposal and criterion, with a note, and writes each supplier's feedback; the
agreed weighted total ranks the proposals."""

from __future__ import annotations

import html

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from exchange.evaluation.models import AgreedScore, Moderation, ProposalFeedback
from tests import factories
from tests.client import Client
from tests.evaluation.conftest import Evaluation, fully_evaluated, moderate, score, sign_in, start_moderation, written


def agreed_form(ev: Evaluation, values: list[str], notes: list[str] | None = None, feedback: str = "Good.") -> dict:
    notes = notes or [f"Agreed {v}." for v in values]
    form: dict[str, str] = {"feedback": feedback}
    for criterion, value, note in zip(ev.criteria, values, notes, strict=True):
        form[f"agreed_{criterion.id}_score"] = value
        form[f"agreed_{criterion.id}_note"] = note
    return form


def test_starting_moderation_shows_every_evaluators_scores_spread_and_totals(
    client: Client, db: Session, evaluation: Evaluation
) -> None:
    ev = evaluation
    score(db, ev, ev.world.officer, ev.proposal, [80, 70, 60])
    score(db, ev, ev.world.colleague, ev.proposal, [50, 70, 85])
    sign_in(client, ev.world.officer)  # the moderator

    response = client.post(ev.path(page="/evaluation/moderation"))

    assert response.status_code == 303
    assert factories.audit_events(db, "need", ev.need.id, "evaluation.moderation_started")
    page = html.unescape(client.get(ev.path(page="/evaluation")).text)
    assert ev.world.officer.name in page and ev.world.colleague.name in page
    assert "50 to 80" in page and "Wide" in page  # technical quality: 30 points apart
    assert "73.0" in page and "63.0" in page  # each evaluator's weighted total
    assert f'href="/needs/{ev.need.id}/evaluation.csv"' in page
    api = client.get(f"/api/v1/needs/{ev.need.id}/evaluation").json()
    pennine = next(row for row in api["proposals"] if row["proposal_id"] == ev.proposal.id)
    assert pennine["criteria"][0]["lowest"] == 50 and pennine["criteria"][0]["highest"] == 80
    assert pennine["evaluator_totals"] == {str(ev.world.officer.id): 73.0, str(ev.world.colleague.id): 63.0}


def test_moderation_cannot_start_twice_or_before_anyone_has_scored(
    client: Client, db: Session, evaluation: Evaluation
) -> None:
    ev = evaluation
    sign_in(client, ev.world.officer)
    before = written(db)
    early = client.post(ev.path(page="/evaluation/moderation"))
    assert early.status_code == 409 and "Nobody has scored" in early.text
    assert written(db) == before

    score(db, ev, ev.world.officer, ev.proposal, [80, 70, 60])
    assert client.post(ev.path(page="/evaluation/moderation")).status_code == 303
    again = client.api("POST", f"/api/v1/needs/{ev.need.id}/evaluation/moderation")
    assert again.status_code == 409 and "already started" in again.json()["detail"]
    assert factories.count(db, Moderation) == 1


def test_the_council_agrees_scores_with_notes_and_writes_feedback(
    client: Client, db: Session, evaluation: Evaluation
) -> None:
    ev = evaluation
    score(db, ev, ev.world.officer, ev.proposal, [80, 70, 60])
    score(db, ev, ev.world.colleague, ev.proposal, [60, 70, 80])
    start_moderation(db, ev)
    sign_in(client, ev.world.officer)  # the moderator
    form_page = html.unescape(client.get(ev.path(ev.proposal, "/moderation")).text)
    assert "Moderate the scores for Pennine Community Meals" in form_page
    assert f"{ev.world.officer.name} gives 80 for technical quality." in form_page

    response = client.post(
        ev.path(ev.proposal, "/moderation"), agreed_form(ev, ["70", "70", "75"], feedback="Strong on welfare checks.")
    )

    assert response.status_code == 303 and response.headers["location"] == ev.path(page="/evaluation")
    agreed = {a.criterion_id: (a.score, a.note) for a in db.scalars(select(AgreedScore))}
    assert agreed == {c.id: (v, f"Agreed {v}.") for c, v in zip(ev.criteria, [70, 70, 75], strict=True)}
    assert db.scalars(select(ProposalFeedback.text)).one() == "Strong on welfare checks."
    audit = factories.audit_events(db, "proposal", ev.proposal.id, "proposal.moderated")
    assert audit[0].data["agreed"] == {"Technical quality": 70, "Social value": 70, "Price": 75}
    page = client.get(ev.path(page="/evaluation")).text
    assert "71.0" in page  # 35 + 21 + 15

    # Changed again before the outcome: still one row per criterion.
    client.post(ev.path(ev.proposal, "/moderation"), agreed_form(ev, ["72", "70", "75"]))
    assert factories.count(db, AgreedScore) == 3 and factories.count(db, ProposalFeedback) == 1


def test_the_agreed_total_ranks_the_proposals(client: Client, db: Session, evaluation: Evaluation) -> None:
    ev = evaluation
    fully_evaluated(db, ev)
    sign_in(client, ev.world.officer)

    api = client.get(f"/api/v1/needs/{ev.need.id}/evaluation").json()

    assert [(row["organisation_name"], row["rank"], row["agreed_total"]) for row in api["proposals"]] == [
        ("Pennine Community Meals", 1, 70.0),
        ("Rival Meals Ltd", 2, 53.5),
    ]
    assert api["proposals"][0]["criteria"][0]["agreed_note"] == "Agreed 70 after discussion."
    assert api["proposals"][1]["feedback"] == "Did not show how welfare checks would be carried out."


@pytest.mark.parametrize(
    ("values", "notes", "feedback", "field", "message"),
    [
        (["101", "70", "70"], None, "Good.", "agreed_{0}_score", "must be a whole number from 0 to 100"),
        (["", "70", "70"], None, "Good.", "agreed_{0}_score", "Enter the agreed score for technical quality"),
        (
            ["70", "70", "70"],
            ["", "Fine.", "Fine."],
            "Good.",
            "agreed_{0}_note",
            "Enter the moderation note for technical quality",
        ),
        (["70", "70", "70"], ["x" * 2_001, "a", "b"], "Good.", "agreed_{0}_note", "2,000 characters or fewer"),
        (["70", "70", "70"], None, "", "feedback", "Enter the feedback for the supplier"),
        (["70", "70", "70"], None, "y" * 5_001, "feedback", "The feedback must be 5,000 characters or fewer"),
    ],
)
def test_bad_moderation_is_refused_with_the_message_and_nothing_is_written(
    client: Client,
    db: Session,
    evaluation: Evaluation,
    values: list[str],
    notes: list[str] | None,
    feedback: str,
    field: str,
    message: str,
) -> None:
    ev = evaluation
    score(db, ev, ev.world.officer, ev.proposal, [80, 70, 60])
    start_moderation(db, ev)
    sign_in(client, ev.world.officer)
    before = written(db)
    field_id = field.format(ev.criteria[0].id)

    response = client.post(ev.path(ev.proposal, "/moderation"), agreed_form(ev, values, notes, feedback))

    assert response.status_code == 422
    text = html.unescape(response.text)
    assert f'href="#{field_id}"' in text and message in text
    assert written(db) == before


def test_the_api_refuses_agreed_scores_that_leave_out_a_criterion(
    client: Client, db: Session, evaluation: Evaluation
) -> None:
    ev = evaluation
    score(db, ev, ev.world.officer, ev.proposal, [80, 70, 60])
    start_moderation(db, ev)
    sign_in(client, ev.world.officer)
    before = written(db)
    url = f"/api/v1/needs/{ev.need.id}/proposals/{ev.proposal.id}/moderation"
    scores = [{"criterion_id": c.id, "score": 60, "note": "Agreed."} for c in ev.criteria]

    missing = client.api("PUT", url, {"scores": scores[:2], "feedback": "Good."})
    foreign = client.api("PUT", url, {"scores": [*scores[:2], {**scores[2], "criterion_id": 999_999}], "feedback": "x"})
    twice = client.api("PUT", url, {"scores": [*scores, scores[0]], "feedback": "Good."})

    assert missing.status_code == foreign.status_code == twice.status_code == 422
    assert missing.json()["errors"] == {f"agreed_{ev.criteria[2].id}_score": "Enter the agreed score for price"}
    assert "scores" in foreign.json()["errors"] and "scores" in twice.json()["errors"]
    assert written(db) == before
    assert client.api("PUT", url, {"scores": scores, "feedback": "Good."}).status_code == 200


def test_moderation_waits_until_it_has_started(client: Client, db: Session, evaluation: Evaluation) -> None:
    ev = evaluation
    score(db, ev, ev.world.officer, ev.proposal, [80, 70, 60])
    sign_in(client, ev.world.officer)
    before = written(db)

    page = client.get(ev.path(ev.proposal, "/moderation"))
    post = client.post(ev.path(ev.proposal, "/moderation"), agreed_form(ev, ["70", "70", "70"]))

    assert page.status_code == 303 and page.headers["location"] == ev.path(page="/evaluation")
    assert post.status_code == 409 and "Start moderation first" in post.text
    assert written(db) == before


def test_an_unmoderated_proposal_is_listed_after_the_ranked_ones(
    client: Client, db: Session, evaluation: Evaluation
) -> None:
    ev = evaluation
    score(db, ev, ev.world.officer, ev.proposal, [80, 70, 60])
    start_moderation(db, ev)
    moderate(db, ev, ev.rival_proposal, [40, 40, 40])
    sign_in(client, ev.world.officer)
    page = client.get(ev.path(page="/evaluation")).text
    assert page.index("Rival Meals Ltd") < page.index("Pennine Community Meals")
    assert "Moderate<span" in page and "Change agreed scores<span" in page
