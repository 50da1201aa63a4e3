"""What the feedback and council-domain forms accept."""

from __future__ import annotations

from pydantic import EmailStr, Field, field_validator

from exchange.core.forms import FormSchema

MESSAGE_MAX_LENGTH = 5000


class FeedbackForm(FormSchema):
    message: str = Field(min_length=1, max_length=MESSAGE_MAX_LENGTH)
    # Both optional: feedback can be anonymous; an address is only needed for a reply.
    name: str = Field(default="", max_length=200)
    email: EmailStr | None = Field(default=None, max_length=320)

    @field_validator("email")
    @classmethod
    def lower_email(cls, value: str | None) -> str | None:
        return value.lower() if value else None


class CouncilDomainRequestForm(FormSchema):
    name: str = Field(min_length=1, max_length=200)
    email: EmailStr = Field(max_length=320)
    council_name: str = Field(min_length=1, max_length=200)
    message: str = Field(default="", max_length=MESSAGE_MAX_LENGTH)

    @field_validator("email")
    @classmethod
    def lower_email(cls, value: str) -> str:
        return value.lower()

    @property
    def email_domain(self) -> str:
        return self.email.rsplit("@", 1)[1]
