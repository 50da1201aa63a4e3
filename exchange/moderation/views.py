"""Moderation pages: reporting content, and the moderators' queue with its actions and what they hid."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from exchange.accounts.dependencies import signed_in_viewer
from exchange.conversations.schemas import ReasonForm
from exchange.core.errors import Invalid
from exchange.core.forms import form_to_dict, submitted_form, validate
from exchange.core.http import TransactionalRoute, get_db
from exchange.core.ids import PathId
from exchange.core.templating import flash, render
from exchange.core.viewer import Viewer
from exchange.moderation import service
from exchange.moderation.models import ContentKind

router = APIRouter(route_class=TransactionalRoute, prefix="/moderation")
REASON_LABELS = {"reason": "the reason"}


def _report_page(
    request: Request,
    kind: ContentKind,
    content_id: int,
    values: dict[str, Any],
    errors: dict[str, str],
    status: int = 200,
) -> HTMLResponse:
    context = {
        "page_title": f"Report this {kind.noun}",
        "kind": kind,
        "content_id": content_id,
        "values": values,
        "errors": errors,
    }
    return render(request, "moderation/report.html", context, status)


@router.get("/report/{kind}/{content_id}", response_class=HTMLResponse)
def report_form(
    request: Request,
    kind: str,
    content_id: PathId,
    db: Session = Depends(get_db),
    viewer: Viewer = Depends(signed_in_viewer),
) -> HTMLResponse:
    return _report_page(request, service.reportable(db, viewer, kind, content_id), content_id, {}, {})


@router.post("/report/{kind}/{content_id}", response_class=HTMLResponse)
def report(
    request: Request,
    kind: str,
    content_id: PathId,
    form: FormData = Depends(submitted_form),
    db: Session = Depends(get_db),
    viewer: Viewer = Depends(signed_in_viewer),
) -> Response:
    # Checked before the form, so that what the viewer may not see answers 404 whatever was sent.
    content_kind = service.reportable(db, viewer, kind, content_id)
    values = form_to_dict(form)
    try:
        service.report(db, viewer, kind, content_id, validate(ReasonForm, values, REASON_LABELS).reason)
    except Invalid as error:
        return _report_page(request, content_kind, content_id, values, error.field_errors, 422)
    flash(request, "Thank you. A moderator will look at it.")
    return RedirectResponse("/dashboard", 303)


def _queue_page(
    request: Request, db: Session, viewer: Viewer, errors: dict[str, str], status: int = 200
) -> HTMLResponse:
    context = {
        "page_title": "Moderation",
        "items": service.queue(db, viewer),
        "hidden": service.hidden(db, viewer),
        "errors": errors,
    }
    return render(request, "moderation/queue.html", context, status)


@router.get("", response_class=HTMLResponse)
def queue(request: Request, db: Session = Depends(get_db), viewer: Viewer = Depends(signed_in_viewer)) -> HTMLResponse:
    return _queue_page(request, db, viewer, {})


@router.post("/posts/{post_id}/approve")
def approve(
    request: Request, post_id: PathId, db: Session = Depends(get_db), viewer: Viewer = Depends(signed_in_viewer)
) -> Response:
    service.approve(db, viewer, post_id)
    flash(request, "Approved: the post is now public.")
    return RedirectResponse("/moderation", 303)


@router.post("/{kind}/{content_id}/hide", response_class=HTMLResponse)
def hide(
    request: Request,
    kind: str,
    content_id: PathId,
    form: FormData = Depends(submitted_form),
    db: Session = Depends(get_db),
    viewer: Viewer = Depends(signed_in_viewer),
) -> Response:
    service.content_kind_of(kind)
    try:
        reason = validate(ReasonForm, form_to_dict(form), REASON_LABELS).reason
    except Invalid as error:
        return _queue_page(request, db, viewer, {f"reason-{kind}-{content_id}": error.field_errors["reason"]}, 422)
    service.hide(db, viewer, kind, content_id, reason)
    flash(request, "Hidden. Its author is told why.")
    return RedirectResponse("/moderation", 303)


@router.post("/{kind}/{content_id}/restore")
def restore(
    request: Request,
    kind: str,
    content_id: PathId,
    db: Session = Depends(get_db),
    viewer: Viewer = Depends(signed_in_viewer),
) -> Response:
    service.restore(db, viewer, kind, content_id)
    flash(request, "Restored: it is shown again where it was, and its author is told.")
    return RedirectResponse("/moderation", 303)


@router.post("/{kind}/{content_id}/dismiss")
def dismiss(
    request: Request,
    kind: str,
    content_id: PathId,
    db: Session = Depends(get_db),
    viewer: Viewer = Depends(signed_in_viewer),
) -> Response:
    service.dismiss(db, viewer, kind, content_id)
    flash(request, "The reports are dismissed; the content stays.")
    return RedirectResponse("/moderation", 303)


@router.post("/users/{user_id}/suspend", response_class=HTMLResponse)
def suspend(
    request: Request,
    user_id: PathId,
    form: FormData = Depends(submitted_form),
    db: Session = Depends(get_db),
    viewer: Viewer = Depends(signed_in_viewer),
) -> Response:
    try:
        reason = validate(ReasonForm, form_to_dict(form), REASON_LABELS).reason
    except Invalid as error:
        return _queue_page(request, db, viewer, {f"suspend-{user_id}": error.field_errors["reason"]}, 422)
    user = service.suspend(db, viewer, user_id, reason)
    flash(request, f"{user.name}'s account is suspended.")
    return RedirectResponse("/moderation", 303)
