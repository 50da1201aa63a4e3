"""Endorsing a supplier or an offer from its page, and withdrawing an endorsement."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from exchange.accounts.dependencies import signed_in_viewer
from exchange.core.errors import Conflict, Invalid, NotAllowed, NotFound
from exchange.core.forms import form_to_dict, submitted_form, validate
from exchange.core.http import TransactionalRoute, get_db
from exchange.core.ids import PathId
from exchange.core.templating import flash, render
from exchange.core.viewer import Viewer
from exchange.knowledge import endorsements
from exchange.knowledge.models import EndorsedKind
from exchange.knowledge.schemas import ENDORSEMENT_LABELS, STATEMENT_LIMIT, EndorsementForm
from exchange.listings.models import Offer
from exchange.organisations.models import Organisation

router = APIRouter(route_class=TransactionalRoute)


def _kind(kind: str) -> EndorsedKind:
    try:
        return EndorsedKind(kind)
    except ValueError:
        raise NotFound() from None


def item_url(supplier: Organisation, offer: Offer | None) -> str:
    return f"/offers/{offer.id}" if offer else f"/organisations/{supplier.slug}"


def _page(
    request: Request,
    db: Session,
    viewer: Viewer,
    kind: EndorsedKind,
    item_id: int,
    values: dict[str, Any],
    errors: dict[str, str],
    status: int = 200,
) -> HTMLResponse:
    supplier, offer = endorsements.endorsed_item(db, kind, item_id)
    councils = endorsements.endorsing_councils(db, viewer, supplier.id)
    if not councils:
        raise NotAllowed(
            "Only a verified council that awarded this supplier a contract, or confirmed its reference, can endorse it."
        )
    if "council_id" not in values:
        values = {**values, "council_id": councils[0].id}
    context = {
        "page_title": f"Endorse {offer.title if offer else supplier.name}",
        "supplier": supplier,
        "offer": offer,
        "item_url": item_url(supplier, offer),
        "action": f"/endorse/{kind.value}/{item_id}",
        "councils": [(c.id, c.name) for c in councils],
        "values": values,
        "errors": errors,
        "limit": STATEMENT_LIMIT,
    }
    return render(request, "knowledge/endorse.html", context, status_code=status)


@router.get("/endorse/{kind}/{item_id}", response_class=HTMLResponse)
def endorse_form(
    request: Request,
    kind: str,
    item_id: PathId,
    db: Session = Depends(get_db),
    viewer: Viewer = Depends(signed_in_viewer),
) -> HTMLResponse:
    return _page(request, db, viewer, _kind(kind), item_id, {}, {})


@router.post("/endorse/{kind}/{item_id}", response_class=HTMLResponse)
def endorse(
    request: Request,
    kind: str,
    item_id: PathId,
    form: FormData = Depends(submitted_form),
    db: Session = Depends(get_db),
    viewer: Viewer = Depends(signed_in_viewer),
) -> Response:
    endorsed = _kind(kind)
    values = form_to_dict(form)
    try:
        data = validate(EndorsementForm, values, ENDORSEMENT_LABELS)
        endorsement = endorsements.endorse(db, viewer, endorsed, item_id, data)
    except Invalid as error:
        return _page(request, db, viewer, endorsed, item_id, values, error.field_errors, 422)
    except Conflict as error:
        return _page(request, db, viewer, endorsed, item_id, values, {"council_id": error.message}, 409)
    supplier, offer = endorsements.endorsed_item(db, endorsed, item_id)
    flash(request, f"Your endorsement of {offer.title if offer else supplier.name} is published.")
    return RedirectResponse(item_url(supplier, offer) + f"#endorsement-{endorsement.id}", status_code=303)


@router.post("/endorsements/{endorsement_id}/withdraw")
def withdraw(
    request: Request,
    endorsement_id: PathId,
    db: Session = Depends(get_db),
    viewer: Viewer = Depends(signed_in_viewer),
) -> Response:
    endorsement = endorsements.withdraw(db, viewer, endorsement_id)
    supplier = db.get_one(Organisation, endorsement.organisation_id)
    offer = db.get(Offer, endorsement.item_id) if endorsement.item_kind is EndorsedKind.OFFER else None
    flash(request, "Your endorsement is withdrawn.")
    return RedirectResponse(item_url(supplier, offer), status_code=303)
