"""What the knowledge pages and API accept: endorsements, saved searches."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from exchange.core.forms import FormSchema
from exchange.core.ids import DbId
from exchange.knowledge.models import EndorsedKind, Frequency

STATEMENT_LIMIT = 500
ENDORSEMENT_LABELS = {"statement": "what your council would say about them", "council_id": "the council endorsing"}
SAVED_SEARCH_LABELS = {"name": "a name for this search", "frequency": "how often to email you"}


class EndorsementForm(FormSchema):
    council_id: DbId
    statement: str = Field(min_length=1, max_length=STATEMENT_LIMIT)


class EndorsementIn(EndorsementForm):
    model_config = ConfigDict(str_strip_whitespace=True, extra="forbid")

    kind: EndorsedKind
    item_id: DbId


class EndorsementOut(BaseModel):
    id: int
    kind: EndorsedKind
    item_id: int
    supplier_id: int
    endorser_id: int
    endorser: str
    statement: str


class SavedSearchForm(FormSchema):
    name: str = Field(min_length=1, max_length=120)
    frequency: Frequency
    query: str = Field(default="", max_length=2000)
