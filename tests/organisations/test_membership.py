"""Joining a supplier organisation: a pending request gives no rights until an administrator approves it."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from exchange.accounts.models import Member, MemberStatus, User
from exchange.listings.models import Pitch
from exchange.organisations.models import Organisation
from tests import factories
from tests.client import Client

PITCH = {"title": "Pitch from a newcomer", "summary": "A summary long enough to pass."}


@dataclass
class Team:
    admin: User
    colleague: User
    applicant: User
    organisation: Organisation
    request: Member


@pytest.fixture
def team(db: Session) -> Team:
    admin, colleague, applicant = factories.user(db), factories.user(db), factories.user(db)
    organisation = factories.supplier(db, admin, colleague, name="Capybara Labs Ltd")
    request = factories.pending_member(db, applicant, organisation)
    return Team(admin, colleague, applicant, organisation, request)


@pytest.mark.parametrize("typed", ["slug", "capybara labs ltd", "  Capybara   Labs Ltd "])
def test_signing_up_to_join_an_organisation_leaves_a_pending_request(client: Client, db: Session, typed: str) -> None:
    organisation = factories.supplier(db, factories.user(db), name="Capybara Labs Ltd")
    typed = organisation.slug if typed == "slug" else typed

    response = client.post(
        "/account/sign-up",
        {
            "name": "Nina Newcomer",
            "email": "nina@capybara.example",
            "password": "a long enough password",
            "account_kind": "supplier",
            "join_organisation_slug": typed,
        },
    )

    assert response.status_code == 200
    user = db.scalars(select(User).where(User.email == "nina@capybara.example")).one()
    member = db.scalars(select(Member).where(Member.user_id == user.id)).one()
    assert (member.organisation_id, member.status) == (organisation.id, MemberStatus.PENDING)
    assert factories.audit_events(db, "organisation", organisation.id, "member.requested")


def test_a_pending_request_gives_no_rights(client: Client, db: Session, team: Team) -> None:
    client.sign_in(team.applicant.email, factories.PASSWORD)
    pitches = factories.count(db, Pitch)

    new_form = client.get("/pitches/new")
    created = client.api("POST", "/api/v1/pitches", {**PITCH, "organisation_id": team.organisation.id})
    edit = client.get(f"/organisations/{team.organisation.slug}/edit")
    dashboard = client.get("/dashboard")

    assert "you are not an active member of one yet" in new_form.text
    assert created.status_code == 422 and "organisation_id" in created.json()["errors"]
    assert edit.status_code == 404
    assert "(waiting for approval)" in dashboard.text
    assert factories.count(db, Pitch) == pitches


def test_the_admin_sees_the_request_and_approves_it_from_the_dashboard(
    client: Client, other_client: Client, db: Session, team: Team
) -> None:
    client.sign_in(team.admin.email, factories.PASSWORD)
    dashboard = client.get("/dashboard").text
    assert f'action="/organisations/members/{team.request.id}/decision"' in dashboard
    assert "wants to join Capybara Labs Ltd" in dashboard

    response = client.post(f"/organisations/members/{team.request.id}/decision", {"decision": "approve"})

    assert response.status_code == 303 and response.headers["location"] == "/dashboard"
    db.refresh(team.request)
    assert team.request.status is MemberStatus.ACTIVE
    assert factories.audit_events(db, "organisation", team.organisation.id, "member.approved")
    other_client.sign_in(team.applicant.email, factories.PASSWORD)
    created = other_client.api("POST", "/api/v1/pitches", {**PITCH, "organisation_id": team.organisation.id})
    assert created.status_code == 201


def test_the_admin_can_decline_a_request(client: Client, db: Session, team: Team) -> None:
    client.sign_in(team.admin.email, factories.PASSWORD)

    response = client.post(f"/organisations/members/{team.request.id}/decision", {"decision": "decline"})

    assert response.status_code == 303
    assert factories.count(db, Member, Member.user_id == team.applicant.id) == 0
    assert factories.audit_events(db, "organisation", team.organisation.id, "member.declined")


def test_a_request_cannot_be_answered_twice(client: Client, db: Session, team: Team) -> None:
    client.sign_in(team.admin.email, factories.PASSWORD)
    client.post(f"/organisations/members/{team.request.id}/decision", {"decision": "approve"})

    again = client.post(f"/organisations/members/{team.request.id}/decision", {"decision": "decline"})

    assert again.status_code == 409
    db.refresh(team.request)
    assert team.request.status is MemberStatus.ACTIVE


@pytest.mark.parametrize("who", ["colleague", "applicant", "outsider", "other_admin"])
def test_only_an_admin_of_that_organisation_can_answer(client: Client, db: Session, team: Team, who: str) -> None:
    person = {"colleague": team.colleague, "applicant": team.applicant}.get(who) or factories.user(db)
    if who == "other_admin":
        factories.supplier(db, person)
    client.sign_in(person.email, factories.PASSWORD)

    approve = client.post(f"/organisations/members/{team.request.id}/decision", {"decision": "approve"})
    decline = client.post(f"/organisations/members/{team.request.id}/decision", {"decision": "decline"})

    assert approve.status_code == decline.status_code == 404
    db.refresh(team.request)
    assert team.request.status is MemberStatus.PENDING
    assert f"/organisations/members/{team.request.id}/decision" not in client.get("/dashboard").text


def test_an_unknown_decision_changes_nothing(client: Client, db: Session, team: Team) -> None:
    client.sign_in(team.admin.email, factories.PASSWORD)

    response = client.post(f"/organisations/members/{team.request.id}/decision", {"decision": "maybe"})

    assert response.status_code == 422
    db.refresh(team.request)
    assert team.request.status is MemberStatus.PENDING


def test_only_the_admin_can_edit_the_organisation(
    client: Client, other_client: Client, db: Session, team: Team
) -> None:
    other_client.sign_in(team.colleague.email, factories.PASSWORD)
    client.sign_in(team.admin.email, factories.PASSWORD)
    region = factories.regions(db, 1)[0]

    refused = other_client.post(f"/organisations/{team.organisation.slug}/edit", {"name": "Taken Over Ltd"})
    bad = client.post(f"/organisations/{team.organisation.slug}/edit", {"name": "X", "website": "not a url"})
    saved = client.post(
        f"/organisations/{team.organisation.slug}/edit",
        {"name": "Capybara Labs CIC", "website": "https://capybara.example", "region_id": str(region.id)},
    )

    assert refused.status_code == 404
    assert bad.status_code == 422 and 'href="#name"' in bad.text and 'href="#website"' in bad.text
    assert saved.status_code == 303
    db.refresh(team.organisation)
    assert (team.organisation.name, team.organisation.region_id) == ("Capybara Labs CIC", region.id)
    assert team.organisation.website == "https://capybara.example/"
    assert len(factories.audit_events(db, "organisation", team.organisation.id, "organisation.updated")) == 1
