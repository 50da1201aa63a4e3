"""In development only: /dev/mail shows every email the exchange wrote, so links can be followed without SMTP."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse
from sqlalchemy import select
from sqlalchemy.orm import Session

from exchange.accounts.dependencies import current_viewer
from exchange.core.errors import NotFound
from exchange.core.http import TransactionalRoute, get_db
from exchange.core.templating import render
from exchange.core.viewer import Viewer
from exchange.outbox.models import OutboxMessage

router = APIRouter(route_class=TransactionalRoute)

SHOWN = 100
LINK = re.compile(r"https?://[^\s<>\"]+")


@dataclass(frozen=True)
class ShownEmail:
    id: int
    to_address: str
    subject: str
    body_text: str
    created_at: datetime
    status: str
    links: list[str]


def _status(message: OutboxMessage) -> str:
    if message.sent_at is not None:
        return "Sent"
    if message.failed_at is not None:
        return "Set aside"
    return "Waiting"


def _shown(message: OutboxMessage) -> ShownEmail:
    links = list(dict.fromkeys(link.rstrip(".,;)") for link in LINK.findall(message.body_text)))
    return ShownEmail(
        message.id,
        message.to_address,
        message.subject,
        message.body_text,
        message.created_at,
        _status(message),
        links,
    )


@router.get("/dev/mail", response_class=HTMLResponse)
def development_mail(
    request: Request, db: Session = Depends(get_db), viewer: Viewer = Depends(current_viewer)
) -> HTMLResponse:
    # Everyone's email, links that sign in included: it must not exist anywhere but on a developer's machine.
    if request.app.state.settings.env != "development":
        raise NotFound()
    messages = db.scalars(select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(SHOWN))
    context = {
        "page_title": "Email sent in development",
        "emails": [_shown(message) for message in messages],
        "smtp_url": request.app.state.settings.smtp_url,
        "shown": SHOWN,
    }
    return render(request, "dev/mail.html", context)
