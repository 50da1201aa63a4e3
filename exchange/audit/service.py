"""Writing audit rows in the caller's transaction."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from exchange.audit.models import AuditEvent


def record(db: Session, actor_id: int | None, action: str, entity_type: str, entity_id: int, **data: Any) -> AuditEvent:
    event = AuditEvent(actor_user_id=actor_id, action=action, entity_type=entity_type, entity_id=entity_id, data=data)
    db.add(event)
    return event


def history(db: Session, entity_type: str, entity_id: int) -> list[AuditEvent]:
    query = (
        select(AuditEvent)
        .where(AuditEvent.entity_type == entity_type, AuditEvent.entity_id == entity_id)
        .order_by(AuditEvent.id)
    )
    return list(db.scalars(query))
