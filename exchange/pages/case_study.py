"""A case study's page: the story, the need and outcome it came from (where the viewer may see them), the
listings it used, interest from other councils, following it, and the conversation about it."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session

from exchange.accounts.dependencies import current_viewer
from exchange.audit import service as audit
from exchange.case_studies import service
from exchange.case_studies.models import CaseStudy
from exchange.case_studies.views import interest_context
from exchange.conversations import service as conversations
from exchange.core.errors import NotFound
from exchange.core.http import TransactionalRoute, get_db
from exchange.core.ids import PathId
from exchange.core.templating import render
from exchange.core.viewer import Viewer
from exchange.evaluation.models import NeedOutcome
from exchange.knowledge import follows
from exchange.knowledge.models import FollowKind
from exchange.knowledge.panel import follow_state
from exchange.needs import service as needs

router = APIRouter(route_class=TransactionalRoute, prefix="/case-studies")


def _follow_available(db: Session, viewer: Viewer, case_study: CaseStudy) -> bool:
    """Whether the knowledge domain's follows can find this case study, so its button would work."""
    if not case_study.is_published or case_study.is_hidden:
        return False
    try:
        follows.target(db, viewer, FollowKind.CASE_STUDY, case_study.id)
    except NotFound:
        return False
    return True


@router.get("/{case_study_id}", response_class=HTMLResponse)
def detail(
    request: Request, case_study_id: PathId, db: Session = Depends(get_db), viewer: Viewer = Depends(current_viewer)
) -> HTMLResponse:
    case_study = service.get(db, viewer, case_study_id)
    can_edit = viewer.is_member(case_study.organisation_id)
    need = None
    if case_study.need_id is not None:
        try:
            need = needs.get(db, viewer, case_study.need_id)
        except NotFound:
            need = None
    outcome = db.get(NeedOutcome, case_study.outcome_id) if case_study.outcome_id and need else None
    context = {
        "page_title": case_study.title,
        "can_edit": can_edit,
        "need": need,
        "outcome": outcome,
        "used": service.used_listings(db, case_study),
        "history": audit.history(db, "case_study", case_study.id) if can_edit else [],
        "follow": (
            follow_state(db, viewer, FollowKind.CASE_STUDY, case_study.id)
            if _follow_available(db, viewer, case_study)
            else None
        ),
        "thread": conversations.thread(db, viewer, "case_study", case_study.id),
        **interest_context(db, viewer, case_study),
    }
    return render(request, "case_studies/detail.html", context)
