"""Sending queued email once the request that queued it has committed."""

from __future__ import annotations

from fastapi import Request

from exchange.core.http import after_commit
from exchange.outbox.service import deliver_pending


def send_queued_email_after_commit(request: Request) -> None:
    database = request.app.state.database
    settings = request.app.state.settings
    after_commit(request, _Sender(database, settings))


class _Sender:
    """Equal to any other sender for the same app, so a request registers it once."""

    def __init__(self, database: object, settings: object) -> None:
        self.database = database
        self.settings = settings

    def __call__(self) -> None:
        deliver_pending(self.database, self.settings)  # type: ignore[arg-type]

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Sender) and other.database is self.database

    def __hash__(self) -> int:
        return id(self.database)
