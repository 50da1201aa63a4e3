"""Synthetic data: the rows asked for, the same for a seed, findable by search and matchable."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from exchange.core.viewer import ANONYMOUS
from exchange.listings.models import ListingStatus, Offer, Pitch
from exchange.matching import documents
from exchange.matching import service as matching
from exchange.matching.models import MatchTerm, SupplierDocument
from exchange.needs.models import Need
from exchange.organisations.models import Organisation, OrganisationKind
from exchange.search import service as search
from exchange.search.models import SearchDocument
from exchange.search.schemas import SearchQuery
from exchange.seeding.generator import generate


def _newest(db: Session, column: Any, count: int) -> list[Any]:
    """The column's values in the ``count`` newest rows, oldest first."""
    rows = db.scalars(select(column).order_by(column.class_.id.desc()).limit(count)).all()
    return list(reversed(rows))


def test_generates_the_rows_asked_for_with_their_search_documents(db: Session) -> None:
    before = db.scalar(select(func.count()).select_from(SearchDocument)) or 0
    counts = generate(db, needs=30, suppliers=12, pitches=25, seed=3, progress=False)

    assert counts["organisations"] == 12 and counts["pitches"] == counts["offers"] == 25 and counts["needs"] == 30
    organisations = db.scalars(select(Organisation).order_by(Organisation.id.desc()).limit(12)).all()
    assert {o.kind for o in organisations} <= {OrganisationKind.SUPPLIER, OrganisationKind.VCSE}
    assert len({o.slug for o in organisations}) == 12
    needs = db.scalars(select(Need).order_by(Need.id.desc()).limit(30)).all()
    councils = db.scalars(select(Organisation.kind).where(Organisation.id.in_({n.organisation_id for n in needs})))
    assert set(councils) == {OrganisationKind.COUNCIL}
    assert len({n.stage for n in needs}) > 1
    assert all(len(n.problem_statement) >= 20 for n in needs)

    published = sum(
        db.scalar(select(func.count()).select_from(model).where(model.status == ListingStatus.PUBLISHED)) or 0
        for model in (Pitch, Offer)
    )
    documents = (db.scalar(select(func.count()).select_from(SearchDocument)) or 0) - before
    assert documents == counts["documents"] == published + 30


def test_the_same_seed_gives_the_same_data(db: Session) -> None:
    generate(db, needs=10, suppliers=5, pitches=8, seed=7, progress=False)
    first = [_newest(db, column, n) for column, n in ((Organisation.name, 5), (Pitch.title, 8), (Need.title, 10))]
    offers = _newest(db, Offer.description, 8)
    generate(db, needs=10, suppliers=5, pitches=8, seed=7, progress=False)
    second = [_newest(db, column, n) for column, n in ((Organisation.name, 5), (Pitch.title, 8), (Need.title, 10))]
    assert first == second
    assert offers == _newest(db, Offer.description, 8)

    generate(db, needs=10, suppliers=5, pitches=8, seed=8, progress=False)
    assert _newest(db, Pitch.title, 8) != first[1]


def test_generated_listings_are_found_by_search(db: Session) -> None:
    generate(db, needs=20, suppliers=5, pitches=40, seed=1, progress=False)
    pitch = db.scalars(
        select(Pitch).where(Pitch.status == ListingStatus.PUBLISHED).order_by(Pitch.id.desc()).limit(1)
    ).one()
    word = pitch.title.split()[-1]
    found = search.search(db, ANONYMOUS, SearchQuery(q=word, kind=("pitch",), per_page=100))
    assert pitch.id in {hit.item_id for hit in found.hits}
    assert found.total >= 1


def test_generated_suppliers_are_matchable_with_the_document_an_edit_would_write(db: Session) -> None:
    generate(db, needs=10, suppliers=6, pitches=30, seed=2, progress=False)
    supplier_ids = _newest(db, Organisation.id, 6)
    written = {d.organisation_id: (d.body, d.terms) for d in db.scalars(select(SupplierDocument))}
    assert set(supplier_ids) <= set(written)
    terms_before = dict(db.execute(select(MatchTerm.term, MatchTerm.documents)).all())
    for organisation_id in supplier_ids:
        documents.refresh_supplier(db, organisation_id)
    for document in db.scalars(select(SupplierDocument).where(SupplierDocument.organisation_id.in_(supplier_ids))):
        db.refresh(document)
        assert (document.body, document.terms) == written[document.organisation_id]
    assert dict(db.execute(select(MatchTerm.term, MatchTerm.documents)).all()) == terms_before

    need = db.scalars(select(Need).order_by(Need.id.desc()).limit(1)).one()
    ranked = matching.rank_suppliers(db, need)
    assert {m.key for m in ranked.matches} & set(supplier_ids)
