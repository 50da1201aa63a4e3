"""Proposals refused with a clear message, and nothing written: evidence over the limit, after the closing
date, before the need is open, from a council account, or without a certification the need requires."""

from __future__ import annotations

import html
from typing import Any

import pytest
from sqlalchemy.orm import Session

from exchange.needs import service as needs
from exchange.needs.models import NeedStage
from exchange.needs.schemas import NeedForm
from exchange.proposals.models import Proposal, ProposalStatus
from tests import factories
from tests.client import Client
from tests.proposals.conftest import (
    World,
    days,
    draft_proposal,
    form_of,
    set_dates,
    sign_in,
    submitted_proposal,
    written,
)


def require(db: Session, world: World, *certifications: str) -> None:
    need = world.need
    form = NeedForm(
        title=need.title,
        summary=need.summary,
        problem_statement=need.problem_statement,
        required_certifications=list(certifications),
    )
    needs.update(db, factories.viewer(db, world.officer), need.id, form)


def edit_path(proposal: Proposal) -> str:
    return f"/needs/{proposal.need_id}/proposals/{proposal.id}/edit"


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"evidence": "x" * 2_001},
            "evidence",
            "Essential requirement 1: the evidence must be 2,000 characters or fewer",
        ),
        ({"evidence": "é" * 1_999 + "😀"}, "evidence", "it has 2,001"),
        ({"meets": "perhaps"}, "meets", "Choose whether you meet essential requirement 1"),
        ({"price": "ninety thousand"}, "price", "The price in pounds must be an amount in numbers"),
        ({"price": "-5"}, "price", "must be £0 or more"),
        ({"price_note": "x" * 301}, "price_note", "300 characters or fewer"),
        ({"approach": "y" * 5_001}, "approach", "Your approach must be 5,000 characters or fewer: it has 5,001"),
    ],
)
def test_bad_answers_are_refused_with_the_message_and_nothing_is_written(
    client: Client, db: Session, world: World, changes: dict[str, Any], field: str, message: str
) -> None:
    proposal = draft_proposal(db, world)
    first = world.requirements(db)[0]
    fields = {key: value for key, value in changes.items() if key in ("price", "price_note", "approach")}
    answer = {f"answer_{first.id}_{key}": value for key, value in changes.items() if key in ("evidence", "meets")}
    field_id = f"answer_{first.id}_{field}" if answer else field
    sign_in(client, world.supplier_admin)
    before = written(db)
    evidence_before = {a.requirement_id: a.evidence for a in proposal.answers}

    response = client.post(edit_path(proposal), {**form_of(world, db, approach="Changed."), **fields, **answer})

    assert response.status_code == 422
    text = html.unescape(response.text)
    assert "<title>Error: " in text and f'href="#{field_id}"' in text and f'id="{field_id}-error"' in text
    assert message in text
    assert written(db) == before
    db.refresh(proposal)
    assert proposal.approach == "We cook locally and deliver from two hubs."
    assert {a.requirement_id: a.evidence for a in proposal.answers} == evidence_before


def test_after_the_closing_date_nothing_can_be_started_changed_or_submitted(
    client: Client, other_client: Client, db: Session, world: World
) -> None:
    proposal = draft_proposal(db, world)
    set_dates(db, world.need, opens_on=days(-30), closes_on=days(-1), questions_close_on=days(-5))
    sign_in(client, world.supplier_admin)
    sign_in(other_client, world.rival_admin)
    before = written(db)
    base = f"/needs/{world.need.id}/proposals/{proposal.id}"

    started = other_client.post(f"/needs/{world.need.id}/respond", {})
    saved = client.post(f"{base}/edit", form_of(world, db))
    submitted = client.post(f"{base}/submit")

    for response in (started, saved, submitted):
        assert response.status_code == 409
        assert "Proposals closed on" in html.unescape(response.text) and "no proposal can be sent or changed" in (
            response.text
        )
    assert written(db) == before
    assert client.get(f"{base}/edit").headers["location"] == base
    assert "Proposals closed on" in client.get(base).text


def test_a_submitted_proposal_cannot_be_withdrawn_after_the_closing_date(
    client: Client, db: Session, world: World
) -> None:
    proposal = submitted_proposal(db, world)
    set_dates(db, world.need, opens_on=days(-30), closes_on=days(-1), questions_close_on=None)
    sign_in(client, world.supplier_admin)
    before = written(db)
    response = client.post(f"/needs/{world.need.id}/proposals/{proposal.id}/withdraw")
    assert response.status_code == 409 and "cannot be withdrawn after the closing date" in response.text
    assert written(db) == before


@pytest.mark.parametrize(
    ("stage", "message"),
    [(NeedStage.EARLY_MARKET_ENGAGEMENT, "not open for proposals yet"), (NeedStage.CANCELLED, "no longer takes")],
)
def test_a_need_not_open_for_proposals_takes_none(
    client: Client, db: Session, world: World, stage: NeedStage, message: str
) -> None:
    need = factories.need(db, world.officer, world.council, title="Another need for the council")
    needs.change_stage(db, factories.viewer(db, world.officer), need.id, stage)
    sign_in(client, world.supplier_admin)
    before = written(db)
    response = client.post(f"/needs/{need.id}/respond", {})
    assert response.status_code == 409 and message in response.text
    assert written(db) == before


def test_proposals_open_on_their_opening_date(client: Client, db: Session, world: World) -> None:
    set_dates(db, world.need, opens_on=days(3), closes_on=days(30))
    sign_in(client, world.supplier_admin)
    before = written(db)
    response = client.post(f"/needs/{world.need.id}/respond", {})
    assert response.status_code == 409 and "Proposals open on" in response.text
    assert written(db) == before


@pytest.mark.parametrize("who", ["officer", "other council"])
def test_a_council_account_cannot_send_a_proposal(client: Client, db: Session, world: World, who: str) -> None:
    sign_in(client, world.officer if who == "officer" else world.other_officer)
    before = written(db)
    response = client.post(f"/needs/{world.need.id}/respond", {})
    assert response.status_code == 403
    assert "a council account cannot" in response.text
    api = client.api("PUT", f"/api/v1/needs/{world.need.id}/proposal", {"approach": "Ours."})
    assert api.status_code == 403 and "a council account cannot" in api.json()["detail"]
    assert written(db) == before


def test_a_supplier_without_a_required_certification_is_warned_and_cannot_submit(
    client: Client, db: Session, world: World
) -> None:
    require(db, world, "cyber_essentials")
    proposal = draft_proposal(db, world)
    base = f"/needs/{world.need.id}/proposals/{proposal.id}"
    sign_in(client, world.supplier_admin)
    warned = html.unescape(client.get(f"/needs/{world.need.id}/respond").text)
    assert "has no current certificate for Cyber Essentials (or Cyber Essentials Plus)" in warned
    review = html.unescape(client.get(f"{base}/review").text)
    assert "You cannot submit this proposal" in review and "Submit proposal" not in review
    before = written(db)

    response = client.post(f"{base}/submit")

    assert response.status_code == 409
    assert "cannot submit this proposal: the council requires Cyber Essentials" in html.unescape(response.text)
    assert written(db) == before
    db.refresh(proposal)
    assert proposal.status is ProposalStatus.DRAFT


@pytest.mark.parametrize(
    ("held", "expires_in_days", "allowed"),
    [
        ("cyber_essentials_plus", 100, True),
        ("cyber_essentials", 100, True),
        ("cyber_essentials", -1, False),
        ("iso_27001", 100, False),
    ],
)
def test_cyber_essentials_plus_counts_as_cyber_essentials_and_an_expired_certificate_does_not(
    client: Client, db: Session, world: World, held: str, expires_in_days: int, allowed: bool
) -> None:
    require(db, world, "cyber_essentials")
    factories.certification(db, world.supplier, held, expires_in_days=expires_in_days)
    proposal = draft_proposal(db, world)
    sign_in(client, world.supplier_admin)
    response = client.post(f"/needs/{world.need.id}/proposals/{proposal.id}/submit")
    assert response.status_code == (303 if allowed else 409)


def test_submitting_an_unfinished_draft_lists_what_is_missing(client: Client, db: Session, world: World) -> None:
    sign_in(client, world.supplier_admin)
    location = client.post(f"/needs/{world.need.id}/respond", {}).headers["location"]
    before = written(db)
    response = client.post(location.replace("/edit", "/submit"))
    assert response.status_code == 422 and "Finish your proposal before you submit it" in response.text
    assert written(db) == before


@pytest.mark.parametrize(("typed", "stored"), [("90,000", 90_000), ("£ 90,000.00", 90_000), ("90000.50", 90_001)])
def test_the_price_is_taken_as_people_type_money(
    client: Client, db: Session, world: World, typed: str, stored: int
) -> None:
    proposal = draft_proposal(db, world)
    sign_in(client, world.supplier_admin)
    assert client.post(edit_path(proposal), form_of(world, db, price=typed)).status_code == 303
    db.refresh(proposal)
    assert proposal.price == stored
