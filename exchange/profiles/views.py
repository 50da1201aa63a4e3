"""Supplier profile pages: the profile (printable), the section forms, and confirming a reference.

Lists (certifications, insurance, references, past contracts) share one set of routes: a page showing the
items, each with a Remove button, above a plain form that adds one. Everything works without JavaScript.
Edit pages answer 404 to everyone who may not edit, anonymous visitors included: the service decides.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from exchange.accounts.dependencies import current_viewer
from exchange.core.dates import date_values, gather_dates
from exchange.core.errors import Invalid
from exchange.core.forms import FormSchema, form_to_dict, submitted_form, validate
from exchange.core.http import TransactionalRoute, get_db
from exchange.core.ids import PathId
from exchange.core.templating import flash, render
from exchange.core.viewer import Viewer
from exchange.organisations.models import Organisation
from exchange.profiles import service
from exchange.profiles.completeness import SECTIONS_BY_KEY, Section
from exchange.profiles.grounds import DISCRETIONARY_GROUNDS, MANDATORY_GROUNDS
from exchange.profiles.models import (
    ACCESSIBILITY_CONFORMANCE_LABELS,
    CERTIFICATION_LABELS,
    HOSTING_LOCATION_LABELS,
    INSURANCE_LABELS,
    LEGAL_FORM_LABELS,
    POLICY_LABELS,
    SIZE_LABELS,
    Certification,
    Insurance,
    PastContract,
    Reference,
)
from exchange.profiles.schemas import (
    CERTIFICATION_FORM_LABELS,
    IDENTITY_LABELS,
    INSURANCE_FORM_LABELS,
    PAST_CONTRACT_LABELS,
    POLICY_FORM_LABELS,
    REFERENCE_LABELS,
    CertificationForm,
    IdentityForm,
    InsuranceForm,
    PastContractForm,
    PoliciesForm,
    ReferenceForm,
    parse_declarations,
)

router = APIRouter(route_class=TransactionalRoute, prefix="/organisations/{slug}/profile")
PAST_CONTRACTS_SHOWN = 50
YES_NO = [("yes", "Yes"), ("no", "No")]
# The date inputs of the profile forms (see exchange.core.dates).
DATE_FIELDS = ("trading_started_on", "expires_on", "awarded_on")


def _base(organisation: Organisation) -> str:
    return f"/organisations/{organisation.slug}/profile"


def _yes_no(value: bool | None) -> str:
    return "" if value is None else ("yes" if value else "no")


@router.get("", response_class=HTMLResponse)
def profile_page(
    request: Request, slug: str, db: Session = Depends(get_db), viewer: Viewer = Depends(current_viewer)
) -> HTMLResponse:
    organisation = service.supplier_organisation(db, slug)
    view = service.load(db, organisation, past_contract_limit=PAST_CONTRACTS_SHOWN)
    context = {
        "page_title": f"Supplier profile: {organisation.name}",
        "view": view,
        "organisation": organisation,
        "base": _base(organisation),
        "can_edit": viewer.is_organisation_admin(organisation.id),
        "show_private": service.can_see_private_parts(viewer, organisation.id),
        **_labels(),
    }
    return render(request, "profiles/show.html", context)


def _labels() -> dict[str, Any]:
    return {
        "legal_forms": LEGAL_FORM_LABELS,
        "sizes": SIZE_LABELS,
        "policies": POLICY_LABELS,
        "hosting_locations": HOSTING_LOCATION_LABELS,
        "accessibility_levels": ACCESSIBILITY_CONFORMANCE_LABELS,
        "mandatory_grounds": MANDATORY_GROUNDS,
        "discretionary_grounds": DISCRETIONARY_GROUNDS,
    }


def _section_page(
    request: Request,
    template: str,
    view: service.ProfileView,
    section: Section,
    values: dict[str, Any],
    errors: dict[str, str],
    status: int = 200,
    **extra: Any,
) -> HTMLResponse:
    context = {
        "page_title": section.title,
        "section": section,
        "organisation": view.organisation,
        "base": _base(view.organisation),
        "view": view,
        "values": values,
        "errors": errors,
        **_labels(),
        **extra,
    }
    return render(request, template, context, status)


def _saved(request: Request, organisation: Organisation, section: Section) -> RedirectResponse:
    flash(request, f"{section.title}: your changes are saved.")
    return RedirectResponse(_base(organisation), status_code=303)


# --- Identity, policies and declarations: one form each ---


def _identity_values(view: service.ProfileView) -> dict[str, Any]:
    profile, organisation = view.profile, view.organisation
    if profile is None:
        return {"legal_name": organisation.name, "website": organisation.website or ""}
    return {
        "legal_name": profile.legal_name or organisation.name,
        "trading_names": ", ".join(profile.trading_names or []),
        "legal_form": profile.legal_form.value if profile.legal_form else "",
        "companies_house_number": profile.companies_house_number or "",
        "charity_number": profile.charity_number or "",
        "other_register": profile.other_register or "",
        "vat_number": profile.vat_number or "",
        "registered_address": profile.registered_address or "",
        "contact_address": profile.contact_address or "",
        "website": organisation.website or "",
        **date_values("trading_started_on", profile.trading_started_on),
        "size": profile.size or "",
        "is_vcse": _yes_no(profile.is_vcse),
    }


def _policy_values(view: service.ProfileView) -> dict[str, Any]:
    profile = view.profile
    if profile is None:
        return {"policies_held": []}
    return {
        "policies_held": profile.policies_held or [],
        "ico_registration_number": profile.ico_registration_number or "",
        "modern_slavery_statement_required": _yes_no(profile.modern_slavery_statement_required),
        "hosting_location": profile.hosting_location.value if profile.hosting_location else "",
        "accessibility_conformance": profile.accessibility_conformance.value
        if profile.accessibility_conformance
        else "",
    }


def _declaration_values(view: service.ProfileView) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for ground, declaration in view.declarations.items():
        values[ground] = _yes_no(declaration.applies)
        values[f"{ground}_explanation"] = declaration.explanation
    return values


@dataclass(frozen=True)
class SingleForm:
    section: Section
    values: Callable[[service.ProfileView], dict[str, Any]]
    save: Callable[[Session, Viewer, Organisation, dict[str, Any]], Any]
    lists: tuple[str, ...] = ()


SINGLE_FORMS = (
    SingleForm(
        SECTIONS_BY_KEY["identity"],
        _identity_values,
        lambda db, v, o, values: service.update_identity(db, v, o, validate(IdentityForm, values, IDENTITY_LABELS)),
    ),
    SingleForm(
        SECTIONS_BY_KEY["policies"],
        _policy_values,
        lambda db, v, o, values: service.update_policies(db, v, o, validate(PoliciesForm, values, POLICY_FORM_LABELS)),
        lists=("policies_held",),
    ),
    SingleForm(
        SECTIONS_BY_KEY["declarations"],
        _declaration_values,
        lambda db, v, o, values: service.update_declarations(db, v, o, parse_declarations(values)),
    ),
)


def _add_single_form_routes(form: SingleForm) -> None:
    path = f"/{form.section.path}"
    template = f"profiles/{form.section.key}.html"

    @router.get(path, response_class=HTMLResponse, name=f"profile_{form.section.key}")
    def edit_page(
        request: Request, slug: str, db: Session = Depends(get_db), viewer: Viewer = Depends(current_viewer)
    ) -> HTMLResponse:
        view = service.load(db, service.editable_organisation(db, viewer, slug))
        return _section_page(request, template, view, form.section, form.values(view), {})

    @router.post(path, response_class=HTMLResponse, name=f"save_profile_{form.section.key}")
    def save(
        request: Request,
        slug: str,
        submitted: FormData = Depends(submitted_form),
        db: Session = Depends(get_db),
        viewer: Viewer = Depends(current_viewer),
    ) -> Response:
        organisation = service.editable_organisation(db, viewer, slug)
        values = gather_dates(form_to_dict(submitted, lists=form.lists), DATE_FIELDS)
        try:
            form.save(db, viewer, organisation, values)
        except Invalid as error:
            view = service.load(db, organisation)
            return _section_page(request, template, view, form.section, values, error.field_errors, 422)
        return _saved(request, organisation, form.section)


for _form in SINGLE_FORMS:
    _add_single_form_routes(_form)


# --- Lists: add and remove items ---


@dataclass(frozen=True)
class ListSection:
    section: Section
    model: type[Certification] | type[Insurance] | type[Reference] | type[PastContract]
    form: type[FormSchema]
    labels: dict[str, str]
    add: Callable[..., Any]
    noun: str
    choices: Callable[[Session], dict[str, Any]] = lambda db: {}


LIST_SECTIONS = (
    ListSection(
        SECTIONS_BY_KEY["certifications"],
        Certification,
        CertificationForm,
        CERTIFICATION_FORM_LABELS,
        service.add_certification,
        "certificate",
        lambda db: {"kinds": list(CERTIFICATION_LABELS.items())},
    ),
    ListSection(
        SECTIONS_BY_KEY["insurance"],
        Insurance,
        InsuranceForm,
        INSURANCE_FORM_LABELS,
        service.add_insurance,
        "insurance policy",
        lambda db: {"kinds": list(INSURANCE_LABELS.items())},
    ),
    ListSection(
        SECTIONS_BY_KEY["references"],
        Reference,
        ReferenceForm,
        REFERENCE_LABELS,
        service.add_reference,
        "reference",
        lambda db: {"buyers": service.buyer_choices(db)},
    ),
    ListSection(
        SECTIONS_BY_KEY["past_contracts"],
        PastContract,
        PastContractForm,
        PAST_CONTRACT_LABELS,
        service.add_past_contract,
        "past contract",
    ),
)


def _add_list_routes(listing: ListSection) -> None:
    path = f"/{listing.section.path}"

    def page(
        request: Request,
        db: Session,
        organisation: Organisation,
        values: dict[str, Any],
        errors: dict[str, str],
        status: int = 200,
    ) -> HTMLResponse:
        view = service.load(db, organisation, past_contract_limit=PAST_CONTRACTS_SHOWN)
        extra = {"listing": listing, **listing.choices(db)}
        return _section_page(request, "profiles/list.html", view, listing.section, values, errors, status, **extra)

    @router.get(path, response_class=HTMLResponse, name=f"profile_{listing.section.key}")
    def list_page(
        request: Request, slug: str, db: Session = Depends(get_db), viewer: Viewer = Depends(current_viewer)
    ) -> HTMLResponse:
        organisation = service.editable_organisation(db, viewer, slug)
        return page(request, db, organisation, {}, {})

    @router.post(path, response_class=HTMLResponse, name=f"add_profile_{listing.section.key}")
    def add(
        request: Request,
        slug: str,
        submitted: FormData = Depends(submitted_form),
        db: Session = Depends(get_db),
        viewer: Viewer = Depends(current_viewer),
    ) -> Response:
        organisation = service.editable_organisation(db, viewer, slug)
        values = gather_dates(form_to_dict(submitted), DATE_FIELDS)
        try:
            listing.add(db, viewer, organisation, validate(listing.form, values, listing.labels))
        except Invalid as error:
            return page(request, db, organisation, values, error.field_errors, 422)
        flash(request, f"The {listing.noun} is added.")
        return RedirectResponse(f"{_base(organisation)}{path}", status_code=303)

    @router.post(f"{path}/{{item_id}}/remove", name=f"remove_profile_{listing.section.key}")
    def remove(
        request: Request,
        slug: str,
        item_id: PathId,
        db: Session = Depends(get_db),
        viewer: Viewer = Depends(current_viewer),
    ) -> Response:
        organisation = service.editable_organisation(db, viewer, slug)
        service.remove_item(db, viewer, organisation, listing.model, item_id)
        flash(request, f"The {listing.noun} is removed.")
        return RedirectResponse(f"{_base(organisation)}{path}", status_code=303)


for _listing in LIST_SECTIONS:
    _add_list_routes(_listing)


# --- A council confirms a reference that names it ---


@router.post("/references/{reference_id}/confirm")
def confirm_reference(
    request: Request,
    slug: str,
    reference_id: PathId,
    db: Session = Depends(get_db),
    viewer: Viewer = Depends(current_viewer),
) -> Response:
    organisation = service.supplier_organisation(db, slug)
    service.confirm_reference(db, viewer, organisation, reference_id)
    flash(request, f"You confirmed the reference for {organisation.name}.")
    return RedirectResponse("/dashboard", status_code=303)
