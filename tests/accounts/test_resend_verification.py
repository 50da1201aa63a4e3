"""Sending the confirmation link again: to an account still waiting for it, a few times an hour at most, with the
same answer whatever the address, so that nobody learns who has an account."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy.orm import Session

from exchange.accounts.service import VERIFY_EMAIL_LIMIT, VERIFY_EMAIL_SUBJECT, resend_verification_email
from exchange.core.database import Database
from exchange.core.settings import Settings
from exchange.outbox.models import OutboxMessage
from tests import conftest, factories
from tests.client import Client
from tests.conftest import drop_database, new_database_url, prepare_database, transaction_with_jobs

AT_ONCE = 8

NEUTRAL = "has an account waiting for its address to be confirmed, we have sent it a new link"


def main_content(html: str) -> str:
    """The page's own content (the rest carries a fresh CSP nonce each time)."""
    found = re.search(r"<main.*?</main>", html, re.DOTALL)
    assert found, html[:300]
    return found.group(0)


def confirmation_emails(db: Session, address: str) -> list[OutboxMessage]:
    return [email for email in factories.emails_to(db, address) if email.subject == VERIFY_EMAIL_SUBJECT]


def test_a_new_link_goes_to_an_unconfirmed_account_and_confirms_it(
    client: Client, other_client: Client, db: Session
) -> None:
    person = factories.user(db, "waiting@widgets.example", verified=False)

    response = client.post("/account/resend-verification", {"email": "Waiting@Widgets.example"})

    assert response.status_code == 200 and NEUTRAL in response.text
    [email] = confirmation_emails(db, person.email)
    assert other_client.get(factories.link_in(email, "/account/verify-email/")).status_code == 303
    db.refresh(person)
    assert person.email_verified_at is not None


def test_the_answer_is_the_same_for_unknown_confirmed_and_unconfirmed_addresses(client: Client, db: Session) -> None:
    factories.user(db, "confirmed@widgets.example")
    factories.user(db, "unconfirmed@widgets.example", verified=False)
    pages = []
    for address in ("nobody@widgets.example", "confirmed@widgets.example", "unconfirmed@widgets.example"):
        response = client.post("/account/resend-verification", {"email": address})
        assert response.status_code == 200
        pages.append(main_content(response.text).replace(address, "ADDRESS"))
    assert pages[0] == pages[1] == pages[2]
    assert factories.count(db, OutboxMessage) == 1  # only the account waiting for it


def test_past_the_limit_nothing_more_is_sent_and_the_answer_does_not_change(client: Client, db: Session) -> None:
    person = factories.user(db, "flood@widgets.example", verified=False)
    answers = {
        main_content(client.post("/account/resend-verification", {"email": person.email}).text) for _ in range(5)
    }
    assert len(answers) == 1
    assert len(confirmation_emails(db, person.email)) == VERIFY_EMAIL_LIMIT


@pytest.fixture
def committed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Database, Settings]]:
    """A database of its own: parallel transactions need committed rows, not the test's rolled-back one."""
    url = new_database_url(tmp_path_factory, "resend")
    engine = prepare_database(url)
    settings = conftest.test_settings(url)
    try:
        yield Database(engine, settings), settings
    finally:
        engine.dispose()
        drop_database(url)


def test_the_limit_holds_under_parallel_requests(committed: tuple[Database, Settings]) -> None:
    """Each request locks the account's row before counting (SQLite's write lock does the same), so parallel
    requests take turns and no more than the limit is ever sent."""
    database, settings = committed
    with transaction_with_jobs(database, settings) as db:
        address = factories.user(db, "parallel@widgets.example", verified=False).email
    start = threading.Barrier(AT_ONCE)

    def resend() -> bool:
        start.wait(timeout=20)
        with transaction_with_jobs(database, settings) as db:
            return resend_verification_email(db, address, settings)

    with ThreadPoolExecutor(max_workers=AT_ONCE) as pool:
        sent = list(pool.map(lambda _: resend(), range(AT_ONCE)))
    assert sent.count(True) == VERIFY_EMAIL_LIMIT
    with database.session(write=False) as db:
        assert len(confirmation_emails(db, address)) == VERIFY_EMAIL_LIMIT


def test_a_signed_in_account_resends_from_the_dashboard_and_is_told_the_limit(client: Client, db: Session) -> None:
    person = factories.user(db, "dashboard@widgets.example", verified=False)
    client.sign_in(person.email, factories.PASSWORD)
    for _ in range(VERIFY_EMAIL_LIMIT):
        response = client.post("/account/resend-verification")
        assert response.status_code == 303 and response.headers["location"] == "/dashboard"
        assert f"We have sent a new link to {person.email}" in client.get("/dashboard").text
    client.post("/account/resend-verification")
    assert "We have sent several links in the last hour" in client.get("/dashboard").text
    assert len(confirmation_emails(db, person.email)) == VERIFY_EMAIL_LIMIT


def test_a_bad_address_is_refused_plainly_and_the_form_needs_its_token(client: Client, db: Session) -> None:
    page = client.get("/account/resend-verification")
    assert page.status_code == 200 and "Send the confirmation link again" in page.text
    refused = client.post("/account/resend-verification", {"email": "not an address"})
    assert refused.status_code == 422 and "Enter an email address in the correct format" in refused.text
    person = factories.user(db, "token@widgets.example", verified=False)
    assert client.post("/account/resend-verification", {"email": person.email}, csrf=False).status_code == 403
    assert factories.count(db, OutboxMessage) == 0


def test_the_pages_that_need_it_link_to_the_form(client: Client) -> None:
    for path in ("/account/sign-in", "/account/verify-email/not-a-token"):
        assert 'href="/account/resend-verification"' in client.get(path).text, path
