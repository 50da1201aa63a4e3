"""The contact form and the council-domain request: kept, sent to every administrator, read in the admin area."""

from __future__ import annotations

from email.header import decode_header, make_header

from fastapi import FastAPI
from sqlalchemy.orm import Session

from exchange.core.settings import Settings
from exchange.core.viewer import ANONYMOUS
from exchange.feedback import service
from exchange.feedback.models import ContactMessage, MessageKind
from exchange.feedback.schemas import FeedbackForm
from exchange.feedback.service import EMAILED_PER_HOUR
from exchange.outbox.models import OutboxMessage
from tests import conftest, factories
from tests.client import Client
from tests.conftest import Inbox


def sign_in(client: Client, person: object) -> None:
    client.sign_in(person.email, factories.PASSWORD)  # type: ignore[attr-defined]


def test_feedback_is_kept_and_reaches_every_administrator_by_smtp(
    client: Client, app: FastAPI, db: Session, database_url: str, inbox: tuple[Inbox, int]
) -> None:
    handler, port = inbox
    app.state.settings = conftest.test_settings(database_url, smtp_url=f"smtp://127.0.0.1:{port}")
    first, second = factories.admin(db), factories.admin(db)
    factories.user(db, "suspended-admin@exchange.example", admin=True).suspended_at = first.created_at
    db.flush()

    response = client.post(
        "/contact",
        {"message": "The search page is slow on my phone.", "name": "Pat Visitor", "email": "Pat@Example.org"},
    )

    assert response.status_code == 303 and response.headers["location"] == "/contact/sent"
    assert "reached the people who run the exchange" in client.get("/contact/sent").text
    [message] = db.query(ContactMessage).all()
    assert (message.kind, message.name, message.email, message.user_id) == (
        MessageKind.FEEDBACK,
        "Pat Visitor",
        "pat@example.org",
        None,
    )
    delivered = {m["To"]: m for m in handler.messages}
    assert set(delivered) == {first.email, second.email}
    body = delivered[first.email].get_payload(decode=True).decode()  # type: ignore[union-attr]
    assert str(make_header(decode_header(delivered[first.email]["Subject"]))) == "New feedback on the exchange"
    assert "The search page is slow on my phone." in body and "pat@example.org" in body
    assert "http://testserver/admin/messages" in body


def test_feedback_from_someone_signed_in_is_linked_to_them_and_needs_no_address(client: Client, db: Session) -> None:
    person = factories.user(db, name="Sam Signed-In")
    sign_in(client, person)
    form = client.get("/contact").text
    assert 'value="Sam Signed-In"' in form and f'value="{person.email}"' in form

    assert client.post("/contact", {"message": "Please add a dark mode."}).status_code == 303

    [message] = db.query(ContactMessage).all()
    assert message.user_id == person.id and message.email == ""


def test_bad_feedback_is_refused_with_a_clear_message_and_changes_nothing(client: Client, db: Session) -> None:
    factories.admin(db)
    for form, field_message in (
        ({"message": "   "}, "Enter your message"),
        ({"message": "x" * 5001}, "Your message must be 5000 characters or fewer"),
        ({"message": "Hello", "email": "not-an-address"}, "Enter an email address in the correct format"),
        ({"message": "Hello\x00"}, "Remove the control characters"),
    ):
        response = client.post("/contact", form)
        assert response.status_code == 422, form
        assert "There is a problem" in response.text and field_message in response.text, form
    assert client.post("/contact", {"message": "Hello"}, csrf=False).status_code == 403
    assert factories.count(db, ContactMessage) == 0
    assert factories.count(db, OutboxMessage) == 0


def test_an_officer_asks_for_their_councils_domain(client: Client, db: Session) -> None:
    admin = factories.admin(db)

    response = client.post(
        "/contact/council-domain",
        {
            "name": "Olive Officer",
            "email": "Olive@Newtown.gov.uk",
            "council_name": "Newtown Borough Council",
            "message": "We also use newtown-council.gov.uk.",
        },
    )

    assert response.status_code == 303
    assert "@newtown.gov.uk belongs to Newtown Borough Council" in client.get("/contact/sent").text
    [message] = db.query(ContactMessage).all()
    assert (message.kind, message.email_domain, message.council_name) == (
        MessageKind.COUNCIL_DOMAIN,
        "newtown.gov.uk",
        "Newtown Borough Council",
    )
    [email] = factories.emails_to(db, admin.email)
    assert email.subject == "Request to add the email domain newtown.gov.uk"
    assert "Olive Officer (olive@newtown.gov.uk)" in email.body_text


def test_a_domain_request_is_refused_for_a_domain_already_listed_or_without_answers(
    client: Client, db: Session
) -> None:
    factories.admin(db)
    council = factories.council(db)
    listed = {"name": "Olive", "email": f"olive@{council.slug}.example.gov.uk", "council_name": council.name}

    response = client.post("/contact/council-domain", listed)
    assert response.status_code == 422
    assert "can already join their council" in response.text

    response = client.post("/contact/council-domain", {})
    assert response.status_code == 422
    for message in ("Enter your name", "Enter your council email address", "Enter your council&#39;s name"):
        assert message in response.text
    assert factories.count(db, ContactMessage) == 0
    assert factories.count(db, OutboxMessage) == 0


def test_only_administrators_read_the_messages(client: Client, other_client: Client, db: Session) -> None:
    client.post("/contact", {"message": "Private thoughts about <b>the exchange</b>", "email": "me@example.org"})
    sign_in(other_client, factories.user(db))
    assert other_client.get("/admin/messages").status_code == 404
    assert client.get("/admin/messages").status_code in (401, 303, 404)

    sign_in(other_client, factories.admin(db))
    page = other_client.get("/admin/messages")
    assert page.status_code == 200
    assert "Private thoughts about &lt;b&gt;the exchange&lt;/b&gt;" in page.text
    assert "me@example.org" in page.text
    assert 'href="/admin/messages"' in other_client.get("/admin").text


def test_an_officer_whose_domain_is_unknown_is_offered_the_request_form(client: Client) -> None:
    response = client.post(
        "/account/sign-up",
        {
            "name": "Olive",
            "email": "olive@unlisted.gov.uk",
            "password": "a long enough password",
            "account_kind": "council",
        },
    )
    assert response.status_code == 422
    assert 'href="/contact/council-domain"' in response.text
    assert "ask us" not in response.text


def test_past_the_hourly_number_messages_are_kept_but_no_longer_emailed(db: Session, settings: Settings) -> None:
    admin = factories.admin(db)
    # From many people (one address may send only a few): straight to the service.
    for n in range(EMAILED_PER_HOUR + 3):
        form = FeedbackForm(message=f"Message number {n}", name=f"Person {n}", email=f"person{n}@example.org")
        service.leave_feedback(db, ANONYMOUS, form, settings)
    assert factories.count(db, ContactMessage) == EMAILED_PER_HOUR + 3
    assert len(factories.emails_to(db, admin.email)) == EMAILED_PER_HOUR


def test_one_address_sends_a_few_messages_an_hour_then_is_told_to_wait(client: Client, db: Session) -> None:
    allowed = service.MESSAGES_PER_ADDRESS.allowed
    for n in range(allowed):
        assert client.post("/contact", {"message": f"Message number {n}", "name": "Pat", "email": "pat@example.org"})

    response = client.post("/contact", {"message": "One too many", "name": "Pat", "email": "pat@example.org"})
    domain = client.post(
        "/contact/council-domain", {"name": "Pat", "email": "pat@burnley-council.gov.uk", "council_name": "Burnley"}
    )

    assert response.status_code == domain.status_code == 429
    assert "Try again later" in response.text
    assert factories.count(db, ContactMessage) == allowed


def test_whoever_asked_is_told_once_an_administrator_adds_the_domain(
    client: Client, other_client: Client, db: Session
) -> None:
    admin = factories.admin(db)
    council = factories.council(db, "BUN")
    request = {"name": "Olive Officer", "email": "olive@burnley-council.gov.uk", "council_name": council.name}
    client.post("/contact/council-domain", request)
    client.post("/contact/council-domain", {**request, "message": "Asking twice, to be sure."})
    other_client.sign_in(admin.email, factories.PASSWORD)
    assert "Not added yet" in other_client.get("/admin/messages").text

    added = other_client.post(
        "/admin/council-domains", {"organisation_slug": council.slug, "domain": "burnley-council.gov.uk"}
    )

    assert added.status_code == 303
    [email] = factories.emails_to(db, "olive@burnley-council.gov.uk")
    assert email.subject == f"You can now join {council.name} on the exchange"
    assert "http://testserver/account/sign-up?as=council" in email.body_text
    assert all(message.domain_added_at is not None for message in db.query(ContactMessage).all())
    assert "Not added yet" not in other_client.get("/admin/messages").text
