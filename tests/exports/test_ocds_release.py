"""Each need as an OCDS 1.1.5 release, valid against the standard's schema at every stage: planning while an
idea, tender with weighted award criteria and enquiries once it invites proposals, award once a supplier is
chosen; cancelled and unsuccessful ones too. Nothing private (proposals, scores, evaluators) is published."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy.orm import Session

from exchange.evaluation.schemas import OutcomeForm
from exchange.needs import service as needs
from exchange.needs.models import NeedStage
from exchange.ocds import release as ocds
from exchange.ocds import service
from exchange.proposals import clarifications
from exchange.proposals.schemas import AnswerForm, QuestionForm
from tests import factories
from tests.evaluation.conftest import Evaluation, award, close_proposals, fully_evaluated
from tests.exports.ocds_schema import assert_valid_release, problems


def release_of(db: Session, need_id: int) -> dict[str, Any]:
    return ocds.release(service.for_need(db, need_id))


def published_question(db: Session, ev: Evaluation) -> None:
    asker = factories.viewer(db, ev.world.rival_admin)
    question = clarifications.ask(
        db, asker, ev.need.id, QuestionForm(question="Can the service cover only part of the borough?")
    )
    clarifications.answer(
        db,
        factories.viewer(db, ev.world.officer),
        ev.need.id,
        question.id,
        AnswerForm(answer="Yes: say which wards you would cover."),
    )
    clarifications.ask(db, asker, ev.need.id, QuestionForm(question="An unanswered question stays unpublished?"))


def test_an_idea_is_a_planning_release(db: Session) -> None:
    officer = factories.officer(db, "BUN")
    need = factories.need(db, officer, factories.council(db, "BUN"), budget_min=20_000, budget_max=40_000)

    release = release_of(db, need.id)

    assert_valid_release(release)
    assert release["ocid"] == f"ocds-oix-{need.id}" and release["tag"] == ["planning"]
    assert release["initiationType"] == "tender" and "tender" not in release and "awards" not in release
    assert release["planning"]["budget"]["amount"] == {"amount": 40_000, "currency": "GBP"}
    assert release["planning"]["rationale"] == need.problem_statement
    buyer = release["parties"][0]
    assert buyer["id"] == "GB-LAE-BUN" and buyer["roles"] == ["buyer", "procuringEntity"]
    assert buyer["identifier"] == {"scheme": "GB-LAE", "id": "BUN", "legalName": "Burnley Borough Council"}
    assert buyer["additionalIdentifiers"] == [{"scheme": "GSS", "id": "E07000117"}]
    assert release["buyer"] == {"id": "GB-LAE-BUN", "name": "Burnley Borough Council"}


def test_a_need_open_for_proposals_is_a_tender_with_criteria_dates_and_enquiries(
    db: Session, evaluation: Evaluation
) -> None:
    ev = evaluation
    published_question(db, ev)

    release = release_of(db, ev.need.id)

    assert_valid_release(release)
    assert release["tag"] == ["tender"]
    tender = release["tender"]
    assert tender["status"] == "active" and tender["procurementMethod"] == "open"
    assert tender["awardCriteria"] == "ratedCriteria"
    assert "Technical quality: 50%; Social value: 30%; Price: 20%" in tender["awardCriteriaDetails"]
    settings = service.for_need(db, ev.need.id).settings
    assert settings is not None and settings.opens_on and settings.closes_on
    assert tender["tenderPeriod"]["startDate"].startswith(settings.opens_on.isoformat() + "T00:00:00")
    assert tender["tenderPeriod"]["endDate"].startswith(settings.closes_on.isoformat() + "T23:59:59")
    assert tender["hasEnquiries"] is True
    [enquiry] = tender["enquiries"]
    assert enquiry["description"] == "Can the service cover only part of the borough?"
    assert enquiry["answer"] == "Yes: say which wards you would cover."
    assert {"date", "dateAnswered", "id"} <= set(enquiry) and "author" not in enquiry
    assert "numberOfTenderers" not in tender  # who and how many have responded stays private until the outcome
    text = json.dumps(release)
    assert "Rival Meals" not in text and "Pennine" not in text and "unanswered" not in text


def test_an_awarded_need_names_its_supplier_with_its_companies_house_number_and_scale(
    db: Session, evaluation: Evaluation
) -> None:
    ev = evaluation
    profile = factories.complete_profile(db, ev.world.supplier)
    profile.size = "small"
    published_question(db, ev)
    fully_evaluated(db, ev)
    close_proposals(db, ev)
    recorded = award(db, ev)

    release = release_of(db, ev.need.id)

    assert_valid_release(release)
    assert release["tag"] == ["award"] and release["tender"]["status"] == "complete"
    assert release["tender"]["numberOfTenderers"] == 2
    supplier = release["parties"][1]
    assert supplier == {
        "id": "GB-COH-01234567",
        "name": "Pennine Community Meals",
        "identifier": {"scheme": "GB-COH", "id": "01234567", "legalName": "Pennine Community Meals Limited"},
        "roles": ["supplier"],
        "details": {"scale": "sme"},
    }
    [awarded] = release["awards"]
    assert awarded["status"] == "active" and awarded["value"] == {"amount": 88_000, "currency": "GBP"}
    assert awarded["suppliers"] == [{"id": "GB-COH-01234567", "name": "Pennine Community Meals"}]
    assert awarded["date"] == ocds.timestamp(recorded.recorded_at)
    assert awarded["contractPeriod"]["startDate"].startswith(recorded.starts_on.isoformat())  # type: ignore[union-attr]
    text = json.dumps(release)
    for private in ("Rival Meals", ev.world.officer.name, ev.world.colleague.name, "welfare checks", "Agreed 70"):
        assert private not in text, private


@pytest.mark.parametrize(
    ("kind", "tag", "status"),
    [("cancelled", "tenderCancellation", "cancelled"), ("no_suitable_supplier", "tenderUpdate", "unsuccessful")],
)
def test_a_need_ended_without_a_supplier_is_valid_too(
    db: Session, evaluation: Evaluation, kind: str, tag: str, status: str
) -> None:
    from exchange.evaluation import outcome

    ev = evaluation
    close_proposals(db, ev)
    outcome.record(db, factories.viewer(db, ev.world.officer), ev.need.id, OutcomeForm.model_validate({"kind": kind}))

    release = release_of(db, ev.need.id)

    assert_valid_release(release)
    assert release["tag"] == [tag] and release["tender"]["status"] == status and "awards" not in release


@pytest.mark.parametrize("stage", [NeedStage.EARLY_MARKET_ENGAGEMENT, NeedStage.CLOSED])
def test_the_stages_between_are_valid(db: Session, evaluation: Evaluation, stage: NeedStage) -> None:
    ev = evaluation
    ev.need.stage = stage  # as the guarded transitions would leave it
    db.flush()
    release = release_of(db, ev.need.id)
    assert_valid_release(release)
    assert release["tag"] == (["planning"] if stage is NeedStage.EARLY_MARKET_ENGAGEMENT else ["tender"])


def test_a_supplier_without_a_companies_house_number_gets_the_exchanges_own_id(
    db: Session, evaluation: Evaluation
) -> None:
    ev = evaluation
    close_proposals(db, ev)
    award(db, ev, ev.rival_proposal)
    release = release_of(db, ev.need.id)
    assert_valid_release(release)
    assert release["parties"][1]["id"] == f"ocds-oix-organisation-{ev.world.rival.id}"
    assert "identifier" not in release["parties"][1] and "details" not in release["parties"][1]


def test_the_validator_would_see_a_bad_release(db: Session) -> None:
    """A control for the checks above: the schema, its $refs and the formats are really applied."""
    officer = factories.officer(db, "BUN")
    need = factories.need(db, officer, factories.council(db, "BUN"))
    needs.change_stage(db, factories.viewer(db, officer), need.id, NeedStage.CANCELLED)
    release = release_of(db, need.id)
    broken = {**release, "date": "26/11/2026", "tag": ["finished"], "buyer": {"id": {"nested": True}}}
    found = "\n".join(problems(broken))
    assert "date: '26/11/2026' is not a 'date-time'" in found
    assert "tag/0: 'finished' is not one of" in found
    assert "buyer/id" in found
