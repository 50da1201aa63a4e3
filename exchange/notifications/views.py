"""The in-app notifications list, each user's email choices, and unsubscribing from an email's link."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy.orm import Session
from starlette.datastructures import FormData
from starlette.responses import Response

from exchange.accounts.dependencies import signed_in_viewer
from exchange.accounts.models import User
from exchange.audit import service as audit
from exchange.core.errors import NotFound
from exchange.core.forms import submitted_form
from exchange.core.http import TransactionalRoute, get_db
from exchange.core.templating import flash, render
from exchange.core.viewer import Viewer
from exchange.notifications import service
from exchange.notifications.models import NotificationKind

router = APIRouter(route_class=TransactionalRoute)


def _user_id(viewer: Viewer) -> int:
    assert viewer.user_id is not None  # signed_in_viewer guarantees it
    return viewer.user_id


@router.get("/notifications", response_class=HTMLResponse)
def notifications(
    request: Request, db: Session = Depends(get_db), viewer: Viewer = Depends(signed_in_viewer)
) -> HTMLResponse:
    items = service.recent(db, _user_id(viewer))
    return render(request, "notifications/index.html", {"page_title": "Notifications", "items": items})


@router.post("/notifications/read")
def mark_read(db: Session = Depends(get_db), viewer: Viewer = Depends(signed_in_viewer)) -> Response:
    service.mark_all_read(db, _user_id(viewer))
    return RedirectResponse("/notifications", status_code=303)


@router.get("/account/notifications", response_class=HTMLResponse)
def settings_page(
    request: Request, db: Session = Depends(get_db), viewer: Viewer = Depends(signed_in_viewer)
) -> HTMLResponse:
    context = {"page_title": "Email settings", "choices": service.email_choices(db, _user_id(viewer))}
    return render(request, "notifications/settings.html", context)


@router.post("/account/notifications")
def save_settings(
    request: Request,
    form: FormData = Depends(submitted_form),
    db: Session = Depends(get_db),
    viewer: Viewer = Depends(signed_in_viewer),
) -> Response:
    # Ticked boxes arrive; unticked ones do not. Values that name no kind are ignored.
    ticked = {str(value) for value in form.getlist("email")}
    for kind in NotificationKind:
        service.set_email(db, _user_id(viewer), kind, kind.value in ticked)
    audit.record(db, viewer.user_id, "notifications.settings_changed", "user", _user_id(viewer), email=sorted(ticked))
    flash(request, "Your email settings are saved.")
    return RedirectResponse("/account/notifications", status_code=303)


def _from_token(db: Session, token: str) -> tuple[User, NotificationKind]:
    found = service.read_unsubscribe_token(token)
    user = db.get(User, found[0]) if found else None
    if found is None or user is None:
        raise NotFound("unsubscribe link")
    return user, found[1]


@router.get("/notifications/unsubscribe", response_class=HTMLResponse)
def unsubscribe_page(request: Request, token: str = "", db: Session = Depends(get_db)) -> HTMLResponse:
    """From an email's link, without signing in: confirm first, so that link scanners change nothing."""
    user, kind = _from_token(db, token)
    context = {"page_title": "Stop these emails", "kind": kind, "email": user.email, "token": token}
    return render(request, "notifications/unsubscribe.html", context)


@router.post("/notifications/unsubscribe", response_class=HTMLResponse)
def unsubscribe(request: Request, form: FormData = Depends(submitted_form), db: Session = Depends(get_db)) -> Response:
    token = str(form.get("token", ""))
    user, kind = _from_token(db, token)
    service.set_email(db, user.id, kind, False)
    audit.record(db, user.id, "notifications.unsubscribed", "user", user.id, kind=kind.value)
    context = {"page_title": "You will not get these emails", "kind": kind, "email": user.email, "done": True}
    return render(request, "notifications/unsubscribe.html", context)
