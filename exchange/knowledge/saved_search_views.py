"""Saving a search from the search page, listing and deleting one's saved searches, and their Atom feeds."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from exchange.accounts.dependencies import signed_in_viewer
from exchange.core.errors import Invalid
from exchange.core.forms import form_to_dict, submitted_form, validate
from exchange.core.http import TransactionalRoute, get_db
from exchange.core.ids import PathId
from exchange.core.templating import flash, render
from exchange.core.viewer import ANONYMOUS, Viewer
from exchange.knowledge import saved_searches
from exchange.knowledge.models import Frequency
from exchange.knowledge.schemas import SAVED_SEARCH_LABELS, SavedSearchForm
from exchange.reference import service as reference
from exchange.search.feed import atom_feed

router = APIRouter(route_class=TransactionalRoute)
FREQUENCIES = [(f.value, f.label) for f in Frequency]


def _names(db: Session) -> tuple[dict[int, str], dict[int, str]]:
    return {c.id: c.label for c in reference.top_categories(db)}, {r.id: r.name for r in reference.regions(db)}


def _form_page(
    request: Request, db: Session, values: dict[str, Any], errors: dict[str, str], status: int = 200
) -> HTMLResponse:
    query = saved_searches.parse(str(values.get("query", "")))
    categories, regions = _names(db)
    context = {
        "page_title": "Save this search",
        "values": values,
        "errors": errors,
        "frequencies": FREQUENCIES,
        "described": saved_searches.describe(query, categories, regions),
        "search_url": "/search?" + saved_searches.canonical(query),
    }
    return render(request, "knowledge/save_search.html", context, status_code=status)


@router.get("/saved-searches/new", response_class=HTMLResponse)
def new_saved_search(
    request: Request, db: Session = Depends(get_db), viewer: Viewer = Depends(signed_in_viewer)
) -> HTMLResponse:
    query = saved_searches.parse(request.url.query)
    categories, _ = _names(db)
    values = {
        "query": saved_searches.canonical(query),
        "name": saved_searches.suggested_name(query, categories),
        "frequency": Frequency.WEEKLY.value,
    }
    return _form_page(request, db, values, {})


@router.post("/saved-searches/new", response_class=HTMLResponse)
def create_saved_search(
    request: Request,
    form: FormData = Depends(submitted_form),
    db: Session = Depends(get_db),
    viewer: Viewer = Depends(signed_in_viewer),
) -> Response:
    values = form_to_dict(form)
    try:
        data = validate(SavedSearchForm, values, SAVED_SEARCH_LABELS)
    except Invalid as error:
        return _form_page(request, db, values, error.field_errors, 422)
    saved = saved_searches.create(db, viewer, data)
    flash(
        request, f"Your search “{saved.name}” is saved. We will email you new results {saved.frequency.label.lower()}."
    )
    return RedirectResponse("/saved-searches", status_code=303)


@router.get("/saved-searches", response_class=HTMLResponse)
def list_saved_searches(
    request: Request, db: Session = Depends(get_db), viewer: Viewer = Depends(signed_in_viewer)
) -> HTMLResponse:
    assert viewer.user_id is not None
    categories, regions = _names(db)
    searches = saved_searches.saved_by(db, viewer.user_id)
    context = {
        "page_title": "Your saved searches",
        "searches": [
            (s, saved_searches.describe(saved_searches.parse(s.query), categories, regions)) for s in searches
        ],
        "frequencies": FREQUENCIES,
    }
    return render(request, "knowledge/saved_searches.html", context)


@router.post("/saved-searches/{saved_id}/delete")
def delete_saved_search(
    request: Request, saved_id: PathId, db: Session = Depends(get_db), viewer: Viewer = Depends(signed_in_viewer)
) -> Response:
    saved = saved_searches.own(db, viewer, saved_id)
    name = saved.name
    saved_searches.delete(db, viewer, saved_id)
    flash(request, f"Your saved search “{name}” is deleted.")
    return RedirectResponse("/saved-searches", status_code=303)


@router.post("/saved-searches/{saved_id}/frequency")
def change_frequency(
    request: Request,
    saved_id: PathId,
    form: FormData = Depends(submitted_form),
    db: Session = Depends(get_db),
    viewer: Viewer = Depends(signed_in_viewer),
) -> Response:
    saved_searches.own(db, viewer, saved_id)
    try:
        frequency = Frequency(str(form.get("frequency", "")))
    except ValueError:
        raise Invalid(
            "Choose how often to email you", field_errors={"frequency": "Choose how often to email you"}
        ) from None
    saved = saved_searches.change_frequency(db, viewer, saved_id, frequency)
    flash(request, f"We will email you new results for “{saved.name}” {frequency.label.lower()}.")
    return RedirectResponse("/saved-searches", status_code=303)


@router.get("/saved-searches/feed/{token}.atom")
def saved_search_feed(request: Request, token: str, db: Session = Depends(get_db)) -> Response:
    """Feed readers cannot sign in: the address holds a secret, and the feed holds only what anyone may see."""
    saved = saved_searches.by_feed_token(db, token)
    hits = saved_searches.newest(db, ANONYMOUS, saved)
    categories, _ = _names(db)
    body = atom_feed(
        f"{saved.name}: Open Innovation Exchange",
        request.app.state.settings.base_url.rstrip("/"),
        str(request.url.path),
        f"/search?{saved.query}",
        hits,
        categories,
    )
    return Response(body, media_type="application/atom+xml; charset=utf-8")
