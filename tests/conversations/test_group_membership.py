"""Closed groups have members: facilitators invite officers and answer requests to join, each told to the person
it concerns; only members, facilitators and administrators read and write in a group; other verified officers
see its name and a "Request to join" button, and every content route answers them 404."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from exchange.accounts.models import User
from exchange.conversations import groups, membership, service
from exchange.conversations.models import Group, GroupMembership, MembershipStatus
from exchange.conversations.schemas import GroupForm
from exchange.core.errors import Conflict, Invalid, NotFound
from exchange.notifications.models import Notification
from tests import factories
from tests.client import Client
from tests.conversations.conftest import People


def _group(people: People) -> Group:
    return groups.create(
        people.db, people.viewer(people.officer), GroupForm(name="Safeguarding leads", description="Sharing practice")
    )


def _notes(people: People, person: User) -> list[str]:
    rows = people.db.scalars(
        select(Notification).where(Notification.user_id == person.id, Notification.kind == "group_membership")
    )
    return [n.title for n in rows]


def _sign_in(client: Client, person: User | None) -> None:
    client.http.cookies.clear()  # type: ignore[union-attr]
    if person is not None:
        client.sign_in(person.email, factories.PASSWORD)


def test_a_request_to_join_is_approved_and_each_side_is_told_once(people: People) -> None:
    group = _group(people)
    outsider = factories.officer(people.db, "PEN")
    asker = people.viewer(outsider)
    with pytest.raises(NotFound):
        service.thread(people.db, asker, "group", group.id)

    assert membership.request_to_join(people.db, asker, group.slug) is MembershipStatus.REQUESTED
    assert membership.request_to_join(people.db, asker, group.slug) is MembershipStatus.REQUESTED
    assert _notes(people, people.officer) == [f"{outsider.name} asks to join Safeguarding leads"]
    assert len(factories.emails_to(people.db, people.officer.email)) == 1
    with pytest.raises(NotFound):  # a request is not membership
        service.ask(people.db, asker, "group", group.id, "Hello")

    membership.decide(people.db, people.viewer(people.officer), group.slug, outsider.id, approve=True)
    assert _notes(people, outsider) == ["You have joined Safeguarding leads"]
    assert service.ask(people.db, asker, "group", group.id, "Hello all") is not None
    assert [e.action for e in factories.audit_events(people.db, "group", group.id)][-2:] == [
        "group.join_requested",
        "group.join_approved",
    ]
    with pytest.raises(NotFound):  # nothing left to decide
        membership.decide(people.db, people.viewer(people.officer), group.slug, outsider.id, approve=False)
    bystander = factories.officer(people.db, "LDS")
    assert _notes(people, bystander) == [] and factories.emails_to(people.db, bystander.email) == []


def test_a_declined_request_tells_the_asker_who_may_ask_again(people: People) -> None:
    group = _group(people)
    outsider = factories.officer(people.db, "PEN")
    membership.request_to_join(people.db, people.viewer(outsider), group.slug)
    membership.decide(people.db, people.viewer(people.officer), group.slug, outsider.id, approve=False)
    assert _notes(people, outsider) == ["Your request to join Safeguarding leads was declined"]
    assert people.db.scalars(select(GroupMembership)).all() == []
    assert membership.request_to_join(people.db, people.viewer(outsider), group.slug) is MembershipStatus.REQUESTED


def test_an_invitation_is_told_and_accepting_it_joins(people: People) -> None:
    group = _group(people)
    invitee = factories.officer(people.db, "LDS")
    facilitator = people.viewer(people.officer)
    membership.invite(people.db, facilitator, group.slug, invitee.email)
    membership.invite(people.db, facilitator, group.slug, invitee.email)  # again: nothing new
    assert _notes(people, invitee) == ["You are invited to the closed group Safeguarding leads"]
    with pytest.raises(NotFound):  # invited is not a member yet
        service.thread(people.db, people.viewer(invitee), "group", group.id)
    assert membership.request_to_join(people.db, people.viewer(invitee), group.slug) is MembershipStatus.MEMBER
    assert service.thread(people.db, people.viewer(invitee), "group", group.id).can_post


def test_only_facilitators_invite_and_decide_and_only_officers_are_invited(people: People) -> None:
    group = _group(people)
    member = factories.officer(people.db, "LDS")
    membership.invite(people.db, people.viewer(people.officer), group.slug, member.email)
    membership.request_to_join(people.db, people.viewer(member), group.slug)
    asker = factories.officer(people.db, "PEN")
    membership.request_to_join(people.db, people.viewer(asker), group.slug)
    for not_facilitator in (member, asker):
        with pytest.raises(NotFound):
            membership.invite(people.db, people.viewer(not_facilitator), group.slug, asker.email)
        with pytest.raises(NotFound):
            membership.decide(people.db, people.viewer(not_facilitator), group.slug, asker.id, approve=True)
    for wrong in (people.founder.email, "nobody@example.com"):
        with pytest.raises(Invalid):
            membership.invite(people.db, people.viewer(people.officer), group.slug, wrong)
    with pytest.raises(Conflict):
        membership.request_to_join(people.db, people.viewer(people.officer), group.slug)
    # Inviting someone who asked admits them.
    membership.invite(people.db, people.viewer(people.officer), group.slug, asker.email)
    assert membership.membership(people.db, group.id, asker.id).status is MembershipStatus.MEMBER  # type: ignore[union-attr]
    # The administrator reads every group without joining it.
    assert service.thread(people.db, people.viewer(people.admin), "group", group.id) is not None


def test_non_members_see_the_name_and_a_button_and_404_on_every_content_route(people: People, client: Client) -> None:
    group = _group(people)
    post = service.ask(people.db, people.viewer(people.officer), "group", group.id, "Our referral backlog, privately")
    outsider = factories.officer(people.db, "PEN")
    _sign_in(client, outsider)

    page = client.get(f"/groups/{group.slug}")
    assert page.status_code == 200 and "Safeguarding leads" in page.text and "Request to join" in page.text
    assert "Our referral backlog" not in page.text
    assert "Safeguarding leads" in client.get("/groups").text
    assert client.get(f"/conversations/group/{group.id}").status_code == 404
    assert client.post(f"/conversations/group/{group.id}/posts", {"body": "Let me in"}).status_code == 404
    assert client.post(f"/conversations/posts/{post.id}/replies", {"body": "Me too"}).status_code == 404
    assert client.post(f"/conversations/posts/{post.id}/support").status_code == 404
    assert client.get(f"/moderation/report/post/{post.id}").status_code == 404
    assert client.post(f"/groups/{group.slug}/invitations", {"invite_email": outsider.email}).status_code == 404
    decision = client.post(f"/groups/{group.slug}/requests/{outsider.id}", {"decision": "approve"})
    assert decision.status_code == 404

    assert "Request sent" not in client.get("/groups").text
    asked = client.post(f"/groups/{group.slug}/join")
    assert "Request sent" in client.get("/groups").text
    assert asked.status_code == 303 and asked.headers["location"] == f"/groups/{group.slug}#membership"
    waiting = client.get(f"/groups/{group.slug}")
    assert "waiting for a facilitator" in waiting.text and "Our referral backlog" not in waiting.text

    _sign_in(client, people.officer)
    shown = client.get(f"/groups/{group.slug}")
    assert outsider.email in shown.text and "Requests to join" in shown.text
    bad = client.post(f"/groups/{group.slug}/requests/{outsider.id}", {"decision": "maybe"})
    assert bad.status_code == 422 and membership.membership(people.db, group.id, outsider.id) is not None
    approved = client.request(
        "POST",
        f"/groups/{group.slug}/requests/{outsider.id}",
        data={"decision": "approve"},
        headers={"HX-Request": "true", "X-CSRF-Token": client.csrf_token()},
    )
    assert (
        approved.status_code == 200 and "data-announce=" in approved.text and "data-focus-after-swap" in approved.text
    )
    assert "No one is waiting to join." in approved.text and "<html" not in approved.text
    assert approved.text.lstrip().startswith('<div id="members"') and outsider.name in approved.text

    _sign_in(client, outsider)
    assert "Our referral backlog" in client.get(f"/groups/{group.slug}").text
    assert client.get(f"/conversations/group/{group.id}").status_code == 200


def test_joining_with_htmx_swaps_the_button_in_place(people: People, client: Client) -> None:
    group = _group(people)
    _sign_in(client, factories.officer(people.db, "PEN"))
    response = client.request(
        "POST",
        f"/groups/{group.slug}/join",
        headers={"HX-Request": "true", "X-CSRF-Token": client.csrf_token()},
    )
    assert response.status_code == 200 and response.text.lstrip().startswith('<div id="membership"')
    assert 'data-announce="Your request to join is sent.' in response.text and "data-focus-after-swap" in response.text


def test_an_invitation_with_a_bad_address_shows_the_error_and_changes_nothing(people: People, client: Client) -> None:
    group = _group(people)
    _sign_in(client, people.officer)
    response = client.post(f"/groups/{group.slug}/invitations", {"invite_email": people.founder.email})
    assert response.status_code == 422 and "govuk-error-summary" in response.text
    assert 'href="#invite_email"' in response.text and "verified council or public-body member" in response.text
    assert people.db.scalars(select(GroupMembership)).all() == []
