"""Sending queued email once the request that queued it has committed."""

from __future__ import annotations

from fastapi import Request

from exchange.core.http import after_commit
from exchange.outbox.service import deliver_pending


def send_queued_email_after_commit(request: Request) -> None:
    database = request.app.state.database
    settings = request.app.state.settings
    after_commit(request, "send-email", lambda: deliver_pending(database, settings))
