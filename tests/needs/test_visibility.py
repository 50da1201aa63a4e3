"""Who may see a need: anything private answers 404 (never 403) to those who may not see it."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy.orm import Session

from exchange.accounts.models import User
from exchange.needs.models import Need, Visibility
from exchange.organisations.models import Organisation
from tests import factories
from tests.client import Client


@dataclass
class People:
    council: Organisation
    member: User
    other_officer: User
    unverified_officer: User
    supplier: User


@pytest.fixture
def people(db: Session) -> People:
    member = factories.officer(db, "BUN")
    other_officer = factories.officer(db, "MAN")
    unverified = factories.user(db, "new-starter@manchester.example.gov.uk", verified=False)
    factories.council(db, "MAN", "manchester.example.gov.uk")
    supplier = factories.user(db)
    factories.supplier(db, supplier)
    return People(factories.council(db, "BUN"), member, other_officer, unverified, supplier)


def make_need(db: Session, people: People, visibility: Visibility) -> Need:
    return factories.need(db, people.member, people.council, visibility=visibility, title=f"A {visibility} need")


def status_for(client: Client, person: User | None, need: Need) -> tuple[int, int]:
    if person is not None:
        client.sign_in(person.email, factories.PASSWORD)
    return client.get(f"/needs/{need.id}").status_code, client.get(f"/api/v1/needs/{need.id}").status_code


def test_an_organisation_only_need_is_404_to_everyone_but_its_members(
    client: Client, db: Session, people: People
) -> None:
    need = make_need(db, people, Visibility.ORGANISATION)

    for person in (None, people.supplier, people.other_officer):
        with_fresh_session(client)
        assert status_for(client, person, need) == (404, 404), person
    with_fresh_session(client)
    assert status_for(client, people.member, need) == (200, 200)


def test_a_public_sector_need_is_404_to_anonymous_and_suppliers_and_open_to_verified_officers(
    client: Client, db: Session, people: People
) -> None:
    need = make_need(db, people, Visibility.PUBLIC_SECTOR)

    for person in (None, people.supplier, people.unverified_officer):
        with_fresh_session(client)
        assert status_for(client, person, need) == (404, 404), person
    for person in (people.other_officer, people.member):
        with_fresh_session(client)
        assert status_for(client, person, need) == (200, 200), person


def test_a_public_need_is_open_to_everyone(client: Client, db: Session, people: People) -> None:
    need = make_need(db, people, Visibility.PUBLIC)

    assert status_for(client, None, need) == (200, 200)


def test_the_404_for_a_private_need_looks_like_any_missing_page(client: Client, db: Session, people: People) -> None:
    need = make_need(db, people, Visibility.ORGANISATION)

    hidden = client.get(f"/needs/{need.id}")
    missing = client.get("/needs/999999")
    api_hidden = client.get(f"/api/v1/needs/{need.id}")

    assert hidden.status_code == missing.status_code == 404
    assert need.title not in hidden.text
    assert api_hidden.json() == client.get("/api/v1/needs/999999").json()


def test_an_officer_of_another_council_cannot_edit_or_move_a_need(client: Client, db: Session, people: People) -> None:
    need = make_need(db, people, Visibility.PUBLIC)
    client.sign_in(people.other_officer.email, factories.PASSWORD)

    responses = [
        client.get(f"/needs/{need.id}/edit"),
        client.post(f"/needs/{need.id}/edit", {"title": "Taken over"}),
        client.post(f"/needs/{need.id}/stage", {"stage": "cancelled"}),
        client.api("POST", f"/api/v1/needs/{need.id}/stage", {"stage": "cancelled"}),
    ]

    assert [r.status_code for r in responses] == [404, 404, 404, 404]
    db.refresh(need)
    assert need.stage.value == "idea"


def test_private_needs_are_left_off_the_council_page_for_outsiders(
    client: Client, other_client: Client, db: Session, people: People
) -> None:
    public = make_need(db, people, Visibility.PUBLIC)
    private = make_need(db, people, Visibility.ORGANISATION)
    sector = make_need(db, people, Visibility.PUBLIC_SECTOR)
    client.sign_in(people.member.email, factories.PASSWORD)
    other_client.sign_in(people.other_officer.email, factories.PASSWORD)

    page = f"/organisations/{people.council.slug}"
    outsider = other_client.get(page).text
    member = client.get(page).text

    assert public.title in outsider and sector.title in outsider and private.title not in outsider
    assert all(need.title in member for need in (public, private, sector))


def with_fresh_session(client: Client) -> None:
    assert client.http is not None
    client.http.cookies.clear()
