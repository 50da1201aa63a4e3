"""Organisations whose names are close to what someone typed: "CivicVoice" finds "CivicVoice Ltd"."""

from __future__ import annotations

import re

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from exchange.core.errors import Invalid
from exchange.organisations.models import Organisation, OrganisationKind

SUGGESTIONS = 5
PUBLIC_SECTOR_KINDS = [kind for kind in OrganisationKind if kind.is_public_sector]


class NoSuchOrganisation(Invalid):
    """No organisation to join has exactly that name: the names of those close to it go with the error."""

    def __init__(self, message: str, *, field_errors: dict[str, str], suggestions: list[str]) -> None:
        super().__init__(message, field_errors=field_errors)
        self.suggestions = suggestions


def similar_joinable(db: Session, typed: str, limit: int = SUGGESTIONS) -> list[Organisation]:
    """Suppliers and groups (never councils, which are joined by email domain) whose name holds every word
    typed, or the words run together ("Civic Voice" for "CivicVoice Ltd"); the shortest names first."""
    words = [word for word in re.split(r"\W+", typed.lower()) if len(word) >= 2][:8]
    if not words:
        return []
    name = func.lower(Organisation.name)
    close = or_(
        and_(*(name.contains(word, autoescape=True) for word in words)),
        func.replace(name, " ", "").contains("".join(words), autoescape=True),
    )
    return list(
        db.scalars(
            select(Organisation)
            .where(Organisation.kind.not_in(PUBLIC_SECTOR_KINDS), close)
            .order_by(func.length(Organisation.name), Organisation.name)
            .limit(limit)
        )
    )
