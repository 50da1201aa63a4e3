"""Signed-in people for the benchmarks: supplier administrators and council officers made in the throwaway
database, and their browser sessions (cookie and CSRF token) taken by signing in through the real form."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import httpx
from sqlalchemy import func, select

from exchange.accounts.models import Member, MemberRole, User
from exchange.core.database import Database, make_engine
from exchange.core.models import utcnow
from exchange.core.security import hash_password
from exchange.core.settings import get_settings
from exchange.needs.models import Need
from exchange.organisations.models import Organisation, OrganisationKind

PASSWORD = "bench-person-password"
CSRF = re.compile(r'<meta name="csrf-token" content="([^"]+)">')
# Cheap password hashing for the run's own accounts (the server and this process share it): sign-in cost is
# not what the benchmarks measure. Development settings only; production refuses such parameters.
CHEAP_HASHING = {"EXCHANGE_PASSWORD_HASH_TIME_COST": "1", "EXCHANGE_PASSWORD_HASH_MEMORY_KIB": "8192"}


class SignInFailed(RuntimeError):
    pass


@dataclass(frozen=True)
class Person:
    email: str
    organisation_id: int


@dataclass(frozen=True)
class SignedIn:
    person: Person
    cookie: str  # the Cookie header a browser would send
    csrf_token: str

    def headers(self, writes: bool = False) -> dict[str, str]:
        headers = {"Cookie": self.cookie}
        if writes:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        return headers


def _add_people(database_url: str, organisation_ids: Iterable[int], role: str) -> list[Person]:
    settings = get_settings()
    engine = make_engine(database_url, settings)
    password_hash = hash_password(PASSWORD)
    people: list[Person] = []
    try:
        with Database(engine, settings).transaction() as db:
            for n, organisation_id in enumerate(organisation_ids):
                user = User(
                    email=f"{role}{n}@bench.example",
                    name=f"Bench {role} {n}",
                    password_hash=password_hash,
                    email_verified_at=utcnow(),
                )
                db.add(user)
                db.flush()
                db.add(Member(user_id=user.id, organisation_id=organisation_id, role=MemberRole.ADMIN))
                people.append(Person(user.email, organisation_id))
    finally:
        engine.dispose()
    return people


def make_suppliers(database_url: str, count: int) -> list[Person]:
    """A new, verified supplier organisation per person, each person its administrator."""
    settings = get_settings()
    engine = make_engine(database_url, settings)
    try:
        with Database(engine, settings).transaction() as db:
            organisations = [
                Organisation(
                    kind=OrganisationKind.SUPPLIER,
                    name=f"Bench Supplier {n} Ltd",
                    slug=f"bench-supplier-{n}",
                    verified=True,
                )
                for n in range(count)
            ]
            db.add_all(organisations)
            db.flush()
            ids = [organisation.id for organisation in organisations]
    finally:
        engine.dispose()
    return _add_people(database_url, ids, "supplier")


def make_council_officers(database_url: str, count: int) -> list[Person]:
    """An officer for each of the ``count`` councils with the most needs (their pages are what officers read)."""
    settings = get_settings()
    engine = make_engine(database_url, settings)
    try:
        with Database(engine, settings).session(write=False) as db:
            busiest = select(Need.organisation_id).group_by(Need.organisation_id)
            ids = list(db.scalars(busiest.order_by(func.count().desc(), Need.organisation_id).limit(count)))
    finally:
        engine.dispose()
    return _add_people(database_url, ids, "officer")


def sign_in(base_url: str, person: Person) -> SignedIn:
    """Sign in through the form, as a browser does; the dashboard's page gives the session's CSRF token."""
    with httpx.Client(base_url=base_url, timeout=60) as client:
        page = client.get("/account/sign-in")
        token = CSRF.search(page.text)
        if not token:
            raise SignInFailed("the sign-in page carries no CSRF token")
        answer = client.post(
            "/account/sign-in", data={"email": person.email, "password": PASSWORD, "csrf_token": token.group(1)}
        )
        if answer.status_code != 303:
            raise SignInFailed(f"{person.email} could not sign in: {answer.status_code}")
        dashboard = client.get("/dashboard")
        fresh = CSRF.search(dashboard.text)
        if dashboard.status_code != 200 or not fresh:
            raise SignInFailed(f"{person.email}'s dashboard answered {dashboard.status_code}")
        cookie = "; ".join(f"{name}={value}" for name, value in client.cookies.items())
        return SignedIn(person, cookie, fresh.group(1))
