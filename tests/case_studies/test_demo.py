"""The demo set's case studies: published by demo councils about demo suppliers, searchable, with interest, and
in the named suppliers' matches."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from exchange.case_studies import listing, service
from exchange.case_studies.models import CaseStudy
from exchange.matching import facts
from exchange.organisations.models import Organisation
from exchange.seeding.demo import load_demo
from tests.conftest import PROJECT_ROOT


def test_the_demo_loads_published_case_studies_with_interest(db: Session) -> None:
    load_demo(db, PROJECT_ROOT / "seed_data")

    studies = list(db.scalars(select(CaseStudy).order_by(CaseStudy.id)))
    assert len(studies) == 3 and all(study.is_published and study.created_by_id for study in studies)
    assert {study.organisation_id for study in studies} == set(
        db.scalars(select(Organisation.id).where(Organisation.local_authority_code.in_(["CMD", "LDS", "BST"])))
    )
    counts = service.interest_counts(db, [study.id for study in studies])
    assert sum(counts.values()) == 5
    found = listing.find(db, listing.CaseStudyQuery(q="surveyor"))
    assert [item.title for item in found.items] == [studies[0].title]
    fixline = db.scalars(select(Organisation).where(Organisation.name == "Fixline Housing Software Ltd")).one()
    written = facts.suppliers(db, [fixline.id])[fixline.id].case_studies
    assert [(c.council, c.title) for c in written] == [("London Borough of Camden", studies[0].title)]
