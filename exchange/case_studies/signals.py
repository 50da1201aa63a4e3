"""What matching reads from case studies: the published ones that name each supplier."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from exchange.case_studies.models import CaseStudy, listed
from exchange.organisations.models import Organisation


def written_about(db: Session, supplier_ids: Iterable[int]) -> dict[int, list[tuple[int, str, str, int | None]]]:
    """Supplier id -> (case study id, council name, title, need id) of its published case studies, newest first."""
    ids = sorted(set(supplier_ids))
    if not ids:
        return {}
    found: dict[int, list[tuple[int, str, str, int | None]]] = defaultdict(list)
    rows = db.execute(
        select(CaseStudy.supplier_organisation_id, CaseStudy.id, Organisation.name, CaseStudy.title, CaseStudy.need_id)
        .join(Organisation, Organisation.id == CaseStudy.organisation_id)
        .where(CaseStudy.supplier_organisation_id.in_(ids), listed())
        .order_by(CaseStudy.published_at.desc(), CaseStudy.id.desc())
    )
    for supplier_id, case_study_id, council, title, need_id in rows:
        if supplier_id is not None:
            found[supplier_id].append((case_study_id, council, title, need_id))
    return found
