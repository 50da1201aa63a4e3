"""What need forms and the API accept and return."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from exchange.core.forms import FieldError, FormSchema
from exchange.core.ids import DbId
from exchange.core.money import Pounds
from exchange.core.text import Tags
from exchange.needs.models import NeedStage, Visibility

NEED_LABELS = {
    "title": "a title",
    "summary": "a summary",
    "problem_statement": "the problem",
    "users": "who the users are",
    "tried_so_far": "what has been tried",
    "budget_min": "the lowest budget",
    "budget_max": "the highest budget",
    "visibility": "who can see this need",
    "organisation_id": "the organisation",
    "required_certifications": "the certifications suppliers must hold",
    "region_required": "whether suppliers must work in the region",
    "suitable_for": "who the work suits",
}
# Certifications a need can require of suppliers: those a supplier profile records with a reference and expiry.
REQUIRABLE_CERTIFICATIONS = Literal["cyber_essentials", "cyber_essentials_plus", "iso_27001", "iso_9001"]
SUITABLE_FOR = Literal["sme", "vcse"]
SUITABLE_FOR_LABELS = {
    "sme": "Small and medium-sized enterprises (SMEs)",
    "vcse": "Voluntary, community and social enterprises (VCSEs)",
}


class NeedForm(FormSchema):
    title: str = Field(min_length=5, max_length=200)
    summary: str = Field(min_length=10, max_length=400)
    problem_statement: str = Field(min_length=20, max_length=10_000)
    users: str = Field(default="", max_length=5_000)
    tried_so_far: str = Field(default="", max_length=5_000)
    visibility: Visibility = Visibility.PUBLIC
    budget_min: Pounds | None = Field(default=None, ge=0, le=1_000_000_000)
    budget_max: Pounds | None = Field(default=None, ge=0, le=1_000_000_000)
    category_id: DbId | None = None
    region_id: DbId | None = None
    tags: Tags = Field(default_factory=list)
    required_certifications: list[REQUIRABLE_CERTIFICATIONS] = Field(default_factory=list, max_length=4)
    region_required: bool = False
    suitable_for: list[SUITABLE_FOR] = Field(default_factory=list, max_length=2)

    @model_validator(mode="after")
    def budget_range_in_order(self) -> NeedForm:
        if self.budget_min is not None and self.budget_max is not None and self.budget_min > self.budget_max:
            raise FieldError("budget_max", "The highest budget must be the same as or more than the lowest")
        if self.region_required and self.region_id is None:
            raise FieldError("region_required", "Choose where it must be delivered, or untick this box")
        return self

    @field_validator("required_certifications", "suitable_for")
    @classmethod
    def each_once(cls, value: list[str]) -> list[str]:
        return sorted(set(value))


class NeedCreate(NeedForm):
    organisation_id: DbId


class StageChange(FormSchema):
    stage: NeedStage


class NeedOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    organisation_id: DbId
    title: str
    summary: str
    problem_statement: str
    users: str
    tried_so_far: str
    stage: NeedStage
    visibility: Visibility
    budget_min: int | None
    budget_max: int | None
    category_id: int | None
    region_id: int | None
    tags: list[str]
    required_certifications: list[str]
    region_required: bool
    suitable_for: list[str]
    published_at: datetime | None = Field(description="When it was made public; null while it is a draft.")
    created_at: datetime
    updated_at: datetime
