"""JSON API for case studies: the published list (searched and filtered like the page) and one case study."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query
from sqlalchemy.orm import Session

from exchange.accounts.dependencies import current_viewer
from exchange.case_studies import listing, service
from exchange.case_studies.models import CaseStudy
from exchange.case_studies.schemas import (
    CaseStudyListOut,
    CaseStudyOut,
    CaseStudySummaryOut,
    ListingRef,
    OrganisationRef,
)
from exchange.core.api_errors import API_ERRORS
from exchange.core.forms import query_text
from exchange.core.http import TransactionalRoute, get_db
from exchange.core.ids import DbId, PathId
from exchange.core.viewer import Viewer
from exchange.needs import service as needs
from exchange.needs.models import Need

router = APIRouter(route_class=TransactionalRoute, tags=["case studies"], responses=API_ERRORS)


def _summary(case_study: CaseStudy, interest_count: int) -> CaseStudySummaryOut:
    return CaseStudySummaryOut(
        id=case_study.id,
        title=case_study.title,
        summary=case_study.summary,
        council=OrganisationRef.model_validate(case_study.organisation),
        supplier=OrganisationRef.model_validate(case_study.supplier) if case_study.supplier else None,
        category_id=case_study.category_id,
        region_id=case_study.region_id,
        cost=case_study.cost,
        duration_weeks=case_study.duration_weeks,
        interest_count=interest_count,
        published_at=case_study.published_at,
        url=f"/case-studies/{case_study.id}",
    )


@router.get("/case-studies", response_model=CaseStudyListOut)
def list_case_studies(
    db: Session = Depends(get_db),
    q: Annotated[str, query_text(200)] = "",
    category: DbId | None = None,
    region: DbId | None = None,
    council: DbId | None = None,
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
    per_page: Annotated[int, Query(ge=1, le=100)] = 20,
) -> CaseStudyListOut:
    query = listing.CaseStudyQuery(q=q, category=category, region=region, council=council, page=page, per_page=per_page)
    found = listing.find(db, query)
    return CaseStudyListOut(
        total=found.total,
        page=query.page,
        pages=found.pages,
        results=[_summary(item, found.interest.get(item.id, 0)) for item in found.items],
    )


@router.get("/case-studies/{case_study_id}", response_model=CaseStudyOut)
def get_case_study(
    case_study_id: PathId, db: Session = Depends(get_db), viewer: Viewer = Depends(current_viewer)
) -> CaseStudyOut:
    case_study = service.get(db, viewer, case_study_id)
    interested = service.interested(db, case_study.id)
    # The need and its outcome are named only to those who may see the need.
    need = db.get(Need, case_study.need_id) if case_study.need_id is not None else None
    need_shown = need is not None and needs.can_see(viewer, need)
    summary = _summary(case_study, len(interested))
    return CaseStudyOut(
        **summary.model_dump(),
        status=case_study.status,
        problem=case_study.problem,
        what_we_used=case_study.what_we_used,
        used=[
            ListingRef(kind=item.kind, id=item.id, title=item.title, url=item.url)
            for item in service.used_listings(db, case_study)
        ],
        need_id=case_study.need_id if need_shown else None,
        outcome_id=case_study.outcome_id if need_shown else None,
        cost_and_time=case_study.cost_and_time,
        outcomes=case_study.outcomes,
        key_figures=list(case_study.key_figures or []),
        went_wrong=case_study.went_wrong,
        steps=list(case_study.steps or []),
        prerequisites=case_study.prerequisites,
        contacts=case_study.contacts,
        interested=[OrganisationRef.model_validate(o) for o in interested],
        updated_at=case_study.updated_at,
    )
