"""What pitch and offer forms and the API accept and return."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from exchange.core.forms import FieldError, FormSchema
from exchange.core.ids import DbId
from exchange.core.money import Pounds
from exchange.core.text import Tags
from exchange.listings.models import ListingStatus, PriceModel

LISTING_LABELS = {
    "title": "a title",
    "summary": "a summary",
    "description": "the description",
    "price_model": "how it is priced",
    "price_amount": "the price",
    "organisation_id": "the organisation",
}


class ListingForm(FormSchema):
    title: str = Field(min_length=5, max_length=200)
    summary: str = Field(min_length=10, max_length=400)
    description: str = Field(default="", max_length=10_000)
    category_id: DbId | None = None
    region_id: DbId | None = None
    tags: Tags = Field(default_factory=list)


class PitchForm(ListingForm):
    pass


class OfferForm(ListingForm):
    # No default: a paid offer must never be published as free because nobody changed a pre-set answer.
    price_model: PriceModel
    price_amount: Pounds | None = Field(default=None, ge=0, le=100_000_000)

    @model_validator(mode="before")
    @classmethod
    def price_model_chosen(cls, data: Any) -> Any:
        if isinstance(data, dict) and not data.get("price_model"):
            raise FieldError("price_model", "Choose how the offer is priced: free, a price, or priced on request")
        return data

    @model_validator(mode="after")
    def price_matches_model(self) -> OfferForm:
        if self.price_model in (PriceModel.FREE, PriceModel.QUOTE):
            self.price_amount = None
        elif self.price_amount is None:
            raise FieldError("price_amount", "Enter the price in pounds, or choose free or priced on request")
        return self


class ListingOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    organisation_id: DbId
    title: str
    summary: str
    description: str
    category_id: int | None
    region_id: int | None
    tags: list[str]
    status: ListingStatus
    created_at: datetime
    updated_at: datetime


class PitchOut(ListingOut):
    pass


class OfferOut(ListingOut):
    price_model: PriceModel
    price_amount: int | None
    is_free: bool


class PitchCreate(PitchForm):
    organisation_id: DbId


class OfferCreate(OfferForm):
    organisation_id: DbId


class StatusChange(FormSchema):
    status: ListingStatus
