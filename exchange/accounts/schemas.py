"""What account forms and the API accept."""

from __future__ import annotations

from enum import StrEnum

from pydantic import EmailStr, Field, field_validator, model_validator

from exchange.core.forms import FieldError, FormSchema
from exchange.core.security import MIN_PASSWORD_LENGTH


class AccountKind(StrEnum):
    COUNCIL = "council"
    SUPPLIER = "supplier"


def check_password(password: str) -> str:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValueError(f"Password must be at least {MIN_PASSWORD_LENGTH} characters")
    if len(password) > 200:
        raise ValueError("Password must be 200 characters or fewer")
    return password


class EmailForm(FormSchema):
    email: EmailStr = Field(max_length=320)

    @field_validator("email")
    @classmethod
    def lower_email(cls, value: str) -> str:
        return value.lower()


class SignUp(EmailForm):
    name: str = Field(min_length=1, max_length=200)
    password: str
    account_kind: AccountKind
    # For supplier-side accounts: a new organisation, or an existing one to ask to join.
    organisation_name: str = Field(default="", max_length=200)
    organisation_kind: str = "supplier"
    join_organisation_slug: str = ""

    @field_validator("password")
    @classmethod
    def strong_enough(cls, value: str) -> str:
        return check_password(value)

    @model_validator(mode="after")
    def supplier_names_organisation(self) -> SignUp:
        if self.account_kind is AccountKind.SUPPLIER and not self.join_organisation_slug:
            if not self.organisation_name:
                raise FieldError("organisation_name", "Enter your organisation's name")
            if self.organisation_kind not in ("supplier", "vcse", "other"):
                raise FieldError("organisation_kind", "Choose what kind of organisation yours is")
        return self


class SignIn(EmailForm):
    password: str = Field(min_length=1, max_length=200)


class PasswordReset(FormSchema):
    password: str
    password_confirmation: str = ""

    @field_validator("password")
    @classmethod
    def strong_enough(cls, value: str) -> str:
        return check_password(value)

    @model_validator(mode="after")
    def passwords_match(self) -> PasswordReset:
        if self.password != self.password_confirmation:
            raise FieldError("password_confirmation", "The passwords do not match")
        return self


class PasswordChange(PasswordReset):
    current_password: str = Field(min_length=1, max_length=200)
