"""Sealed proposals: until the closing date passes (or the council closes proposals early, with a reason),
the council knows only how many proposals arrived. No page, HTMX fragment, API endpoint, export, OCDS
release, notification or email shows their content, prices or suppliers; nor can the council score,
moderate, shortlist or award them. Opening is recorded once, with an audit row."""

from __future__ import annotations

import html

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from exchange.core.errors import Invalid
from exchange.notifications.models import Notification
from exchange.outbox.models import OutboxMessage
from exchange.proposals import service
from exchange.proposals.models import NeedProcurement, Proposal, ProposalStatus
from exchange.shortlists import service as shortlists
from exchange.shortlists.models import ShortlistEntry
from tests import factories
from tests.client import Client
from tests.proposals.conftest import (
    World,
    close_proposals,
    days,
    draft_proposal,
    make_council_admin,
    set_up_procurement,
    sign_in,
    submitted_proposal,
    written,
)

APPROACH = "Kitchens in Padiham and Colne, vans with hot boxes"
PRICE_NOTE = "per year, all meals included"
EVIDENCE = "evidence for"
# What a sealed proposal must never show the council: whose it is, its price, its words.
SECRETS = ("Pennine", "Rival Meals", "87,654", "87654", "76,543", "76543", APPROACH, PRICE_NOTE, EVIDENCE)


def two_sealed_proposals(db: Session, world: World) -> tuple[Proposal, Proposal]:
    mine = submitted_proposal(db, world, approach=APPROACH, price=87_654, price_note=PRICE_NOTE)
    rival = submitted_proposal(db, world, world.rival_admin, approach=APPROACH, price=76_543, price_note=PRICE_NOTE)
    return mine, rival


def leaks(text: str) -> list[str]:
    text = html.unescape(text)
    return [secret for secret in SECRETS if secret.lower() in text.lower()]


def council_reads(world: World, proposal: Proposal) -> list[str]:
    need = f"/needs/{world.need.id}"
    one = f"{need}/proposals/{proposal.id}"
    return [
        need,
        f"{need}/proposals",
        f"{need}/proposals?meets=all",
        one,
        f"{one}/scores",
        f"{one}/moderation",
        f"{one}/outcome",
        f"{need}/evaluation",
        f"{need}/evaluation.csv",
        f"{need}/evaluation.xlsx",
        f"{need}/outcome",
        f"{need}/shortlist",
        "/dashboard",
        "/notifications",
        f"/api/v1/needs/{world.need.id}/proposals",
        f"/api/v1/needs/{world.need.id}/proposals?meets_all_essentials=true",
        f"/api/v1/needs/{world.need.id}/evaluation",
        f"/api/v1/needs/{world.need.id}/outcome",
        f"/api/v1/needs/{world.need.id}/ocds",
        "/api/v1/ocds/releases",
    ]


def test_before_the_deadline_the_council_reads_nothing_of_a_proposal_anywhere(
    client: Client, db: Session, world: World
) -> None:
    proposal, rival = two_sealed_proposals(db, world)
    sign_in(client, world.officer)

    for path in council_reads(world, proposal):
        for headers in ({}, {"HX-Request": "true"}):
            response = client.get(path, headers=headers)
            assert response.status_code in (200, 404, 409), path
            assert leaks(response.text) == [], (path, headers)
            assert leaks(response.content.decode("utf-8", "replace")) == [], path
    for path in (f"/needs/{world.need.id}/proposals/{p.id}" for p in (proposal, rival)):
        assert client.get(path).status_code == 404, path

    listing = html.unescape(client.get(f"/needs/{world.need.id}/proposals").text)
    assert "2 proposals received" in listing and "sealed until they close" in listing
    api = client.get(f"/api/v1/needs/{world.need.id}/proposals").json()
    assert (api["sealed"], api["received"], api["proposals"]) == (True, 2, [])
    assert api["closes_on"] == days(30).isoformat()
    assert "Proposals received (2)" in client.get(f"/needs/{world.need.id}").text
    evaluation = client.get(f"/api/v1/needs/{world.need.id}/evaluation").json()
    assert (evaluation["sealed"], evaluation["proposals"]) == (True, [])

    told = db.scalars(select(Notification).where(Notification.user_id.in_([world.officer.id, world.colleague.id])))
    for notification in told:
        assert leaks(f"{notification.title} {notification.body} {notification.link}") == []
        assert str(proposal.id) not in notification.link.split("/")[-1]
    for message in db.scalars(select(OutboxMessage)):
        if message.to_address in (world.officer.email, world.colleague.email):
            assert leaks(f"{message.subject} {message.body_text}") == []


def test_before_the_deadline_the_council_cannot_shortlist_score_moderate_or_award(
    client: Client, db: Session, world: World
) -> None:
    proposal, _ = two_sealed_proposals(db, world)
    # Shortlisting the supplier itself (from its matches) is allowed: its proposal stays sealed.
    shortlists.add(db, factories.viewer(db, world.officer), world.need.id, world.supplier.id)
    criterion = f"/api/v1/needs/{world.need.id}/proposals/{proposal.id}/scores"
    sign_in(client, world.officer)
    before = written(db)
    need = f"/needs/{world.need.id}"

    shortlisted = client.post(f"{need}/proposals/{proposal.id}/shortlist", headers={"HX-Request": "true"})
    scored = client.post(f"{need}/proposals/{proposal.id}/scores/1", {"score_1": "50", "justification_1": "Fine."})
    scored_api = client.api("PUT", f"{criterion}/1", {"score": 50, "justification": "Fine."})
    moderation = client.post(f"{need}/evaluation/moderation")
    moderation_api = client.api("POST", f"/api/v1/needs/{world.need.id}/evaluation/moderation")
    award = client.api(
        "POST",
        f"/api/v1/needs/{world.need.id}/outcome",
        {"kind": "awarded", "organisation_id": world.supplier.id, "value": 1, "starts_on": days(90).isoformat()},
    )
    evaluation = html.unescape(client.get(f"{need}/evaluation").text)

    assert shortlisted.status_code == 404
    assert scored.status_code in (404, 409) and scored_api.status_code in (404, 409)
    assert moderation.status_code == moderation_api.status_code == 409
    assert "starts once proposals are opened" in html.unescape(moderation.text)
    assert award.status_code == 409
    for response in (shortlisted, scored, scored_api, moderation, moderation_api, award):
        assert leaks(response.text) == []
    assert "Evaluation starts once proposals are opened" in evaluation and leaks(evaluation) == []
    assert written(db) == before
    assert db.scalars(select(ShortlistEntry)).one().proposal_id is None


def test_after_the_deadline_the_first_look_opens_the_proposals_once(client: Client, db: Session, world: World) -> None:
    proposal, rival = two_sealed_proposals(db, world)
    close_proposals(db, world)
    make_council_admin(db, world.colleague, world.council)
    sign_in(client, world.colleague)

    listing = html.unescape(client.get(f"/needs/{world.need.id}/proposals").text)
    again = client.get(f"/api/v1/needs/{world.need.id}/proposals").json()
    client.get(f"/needs/{world.need.id}/proposals/{proposal.id}")

    assert "Pennine Community Meals" in listing and "£87,654" in listing and "sealed" not in listing
    assert (again["sealed"], again["received"], len(again["proposals"])) == (False, 2, 2)
    assert client.get(f"/needs/{world.need.id}/proposals/{rival.id}").status_code == 200
    [opened] = factories.audit_events(db, "need", world.need.id, "proposals.opened")
    assert opened.actor_user_id == world.colleague.id and opened.data["received"] == 2
    settings = db.scalars(select(NeedProcurement).where(NeedProcurement.need_id == world.need.id)).one()
    assert settings.opened_at is not None


def test_once_opened_no_proposal_can_be_sent_and_the_dates_cannot_move(
    client: Client, db: Session, world: World
) -> None:
    submitted_proposal(db, world)
    close_proposals(db, world)
    sign_in(client, world.officer)
    client.get(f"/needs/{world.need.id}/proposals")

    # Moving the closing date back into the future does not let anyone send a proposal now.
    settings = db.scalars(select(NeedProcurement).where(NeedProcurement.need_id == world.need.id)).one()
    settings.closes_on = days(10)
    db.flush()
    with pytest.raises(Exception, match="Proposals were opened on"):
        draft_proposal(db, world, world.rival_admin)
    settings.closes_on = days(-1)
    db.flush()
    before = written(db)
    with pytest.raises(Invalid) as refused:
        set_up_procurement(
            db, world.officer, world.need, opens_on=days(-30), closes_on=days(10), questions_close_on=days(5)
        )
    assert "cannot change now" in refused.value.field_errors["closes_on"]
    assert written(db) == before


def test_the_council_closes_proposals_early_with_a_reason_and_they_open(
    client: Client, db: Session, world: World
) -> None:
    proposal = submitted_proposal(db, world, approach=APPROACH)
    draft = draft_proposal(db, world, world.rival_admin)
    sign_in(client, world.officer)
    path = f"/needs/{world.need.id}/proposals/close-early"
    before = written(db)

    missing = client.post(path, {"reason": "  "})
    too_long = client.post(path, {"reason": "x" * 501})

    assert missing.status_code == too_long.status_code == 422
    assert "Enter why proposals are closing early" in missing.text and "There is a problem" in missing.text
    assert "500 characters or fewer" in too_long.text
    assert written(db) == before

    closed = client.post(path, {"reason": "Every invited supplier has responded."})

    assert closed.status_code == 303
    listing = html.unescape(client.get(f"/needs/{world.need.id}/proposals").text)
    assert APPROACH not in listing and "Pennine Community Meals" in listing
    assert "Every invited supplier has responded." in listing
    [early] = factories.audit_events(db, "need", world.need.id, "proposals.closed_early")
    assert early.actor_user_id == world.officer.id and early.data["reason"] == "Every invited supplier has responded."
    assert len(factories.audit_events(db, "need", world.need.id, "proposals.opened")) == 1
    db.refresh(world.need)
    assert world.need.stage.value == "closed"
    # The rival can no longer finish its draft, nor can the supplier withdraw.
    with pytest.raises(Exception, match="closed"):
        service.submit(db, factories.viewer(db, world.rival_admin), world.need.id, draft.id)
    with pytest.raises(Exception, match="cannot be withdrawn"):
        service.withdraw(db, factories.viewer(db, world.supplier_admin), world.need.id, proposal.id)
    assert db.get(Proposal, proposal.id).status is ProposalStatus.SUBMITTED  # type: ignore[union-attr]
    # Twice is refused: nothing to close.
    assert client.post(path, {"reason": "Again."}).status_code == 409


@pytest.mark.parametrize("who", ["other council", "supplier", "anonymous"])
def test_only_the_council_can_close_proposals_early(client: Client, db: Session, world: World, who: str) -> None:
    submitted_proposal(db, world)
    person = {"other council": world.other_officer, "supplier": world.supplier_admin, "anonymous": None}[who]
    sign_in(client, person)
    before = written(db)

    response = client.post(f"/needs/{world.need.id}/proposals/close-early", {"reason": "Because."})

    assert response.status_code == 404
    assert written(db) == before


def test_the_need_page_offers_closing_early_instead_of_a_bare_close_before_the_deadline(
    client: Client, db: Session, world: World
) -> None:
    sign_in(client, world.officer)
    before = html.unescape(client.get(f"/needs/{world.need.id}").text)
    close_proposals(db, world)
    after = client.get(f"/needs/{world.need.id}").text

    assert f'href="/needs/{world.need.id}/proposals#close-early"' in before
    assert '<option value="closed">' not in before and '<option value="cancelled">' in before
    assert '<option value="closed">' in after
