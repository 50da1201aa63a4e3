"""The administrator's view of billing: every subscription, recent webhook events, and replaying an event."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from exchange.accounts.dependencies import admin_viewer
from exchange.core.http import TransactionalRoute, get_db
from exchange.core.ids import PathId
from exchange.core.templating import flash, render
from exchange.core.viewer import Viewer
from exchange.payments import service, webhooks
from exchange.payments.views import gateway, payments_enabled

router = APIRouter(route_class=TransactionalRoute, prefix="/admin/billing")


@router.get("", response_class=HTMLResponse)
def billing_admin(
    request: Request, db: Session = Depends(get_db), viewer: Viewer = Depends(admin_viewer)
) -> HTMLResponse:
    context = {
        "page_title": "Subscriptions and webhook events",
        "payments_enabled": payments_enabled(request),
        "subscriptions": service.all_subscriptions(db),
        "events": webhooks.recent(db),
    }
    return render(request, "payments/admin.html", context)


@router.post("/events/{event_id}/replay")
def replay(
    request: Request, event_id: PathId, db: Session = Depends(get_db), viewer: Viewer = Depends(admin_viewer)
) -> Response:
    gateway(request)  # with payments off there is nothing to replay: 404
    event = webhooks.mark_for_replay(db, viewer, event_id)
    flash(request, f"Event {event.stripe_event_id} is being processed again.")
    return RedirectResponse("/admin/billing", status_code=303)
