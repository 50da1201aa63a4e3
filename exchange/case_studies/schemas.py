"""What case study forms and the API accept and return."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, field_validator

from exchange.case_studies.models import CaseStudyStatus
from exchange.core.forms import FormSchema
from exchange.core.ids import DbId
from exchange.core.money import Pounds

CASE_STUDY_LABELS = {
    "organisation_id": "the council",
    "title": "a title",
    "summary": "a summary",
    "problem": "the problem you set out to solve",
    "what_we_used": "what you used",
    "supplier_organisation_id": "the supplier",
    "need_id": "the need",
    "pitch_ids": "the pitches you used",
    "offer_ids": "the offers you used",
    "cost": "the cost",
    "duration_weeks": "how long it took",
    "cost_and_time": "what the cost and time covered",
    "outcomes": "the outcomes",
    "key_figures": "the key figures",
    "went_wrong": "what went wrong",
    "steps": "the steps to replicate it",
    "prerequisites": "what must be in place first",
    "contacts": "whom to contact",
    "category_id": "a category",
    "region_id": "a region",
}
MAX_LINES = 20


def lines(value: object) -> list[str]:
    """A textarea with one item per line as a list, blank lines dropped ("1. " numbering kept as typed)."""
    items = [str(item) for item in value] if isinstance(value, list) else str(value or "").splitlines()
    return [" ".join(item.split()) for item in items if item.strip()]


class CaseStudyForm(FormSchema):
    title: str = Field(min_length=5, max_length=200)
    summary: str = Field(min_length=10, max_length=400)
    problem: str = Field(min_length=20, max_length=10_000)
    what_we_used: str = Field(default="", max_length=5_000)
    supplier_organisation_id: DbId | None = None
    need_id: DbId | None = None
    pitch_ids: list[DbId] = Field(default_factory=list, max_length=20)
    offer_ids: list[DbId] = Field(default_factory=list, max_length=20)
    cost: Pounds | None = Field(default=None, ge=0, le=1_000_000_000)
    duration_weeks: int | None = Field(default=None, ge=0, le=520)
    cost_and_time: str = Field(default="", max_length=5_000)
    outcomes: str = Field(min_length=20, max_length=10_000)
    key_figures: list[str] = Field(default_factory=list, max_length=MAX_LINES)
    went_wrong: str = Field(default="", max_length=5_000)
    steps: list[str] = Field(min_length=1, max_length=MAX_LINES)
    prerequisites: str = Field(default="", max_length=5_000)
    contacts: str = Field(default="", max_length=2_000)
    category_id: DbId | None = None
    region_id: DbId | None = None

    @field_validator("key_figures", "steps", mode="before")
    @classmethod
    def one_per_line(cls, value: object) -> list[str]:
        return lines(value)

    @field_validator("key_figures", "steps")
    @classmethod
    def short_lines(cls, value: list[str]) -> list[str]:
        if any(len(item) > 300 for item in value):
            raise ValueError("Keep each line to 300 characters or fewer")
        return value

    @field_validator("pitch_ids", "offer_ids")
    @classmethod
    def each_once(cls, value: list[int]) -> list[int]:
        return sorted(set(value))


class InterestForm(FormSchema):
    organisation_id: DbId


class OrganisationRef(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    slug: str


class CaseStudySummaryOut(BaseModel):
    id: int
    title: str
    summary: str
    council: OrganisationRef
    supplier: OrganisationRef | None
    category_id: int | None
    region_id: int | None
    cost: int | None
    duration_weeks: int | None
    interest_count: int
    published_at: datetime | None
    url: str


class ListingRef(BaseModel):
    kind: str
    id: int
    title: str
    url: str


class CaseStudyOut(CaseStudySummaryOut):
    status: CaseStudyStatus
    problem: str
    what_we_used: str
    used: list[ListingRef]
    need_id: int | None
    outcome_id: int | None
    cost_and_time: str
    outcomes: str
    key_figures: list[str]
    went_wrong: str
    steps: list[str]
    prerequisites: str
    contacts: str
    interested: list[OrganisationRef]
    updated_at: datetime


class CaseStudyListOut(BaseModel):
    total: int
    page: int
    pages: int
    results: list[CaseStudySummaryOut]
