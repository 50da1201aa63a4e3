"""Pitch and offer pages: publish, edit, withdraw (a listing's own page is pages.listing). Both kinds share one
set of routes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from exchange.accounts.dependencies import signed_in_viewer
from exchange.core.errors import Invalid
from exchange.core.forms import chosen_id, form_to_dict, submitted_form, validate
from exchange.core.http import TransactionalRoute, get_db
from exchange.core.ids import PathId
from exchange.core.templating import flash, render
from exchange.core.viewer import Viewer
from exchange.listings import service
from exchange.listings.models import PRICE_MODEL_LABELS, ListingStatus, Offer, Pitch
from exchange.listings.schemas import LISTING_LABELS, ListingForm, OfferForm, PitchForm
from exchange.reference import service as reference

router = APIRouter(route_class=TransactionalRoute)


@dataclass(frozen=True)
class ListingKind:
    name: str
    plural: str
    model: type[Pitch] | type[Offer]
    form: type[ListingForm]
    noun: str

    @property
    def base(self) -> str:
        return f"/{self.plural}"

    @property
    def with_article(self) -> str:
        return f"{'an' if self.noun[0] in 'aeiou' else 'a'} {self.noun}"


PITCH = ListingKind("pitch", "pitches", Pitch, PitchForm, "pitch")
OFFER = ListingKind("offer", "offers", Offer, OfferForm, "offer")


def _values(listing: Pitch | Offer) -> dict[str, Any]:
    values: dict[str, Any] = {
        "title": listing.title,
        "summary": listing.summary,
        "description": listing.description,
        "category_id": listing.category_id or "",
        "region_id": listing.region_id or "",
        "tags": ", ".join(listing.tags or []),
        "organisation_id": listing.organisation_id,
    }
    if isinstance(listing, Offer):
        values.update(price_model=listing.price_model.value, price_amount=listing.price_amount or "")
    return values


def _form_page(
    request: Request,
    db: Session,
    viewer: Viewer,
    kind: ListingKind,
    values: dict[str, Any],
    errors: dict[str, str],
    action: str,
    editing: bool,
    status: int = 200,
) -> HTMLResponse:
    context = {
        "kind": kind,
        "page_title": f"Edit your {kind.noun}" if editing else f"Publish {kind.with_article}",
        "values": values,
        "errors": errors,
        "action": action,
        "editing": editing,
        "organisations": service.publishing_organisations(db, viewer),
        "category_groups": reference.category_choices(db),
        "regions": reference.regions(db),
        "price_models": list(PRICE_MODEL_LABELS.items()),
    }
    return render(request, "listings/form.html", context, status_code=status)


def _parse(kind: ListingKind, values: dict[str, Any]) -> ListingForm:
    return validate(kind.form, values, LISTING_LABELS)


def _add_routes(kind: ListingKind) -> None:
    @router.get(f"{kind.base}/new", response_class=HTMLResponse, name=f"new_{kind.name}")
    def new_form(
        request: Request, db: Session = Depends(get_db), viewer: Viewer = Depends(signed_in_viewer)
    ) -> Response:
        organisations = service.publishing_organisations(db, viewer)
        if not organisations:
            return render(
                request,
                "listings/no_organisation.html",
                {"kind": kind, "page_title": f"Publish {kind.with_article}"},
            )
        # No price model is chosen for the user: the form asks (see OfferForm).
        values = {"organisation_id": organisations[0].id}
        return _form_page(request, db, viewer, kind, values, {}, f"{kind.base}/new", editing=False)

    @router.post(f"{kind.base}/new", response_class=HTMLResponse, name=f"create_{kind.name}")
    def create(
        request: Request,
        form: FormData = Depends(submitted_form),
        db: Session = Depends(get_db),
        viewer: Viewer = Depends(signed_in_viewer),
    ) -> Response:
        values = form_to_dict(form)
        try:
            data = _parse(kind, values)
            organisation_id = chosen_id(values, "organisation_id")
            listing = service.create(db, viewer, kind.model, organisation_id, data)
        except (Invalid, ValueError) as error:
            errors = error.field_errors if isinstance(error, Invalid) else {"organisation_id": "Choose an organisation"}
            return _form_page(request, db, viewer, kind, values, errors, f"{kind.base}/new", False, 422)
        flash(request, f"Your {kind.noun} is published.")
        return RedirectResponse(f"{kind.base}/{listing.id}", status_code=303)

    @router.get(f"{kind.base}/{{listing_id}}/edit", response_class=HTMLResponse, name=f"edit_{kind.name}")
    def edit_form(
        request: Request,
        listing_id: PathId,
        db: Session = Depends(get_db),
        viewer: Viewer = Depends(signed_in_viewer),
    ) -> HTMLResponse:
        listing = service.get_for_edit(db, viewer, kind.model, listing_id)
        return _form_page(request, db, viewer, kind, _values(listing), {}, f"{kind.base}/{listing_id}/edit", True)

    @router.post(f"{kind.base}/{{listing_id}}/edit", response_class=HTMLResponse, name=f"update_{kind.name}")
    def update(
        request: Request,
        listing_id: PathId,
        form: FormData = Depends(submitted_form),
        db: Session = Depends(get_db),
        viewer: Viewer = Depends(signed_in_viewer),
    ) -> Response:
        service.get_for_edit(db, viewer, kind.model, listing_id)
        values = form_to_dict(form)
        try:
            data = _parse(kind, values)
            service.update(db, viewer, kind.model, listing_id, data)
        except Invalid as error:
            action = f"{kind.base}/{listing_id}/edit"
            return _form_page(request, db, viewer, kind, values, error.field_errors, action, True, 422)
        flash(request, f"Your {kind.noun} is updated.")
        return RedirectResponse(f"{kind.base}/{listing_id}", status_code=303)

    @router.post(f"{kind.base}/{{listing_id}}/status", name=f"{kind.name}_status")
    def change_status(
        request: Request,
        listing_id: PathId,
        form: FormData = Depends(submitted_form),
        db: Session = Depends(get_db),
        viewer: Viewer = Depends(signed_in_viewer),
    ) -> Response:
        wanted = form.get("status")
        if wanted not in {s.value for s in ListingStatus}:
            raise Invalid("Choose whether to publish or withdraw")
        status = ListingStatus(str(wanted))
        service.set_status(db, viewer, kind.model, listing_id, status)
        flash(
            request,
            f"Your {kind.noun} is {'published again' if status is ListingStatus.PUBLISHED else 'withdrawn'}.",
        )
        return RedirectResponse(f"{kind.base}/{listing_id}", status_code=303)


_add_routes(PITCH)
_add_routes(OFFER)
