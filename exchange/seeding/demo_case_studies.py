"""Published case studies for the demo set (seed_data/demo_case_studies.json), written by demo councils about
demo suppliers, with other councils' "we want to try this", so that the list, the pages and matching show them."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from exchange.accounts.models import User
from exchange.audit import service as audit
from exchange.case_studies import search
from exchange.case_studies.models import CaseStudy, CaseStudyInterest, CaseStudyStatus
from exchange.core.models import utcnow
from exchange.evaluation.models import NeedOutcome
from exchange.listings.models import Offer, Pitch
from exchange.needs.models import Need
from exchange.organisations.models import Organisation
from exchange.reference.models import Category, Region

TEXT_FIELDS = ("title", "summary", "problem", "what_we_used", "cost_and_time", "outcomes", "went_wrong")
MORE_TEXT = ("prerequisites", "contacts")


class DemoCaseStudyError(ValueError):
    pass


def _one(db: Session, statement: Any, what: str) -> Any:
    found = db.scalars(statement).first()
    if found is None:
        raise DemoCaseStudyError(f"unknown {what}")
    return found


def _listing_ids(db: Session, model: type[Pitch] | type[Offer], supplier: Organisation, titles: list[str]) -> list[int]:
    return [
        _one(db, select(model.id).where(model.organisation_id == supplier.id, model.title == title), repr(title))
        for title in titles
    ]


def load_demo_case_studies(db: Session, seed_dir: Path, organisations: dict[str, Organisation]) -> int:
    path = seed_dir / "demo_case_studies.json"
    if not path.exists():
        return 0
    rows: list[dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))["case_studies"]
    for age, row in enumerate(rows):
        council = _one(db, select(Organisation).where(Organisation.local_authority_code == row["council"]), "council")
        author = _one(db, select(User).where(User.email == row["author"]), "author")
        supplier = organisations[row["supplier"]] if row.get("supplier") else None
        need_id = None
        if row.get("need"):
            need_id = _one(
                db, select(Need.id).where(Need.organisation_id == council.id, Need.title == row["need"]), "need"
            )
        published_at = utcnow() - timedelta(days=30 * (len(rows) - age))
        case_study = CaseStudy(
            organisation_id=council.id,
            supplier_organisation_id=supplier.id if supplier else None,
            need_id=need_id,
            outcome_id=db.scalar(select(NeedOutcome.id).where(NeedOutcome.need_id == need_id)) if need_id else None,
            pitch_ids=_listing_ids(db, Pitch, supplier, row.get("pitches", [])) if supplier else [],
            offer_ids=_listing_ids(db, Offer, supplier, row.get("offers", [])) if supplier else [],
            cost=row.get("cost"),
            duration_weeks=row.get("duration_weeks"),
            key_figures=row.get("key_figures", []),
            steps=row["steps"],
            category_id=_one(db, select(Category.id).where(Category.label == row["category"]), "category"),
            region_id=_one(db, select(Region.id).where(Region.name == row["region"]), "region"),
            status=CaseStudyStatus.PUBLISHED,
            published_at=published_at,
            created_by_id=author.id,
            **{field: row.get(field, "") for field in (*TEXT_FIELDS, *MORE_TEXT)},
        )
        db.add(case_study)
        db.flush()
        audit.record(db, author.id, "case_study.created", "case_study", case_study.id, source="demo")
        audit.record(db, author.id, "case_study.published", "case_study", case_study.id, source="demo")
        search.index(db, case_study)
        for code in row.get("interested", []):
            other = _one(db, select(Organisation).where(Organisation.local_authority_code == code), "council")
            db.add(CaseStudyInterest(case_study_id=case_study.id, organisation_id=other.id))
    db.flush()
    return len(rows)
