"""Invitations to respond: the need's own council invites chosen suppliers while the need takes proposals; each
supplier is told once (in the app and by email); the shortlist tells the supplier nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from exchange.core.errors import Conflict, Invalid, NotFound
from exchange.needs.models import NeedStage, Visibility
from exchange.notifications.models import Notification
from exchange.organisations.models import OrganisationKind
from exchange.outbox.models import OutboxMessage
from exchange.proposals import invitations
from exchange.proposals.models import ProposalInvitation
from exchange.shortlists import service as shortlists
from tests import factories
from tests.client import Client
from tests.proposals.conftest import World, close_proposals, days, set_dates, sign_in, submitted_proposal, written


def told(db: Session, world: World) -> tuple[int, int]:
    """Notifications and emails the supplier's people have had."""
    people = [world.supplier_admin.id, world.supplier_member.id]
    addresses = [world.supplier_admin.email, world.supplier_member.email]
    return (
        factories.count(db, Notification, Notification.user_id.in_(people)),
        factories.count(db, OutboxMessage, OutboxMessage.to_address.in_(addresses)),
    )


def invite(db: Session, world: World, *organisation_ids: int) -> invitations.Invited:
    ids = organisation_ids or (world.supplier.id,)
    return invitations.invite(db, factories.viewer(db, world.officer), world.need.id, list(ids))


# --- The shortlist is private; an invitation tells ---


def test_shortlisting_tells_the_supplier_nothing_and_inviting_tells_each_member_once(db: Session, world: World) -> None:
    shortlists.add(db, factories.viewer(db, world.officer), world.need.id, world.supplier.id)
    assert told(db, world) == (0, 0)

    result = invite(db, world)

    assert [o.id for o in result.invited] == [world.supplier.id] and result.already == []
    assert told(db, world) == (2, 2)
    [email] = factories.emails_to(db, world.supplier_admin.email)
    assert email.subject == (
        "Burnley Borough Council invited Pennine Community Meals to respond to “Meals at home for older residents”"
    )
    closes, questions = days(30), days(20)
    assert f"Proposals close at the end of {closes.day} {closes:%B %Y}" in email.body_text
    assert f"Questions close at the end of {questions.day} {questions:%B %Y}" in email.body_text
    assert factories.link_in(email, "/needs/") == f"/needs/{world.need.id}/respond"
    [row] = db.scalars(select(Notification).where(Notification.user_id == world.supplier_member.id)).all()
    assert (row.kind, row.link) == ("invited_to_respond", f"/needs/{world.need.id}")
    [event] = factories.audit_events(db, "need", world.need.id, "invitation.sent")
    assert (event.actor_user_id, event.data) == (world.officer.id, {"organisation_id": world.supplier.id})


def test_inviting_twice_is_idempotent_and_says_so(db: Session, world: World) -> None:
    invite(db, world)
    again = invite(db, world, world.supplier.id, world.rival.id)
    assert [o.id for o in again.invited] == [world.rival.id]
    assert [i.organisation_id for i in again.already] == [world.supplier.id]
    assert "Pennine Community Meals was already invited on" in again.message()
    assert "nobody was emailed again" in again.message()
    assert told(db, world) == (2, 2), "no second notice"
    assert factories.count(db, ProposalInvitation) == 2


def test_a_colleague_sees_the_same_invitation_not_a_new_one(db: Session, world: World) -> None:
    invite(db, world)
    again = invitations.invite(db, factories.viewer(db, world.colleague), world.need.id, [world.supplier.id])
    assert again.invited == [] and told(db, world) == (2, 2)


# --- Refusals: clear, and nothing changes ---


def test_a_council_a_missing_id_or_no_choice_is_refused_and_nobody_is_invited(db: Session, world: World) -> None:
    other_council = factories.council(db, "MAN")
    for ids, message in [
        ([], "Choose at least one supplier to invite"),
        ([world.rival.id, 999_999], "There is no organisation number 999999"),
        ([world.rival.id, other_council.id], "is not a supplier"),
    ]:
        with pytest.raises(Invalid, match=message):
            invite(db, world, *ids) if ids else invitations.invite(
                db, factories.viewer(db, world.officer), world.need.id, []
            )
    assert factories.count(db, ProposalInvitation) == 0


@pytest.mark.parametrize("kind", [OrganisationKind.VCSE, OrganisationKind.OTHER])
def test_social_enterprises_and_community_groups_can_be_invited(
    db: Session, world: World, kind: OrganisationKind
) -> None:
    group = factories.supplier(db, factories.user(db), kind=kind)
    assert [o.id for o in invite(db, world, group.id).invited] == [group.id]


def test_a_need_not_open_for_proposals_refuses_invitations(db: Session, world: World) -> None:
    close_proposals(db, world)
    with pytest.raises(Conflict, match="Suppliers can be invited only while the need is open for proposals"):
        invite(db, world)
    set_dates(db, world.need, opens_on=days(-7), closes_on=days(30))
    world.need.stage = NeedStage.CLOSED
    db.flush()
    with pytest.raises(Conflict, match="no longer takes proposals"):
        invite(db, world)
    assert factories.count(db, ProposalInvitation) == 0 and told(db, world) == (0, 0)


def test_a_need_suppliers_cannot_open_cannot_be_sent_to_them(db: Session, world: World) -> None:
    world.need.visibility = Visibility.PUBLIC_SECTOR
    db.flush()
    with pytest.raises(Conflict, match="Only a public need"):
        invite(db, world)


def test_only_the_needs_own_council_invites(db: Session, world: World) -> None:
    for person in (world.other_officer, world.supplier_admin, factories.admin(db)):
        with pytest.raises(NotFound):
            invitations.invite(db, factories.viewer(db, person), world.need.id, [world.rival.id])
    assert factories.count(db, ProposalInvitation) == 0


# --- What each side sees ---


def test_the_council_sees_who_responded_only_once_proposals_are_opened(db: Session, world: World) -> None:
    invite(db, world, world.supplier.id, world.rival.id)
    submitted_proposal(db, world)
    officer = factories.viewer(db, world.officer)
    view = invitations.council_view(db, officer, world.need.id)
    assert [line.response for line in invitations.for_council(db, view, world.officer.id)] == [None, None]
    close_proposals(db, world)
    view = invitations.council_view(db, officer, world.need.id)
    lines = invitations.for_council(db, view, world.officer.id)
    assert [line.response_label for line in lines] == ["Sent a proposal", "No proposal"]


def test_the_supplier_sees_its_invitation_with_the_dates(db: Session, world: World) -> None:
    invite(db, world)
    [line] = invitations.received(db, [world.supplier.id])
    assert (line.council.name, line.closes_on, line.questions_close_on, line.responded) == (
        "Burnley Borough Council",
        days(30),
        days(20),
        False,
    )
    assert invitations.received(db, [world.rival.id]) == []


# --- Pages ---


def test_the_officer_invites_from_the_matches_after_seeing_what_will_be_sent(
    client: Client, db: Session, world: World
) -> None:
    sign_in(client, world.officer)
    base = f"/needs/{world.need.id}"
    page = client.get(f"{base}/invitations/new?organisation_id={world.supplier.id}&return_to={base}/matches")
    assert page.status_code == 200
    assert "Pennine Community Meals" in page.text and "Send the invitation" in page.text
    assert "invites Pennine Community Meals to send a proposal" in page.text
    assert told(db, world) == (0, 0), "looking sends nothing"

    sent = client.post(
        f"{base}/invitations", {"organisation_id": [str(world.supplier.id)], "return_to": f"{base}/matches"}
    )
    assert sent.status_code == 303 and sent.headers["location"] == f"{base}/matches"
    assert told(db, world) == (2, 2)
    need_page = client.get(base)
    assert "Invited to respond" in need_page.text and "response sealed until proposals close" in need_page.text
    shortlist_page = client.get(f"{base}/shortlist")
    assert shortlist_page.status_code == 200

    again = client.post(f"{base}/invitations", {"organisation_id": [str(world.supplier.id)]}, follow_redirects=True)
    assert "already invited" in again.text and told(db, world) == (2, 2)


def test_several_suppliers_are_invited_from_the_shortlist(client: Client, db: Session, world: World) -> None:
    officer = factories.viewer(db, world.officer)
    for organisation in (world.supplier, world.rival):
        shortlists.add(db, officer, world.need.id, organisation.id)
    sign_in(client, world.officer)
    base = f"/needs/{world.need.id}"
    page = client.get(f"{base}/shortlist")
    assert 'form="invite-chosen"' in page.text and "Invite the chosen suppliers to respond" in page.text
    chosen = f"organisation_id={world.supplier.id}&organisation_id={world.rival.id}"
    confirm = client.get(f"{base}/invitations/new?{chosen}&return_to={base}/shortlist")
    assert "Send 2 invitations" in confirm.text
    ids = [str(world.supplier.id), str(world.rival.id)]
    assert (
        client.post(f"{base}/invitations", {"organisation_id": ids, "return_to": f"{base}/shortlist"}).status_code
        == 303
    )
    assert factories.count(db, ProposalInvitation) == 2
    assert client.get(f"{base}/shortlist").text.count("Invited ") >= 2


def test_the_supplier_sees_the_invitation_on_its_dashboard_and_the_need(
    client: Client, db: Session, world: World
) -> None:
    invite(db, world)
    sign_in(client, world.supplier_member)
    dashboard = client.get("/dashboard")
    assert "Burnley Borough Council</strong> invited Pennine Community Meals to respond" in dashboard.text
    need_page = client.get(f"/needs/{world.need.id}")
    assert "invited Pennine Community Meals to respond" in need_page.text
    assert "Start your proposal" in need_page.text


@pytest.mark.parametrize("who", ["other council", "supplier", "anonymous"])
def test_invitation_pages_are_404_outside_the_council_and_change_nothing(
    client: Client, db: Session, world: World, who: str
) -> None:
    person = {"other council": world.other_officer, "supplier": world.supplier_admin, "anonymous": None}[who]
    sign_in(client, person)
    before = written(db)
    base = f"/needs/{world.need.id}/invitations"
    # Signed-in outsiders get 404, never a hint; anonymous visitors are sent to sign in first.
    expected = {401, 303} if person is None else {404}
    assert client.get(f"{base}/new?organisation_id={world.rival.id}").status_code in expected
    assert client.post(base, {"organisation_id": [str(world.rival.id)]}).status_code in expected | {403}
    assert written(db) == before and factories.count(db, ProposalInvitation) == 0


@pytest.mark.parametrize("value", ["abc", "0", "999999", "-1"])
def test_a_bad_choice_on_the_page_is_refused_clearly(client: Client, db: Session, world: World, value: str) -> None:
    sign_in(client, world.officer)
    response = client.post(f"/needs/{world.need.id}/invitations", {"organisation_id": [value]})
    assert response.status_code == 422
    assert "nobody was invited" in response.text.lower()
    assert factories.count(db, ProposalInvitation) == 0


# --- API ---


def test_the_api_invites_lists_and_refuses_like_the_pages(client: Client, db: Session, world: World) -> None:
    sign_in(client, world.officer)
    url = f"/api/v1/needs/{world.need.id}/invitations"
    sent = client.api("POST", url, {"organisation_ids": [world.supplier.id]})
    assert sent.status_code == 200, sent.text
    body = sent.json()
    assert [i["organisation_name"] for i in body["invited"]] == ["Pennine Community Meals"]
    assert body["already_invited"] == [] and told(db, world) == (2, 2)

    again = client.api("POST", url, {"organisation_ids": [world.supplier.id]}).json()
    assert again["invited"] == [] and "already invited" in again["message"] and told(db, world) == (2, 2)
    [listed] = client.get(url).json()
    assert (listed["organisation_id"], listed["response"]) == (world.supplier.id, None)

    for bad, status in [({"organisation_ids": []}, 422), ({"organisation_ids": [999_999]}, 422), ({}, 422)]:
        assert client.api("POST", url, bad).status_code == status
    council = factories.council(db, "MAN")
    refused = client.api("POST", url, {"organisation_ids": [council.id]})
    assert refused.status_code == 422 and "is not a supplier" in refused.json()["detail"]


@pytest.mark.parametrize("who", ["other council", "supplier"])
def test_the_invitations_api_is_404_outside_the_council(client: Client, db: Session, world: World, who: str) -> None:
    invite(db, world)
    sign_in(client, world.other_officer if who == "other council" else world.supplier_admin)
    url = f"/api/v1/needs/{world.need.id}/invitations"
    assert client.get(url).status_code == 404
    assert client.api("POST", url, {"organisation_ids": [world.rival.id]}).status_code == 404
    assert factories.count(db, ProposalInvitation) == 1


def test_once_proposals_close_the_pages_say_why_and_sending_is_refused(
    client: Client, db: Session, world: World
) -> None:
    close_proposals(db, world)
    sign_in(client, world.officer)
    base = f"/needs/{world.need.id}"
    page = client.get(f"{base}/invitations/new?organisation_id={world.supplier.id}")
    assert page.status_code == 200 and "Suppliers can be invited only while the need is open" in page.text
    assert "Send the invitation" not in page.text
    assert "exchange-invite-button" not in client.get(f"{base}/matches").text
    refused = client.post(f"{base}/invitations", {"organisation_id": [str(world.supplier.id)]})
    assert refused.status_code == 409 and "Proposals closed on" in refused.text
    assert factories.count(db, ProposalInvitation) == 0 and told(db, world) == (0, 0)


def test_the_shortlist_rows_say_when_each_supplier_was_invited(client: Client, db: Session, world: World) -> None:
    officer = factories.viewer(db, world.officer)
    for organisation in (world.supplier, world.rival):
        shortlists.add(db, officer, world.need.id, organisation.id)
    invite(db, world)
    sign_in(client, world.officer)
    page = client.get(f"/needs/{world.need.id}/shortlist").text
    assert page.count('class="govuk-body govuk-!-margin-bottom-2 exchange-invited"') == 1
    assert f'id="invite-{world.rival.id}"' in page and f'id="invite-{world.supplier.id}"' not in page


def test_nothing_ticked_on_the_shortlist_says_so_and_leads_back(client: Client, db: Session, world: World) -> None:
    sign_in(client, world.officer)
    base = f"/needs/{world.need.id}"
    page = client.get(f"{base}/invitations/new?return_to={base}/shortlist")
    assert page.status_code == 422 and "Choose at least one supplier to invite" in page.text
    assert f'href="{base}/shortlist">Go back and choose the suppliers to invite' in page.text
