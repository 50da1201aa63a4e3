"""A need's page: the need, its stages and history for its council, its procurement (dates, clarifications,
the viewer's own proposal, what waits on the council), its outcome, related listings and the conversation.

A draft also has its preview: the page as suppliers will see it, with the council's Edit and Publish."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from exchange.accounts.dependencies import current_viewer, signed_in_viewer
from exchange.audit import service as audit
from exchange.audit.models import AuditEvent
from exchange.conversations import service as conversations
from exchange.core.errors import Invalid
from exchange.core.http import TransactionalRoute, get_db
from exchange.core.ids import PathId
from exchange.core.templating import flash, render
from exchange.core.viewer import Viewer
from exchange.evaluation import outcome as outcomes
from exchange.knowledge.models import FollowKind
from exchange.knowledge.panel import follow_state
from exchange.matching.related import related
from exchange.needs import service as needs
from exchange.needs.models import Need, NeedStage
from exchange.proposals import clarifications, invitations, procurement, sealing
from exchange.proposals import service as proposals
from exchange.proposals.publishing import date_problems, publish

router = APIRouter(route_class=TransactionalRoute, prefix="/needs")
# What the council sees of moderation in its need's history: that it was hidden or restored, not that anyone
# reported it or that reports were dismissed (that is for the moderators).
MODERATION_LABELS = {"moderation.hidden": "hidden by a moderator", "moderation.restored": "restored by a moderator"}
SEALING_LABELS = {"proposals.opened": "proposals opened", "proposals.closed_early": "proposals closed early"}
INVITATION_LABELS = {"invitation.sent": "a supplier invited to respond"}


def _history(db: Session, need: Need) -> list[AuditEvent]:
    events = audit.history(db, "need", need.id)
    return [e for e in events if not e.action.startswith("moderation.") or e.action in MODERATION_LABELS]


@router.get("/{need_id}", response_class=HTMLResponse)
def detail(
    request: Request, need_id: PathId, db: Session = Depends(get_db), viewer: Viewer = Depends(current_viewer)
) -> HTMLResponse:
    need = needs.get(db, viewer, need_id)
    return render(request, "needs/detail.html", _page_context(db, viewer, need, viewer.is_member(need.organisation_id)))


def _page_context(db: Session, viewer: Viewer, need: Need, can_edit: bool) -> dict[str, Any]:
    return {
        "need": need,
        "page_title": need.title,
        "can_edit": can_edit,
        "next_stages": needs.next_stages(need) if can_edit else [],
        "history": _history(db, need) if can_edit else [],
        "moderation_labels": {**MODERATION_LABELS, **SEALING_LABELS, **INVITATION_LABELS},
        "stage_labels": {stage.value: stage.label for stage in NeedStage},
        "related": related(
            db,
            viewer,
            "need",
            need.id,
            need.organisation_id,
            f"{need.title}\n{need.summary}\n{' '.join(need.tags or [])}",
        ),
        **_procurement_context(db, viewer, need),
        "thread": conversations.thread(db, viewer, "need", need.id),
        "follow": follow_state(db, viewer, FollowKind.NEED, need.id),
    }


def _preview_page(
    request: Request, db: Session, viewer: Viewer, need: Need, errors: dict[str, str], status: int = 200
) -> HTMLResponse:
    # Without the council's tabs, history and stage controls: as a supplier will see the need once published.
    context = {
        **_page_context(db, viewer, need, can_edit=False),
        "page_title": f"Preview: {need.title}",
        "preview": True,
        "errors": errors,
    }
    return render(request, "needs/detail.html", context, status_code=status)


@router.get("/{need_id}/preview", response_class=HTMLResponse)
def preview(
    request: Request, need_id: PathId, db: Session = Depends(get_db), viewer: Viewer = Depends(signed_in_viewer)
) -> Response:
    need = needs.get_draft(db, viewer, need_id)
    return _preview_page(request, db, viewer, need, date_problems(procurement.load(db, need)))


@router.post("/{need_id}/publish", response_class=HTMLResponse)
def publish_draft(
    request: Request, need_id: PathId, db: Session = Depends(get_db), viewer: Viewer = Depends(signed_in_viewer)
) -> Response:
    try:
        need = publish(db, viewer, need_id)
    except Invalid as error:
        draft = needs.get_draft(db, viewer, need_id)
        return _preview_page(request, db, viewer, draft, error.field_errors, 422)
    flash(request, "Your need is published.")
    return RedirectResponse(f"/needs/{need.id}", status_code=303)


def _procurement_context(db: Session, viewer: Viewer, need: Need) -> dict[str, Any]:
    view = procurement.load(db, need)
    is_council = viewer.is_member(need.organisation_id)
    responding = [] if is_council else procurement.responding_organisations(db, viewer)
    # Only how many: the proposals themselves stay sealed until they are opened (see proposals.sealing).
    received = sealing.received_count(db, need.id) if is_council else 0
    return {
        "procurement": view,
        "clarifications": clarifications.visible_to(db, viewer, need),
        "can_ask": bool(responding),
        "can_respond": bool(responding),
        "own_proposals": proposals.own_for_need(db, viewer, need) if responding else [],
        "questions_waiting": clarifications.waiting_count(db, need) if is_council else 0,
        "proposals_received": received,
        "outcome": outcomes.outcome_of(db, need.id),
        "invitations": invitations.for_council(db, view, viewer.user_id) if is_council else [],
        "own_invitations": invitations.received(db, [o.id for o in responding], need.id),
    }
