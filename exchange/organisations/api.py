"""JSON API for organisations: the directory and each organisation."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel
from sqlalchemy.orm import Session

from exchange.core.api_errors import API_ERRORS
from exchange.core.forms import MOST_PAGES, query_text
from exchange.core.http import TransactionalRoute, get_db
from exchange.core.ids import PathId
from exchange.organisations import directory, service
from exchange.organisations.models import Organisation, OrganisationKind
from exchange.organisations.schemas import OrganisationOut

router = APIRouter(route_class=TransactionalRoute, tags=["organisations"], responses=API_ERRORS)


class OrganisationPage(BaseModel):
    total: int
    page: int
    pages: int
    results: list[OrganisationOut]


@router.get("/organisations", response_model=OrganisationPage)
def list_organisations(
    db: Session = Depends(get_db),
    kind: OrganisationKind | None = None,
    q: Annotated[str, query_text(100)] = "",
    page: Annotated[int, Query(ge=1, le=MOST_PAGES)] = 1,
) -> OrganisationPage:
    result = directory.list_organisations(db, kind, q, page)
    return OrganisationPage(
        total=result.total,
        page=result.page,
        pages=result.pages,
        results=[OrganisationOut.model_validate(o) for o in result.organisations],
    )


@router.get("/organisations/{organisation_id}", response_model=OrganisationOut)
def get_organisation(organisation_id: PathId, db: Session = Depends(get_db)) -> Organisation:
    return service.get(db, organisation_id)
