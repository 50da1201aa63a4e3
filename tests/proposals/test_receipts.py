"""A receipt for the supplier: when its proposal is submitted or withdrawn, each of its members gets a
notification and an email (through the outbox and the job queue) saying what was sent, and when. A refused
submission sends nothing, and nobody else is told what the supplier sent."""

from __future__ import annotations

from email.message import Message
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from exchange.notifications.models import Notification, NotificationKind
from tests.client import Client
from tests.conftest import Inbox
from tests.proposals.conftest import World, draft_proposal, sign_in, written


def text_of(message: Message) -> str:
    parts = [part for part in message.walk() if part.get_content_type() == "text/plain"]
    return "".join(str(part.get_payload(decode=True).decode()) for part in parts)  # type: ignore[union-attr]


def deliver_to(app: Any, inbox: tuple[Inbox, int]) -> Inbox:
    handler, port = inbox
    app.state.settings = app.state.settings.model_copy(update={"smtp_url": f"smtp://127.0.0.1:{port}"})
    return handler


def test_the_supplier_gets_a_receipt_when_it_submits_and_when_it_withdraws(
    client: Client, app: Any, db: Session, world: World, inbox: tuple[Inbox, int]
) -> None:
    handler = deliver_to(app, inbox)
    proposal = draft_proposal(db, world, price=87_500, price_note="per year")
    sign_in(client, world.supplier_member)
    base = f"/needs/{world.need.id}/proposals/{proposal.id}"

    assert client.post(f"{base}/submit").status_code == 303

    submitted = [m for m in handler.messages if m["Subject"] == f"Proposal submitted: {world.need.title}"]
    assert sorted(m["To"] for m in submitted) == sorted([world.supplier_admin.email, world.supplier_member.email])
    body = text_of(submitted[0])
    assert "Pennine Community Meals submitted its proposal" in body and "£87,500 (per year)" in body
    assert "(UK time)" in body and f"{base}" in body and "sealed" in body
    receipts = db.scalars(select(Notification).where(Notification.kind == NotificationKind.PROPOSAL_RECEIPT)).all()
    assert {n.user_id for n in receipts} == {world.supplier_admin.id, world.supplier_member.id}
    # The council and the rival never get the supplier's receipt.
    for message in handler.messages:
        if message["To"] in (world.officer.email, world.colleague.email, world.rival_admin.email):
            assert "87,500" not in text_of(message)

    assert client.post(f"{base}/withdraw").status_code == 303

    withdrawn = [m for m in handler.messages if m["Subject"] == f"Proposal withdrawn: {world.need.title}"]
    assert sorted(m["To"] for m in withdrawn) == sorted([world.supplier_admin.email, world.supplier_member.email])
    assert "cannot send another proposal" in text_of(withdrawn[0])


def test_a_refused_submission_sends_no_receipt(
    client: Client, app: Any, db: Session, world: World, inbox: tuple[Inbox, int]
) -> None:
    handler = deliver_to(app, inbox)
    proposal = draft_proposal(db, world, approach="")
    sign_in(client, world.supplier_admin)
    before = written(db)

    response = client.api("POST", f"/api/v1/needs/{world.need.id}/proposal/submit")

    assert response.status_code == 422 and response.json()["errors"]["approach"] == "Describe your approach"
    assert written(db) == before
    assert not [m for m in handler.messages if "Proposal submitted" in str(m["Subject"])]
    assert proposal.status.value == "draft"
