"""Follow and stop following from an item's page (in place with HTMX), and the list of what one follows."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from exchange.accounts.dependencies import signed_in_viewer
from exchange.core.forms import submitted_form
from exchange.core.http import TransactionalRoute, get_db
from exchange.core.ids import PathId
from exchange.core.templating import flash, is_htmx, render
from exchange.core.viewer import Viewer
from exchange.knowledge import follows, saved_searches
from exchange.knowledge.panel import follow_state

router = APIRouter(route_class=TransactionalRoute)


def safe_next(value: object, fallback: str) -> str:
    """Only a path on this site: never an address elsewhere ("//evil.example" included)."""
    text = str(value or "")
    if text.startswith("/") and not text.startswith("//") and "\\" not in text:
        return text
    return fallback


def _answer(request: Request, db: Session, viewer: Viewer, kind: str, target_id: int, form: FormData) -> Response:
    state = follow_state(db, viewer, follows.parse_kind(kind), target_id)
    if is_htmx(request):
        return render(
            request,
            "knowledge/_follow_button.html",
            {"state": state, "current_path": safe_next(form.get("next"), "/following")},
            headers={"Vary": "HX-Request"},
        )
    noun = state.noun
    flash(request, f"You follow this {noun}." if state.following else f"You no longer follow this {noun}.")
    return RedirectResponse(safe_next(form.get("next"), "/following"), status_code=303)


@router.post("/follows/{kind}/{target_id}")
def follow(
    request: Request,
    kind: str,
    target_id: PathId,
    form: FormData = Depends(submitted_form),
    db: Session = Depends(get_db),
    viewer: Viewer = Depends(signed_in_viewer),
) -> Response:
    follows.follow(db, viewer, follows.parse_kind(kind), target_id)
    return _answer(request, db, viewer, kind, target_id, form)


@router.post("/follows/{kind}/{target_id}/remove")
def unfollow(
    request: Request,
    kind: str,
    target_id: PathId,
    form: FormData = Depends(submitted_form),
    db: Session = Depends(get_db),
    viewer: Viewer = Depends(signed_in_viewer),
) -> Response:
    follows.unfollow(db, viewer, follows.parse_kind(kind), target_id)
    return _answer(request, db, viewer, kind, target_id, form)


@router.get("/following", response_class=HTMLResponse)
def following(
    request: Request, db: Session = Depends(get_db), viewer: Viewer = Depends(signed_in_viewer)
) -> HTMLResponse:
    assert viewer.user_id is not None
    context = {
        "page_title": "What you follow",
        "followed": follows.follows_of(db, viewer.user_id),
        "searches": saved_searches.saved_by(db, viewer.user_id),
    }
    return render(request, "knowledge/following.html", context)


@router.get("/follows/{kind}/{target_id}", response_class=HTMLResponse)
def follow_page(
    request: Request,
    kind: str,
    target_id: PathId,
    db: Session = Depends(get_db),
    viewer: Viewer = Depends(signed_in_viewer),
) -> HTMLResponse:
    """A page of its own for following, for places that cannot hold a form (a category, from the search page)."""
    followed = follows.target(db, viewer, follows.parse_kind(kind), target_id)
    context = {
        "page_title": f"Follow {followed.title}",
        "followed": followed,
        "state": follow_state(db, viewer, followed.kind, target_id),
        "current_path": followed.url,
    }
    return render(request, "knowledge/follow.html", context)
