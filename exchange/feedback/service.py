"""Keep each message and tell every administrator about it by email (sent from the outbox after commit)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from exchange.accounts.models import User
from exchange.core import rate_limits
from exchange.core.errors import Invalid, TooManyRequests
from exchange.core.models import utcnow
from exchange.core.rate_limits import Limit
from exchange.core.settings import Settings
from exchange.core.viewer import Viewer
from exchange.feedback.models import ContactMessage, MessageKind
from exchange.feedback.schemas import CouncilDomainRequestForm, FeedbackForm
from exchange.organisations.service import council_for_domain
from exchange.outbox.service import queue_email

ADMIN_PAGE = "/admin/messages"
# The forms are open to anyone: past this many messages in an hour, new ones are still kept (and listed on the
# admin page) but no longer emailed, so that a flood of messages cannot flood the administrators' inboxes.
EMAILED_PER_HOUR = 20


# Messages one network address may send in an hour, whatever the form: enough for people, not for a script.
MESSAGES_PER_ADDRESS = Limit("contact-address", 10, timedelta(hours=1))


def check_sender(db: Session, address: str) -> None:
    if rate_limits.take(db, MESSAGES_PER_ADDRESS, address) is None:
        raise TooManyRequests("You have sent a lot of messages in the last hour. Try again later, or email us.")


def leave_feedback(db: Session, viewer: Viewer, form: FeedbackForm, settings: Settings) -> ContactMessage:
    message = ContactMessage(
        kind=MessageKind.FEEDBACK,
        name=form.name,
        email=form.email or "",
        message=form.message,
        user_id=viewer.user_id,
    )
    db.add(message)
    db.flush()
    reply_to = form.email or "no address given: they did not ask for a reply"
    _tell_administrators(
        db,
        settings,
        "New feedback on the exchange",
        f"From: {form.name or 'someone who did not give a name'}\nReply to: {reply_to}\n\n{form.message}",
    )
    return message


def request_council_domain(
    db: Session, viewer: Viewer, form: CouncilDomainRequestForm, settings: Settings
) -> ContactMessage:
    """Ask for a council's email domain to be added, so its officers can join it when they sign up."""
    if council_for_domain(db, form.email_domain) is not None:
        raise Invalid(
            "Check the answers and try again",
            field_errors={
                "email": f"Addresses ending @{form.email_domain} can already join their council: "
                "create your account with this address"
            },
        )
    message = ContactMessage(
        kind=MessageKind.COUNCIL_DOMAIN,
        name=form.name,
        email=form.email,
        council_name=form.council_name,
        email_domain=form.email_domain,
        message=form.message,
        user_id=viewer.user_id,
    )
    db.add(message)
    db.flush()
    _tell_administrators(
        db,
        settings,
        f"Request to add the email domain {form.email_domain}",
        f"{form.name} ({form.email}) asks for @{form.email_domain} to be added for {form.council_name}.\n\n"
        f"{form.message}\n\nAdd the domain in the administration area: {settings.base_url}/admin",
    )
    return message


def _tell_administrators(db: Session, settings: Settings, subject: str, body: str) -> None:
    an_hour_ago = utcnow() - timedelta(hours=1)
    if (db.scalar(select(func.count()).where(ContactMessage.created_at >= an_hour_ago)) or 0) > EMAILED_PER_HOUR:
        return
    for address in db.scalars(select(User.email).where(User.is_admin.is_(True), User.suspended_at.is_(None))):
        queue_email(db, address, subject, f"{body}\n\nEvery message: {settings.base_url}{ADMIN_PAGE}")


def recent_messages(db: Session, limit: int = 200) -> list[ContactMessage]:
    return list(db.scalars(select(ContactMessage).order_by(ContactMessage.id.desc()).limit(limit)))
