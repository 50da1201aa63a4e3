"""What organisation forms and the API accept and return."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator

from exchange.core.forms import FormSchema, WebAddress
from exchange.core.ids import DbId
from exchange.organisations.models import OrganisationKind


class OrganisationEdit(FormSchema):
    name: str = Field(min_length=2, max_length=200)
    description: str = Field(default="", max_length=5000)
    website: WebAddress | None = None
    region_id: DbId | None = None


class CouncilDomainAdd(FormSchema):
    domain: str = Field(min_length=4, max_length=200)

    @field_validator("domain")
    @classmethod
    def plain_domain(cls, value: str) -> str:
        value = value.lower().removeprefix("@")
        if "." not in value or any(c in value for c in " /:@"):
            raise ValueError("Enter a domain such as burnley.gov.uk")
        return value


class OrganisationOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    kind: OrganisationKind
    name: str
    slug: str
    region_id: int | None
    local_authority_code: str | None
    gss_code: str | None
    website: str | None
    description: str
    verified: bool
