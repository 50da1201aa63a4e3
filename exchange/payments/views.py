"""The pricing page, checkout and billing portal hand-offs, each organisation's billing page, and the webhook."""

from __future__ import annotations

import secrets
from typing import Any

import stripe
from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from exchange.accounts.dependencies import current_viewer, signed_in_viewer
from exchange.core.errors import Conflict, Invalid, NotAllowed
from exchange.core.forms import submitted_form
from exchange.core.http import TransactionalRoute, get_db, request_session
from exchange.core.ids import MAX_ID, PathId, plain_number
from exchange.core.templating import add_page_facts, is_htmx, render, render_page_or_fragment
from exchange.core.viewer import Viewer
from exchange.payments import billing_pages, entitlements, service, webhooks
from exchange.payments.gateway import Gateway, PaymentsUnavailable, verify_event
from exchange.payments.models import BillingPageKind, BillingPageStatus
from exchange.payments.plans import catalogue

router = APIRouter(route_class=TransactionalRoute)

WEBHOOK_PATH = "/payments/stripe/webhook"


def payments_enabled(request: Request) -> bool:
    return bool(request.app.state.settings.payments_enabled)


def gateway(request: Request) -> Gateway:
    """The app's one Stripe gateway; with payments off there is none, and asking for it is a 404."""
    if not payments_enabled(request):
        raise PaymentsUnavailable()
    found: Gateway | None = getattr(request.app.state, "payments_gateway", None)
    if found is None:
        found = Gateway(request.app.state.settings)
        request.app.state.payments_gateway = found
    return found


def _pricing(
    request: Request, db: Session, viewer: Viewer, values: dict[str, str], errors: dict[str, str], status: int = 200
) -> HTMLResponse:
    organisations = service.organisations_to_bill(db, viewer) if viewer.signed_in else []
    context: dict[str, Any] = {
        "page_title": "Pricing",
        "payments_enabled": payments_enabled(request),
        "catalogue": catalogue(db),
        "organisations": organisations,
        "current": {o.id: entitlements.plan_for(db, o.id) for o in organisations},
        "attempt": secrets.token_hex(16),
        "values": values,
        "errors": errors,
    }
    return render(request, "payments/pricing.html", context, status_code=status)


@router.get("/pricing", response_class=HTMLResponse)
def pricing(request: Request, db: Session = Depends(get_db), viewer: Viewer = Depends(current_viewer)) -> HTMLResponse:
    return _pricing(request, db, viewer, {}, {})


@router.post("/billing/checkout", response_class=HTMLResponse)
def checkout(
    request: Request,
    form: FormData = Depends(submitted_form),
    db: Session = Depends(get_db),
    viewer: Viewer = Depends(signed_in_viewer),
) -> Response:
    values = {key: str(form.get(key, "")).strip() for key in ("organisation_id", "price", "attempt")}
    gateway(request)  # with payments off, a 404 before anything is checked
    errors: dict[str, str] = {}
    if plain_number(values["organisation_id"], MAX_ID) not in viewer.admin_of:
        errors["organisation_id"] = "Choose an organisation you administer"
    if not values["price"]:
        errors["price"] = "Choose a plan and how often to pay"
    if errors:
        return _pricing(request, db, viewer, values, errors, 422)
    try:
        page = billing_pages.request_checkout(
            db, viewer, int(values["organisation_id"]), values["price"], values["attempt"]
        )
    except Invalid as error:
        return _pricing(request, db, viewer, values, error.field_errors or {"price": error.message}, 422)
    except (Conflict, NotAllowed) as error:
        return _pricing(request, db, viewer, values, {"price": error.message}, error.status_code)
    return RedirectResponse(f"/billing/pages/{page.id}", status_code=303)


@router.get("/billing/pages/{page_id}", response_class=HTMLResponse)
def billing_page_waiting(
    request: Request, page_id: PathId, db: Session = Depends(get_db), viewer: Viewer = Depends(signed_in_viewer)
) -> Response:
    """Polled by the page every second until Stripe's address is ready, then on to Stripe."""
    page = billing_pages.get(db, viewer, page_id)
    if page.status is BillingPageStatus.READY and page.url:
        if is_htmx(request):
            return Response(status_code=204, headers={"HX-Redirect": page.url})
        return RedirectResponse(page.url, status_code=303)
    context = {
        "page_title": "Opening Stripe" if page.kind is BillingPageKind.CHECKOUT else "Opening billing",
        "page": page,
        "organisation": billing_pages.page_organisation(db, page),
        "slow": billing_pages.is_slow(page),
    }
    return render_page_or_fragment(request, "payments/waiting.html", "payments/_waiting.html", context)


@router.get("/billing/success", response_class=HTMLResponse)
def checkout_success(request: Request, viewer: Viewer = Depends(signed_in_viewer)) -> HTMLResponse:
    # The plan starts when Stripe's signed webhook says the payment went through, not on this visit.
    return render(request, "payments/returned.html", {"page_title": "Thank you", "success": True})


@router.get("/billing/cancelled", response_class=HTMLResponse)
def checkout_cancelled(request: Request, viewer: Viewer = Depends(signed_in_viewer)) -> HTMLResponse:
    return render(request, "payments/returned.html", {"page_title": "Payment cancelled", "success": False})


@router.get("/billing/{organisation_id}", response_class=HTMLResponse)
def billing_page(
    request: Request, organisation_id: PathId, db: Session = Depends(get_db), viewer: Viewer = Depends(signed_in_viewer)
) -> HTMLResponse:
    context = {
        "page_title": "Plan and billing",
        "billing": service.billing(db, viewer, organisation_id),
        "payments_enabled": payments_enabled(request),
        "is_admin": organisation_id in viewer.admin_of,
    }
    return render(request, "payments/billing.html", context)


@router.post("/billing/{organisation_id}/portal")
def billing_portal(
    request: Request, organisation_id: PathId, db: Session = Depends(get_db), viewer: Viewer = Depends(signed_in_viewer)
) -> Response:
    gateway(request)  # with payments off, a 404
    page = billing_pages.request_portal(db, viewer, organisation_id)
    return RedirectResponse(f"/billing/pages/{page.id}", status_code=303)


async def raw_body(request: Request) -> bytes:
    """The bytes exactly as Stripe signed them: parsing first would break the signature."""
    return await request.body()


@router.post(WEBHOOK_PATH)
def stripe_webhook(request: Request, payload: bytes = Depends(raw_body), db: Session = Depends(get_db)) -> Response:
    """Exempt from CSRF (see accounts.dependencies), so the signature is the only way in."""
    settings = request.app.state.settings
    if not settings.payments_enabled:
        return JSONResponse({"detail": "Payments are not enabled on this instance."}, status_code=404)
    if not settings.stripe_webhook_secret:
        return JSONResponse({"detail": "The webhook secret is not configured."}, status_code=503)
    try:
        event = verify_event(payload, request.headers.get("Stripe-Signature"), settings.stripe_webhook_secret)
    except (ValueError, stripe.SignatureVerificationError):
        return JSONResponse({"detail": "The signature or payload is not valid."}, status_code=400)
    if not str(event.get("id") or "").startswith("evt_"):
        return JSONResponse({"detail": "The event has no id."}, status_code=400)
    row, new = webhooks.record(db, event)
    # Processed by a job once this commits, so Stripe gets its answer at once (see payments.webhooks).
    return JSONResponse({"received": True, "duplicate": not new, "status": row.status.value})


def billing_problems(request: Request, viewer: Viewer) -> dict[str, Any]:
    """The failed-payment banner's facts, for every page (only organisation admins can fix a card)."""
    if not viewer.admin_of or not payments_enabled(request):
        return {}
    return {"billing_problems": service.payment_problems(request_session(request), viewer.admin_of)}


def install(app: Any) -> None:
    add_page_facts(app, billing_problems)
