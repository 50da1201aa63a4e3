"""The JSON API: procurement settings and published clarifications for anyone who can see the need, a
supplier's own proposal from draft to submitted or withdrawn, and the council's list. Bad input is a 422
with field errors and writes nothing."""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from sqlalchemy.orm import Session

from exchange.needs.models import Visibility
from exchange.proposals import clarifications
from exchange.proposals.schemas import AnswerForm, QuestionForm
from tests import factories
from tests.client import Client
from tests.proposals.conftest import World, close_proposals, draft_proposal, sign_in, submitted_proposal, written


def body(world: World, db: Session, **changes: Any) -> dict[str, Any]:
    return {
        "answers": [
            {"requirement_id": r.id, "meets": True, "evidence": f"We do: {r.text}."} for r in world.requirements(db)
        ],
        "price": 90000,
        "price_note": "per year",
        "approach": "Two hubs.",
        "attach_profile": False,
        **changes,
    }


def test_anyone_reads_the_procurement_settings_and_published_answers_without_who_asked(
    client: Client, db: Session, world: World
) -> None:
    asked = clarifications.ask(
        db, factories.viewer(db, world.supplier_admin), world.need.id, QuestionForm(question="Can we cover part?")
    )
    clarifications.ask(db, factories.viewer(db, world.rival_admin), world.need.id, QuestionForm(question="Unanswered?"))
    clarifications.answer(db, factories.viewer(db, world.officer), world.need.id, asked.id, AnswerForm(answer="Yes."))

    settings_ = client.get(f"/api/v1/needs/{world.need.id}/procurement").json()
    answers = client.get(f"/api/v1/needs/{world.need.id}/clarifications").json()

    assert [r["text"] for r in settings_["essential_requirements"]] == [
        "Deliver a hot midday meal every day",
        "Carry out a welfare check at each delivery",
    ]
    assert [(c["name"], c["weight"]) for c in settings_["criteria"]] == [
        ("Technical quality", 50),
        ("Social value", 30),
        ("Price", 20),
    ]
    assert settings_["open_for_proposals"] is True and settings_["shortlist_size"] == 3
    assert [(a["question"], a["answer"]) for a in answers] == [("Can we cover part?", "Yes.")]
    assert set(answers[0]) == {"id", "question", "answer", "answered_at", "corrected_at", "earlier_answer"}


def test_the_settings_of_a_need_only_its_council_sees_are_404_to_others(
    client: Client, db: Session, world: World
) -> None:
    hidden = factories.need(db, world.officer, world.council, visibility=Visibility.ORGANISATION)
    for path in (f"/api/v1/needs/{hidden.id}/procurement", f"/api/v1/needs/{hidden.id}/clarifications"):
        assert client.get(path).status_code == 404


def test_a_supplier_saves_submits_and_withdraws_its_proposal(client: Client, db: Session, world: World) -> None:
    sign_in(client, world.supplier_admin)
    url = f"/api/v1/needs/{world.need.id}/proposal"
    assert client.get(url).status_code == 404

    partial = client.api("PUT", url, {"approach": "A start."})
    assert partial.status_code == 200 and partial.json()["status"] == "draft"
    assert partial.json()["answers"] == [] and partial.json()["organisation_name"] == "Pennine Community Meals"
    refused = client.api("POST", f"{url}/submit")
    assert refused.status_code == 422 and "price" in refused.json()["errors"]

    saved = client.api("PUT", url, body(world, db))
    assert saved.status_code == 200 and saved.json()["essentials_met"] == 2 and saved.json()["nice_to_haves_met"] == 1
    assert client.get(url).json() == saved.json()
    submitted = client.api("POST", f"{url}/submit")
    assert submitted.status_code == 200 and submitted.json()["status"] == "submitted"
    before = written(db)
    twice = client.api("POST", f"{url}/submit")
    assert twice.status_code == 409 and "cannot be submitted twice" in twice.json()["detail"]
    changed = client.api("PUT", url, body(world, db, price=1))
    assert changed.status_code == 409 and "locked" in changed.json()["detail"]
    assert written(db) == before

    withdrawn = client.api("POST", f"{url}/withdraw")
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "withdrawn"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"price": -1}, "price"),
        ({"price": "a lot"}, "price"),
        ({"approach": "x" * 5001}, "approach"),
        ({"attach_profile": "perhaps"}, "attach_profile"),
        ({"answers": [{"requirement_id": 1, "meets": True, "evidence": "x" * 2001}]}, "answers.0.evidence"),
        ({"answers": [{"requirement_id": 0}]}, "answers.0.requirement_id"),
        ({"answers": [{"requirement_id": 999999}]}, "answers"),
    ],
)
def test_bad_input_is_a_422_with_field_errors_and_writes_nothing(
    client: Client, db: Session, world: World, changes: dict[str, Any], field: str
) -> None:
    sign_in(client, world.supplier_admin)
    before = written(db)
    response = client.api("PUT", f"/api/v1/needs/{world.need.id}/proposal", body(world, db, **changes))
    assert response.status_code == 422, response.text
    assert field in response.json()["errors"]
    assert written(db) == before


def test_the_evidence_limit_message_is_plain(client: Client, db: Session, world: World) -> None:
    sign_in(client, world.supplier_admin)
    answers = [{"requirement_id": world.requirements(db)[0].id, "evidence": "x" * 2001}]
    response = client.api("PUT", f"/api/v1/needs/{world.need.id}/proposal", body(world, db, answers=answers))
    assert response.json()["errors"]["answers.0.evidence"] == (
        "The evidence must be 2,000 characters or fewer: it has 2,001"
    )


def test_the_council_lists_submitted_proposals_only(client: Client, db: Session, world: World) -> None:
    submitted_proposal(db, world)
    draft_proposal(db, world, world.rival_admin)
    close_proposals(db, world)
    sign_in(client, world.officer)
    listed = client.get(f"/api/v1/needs/{world.need.id}/proposals").json()["proposals"]
    assert [p["organisation_name"] for p in listed] == ["Pennine Community Meals"]
    assert listed[0]["essentials_met"] == 2 and listed[0]["profile_completeness"] is not None
    assert client.get(f"/api/v1/needs/{world.need.id}/proposals?meets_all_essentials=true").json()["proposals"]


def test_the_public_read_endpoints_follow_their_schema(app: Any, db: Session, world: World) -> None:
    submitted_proposal(db, world)
    db.commit()
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", app)
    operations = [
        result.ok()
        for result in schema.include(method="GET", path_regex=r"/procurement$|/clarifications$").get_all_operations()
    ]
    assert len(operations) == 2
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck))
        def check(case: schemathesis.Case) -> None:
            case.call_and_validate()

        check()
