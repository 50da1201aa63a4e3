"""A need moves through its stages only along the guarded table; each move is audited, others answer 409."""

from __future__ import annotations

import itertools

import pytest
from sqlalchemy.orm import Session

from exchange.accounts.models import User
from exchange.needs.models import Need, NeedStage
from exchange.needs.service import ALLOWED_TRANSITIONS, DECIDED_BY_OUTCOME
from tests import factories
from tests.client import Client

S = NeedStage
EXPECTED_TABLE = {
    (S.IDEA, S.EARLY_MARKET_ENGAGEMENT),
    (S.IDEA, S.OPEN_FOR_PROPOSALS),
    (S.IDEA, S.CANCELLED),
    (S.EARLY_MARKET_ENGAGEMENT, S.OPEN_FOR_PROPOSALS),
    (S.EARLY_MARKET_ENGAGEMENT, S.CANCELLED),
    (S.OPEN_FOR_PROPOSALS, S.CLOSED),
    (S.OPEN_FOR_PROPOSALS, S.CANCELLED),
    (S.CLOSED, S.AWARDED),
    (S.CLOSED, S.NO_SUITABLE_SUPPLIER),
    (S.CLOSED, S.CANCELLED),
}
ALLOWED = sorted(EXPECTED_TABLE)
FORBIDDEN = sorted(set(itertools.product(NeedStage, NeedStage)) - EXPECTED_TABLE)


@pytest.fixture
def officer(db: Session) -> User:
    return factories.officer(db, "BUN")


def need_at(db: Session, officer: User, stage: NeedStage) -> Need:
    need = factories.need(db, officer, factories.council(db, "BUN"))
    need.stage = stage
    db.flush()
    return need


def test_the_table_is_the_one_the_council_process_needs() -> None:
    assert {(a, b) for a, targets in ALLOWED_TRANSITIONS.items() for b in targets} == EXPECTED_TABLE
    assert all(not ALLOWED_TRANSITIONS[stage] for stage in NeedStage if stage.is_final)


BY_HAND = [(before, after) for before, after in ALLOWED if after not in DECIDED_BY_OUTCOME]


def test_outcome_stages_are_allowed_moves_the_outcome_makes() -> None:
    assert {after for _, after in ALLOWED if after in DECIDED_BY_OUTCOME} == set(DECIDED_BY_OUTCOME)


@pytest.mark.parametrize(("before", "after"), BY_HAND)
def test_every_allowed_move_works_and_is_audited(
    client: Client, db: Session, officer: User, before: NeedStage, after: NeedStage
) -> None:
    need = need_at(db, officer, before)
    client.sign_in(officer.email, factories.PASSWORD)

    response = client.api("POST", f"/api/v1/needs/{need.id}/stage", {"stage": after.value})

    assert response.status_code == 200, response.text
    assert response.json()["stage"] == after.value
    db.refresh(need)
    assert need.stage is after
    [event] = factories.audit_events(db, "need", need.id, "need.stage_changed")
    assert event.actor_user_id == officer.id
    assert event.data == {"from_stage": before.value, "to_stage": after.value}


@pytest.mark.parametrize(("before", "after"), FORBIDDEN)
def test_every_other_move_answers_409_and_changes_nothing(
    client: Client, db: Session, officer: User, before: NeedStage, after: NeedStage
) -> None:
    need = need_at(db, officer, before)
    client.sign_in(officer.email, factories.PASSWORD)

    response = client.api("POST", f"/api/v1/needs/{need.id}/stage", {"stage": after.value})

    assert response.status_code == 409
    assert "cannot move to" in response.json()["detail"]
    db.refresh(need)
    assert need.stage is before
    assert factories.audit_events(db, "need", need.id, "need.stage_changed") == []


def test_the_page_offers_only_the_allowed_next_stages_and_moves_the_need(
    client: Client, db: Session, officer: User
) -> None:
    need = need_at(db, officer, S.IDEA)
    client.sign_in(officer.email, factories.PASSWORD)
    page = client.get(f"/needs/{need.id}").text
    offered = {stage for stage in NeedStage if f'<option value="{stage.value}">' in page}
    assert offered == {S.EARLY_MARKET_ENGAGEMENT, S.OPEN_FOR_PROPOSALS, S.CANCELLED}

    response = client.post(f"/needs/{need.id}/stage", {"stage": "open_for_proposals"})

    assert response.status_code == 303 and response.headers["location"] == f"/needs/{need.id}"
    db.refresh(need)
    assert need.stage is S.OPEN_FOR_PROPOSALS
    after = client.get(f"/needs/{need.id}").text
    assert "The need is now: open for proposals." in after
    assert "stage changed to open for proposals" in after


def test_a_forbidden_move_on_the_page_answers_409(client: Client, db: Session, officer: User) -> None:
    need = need_at(db, officer, S.IDEA)
    client.sign_in(officer.email, factories.PASSWORD)

    response = client.post(f"/needs/{need.id}/stage", {"stage": "awarded"})

    assert response.status_code == 409
    assert "That cannot be done now" in response.text
    db.refresh(need)
    assert need.stage is S.IDEA


def test_an_unknown_stage_is_refused_with_422(client: Client, db: Session, officer: User) -> None:
    need = need_at(db, officer, S.IDEA)
    client.sign_in(officer.email, factories.PASSWORD)

    page = client.post(f"/needs/{need.id}/stage", {"stage": "finished"})
    api = client.api("POST", f"/api/v1/needs/{need.id}/stage", {"stage": "finished"})

    assert page.status_code == api.status_code == 422
    assert "stage" in api.json()["errors"]
    db.refresh(need)
    assert need.stage is S.IDEA


def test_a_whole_journey_leaves_a_complete_history(client: Client, db: Session, officer: User) -> None:
    need = need_at(db, officer, S.IDEA)
    client.sign_in(officer.email, factories.PASSWORD)
    journey = [S.EARLY_MARKET_ENGAGEMENT, S.OPEN_FOR_PROPOSALS, S.CLOSED, S.CANCELLED]

    for stage in journey:
        assert client.api("POST", f"/api/v1/needs/{need.id}/stage", {"stage": stage.value}).status_code == 200

    events = factories.audit_events(db, "need", need.id, "need.stage_changed")
    assert [(e.data["from_stage"], e.data["to_stage"]) for e in events] == list(
        zip([S.IDEA.value, *[s.value for s in journey[:-1]]], [s.value for s in journey], strict=True)
    )


@pytest.mark.parametrize("stage", [S.AWARDED, S.NO_SUITABLE_SUPPLIER])
def test_an_outcome_stage_is_only_reached_by_recording_the_outcome(
    client: Client, db: Session, officer: User, stage: S
) -> None:
    need = need_at(db, officer, S.CLOSED)
    client.sign_in(officer.email, factories.PASSWORD)
    page = client.post(f"/needs/{need.id}/stage", {"stage": stage.value})
    api = client.api("POST", f"/api/v1/needs/{need.id}/stage", {"stage": stage.value})
    assert page.status_code == api.status_code == 409
    assert "Outcome page" in page.text
    db.refresh(need)
    assert need.stage is S.CLOSED
