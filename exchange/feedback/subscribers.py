"""Whoever asked for a council's email domain is told, in the same transaction, once an administrator adds it."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from exchange.core import events
from exchange.core.database import settings_of
from exchange.core.models import utcnow
from exchange.feedback.models import ContactMessage, MessageKind
from exchange.organisations.events import CouncilDomainAdded
from exchange.outbox.service import queue_email


@events.in_transaction(CouncilDomainAdded)
def tell_who_asked_for_the_domain(db: Session, added: CouncilDomainAdded) -> None:
    waiting = db.scalars(
        select(ContactMessage)
        .where(
            ContactMessage.kind == MessageKind.COUNCIL_DOMAIN,
            ContactMessage.email_domain == added.domain,
            ContactMessage.domain_added_at.is_(None),
        )
        .order_by(ContactMessage.id)
    )
    told: set[str] = set()
    base_url = settings_of(db).base_url.rstrip("/")
    for request in waiting:
        request.domain_added_at = utcnow()
        if request.email in told:
            continue
        told.add(request.email)
        queue_email(
            db,
            request.email,
            f"You can now join {request.council_name} on the exchange",
            f"Hello {request.name},\n\nYou asked for @{added.domain} addresses to join {request.council_name} on the "
            "Open Innovation Exchange. An administrator has added it.\n\nCreate your account with your council "
            f"email address:\n\n{base_url}/account/sign-up?as=council",
        )
