"""A search request (from the page's query string or the API) and what it returns."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from exchange.core.dates import uk_date
from exchange.core.forms import MOST_PAGES
from exchange.core.ids import DbId
from exchange.core.money import Pounds
from exchange.needs.models import NeedStage
from exchange.organisations.models import OrganisationKind

KINDS = ("pitch", "offer", "need")
STAGES = frozenset(stage.value for stage in NeedStage)
ORGANISATION_KINDS = frozenset(kind.value for kind in OrganisationKind)
KIND_LABELS = {"pitch": "Pitches", "offer": "Offers", "need": "Needs"}
KIND_PATHS = {"pitch": "pitches", "offer": "offers", "need": "needs"}
Sort = Literal["relevance", "newest"]


class SearchQuery(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)

    q: str = Field(default="", max_length=200)
    kind: tuple[Literal["pitch", "offer", "need"], ...] = ()
    category: tuple[DbId, ...] = ()
    region: tuple[DbId, ...] = ()
    price: tuple[Literal["free", "paid"], ...] = ()
    stage: tuple[str, ...] = ()
    organisation_kind: tuple[str, ...] = ()
    # Who may see the item: "public" keeps to what everyone sees, as the trends page counts it.
    visibility: tuple[Literal["public", "public_sector", "organisation"], ...] = ()
    # Needs: closed, cancelled and awarded ones only when asked for; the rest narrow to needs.
    include_ended: bool = False
    open_now: bool = False
    closes_within: int | None = Field(default=None, ge=1, le=365)
    closes_after: Annotated[date | None, uk_date("the closing date")] = None
    value_min: Pounds | None = Field(default=None, ge=0, le=1_000_000_000)
    value_max: Pounds | None = Field(default=None, ge=0, le=1_000_000_000)
    sort: Sort = "relevance"
    page: int = Field(default=1, ge=1, le=MOST_PAGES)
    per_page: int = Field(default=20, ge=1, le=100)

    @field_validator("q")
    @classmethod
    def tidy(cls, value: str) -> str:
        return " ".join(value.replace("\x00", " ").split())

    @field_validator("stage", "organisation_kind")
    @classmethod
    def known_values_only(cls, values: tuple[str, ...], info: Any) -> tuple[str, ...]:
        known = STAGES if info.field_name == "stage" else ORGANISATION_KINDS
        unknown = [value for value in values if value not in known]
        if unknown:
            noun = "stage" if info.field_name == "stage" else "kind of organisation"
            raise ValueError(f"Choose a {noun} from the list ({unknown[0]!r} is not one)")
        return values

    @field_validator("value_max")
    @classmethod
    def value_range_in_order(cls, value_max: int | None, info: Any) -> int | None:
        value_min = info.data.get("value_min")
        if value_max is not None and value_min is not None and value_min > value_max:
            raise ValueError("The highest value must not be less than the lowest value")
        return value_max


@dataclass(frozen=True)
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool


@dataclass(frozen=True)
class Facet:
    name: str
    label: str
    options: list[FacetOption]


@dataclass(frozen=True)
class Hit:
    kind: str
    item_id: int
    title: str
    summary: str
    organisation_id: int
    organisation_name: str
    organisation_kind: str
    category_top_id: int | None
    region_id: int | None
    stage: str | None
    is_free: bool | None
    updated_at: datetime
    # Needs only, read for the page after the search (see need_filters.with_facts).
    closes_on: date | None = None
    budget_min: int | None = None
    budget_max: int | None = None
    suitable_for: tuple[str, ...] = ()

    @property
    def url(self) -> str:
        return f"/{KIND_PATHS[self.kind]}/{self.item_id}"


@dataclass(frozen=True)
class SearchResults:
    query: SearchQuery
    hits: list[Hit]
    total: int
    facets: list[Facet] = field(default_factory=list)
    # The index version (and procurement state) they were worked out at: part of any cache key built on them.
    version: tuple[Any, ...] = ()

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.query.per_page))


class HitOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    kind: str
    id: int = Field(validation_alias="item_id")
    title: str
    summary: str
    organisation_id: int
    organisation_name: str
    stage: str | None
    is_free: bool | None
    updated_at: datetime
    url: str
    closes_on: date | None = None
    budget_min: int | None = None
    budget_max: int | None = None
    suitable_for: list[str] = Field(default_factory=list, description="Who the council says the work suits: sme, vcse")


class FacetOptionOut(BaseModel):
    value: str
    label: str
    count: int
    selected: bool


class FacetOut(BaseModel):
    name: str
    label: str
    options: list[FacetOptionOut]


class SearchResultsOut(BaseModel):
    total: int
    page: int
    pages: int
    results: list[HitOut]
    facets: list[FacetOut]
