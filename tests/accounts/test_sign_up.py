"""Signing up: what is written, the verification link, and no account enumeration through the answers."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from exchange.accounts.models import Member, MemberRole, MemberStatus, User
from exchange.audit.models import AuditEvent
from exchange.organisations.models import Organisation
from exchange.outbox.models import OutboxMessage
from tests import factories
from tests.client import Client

PASSWORD = "a long enough password"


def supplier_form(email: str, **fields: str) -> dict[str, str]:
    return {
        "name": "Sam Supplier",
        "email": email,
        "password": PASSWORD,
        "account_kind": "supplier",
        "organisation_name": "Civic Widgets Ltd",
        "organisation_kind": "supplier",
        **fields,
    }


def council_form(email: str) -> dict[str, str]:
    return {"name": "Olive Officer", "email": email, "password": PASSWORD, "account_kind": "council"}


def test_supplier_sign_up_creates_user_organisation_audit_and_verification_email(client: Client, db: Session) -> None:
    response = client.post("/account/sign-up", supplier_form("Sam@Widgets.example"))

    assert response.status_code == 200
    assert "Check your email" in response.text
    user = db.scalars(select(User).where(User.email == "sam@widgets.example")).one()
    assert user.name == "Sam Supplier" and user.email_verified_at is None
    assert user.password_hash != PASSWORD
    organisation = db.scalars(select(Organisation).where(Organisation.name == "Civic Widgets Ltd")).one()
    assert organisation.kind.value == "supplier" and organisation.verified is False
    member = db.scalars(select(Member).where(Member.user_id == user.id)).one()
    assert (member.organisation_id, member.role, member.status) == (
        organisation.id,
        MemberRole.ADMIN,
        MemberStatus.ACTIVE,
    )
    assert factories.audit_events(db, "user", user.id, "user.signed_up")
    assert factories.audit_events(db, "organisation", organisation.id, "organisation.created")
    [email] = factories.emails_to(db, "sam@widgets.example")
    assert email.subject == "Confirm your email address"
    assert "/account/verify-email/" in email.body_text


def test_the_verification_link_verifies_the_address_and_signs_in(
    client: Client, other_client: Client, db: Session
) -> None:
    client.post("/account/sign-up", supplier_form("link@widgets.example"))
    [email] = factories.emails_to(db, "link@widgets.example")

    response = other_client.get(factories.link_in(email, "/account/verify-email/"))

    assert response.status_code == 303 and response.headers["location"] == "/dashboard"
    user = db.scalars(select(User).where(User.email == "link@widgets.example")).one()
    db.refresh(user)
    assert user.email_verified_at is not None
    assert factories.audit_events(db, "user", user.id, "user.email_verified")
    dashboard = other_client.get("/dashboard")
    assert dashboard.status_code == 200
    assert "Hello, Sam Supplier" in dashboard.text
    assert "Confirm your email address" not in dashboard.text


def test_the_verification_link_signs_in_only_once(client: Client, other_client: Client, app: Any, db: Session) -> None:
    client.post("/account/sign-up", supplier_form("once@widgets.example"))
    [email] = factories.emails_to(db, "once@widgets.example")
    link = factories.link_in(email, "/account/verify-email/")
    assert other_client.get(link).headers["location"] == "/dashboard"

    with Client(app) as stranger:
        response = stranger.get(link)

        assert response.status_code == 303 and response.headers["location"] == "/account/sign-in"
        assert stranger.get("/dashboard").headers["location"].startswith("/account/sign-in")


def test_a_tampered_verification_link_is_refused(client: Client, db: Session) -> None:
    client.post("/account/sign-up", supplier_form("tamper@widgets.example"))
    [email] = factories.emails_to(db, "tamper@widgets.example")
    link = factories.link_in(email, "/account/verify-email/")

    response = client.get(link[:-3] + "xyz")

    assert response.status_code == 400
    user = db.scalars(select(User).where(User.email == "tamper@widgets.example")).one()
    assert user.email_verified_at is None
    assert client.get("/dashboard").status_code == 303


def test_sign_up_with_an_existing_email_answers_the_same_and_tells_the_owner(client: Client, db: Session) -> None:
    owner = factories.user(db, "taken@widgets.example")
    users, organisations = factories.count(db, User), factories.count(db, Organisation)

    response = client.post("/account/sign-up", supplier_form("TAKEN@widgets.example", organisation_name="Copycat Ltd"))

    assert response.status_code == 200
    assert "Check your email" in response.text
    assert "taken@widgets.example" in response.text
    assert (factories.count(db, User), factories.count(db, Organisation)) == (users, organisations)
    [email] = factories.emails_to(db, owner.email)
    assert email.subject == "Someone tried to create an account with your email address"
    assert "/account/verify-email/" not in email.body_text
    assert "/account/password-reset" in email.body_text


def test_council_sign_up_with_a_domain_on_no_allow_list_is_refused_and_writes_nothing(
    client: Client, db: Session
) -> None:
    before = [factories.count(db, model) for model in (User, Member, AuditEvent, OutboxMessage)]

    response = client.post("/account/sign-up", council_form("officer@not-a-council.example"))

    assert response.status_code == 422
    assert "govuk-error-summary" in response.text
    assert "Use your council email address" in response.text
    assert 'href="#email"' in response.text
    assert [factories.count(db, model) for model in (User, Member, AuditEvent, OutboxMessage)] == before


def test_a_refused_council_sign_up_does_not_reveal_whether_the_address_has_an_account(
    client: Client, db: Session
) -> None:
    factories.user(db, "someone@gmail.example")

    existing = client.post("/account/sign-up", council_form("someone@gmail.example"))
    unknown = client.post("/account/sign-up", council_form("nobody@gmail.example"))

    assert existing.status_code == unknown.status_code == 422
    assert "Use your council email address" in existing.text
    assert factories.emails_to(db, "someone@gmail.example") == []


def test_asking_to_join_an_unknown_organisation_does_not_reveal_whether_the_address_has_an_account(
    client: Client, db: Session
) -> None:
    factories.user(db, "member@widgets.example")
    form = {"join_organisation_slug": "no-such-organisation", "organisation_name": ""}

    existing = client.post("/account/sign-up", supplier_form("member@widgets.example", **form))
    unknown = client.post("/account/sign-up", supplier_form("new-member@widgets.example", **form))

    assert existing.status_code == unknown.status_code == 422
    assert "Enter the name of a supplier or group on the exchange" in existing.text
    assert "Enter the name of a supplier or group on the exchange" in unknown.text
    assert factories.count(db, User, User.email == "new-member@widgets.example") == 0


def test_a_council_officer_joins_the_council_only_after_verifying(client: Client, db: Session) -> None:
    council = factories.council(db, "BUN", "burnley.example.gov.uk")
    response = client.post("/account/sign-up", council_form("olive@burnley.example.gov.uk"))
    assert response.status_code == 200 and "Check your email" in response.text
    user = db.scalars(select(User).where(User.email == "olive@burnley.example.gov.uk")).one()
    assert factories.count(db, Member, Member.user_id == user.id) == 0

    client.sign_in(user.email, PASSWORD)
    assert "If you have not confirmed your email yet" in client.get("/needs/new").text
    assert "Post a need" not in client.get("/dashboard").text

    [email] = factories.emails_to(db, user.email)
    assert client.get(factories.link_in(email, "/account/verify-email/")).status_code == 303

    member = db.scalars(select(Member).where(Member.user_id == user.id)).one()
    assert member.organisation_id == council.id and member.status is MemberStatus.ACTIVE
    assert factories.audit_events(db, "organisation", council.id, "member.joined_by_domain")
    assert "Post a need" in client.get("/dashboard").text
    assert client.get("/needs/new").status_code == 200


def test_sign_up_with_bad_answers_shows_each_error_and_writes_nothing(client: Client, db: Session) -> None:
    users = factories.count(db, User)

    response = client.post(
        "/account/sign-up",
        {"name": "", "email": "not-an-email", "password": "short", "account_kind": "supplier"},
    )

    assert response.status_code == 422
    for field in ("name", "email", "password"):
        assert f'href="#{field}"' in response.text, field
    assert 'value="short"' not in response.text
    assert factories.count(db, User) == users


def test_a_malformed_email_address_gets_a_plain_message_and_nothing_is_written(client: Client, db: Session) -> None:
    users = factories.count(db, User)

    response = client.post("/account/sign-up", supplier_form("not-an-address"))

    assert response.status_code == 422
    assert "Enter an email address in the correct format, like name@example.com" in response.text
    assert "value is not a valid" not in response.text
    assert factories.count(db, User) == users


def test_a_name_close_to_an_organisations_offers_it_and_choosing_it_asks_to_join(client: Client, db: Session) -> None:
    founder = factories.user(db)
    civicvoice = factories.supplier(db, founder, name="CivicVoice Ltd")
    factories.supplier(db, factories.user(db), name="Civic Voice Consulting")
    form = supplier_form("joiner@widgets.example", organisation_name="", join_organisation_slug="civicvoice")

    refused = client.post("/account/sign-up", form)

    assert refused.status_code == 422
    assert "No supplier or group on the exchange is called “civicvoice”" in refused.text
    assert 'name="join_organisation_suggestion" type="radio" value="CivicVoice Ltd"' in refused.text
    assert 'value="Civic Voice Consulting"' in refused.text
    assert factories.count(db, User, User.email == "joiner@widgets.example") == 0

    chosen = client.post("/account/sign-up", {**form, "join_organisation_suggestion": "CivicVoice Ltd"})

    assert chosen.status_code == 200 and "Check your email" in chosen.text
    joiner = db.scalars(select(User).where(User.email == "joiner@widgets.example")).one()
    member = db.scalars(select(Member).where(Member.user_id == joiner.id)).one()
    assert (member.organisation_id, member.status) == (civicvoice.id, MemberStatus.PENDING)


def test_councils_are_never_suggested_and_nothing_close_asks_for_the_exact_name(client: Client, db: Session) -> None:
    council = factories.council(db, "BUN")
    form = supplier_form("joiner@widgets.example", organisation_name="", join_organisation_slug=council.name[:8])
    response = client.post("/account/sign-up", form)
    assert response.status_code == 422
    assert "join_organisation_suggestion" not in response.text
    assert "Enter the name of a supplier or group on the exchange, as its page shows it" in response.text


def test_names_close_to_what_is_typed_come_as_a_fragment_for_htmx_or_as_the_page(client: Client, db: Session) -> None:
    factories.supplier(db, factories.user(db), name="CivicVoice Ltd")
    factories.council(db, "BUN")

    fragment = client.get(
        "/account/organisation-suggestions?join_organisation_slug=civic", headers={"HX-Request": "true"}
    )
    page = client.get("/account/organisation-suggestions?join_organisation_slug=civic")
    nothing = client.get("/account/organisation-suggestions?join_organisation_slug=b", headers={"HX-Request": "true"})

    assert fragment.status_code == 200 and "<html" not in fragment.text
    assert 'value="CivicVoice Ltd"' in fragment.text and "1 organisation with a similar name" in fragment.text
    assert "Burnley" not in fragment.text
    assert page.status_code == 200 and '<h1 class="govuk-heading-l">Create an account</h1>' in page.text
    assert 'value="CivicVoice Ltd"' in page.text and "HX-Request" in fragment.headers["Vary"]
    assert "join_organisation_suggestion" not in nothing.text
