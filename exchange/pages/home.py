"""The home page (what is new, counts) and the about page."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from exchange.accounts.dependencies import current_viewer
from exchange.core.http import TransactionalRoute, get_db
from exchange.core.templating import render
from exchange.core.viewer import Viewer
from exchange.needs.models import NEED_STAGE_LABELS
from exchange.organisations.models import Organisation
from exchange.search import service as search

router = APIRouter(route_class=TransactionalRoute)


@router.get("/", response_class=HTMLResponse)
def home(request: Request, db: Session = Depends(get_db), viewer: Viewer = Depends(current_viewer)) -> HTMLResponse:
    context = {
        "counts": search.counts_by_kind(db, viewer),
        "organisation_count": db.scalar(select(func.count()).select_from(Organisation)) or 0,
        "latest_needs": search.latest(db, viewer, "need"),
        "latest_pitches": search.latest(db, viewer, "pitch"),
        "latest_offers": search.latest(db, viewer, "offer"),
        "stage_labels": {stage.value: label for stage, label in NEED_STAGE_LABELS.items()},
    }
    return render(request, "home/index.html", context)


@router.get("/about", response_class=HTMLResponse)
def about(request: Request, viewer: Viewer = Depends(current_viewer)) -> HTMLResponse:
    return render(request, "home/about.html", {"page_title": "About the exchange"})
