"""OCDS 1.1.5 releases of public needs: one need's release, and a paginated release package of them all."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from sqlalchemy.orm import Session

from exchange.core.api_errors import API_ERRORS
from exchange.core.http import TransactionalRoute, get_db
from exchange.core.ids import PathId
from exchange.core.models import utcnow
from exchange.ocds import release, service

router = APIRouter(route_class=TransactionalRoute, tags=["open contracting"], responses=API_ERRORS)
MAX_PAGE = 100


def _base_url(request: Request) -> str:
    return str(request.app.state.settings.base_url).rstrip("/")


@router.get("/needs/{need_id}/ocds", response_model=dict[str, Any])
def need_release(need_id: PathId, db: Session = Depends(get_db)) -> dict[str, Any]:
    """The need as an Open Contracting Data Standard 1.1.5 release: public needs only (404 for the others).
    The ocid is "ocds-oix-" and the need's id."""
    return release.release(service.for_need(db, need_id))


@router.get("/ocds/releases", response_model=dict[str, Any])
def release_package(
    request: Request,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 50,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
    db: Session = Depends(get_db),
) -> dict[str, Any]:
    """An OCDS release package of every public need, oldest first, ``limit`` at a time; ``links.next`` gives the
    next page while there is one."""
    base = _base_url(request)
    page = service.page(db, offset, limit)
    more = offset + limit < service.count_public(db)
    here = f"{base}/api/v1/ocds/releases?limit={limit}&offset={offset}"
    following = f"{base}/api/v1/ocds/releases?limit={limit}&offset={offset + limit}" if more else None
    return release.package([release.release(facts) for facts in page], here, utcnow(), base, following)
