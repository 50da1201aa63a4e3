"""The procurement record of a need: one workbook with the proposals, every evaluator's scores and reasons, the
moderation, the feedback, the clarifications and the audit trail, and a CSV of each sheet. For the need's owner
and panel only; while proposals are sealed it holds nothing of them."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook
from sqlalchemy.orm import Session

from exchange.proposals import clarifications
from exchange.proposals.schemas import AnswerForm, QuestionForm
from tests import factories
from tests.client import Client
from tests.evaluation.conftest import Evaluation, fully_evaluated, sign_in
from tests.proposals.conftest import World, submitted_proposal

SHEETS = ["Proposals", "Scores", "Moderation", "Feedback", "Clarifications", "Audit trail"]
QUESTION = "Can a proposal cover only part of the borough?"


def workbook(client: Client, need_id: int) -> dict[str, list[list[object]]]:
    response = client.get(f"/needs/{need_id}/record.xlsx")
    assert response.status_code == 200, response.text
    assert response.headers["cache-control"] == "private, no-store"
    book = load_workbook(io.BytesIO(response.content))
    return {sheet.title: [list(row) for row in sheet.iter_rows(values_only=True)] for sheet in book.worksheets}


def asked_and_answered(db: Session, world: World) -> None:
    question = clarifications.ask(
        db, factories.viewer(db, world.supplier_member), world.need.id, QuestionForm(question=QUESTION)
    )
    clarifications.answer(
        db, factories.viewer(db, world.officer), world.need.id, question.id, AnswerForm(answer="Yes, whole wards.")
    )


def test_the_record_has_every_sheet_of_the_evaluation(client: Client, db: Session, evaluation: Evaluation) -> None:
    ev = evaluation
    asked_and_answered(db, ev.world)
    fully_evaluated(db, ev)
    sign_in(client, ev.world.colleague)

    book = workbook(client, ev.need.id)

    assert list(book) == SHEETS
    proposals = {row[0]: row for row in book["Proposals"][1:]}
    assert set(proposals) == {"Pennine Community Meals", "Rival Meals Ltd"}
    assert isinstance(proposals["Pennine Community Meals"][2], int)
    scores = book["Scores"]
    assert scores[0][:6] == ["Supplier", "Criterion", "Weight (%)", "Evaluator", "Score", "Reason"]
    assert len(scores) == 1 + 2 * 2 * 3  # two evaluators, two proposals, three criteria
    assert {row[3] for row in scores[1:]} == {ev.world.officer.name, ev.world.colleague.name}
    assert all(row[5] for row in scores[1:])
    moderation = book["Moderation"]
    assert moderation[1][:4] == ["Pennine Community Meals", "Technical quality", 50, 70]
    assert {row[0] for row in book["Feedback"][1:]} == {"Pennine Community Meals", "Rival Meals Ltd"}
    assert book["Clarifications"][1][1] == QUESTION and book["Clarifications"][1][2] == "Yes, whole wards."
    trail = book["Audit trail"]
    actions = [row[2] for row in trail[1:]]
    assert "proposals.opened" in actions and "proposal.submitted" in actions and "proposal.moderated" in actions
    asked = next(row for row in trail[1:] if row[2] == "clarification.asked")
    assert asked[1] == "A supplier (not shown)"
    everything = str(book)
    assert ev.world.supplier_member.name not in everything and ev.world.supplier_member.email not in everything


def test_each_sheet_downloads_as_csv(client: Client, db: Session, evaluation: Evaluation) -> None:
    ev = evaluation
    asked_and_answered(db, ev.world)
    fully_evaluated(db, ev)
    sign_in(client, ev.world.officer)
    for slug, title in zip(
        ["proposals", "scores", "moderation", "feedback", "clarifications", "audit-trail"], SHEETS, strict=True
    ):
        response = client.get(f"/needs/{ev.need.id}/record/{slug}.csv")
        assert response.status_code == 200 and response.headers["content-type"] == "text/csv; charset=utf-8"
        assert response.headers["content-disposition"].endswith(f'-{slug}.csv"'), title
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        assert rows[0] and len(rows) >= 2, slug
    assert client.get(f"/needs/{ev.need.id}/record/secrets.csv").status_code == 404


def test_while_sealed_the_record_holds_nothing_of_the_proposals(client: Client, db: Session, world: World) -> None:
    submitted_proposal(db, world)
    submitted_proposal(db, world, world.rival_admin)
    asked_and_answered(db, world)
    sign_in(client, world.officer)

    book = workbook(client, world.need.id)
    csv_text = client.get(f"/needs/{world.need.id}/record/audit-trail.csv").text

    everything = str(book) + csv_text
    for secret in ("Pennine", "Rival", "87", "We cook locally", "proposal.submitted", world.supplier_admin.name):
        assert secret not in everything, secret
    assert "Proposals are sealed" in str(book["Proposals"]) and "Received so far: 2" in str(book["Proposals"])
    assert book["Clarifications"][1][1] == QUESTION


@pytest.mark.parametrize("who", ["other council", "supplier", "anonymous"])
def test_the_record_is_404_outside_the_council(client: Client, db: Session, evaluation: Evaluation, who: str) -> None:
    ev = evaluation
    person = {"other council": ev.world.other_officer, "supplier": ev.world.supplier_admin, "anonymous": None}[who]
    sign_in(client, person)
    assert client.get(f"/needs/{ev.need.id}/record.xlsx").status_code == 404
    assert client.get(f"/needs/{ev.need.id}/record/proposals.csv").status_code == 404


def test_an_officer_off_the_panel_is_refused(client: Client, db: Session, evaluation: Evaluation) -> None:
    newcomer = factories.officer(db, "BUN")
    sign_in(client, newcomer)
    response = client.get(f"/needs/{evaluation.need.id}/record.xlsx")
    assert response.status_code == 403 and "Pennine" not in response.text


def test_the_evaluation_page_links_to_the_record(client: Client, db: Session, evaluation: Evaluation) -> None:
    sign_in(client, evaluation.world.officer)
    page = client.get(f"/needs/{evaluation.need.id}/evaluation").text
    assert f'href="/needs/{evaluation.need.id}/record.xlsx"' in page
    assert f'href="/needs/{evaluation.need.id}/record/scores.csv"' in page
