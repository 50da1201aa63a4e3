"""Queued email goes out through a real SMTP server (aiosmtpd on loopback) by a job after the commit, each
message at most once, and a message that cannot be sent never holds up the others."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from exchange.core.database import Database
from exchange.core.models import utcnow
from exchange.core.queue import JobContext, use_context
from exchange.core.settings import Settings
from exchange.outbox import service
from exchange.outbox.mail import MailServerUnavailable
from exchange.outbox.models import OutboxMessage
from exchange.outbox.service import deliver_pending, queue_email
from tests.client import Client
from tests.conftest import Inbox, RefusingInbox, free_port


def smtp_settings(port: int) -> Settings:
    return Settings(env="test", smtp_url=f"smtp://127.0.0.1:{port}", secret_key="x" * 40)


@pytest.fixture
def jobs_send_to(database: Database) -> Iterator[object]:
    """Point the jobs that run at commit at an SMTP server of the test's choosing."""
    tokens = []

    def point(port: int) -> None:
        tokens.append(use_context(JobContext(database, smtp_settings(port))))

    yield point
    for token in reversed(tokens):
        token.var.reset(token)


def stored(db: Session) -> list[OutboxMessage]:
    db.expire_all()
    return list(db.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def test_a_committed_email_is_sent_once_by_the_job(db: Session, inbox: tuple[Inbox, int], jobs_send_to) -> None:  # type: ignore[no-untyped-def]
    handler, port = inbox
    jobs_send_to(port)
    queue_email(db, "officer@burnley.example.gov.uk", "Hello", "A plain-text body.")
    db.commit()

    assert len(handler.messages) == 1
    message = handler.messages[0]
    assert message["To"] == "officer@burnley.example.gov.uk"
    assert message["Subject"] == "Hello"
    assert message.get_content_type() == "text/plain"
    assert "A plain-text body." in message.get_payload()
    [row] = stored(db)
    assert row.sent_at is not None and row.attempts == 1 and row.claimed_at is not None


def test_nothing_is_sent_for_a_transaction_that_rolls_back(db: Session, inbox: tuple[Inbox, int], jobs_send_to) -> None:  # type: ignore[no-untyped-def]
    handler, port = inbox
    jobs_send_to(port)
    queue_email(db, "someone@example.org", "Never", "Body")
    db.rollback()
    assert handler.messages == []
    assert stored(db) == []


def test_a_line_break_in_a_title_never_stops_email(db: Session, database: Database, inbox: tuple[Inbox, int]) -> None:
    handler, port = inbox
    # As a title or an organisation name typed with line breaks would make them, and as older rows hold them.
    queue_email(db, "first@example.org", "New need: Street lighting\r\nBcc: everyone@example.org", "Body one")
    db.add(OutboxMessage(to_address="second@example.org", subject="Raw\r\nsubject\x1b[31m", body_text="Body two"))
    queue_email(db, "third@example.org", "A plain subject", "Body three")
    db.flush()

    assert deliver_pending(database, smtp_settings(port)) == 3

    assert [m["To"] for m in handler.messages] == ["first@example.org", "second@example.org", "third@example.org"]
    assert handler.messages[0]["Subject"] == "New need: Street lighting Bcc: everyone@example.org"
    assert handler.messages[0]["Bcc"] is None
    assert handler.messages[1]["Subject"] == "Raw subject [31m"
    assert all(m.sent_at is not None for m in stored(db))


def test_a_refused_message_waits_and_is_set_aside_while_the_others_go(
    db: Session, database: Database, refusing_inbox: tuple[RefusingInbox, int]
) -> None:
    handler, port = refusing_inbox
    settings = smtp_settings(port)
    queue_email(db, "refused@example.org", "Poison", "Body")
    for n in range(3):
        queue_email(db, f"person{n}@example.org", f"Message {n}", "Body")
    db.flush()

    assert deliver_pending(database, settings) == 3
    poison = stored(db)[0]
    assert poison.sent_at is None and poison.attempts == 1 and poison.failed_at is None
    assert poison.next_attempt_at is not None and poison.next_attempt_at > utcnow()
    assert "550" in (poison.last_error or "")

    # Waiting out each delay, it is tried until the last attempt, then set aside for an administrator.
    for attempt in range(2, settings.email_attempts + 1):
        db.execute(update(OutboxMessage).where(OutboxMessage.id == poison.id).values(next_attempt_at=None))
        db.flush()
        assert deliver_pending(database, settings) == 0
        assert stored(db)[0].attempts == attempt
    poison = stored(db)[0]
    assert poison.failed_at is not None
    assert service.set_aside(db) == [poison]
    assert len(handler.messages) == 3

    # An administrator sends it again: here the server takes it, since the address is fixed by hand.
    poison.to_address = "fixed@example.org"
    assert service.retry(db, poison.id)
    db.flush()
    assert deliver_pending(database, settings) == 1
    assert handler.messages[-1]["To"] == "fixed@example.org"


def test_an_unreachable_server_fails_the_batch_without_counting_against_the_message(
    db: Session, database: Database
) -> None:
    queue_email(db, "someone@example.org", "Retry me", "Body")
    db.flush()

    with pytest.raises(MailServerUnavailable):
        deliver_pending(database, smtp_settings(free_port()))

    [row] = stored(db)
    assert row.sent_at is None and row.claimed_at is None and row.failed_at is None
    assert row.attempts == 0
    assert "cannot reach the SMTP server" in (row.last_error or "")


def test_a_message_claimed_by_a_worker_that_died_is_set_aside_never_sent_twice(
    db: Session, database: Database, inbox: tuple[Inbox, int]
) -> None:
    handler, port = inbox
    queue_email(db, "someone@example.org", "Claimed then lost", "Body")
    db.flush()
    db.execute(update(OutboxMessage).values(claimed_at=utcnow() - timedelta(minutes=11)))

    assert deliver_pending(database, smtp_settings(port)) == 0
    assert service.set_aside_interrupted(db) == 1
    [row] = stored(db)
    assert row.failed_at is not None and "may or may not have been sent" in (row.last_error or "")
    assert handler.messages == []


def test_sign_up_email_arrives_after_the_request_commits(client: Client, app: object, inbox: tuple[Inbox, int]) -> None:
    handler, port = inbox
    app.state.settings = app.state.settings.model_copy(update={"smtp_url": f"smtp://127.0.0.1:{port}"})  # type: ignore[attr-defined]
    response = client.post(
        "/account/sign-up",
        {
            "name": "Jo Supplier",
            "email": "jo@newsupplier.example",
            "password": "a long enough password",
            "account_kind": "supplier",
            "organisation_name": "New Supplier Ltd",
            "organisation_kind": "supplier",
        },
    )
    assert response.status_code == 200
    assert "Check your email" in response.text
    assert [m["To"] for m in handler.messages] == ["jo@newsupplier.example"]
    assert "/account/verify-email/" in handler.messages[0].get_payload()


def test_refused_sign_up_sends_nothing(client: Client, app: object, inbox: tuple[Inbox, int]) -> None:
    handler, port = inbox
    app.state.settings = app.state.settings.model_copy(update={"smtp_url": f"smtp://127.0.0.1:{port}"})  # type: ignore[attr-defined]
    response = client.post(
        "/account/sign-up",
        {
            "name": "Jo",
            "email": "jo@newsupplier.example",
            "password": "short",
            "account_kind": "supplier",
            "organisation_name": "New Supplier Ltd",
        },
    )
    assert response.status_code == 422
    assert handler.messages == []
