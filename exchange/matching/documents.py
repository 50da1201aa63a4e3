"""Keeps each supplier's evidence document and the term counts in step with what the supplier publishes.

Called in the same transaction as the change (a new supplier, an edited profile or past contract, a
published or withdrawn pitch or offer), so a supplier is matchable the moment the change commits.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from exchange.core import terms as text
from exchange.core.models import utcnow
from exchange.listings.models import ListingStatus, Offer, Pitch
from exchange.matching.models import MatchTerm, SupplierDocument
from exchange.organisations.models import SUPPLIER_SIDE, Organisation
from exchange.profiles.models import PastContract

BATCH_SIZE = 2000


@dataclass(frozen=True)
class Contract:
    title: str
    description: str
    buyer: str
    categories: list[str]
    value: int | None
    awarded_on: date | None

    @property
    def line(self) -> str:
        return ". ".join(part for part in (self.title, self.description, self.buyer, *self.categories) if part)

    def evidence(self) -> dict[str, Any]:
        """As stored on the document for the scoring core (see facts.suppliers)."""
        return {
            "title": self.title,
            "buyer": self.buyer,
            "buyer_key": text.normalise_name(self.buyer),
            "year": self.awarded_on.year if self.awarded_on else None,
            "value": self.value,
            "categories": self.categories,
            "terms": dict(text.term_counts(f"{self.title} {self.description}")),
        }


def document_values(
    organisation_id: int, name: str, description: str, contracts: Iterable[Contract], listings: Iterable[str] = ()
) -> dict[str, Any]:
    contracts = list(contracts)
    body = "\n".join(part for part in (description, *(c.line for c in contracts), *listings) if part)
    terms = text.term_counts(f"{name}\n{body}")
    return {
        "organisation_id": organisation_id,
        "name": name,
        "body": body,
        "terms": dict(terms),
        "length": sum(terms.values()),
        "contracts": [c.evidence() for c in contracts],
        "updated_at": utcnow(),
    }


def refresh_supplier(db: Session, organisation_id: int) -> None:
    """Write the supplier's document again from its organisation, past contracts and published listings."""
    organisation = db.get(Organisation, organisation_id)
    if organisation is None or organisation.kind not in SUPPLIER_SIDE:
        remove_supplier(db, organisation_id)
        return
    db.flush()
    contracts = [
        Contract(row.title, row.description, row.buyer_name, row.categories or [], row.value, row.awarded_on)
        for row in db.scalars(
            select(PastContract).where(PastContract.organisation_id == organisation_id).order_by(PastContract.id)
        )
    ]
    lines: list[str] = []
    for model in (Pitch, Offer):
        listings = db.execute(
            select(model.title, model.summary)
            .where(
                model.organisation_id == organisation_id,
                model.status == ListingStatus.PUBLISHED,
                model.hidden_at.is_(None),
            )
            .order_by(model.id)
        ).all()
        lines.extend(f"{title}. {summary}" for title, summary in listings)
    values = document_values(organisation_id, organisation.name, organisation.description, contracts, lines)
    existing = db.get(SupplierDocument, organisation_id)
    old_terms = set(existing.terms) if existing is not None else set()
    new_terms = set(values["terms"])
    _count_documents(db, Counter(dict.fromkeys(new_terms - old_terms, 1)))
    _uncount_documents(db, old_terms - new_terms)
    if existing is None:
        db.add(SupplierDocument(**values))
    else:
        for key, value in values.items():
            setattr(existing, key, value)
    db.flush()


def remove_supplier(db: Session, organisation_id: int) -> None:
    existing = db.get(SupplierDocument, organisation_id)
    if existing is not None:
        _uncount_documents(db, set(existing.terms))
        db.delete(existing)
        db.flush()


def add_suppliers(db: Session, documents: list[dict[str, Any]]) -> None:
    """Insert the documents of new suppliers in bulk (imports, generated data); see ``document_values``."""
    frequencies: Counter[str] = Counter()
    for start in range(0, len(documents), BATCH_SIZE):
        batch = documents[start : start + BATCH_SIZE]
        db.execute(insert(SupplierDocument), batch)
        for document in batch:
            frequencies.update(document["terms"].keys())
    _count_documents(db, frequencies)


def _count_documents(db: Session, increments: Counter[str]) -> None:
    """Add to each term's document count, creating terms not seen before."""
    if not increments:
        return
    dialect = db.get_bind().dialect.name
    upsert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    rows = [{"term": term, "documents": count} for term, count in sorted(increments.items())]
    for start in range(0, len(rows), BATCH_SIZE):
        statement = upsert(MatchTerm).values(rows[start : start + BATCH_SIZE])
        statement = statement.on_conflict_do_update(
            index_elements=[MatchTerm.term], set_={"documents": MatchTerm.documents + statement.excluded.documents}
        )
        db.execute(statement)


def _uncount_documents(db: Session, terms: set[str]) -> None:
    if not terms:
        return
    ordered = sorted(terms)
    for start in range(0, len(ordered), BATCH_SIZE):
        batch = ordered[start : start + BATCH_SIZE]
        db.execute(update(MatchTerm).where(MatchTerm.term.in_(batch)).values(documents=MatchTerm.documents - 1))
    db.execute(delete(MatchTerm).where(MatchTerm.documents <= 0))
