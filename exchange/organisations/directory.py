"""The organisation directory: a paged, filterable list."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from exchange.organisations.models import Organisation, OrganisationKind

PER_PAGE = 50


@dataclass(frozen=True)
class DirectoryPage:
    organisations: list[Organisation]
    total: int
    page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // PER_PAGE))


def list_organisations(db: Session, kind: OrganisationKind | None, text: str, page: int) -> DirectoryPage:
    statement = select(Organisation)
    if kind is not None:
        statement = statement.where(Organisation.kind == kind)
    text = " ".join(text.split())[:100]
    if text:
        statement = statement.where(func.lower(Organisation.name).contains(text.lower(), autoescape=True))
    total = db.scalar(select(func.count()).select_from(statement.subquery())) or 0
    rows = db.scalars(statement.order_by(Organisation.name).limit(PER_PAGE).offset((page - 1) * PER_PAGE))
    return DirectoryPage(list(rows), total, page)
