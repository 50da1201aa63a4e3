"""Turning submitted forms into validated schemas, and validation errors into GOV.UK error messages."""

from __future__ import annotations

from typing import Any, TypeVar

from fastapi import Query, Request
from pydantic import BaseModel, ConfigDict, ValidationError
from starlette.datastructures import FormData

from exchange.core.errors import Invalid
from exchange.core.ids import MAX_ID, plain_number
from exchange.core.text_policy import TextRefused, UserInput

# The furthest page of any list the exchange serves (the API's page parameter has the same bound).
MOST_PAGES = 10_000

SchemaT = TypeVar("SchemaT", bound=BaseModel)


class FieldError(ValueError):
    """Raised inside a model validator to pin a cross-field problem on one field."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


class FormSchema(UserInput):
    model_config = ConfigDict(str_strip_whitespace=True, extra="ignore", allow_inf_nan=False)


FRIENDLY_MESSAGES = {
    "missing": "Enter {label}",
    "string_too_short": "Enter {label}",
    "string_too_long": "{Label} must be {max_length} characters or fewer",
    "int_parsing": "{Label} must be a whole number",
    "int_type": "{Label} must be a whole number",
    "greater_than_equal": "{Label} must be {ge} or more",
    "less_than_equal": "{Label} must be {le} or less",
    "date_from_datetime_parsing": "{Label} must be a real date",
    "date_parsing": "{Label} must be a real date",
    "enum": "Choose {label}",
    "literal_error": "Choose {label}",
    "bool_parsing": "Choose {label}",
}


def field_errors(error: ValidationError, labels: dict[str, str] | None = None) -> dict[str, str]:
    """One plain-English message per field, in the order the fields were checked."""
    labels = labels or {}
    messages: dict[str, str] = {}
    for item in error.errors():
        context = item.get("ctx") or {}
        original = context.get("error")
        if isinstance(original, (FieldError, TextRefused)):
            field, message = original.field, original.message
        else:
            field = str(item["loc"][0]) if item["loc"] else "form"
            label = labels.get(field, field.replace("_", " "))
            template = FRIENDLY_MESSAGES.get(item["type"])
            if "valid email address" in str(item["msg"]):
                message = "Enter an email address in the correct format, like name@example.com"
            elif template:
                message = template.format(label=label, Label=label[:1].upper() + label[1:], **context)
            else:
                message = str(item["msg"]).removeprefix("Value error, ")
        messages.setdefault(field, message)
    return messages


def form_to_dict(form: FormData, lists: tuple[str, ...] = ()) -> dict[str, Any]:
    """Empty text fields count as missing; fields named in ``lists`` keep every value."""
    data: dict[str, Any] = {}
    for key in form:
        if key == "csrf_token":
            continue
        if key in lists:
            data[key] = [str(v) for v in form.getlist(key) if str(v).strip()]
            continue
        value = form.get(key)
        if isinstance(value, str) and value.strip():
            data[key] = value
    return data


def chosen_id(values: dict[str, Any], name: str) -> int:
    """A row id chosen from a list (0, which matches nothing, when missing or not a number)."""
    return plain_number(values.get(name), MAX_ID) or 0


def page_number(value: object) -> int:
    """The page asked for in an address: 1 when missing or not a plain number, never past the last page served."""
    return max(1, min(plain_number(value, 10**9) or 1, MOST_PAGES))


def validate(schema: type[SchemaT], data: dict[str, Any], labels: dict[str, str] | None = None) -> SchemaT:
    """Validate or raise ``Invalid`` carrying one message per field."""
    try:
        return schema.model_validate(data)
    except ValidationError as error:
        raise Invalid("Check the answers and try again", field_errors=field_errors(error, labels)) from None


NUL_REFUSED = "Text cannot contain a NUL character"
# The same rule said in an API's schema, so that clients (and schema-driven tests) know it.
WITHOUT_NUL = r"^[^\x00]*$"


def query_text(max_length: int) -> Any:
    """A free-text query parameter of the JSON API: bounded, and without NUL (see refuse_nul_in_address)."""
    return Query(max_length=max_length, pattern=WITHOUT_NUL)


def refuse_nul_in_address(request: Request) -> None:
    """No database stores a NUL in text (PostgreSQL refuses it mid-query): refused here, for every route."""
    if "\x00" in request.url.path or any(
        "\x00" in key or "\x00" in value for key, value in request.query_params.multi_items()
    ):
        raise Invalid(NUL_REFUSED)


async def submitted_form(request: Request) -> FormData:
    """The submitted form as a dependency, so that handlers can stay synchronous."""
    return await request.form()
