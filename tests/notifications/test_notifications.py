"""Notifications: an in-app row always, email only for kinds the user keeps on, each email with a plain-text
body and a working unsubscribe link; delivered through a real SMTP server (aiosmtpd on loopback)."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from exchange.accounts.models import User
from exchange.needs import service as needs
from exchange.needs.models import Need, NeedStage, Visibility
from exchange.notifications.models import Notification, NotificationKind, NotificationSetting
from exchange.organisations.models import Organisation
from exchange.outbox.models import OutboxMessage
from exchange.proposals import invitations
from exchange.shortlists import service as shortlists
from tests import factories
from tests.client import Client
from tests.conftest import Inbox
from tests.proposals.conftest import set_up_procurement


@dataclass
class World:
    officer: User
    need: Need
    supplier: Organisation
    founder: User


@pytest.fixture
def world(db: Session) -> World:
    officer = factories.officer(db, "BUN")
    need = factories.need(db, officer, factories.council(db, "BUN"), title="Online budget consultation")
    needs.change_stage(db, factories.viewer(db, officer), need.id, NeedStage.OPEN_FOR_PROPOSALS)
    set_up_procurement(db, officer, need)
    founder = factories.user(db, "founder@civic.example")
    supplier = factories.supplier(db, founder, name="Civic Voice Ltd")
    return World(officer, need, supplier, founder)


def invite(db: Session, world: World) -> None:
    invitations.invite(db, factories.viewer(db, world.officer), world.need.id, [world.supplier.id])


def test_an_invitation_tells_the_supplier_in_app_and_by_email_with_an_unsubscribe_link(
    db: Session, world: World, delivered: Inbox
) -> None:
    invite(db, world)
    rows = db.scalars(select(Notification).where(Notification.user_id == world.founder.id)).all()
    assert [(r.kind, r.link) for r in rows] == [("invited_to_respond", f"/needs/{world.need.id}")]
    [email] = factories.emails_to(db, "founder@civic.example")
    assert "Burnley Borough Council invites Civic Voice Ltd to send a proposal" in email.body_text
    assert "/notifications/unsubscribe?token=" in email.body_text and email.unsubscribe_url
    db.commit()  # the email job runs after the commit that queued the notice

    sent = next(m for m in delivered.messages if m["To"] == "founder@civic.example")
    assert sent.get_content_type() == "text/plain"
    assert sent["List-Unsubscribe"] == f"<{email.unsubscribe_url}>"


def test_a_kind_switched_off_still_shows_in_the_app_but_sends_no_email(
    client: Client, db: Session, world: World
) -> None:
    client.sign_in(world.founder.email, factories.PASSWORD)
    page = client.get("/account/notifications")
    assert page.status_code == 200 and "Invitations to respond" in page.text
    # Everything but "invited_to_respond" ticked.
    response = client.post("/account/notifications", {"email": ["outcome", "clarification_answered"]})
    assert response.status_code == 303
    invite(db, world)
    assert factories.emails_to(db, "founder@civic.example") == []
    assert factories.count(db, Notification, Notification.user_id == world.founder.id) == 1
    listed = client.get("/notifications")
    assert "Burnley Borough Council invited Civic Voice Ltd to respond" in listed.text and "New" in listed.text
    client.post("/notifications/read")
    assert ">New<" not in client.get("/notifications").text


def test_the_unsubscribe_link_asks_first_then_switches_that_kind_off(client: Client, db: Session, world: World) -> None:
    invite(db, world)
    [email] = factories.emails_to(db, "founder@civic.example")
    assert email.unsubscribe_url is not None
    path = urlsplit(email.unsubscribe_url)
    page = client.get(f"{path.path}?{path.query}")
    assert page.status_code == 200 and "Stop these emails?" in page.text
    assert factories.count(db, NotificationSetting) == 0, "opening the link changes nothing"
    token = path.query.removeprefix("token=")
    done = client.post("/notifications/unsubscribe", {"token": token})
    assert done.status_code == 200 and "will no longer get" in done.text
    setting = db.scalars(select(NotificationSetting).where(NotificationSetting.user_id == world.founder.id)).one()
    assert (setting.kind, setting.email) == (NotificationKind.INVITED_TO_RESPOND.value, False)


@pytest.mark.parametrize("token", ["", "not-a-token", "eyJ1c2VyIjogMX0.forged.signature"])
def test_a_bad_unsubscribe_token_is_404_and_changes_nothing(client: Client, db: Session, token: str) -> None:
    assert client.get(f"/notifications/unsubscribe?token={token}").status_code == 404
    assert client.post("/notifications/unsubscribe", {"token": token}).status_code == 404
    assert factories.count(db, NotificationSetting) == 0


def test_nobody_is_told_about_shortlisting_whoever_can_see_the_need(db: Session, world: World) -> None:
    """The shortlist is the council's private working set: only an invitation to respond tells a supplier."""
    private = factories.need(
        db, world.officer, factories.council(db, "BUN"), title="Staff survey", visibility=Visibility.ORGANISATION
    )
    for need in (private, world.need):
        shortlists.add(db, factories.viewer(db, world.officer), need.id, world.supplier.id)
    assert factories.count(db, Notification) == 0
    assert factories.count(db, OutboxMessage, OutboxMessage.to_address == "founder@civic.example") == 0


def test_notification_pages_need_signing_in(client: Client) -> None:
    for path in ("/notifications", "/account/notifications"):
        response = client.get(path)
        assert response.status_code in (303, 401) and "/account/sign-in" in response.headers.get(
            "location", "/account/sign-in"
        )
