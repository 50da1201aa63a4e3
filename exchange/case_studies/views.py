"""Case study pages anyone may read: the list, and "we want to try this" (in place with HTMX); a case study's own
page is pages.case_study."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from exchange.accounts.dependencies import current_viewer, signed_in_viewer
from exchange.case_studies import listing, service
from exchange.case_studies.models import CaseStudy
from exchange.case_studies.schemas import InterestForm
from exchange.core.forms import form_to_dict, submitted_form, validate
from exchange.core.http import TransactionalRoute, get_db
from exchange.core.ids import PathId
from exchange.core.templating import flash, is_htmx, render, render_page_or_fragment
from exchange.core.viewer import Viewer

router = APIRouter(route_class=TransactionalRoute, prefix="/case-studies")


@router.get("", response_class=HTMLResponse)
def index(request: Request, db: Session = Depends(get_db), viewer: Viewer = Depends(current_viewer)) -> HTMLResponse:
    params = {key: value for key, value in request.query_params.items() if value.strip()}
    try:
        query = listing.CaseStudyQuery.model_validate(params)
    except ValidationError:
        # A hand-edited address: show everything rather than an error page.
        query = listing.CaseStudyQuery()
    context = {
        "page_title": "Case studies",
        "results": listing.find(db, query),
        "drafts": service.drafts_of(db, viewer.organisation_ids),
        "can_write": bool(service.authoring_councils(db, viewer)),
    }
    return render_page_or_fragment(request, "case_studies/index.html", "case_studies/_results.html", context)


def interest_context(db: Session, viewer: Viewer, case_study: CaseStudy) -> dict[str, Any]:
    acting = service.interest_organisations(db, viewer, case_study)
    return {
        "case_study": case_study,
        "interested": service.interested(db, case_study.id),
        "acting": acting,
        "acting_interested": service.interest_of(db, case_study.id, [o.id for o in acting]),
    }


def _interest_answer(request: Request, db: Session, viewer: Viewer, case_study_id: int, message: str) -> Response:
    case_study = service.get(db, viewer, case_study_id)
    if is_htmx(request):
        context = {**interest_context(db, viewer, case_study), "message": message}
        return render(request, "case_studies/_interest.html", context, headers={"Vary": "HX-Request"})
    flash(request, message)
    return RedirectResponse(f"/case-studies/{case_study_id}#interest", status_code=303)


def _organisation(form: FormData) -> int:
    return validate(InterestForm, form_to_dict(form), {"organisation_id": "your organisation"}).organisation_id


@router.post("/{case_study_id}/interest")
def add_interest(
    request: Request,
    case_study_id: PathId,
    form: FormData = Depends(submitted_form),
    db: Session = Depends(get_db),
    viewer: Viewer = Depends(signed_in_viewer),
) -> Response:
    service.add_interest(db, viewer, case_study_id, _organisation(form))
    return _interest_answer(request, db, viewer, case_study_id, "Your interest is recorded: the authors can see it.")


@router.post("/{case_study_id}/interest/withdraw")
def withdraw_interest(
    request: Request,
    case_study_id: PathId,
    form: FormData = Depends(submitted_form),
    db: Session = Depends(get_db),
    viewer: Viewer = Depends(signed_in_viewer),
) -> Response:
    service.withdraw_interest(db, viewer, case_study_id, _organisation(form))
    return _interest_answer(request, db, viewer, case_study_id, "Your interest is withdrawn.")
