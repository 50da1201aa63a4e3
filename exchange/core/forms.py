"""Turning submitted forms into validated schemas, and validation errors into GOV.UK error messages."""

from __future__ import annotations

from typing import Annotated, Any, TypeVar, get_args

from fastapi import Query, Request
from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, HttpUrl, ValidationError
from pydantic_core.core_schema import ErrorType
from starlette.datastructures import FormData

from exchange.core.errors import Invalid
from exchange.core.ids import MAX_ID, plain_number
from exchange.core.money import MONEY_ERROR
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


# Each kind of validation error Pydantic reports, said as the rule the answer broke. Anything not listed gets a
# plain request to check the answer: Pydantic's own wording is written for developers and never reaches a page.
RULES = {
    "missing": "Enter {label}",
    "string_too_long": "{Label} must be {max_length} characters or fewer",
    "too_short": "Give at least {min_length} for {label}",
    "too_long": "Give no more than {max_length} for {label}",
    "int_parsing": "{Label} must be a whole number",
    "int_type": "{Label} must be a whole number",
    "int_from_float": "{Label} must be a whole number",
    "float_parsing": "{Label} must be a number",
    "float_type": "{Label} must be a number",
    "decimal_parsing": "{Label} must be a number",
    "decimal_type": "{Label} must be a number",
    "finite_number": "{Label} must be a number",
    "greater_than_equal": "{Label} must be {ge} or more",
    "greater_than": "{Label} must be more than {gt}",
    "less_than_equal": "{Label} must be {le} or less",
    "less_than": "{Label} must be less than {lt}",
    "date_parsing": "{Label} must be a real date, like 31/3/2027",
    "date_from_datetime_parsing": "{Label} must be a real date, like 31/3/2027",
    "date_from_datetime_inexact": "{Label} must be a real date, like 31/3/2027",
    "date_type": "{Label} must be a real date, like 31/3/2027",
    "datetime_parsing": "{Label} must be a real date and time",
    "datetime_from_date_parsing": "{Label} must be a real date and time",
    "datetime_type": "{Label} must be a real date and time",
    "time_parsing": "{Label} must be a time, like 14:30",
    "time_type": "{Label} must be a time, like 14:30",
    "enum": "Choose {label}",
    "literal_error": "Choose {label}",
    "bool_parsing": "Choose {label}",
    "bool_type": "Choose {label}",
    "url_parsing": "Enter a website address, like www.example.org",
    "url_scheme": "Enter a website address starting with http:// or https://, like www.example.org",
    "url_type": "Enter a website address, like www.example.org",
    "url_syntax_violation": "Enter a website address, like www.example.org",
    "url_too_long": "{Label} must be {max_length} characters or fewer",
    "string_type": "Enter {label} as text",
    "list_type": "Choose {label} from the list",
}
PYDANTIC_ERROR_TYPES = frozenset(get_args(ErrorType))
OTHERWISE = "Check {label}: it is not an answer the exchange can use"
INVALID_EMAIL = "Enter an email address in the correct format, like name@example.com"


def _labels(field: str, labels: dict[str, str]) -> tuple[str, str]:
    """The field's name inside a sentence ("a summary") and to start one ("Summary must be ...")."""
    label = labels.get(field, field.replace("_", " "))
    start = label.removeprefix("a ").removeprefix("an ")
    return label, start[:1].upper() + start[1:]


def rule_broken(item: Any, label: str, capitalised: str) -> str:
    """One validation error from Pydantic as a sentence in the exchange's own words."""
    kind = str(item["type"])
    context = item.get("ctx") or {}
    if kind == MONEY_ERROR:  # an amount the money parser refused: what is wrong with it, about this field
        return f"{capitalised} {context['reason']}"
    if kind not in PYDANTIC_ERROR_TYPES:  # a PydanticCustomError the exchange raised, in its own words
        return str(item["msg"])
    if kind in ("value_error", "assertion_error"):
        message = str(item["msg"])
        if "valid email address" in message:
            return INVALID_EMAIL
        # Raised by the exchange's own validators, in its words (Pydantic only adds this prefix).
        return message.removeprefix("Value error, ").removeprefix("Assertion failed, ")
    if kind == "string_too_short":
        given = item.get("input")
        if context.get("min_length", 1) <= 1 or not (isinstance(given, str) and given.strip()):
            return f"Enter {label}"
        return f"{capitalised} must be {context['min_length']} characters or more"
    template = RULES.get(kind, OTHERWISE)
    try:
        return template.format(label=label, Label=capitalised, **context)
    except (KeyError, IndexError, ValueError):
        return OTHERWISE.format(label=label)


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
            message = rule_broken(item, *_labels(field, labels))
        messages.setdefault(field, message)
    return messages


def _with_scheme(value: object) -> object:
    """A web address as people type it (tidyloop.example): https:// is assumed."""
    if isinstance(value, str) and value.strip() and "://" not in value:
        return f"https://{value.strip()}"
    return value


def _has_domain(url: HttpUrl) -> HttpUrl:
    if not url.host or "." not in url.host.strip("."):
        raise ValueError("Enter a website address, like www.example.org")
    return url


# A website, with or without http(s):// typed in front.
WebAddress = Annotated[HttpUrl, BeforeValidator(_with_scheme), AfterValidator(_has_domain)]


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


async def refuse_nul_in_address(request: Request) -> None:
    """No database stores a NUL in text (PostgreSQL refuses it mid-query): refused here, for every route (no I/O,
    so asynchronous: it runs on the event loop instead of costing a hop to a thread)."""
    if "\x00" in request.url.path or any(
        "\x00" in key or "\x00" in value for key, value in request.query_params.multi_items()
    ):
        raise Invalid(NUL_REFUSED)


async def submitted_form(request: Request) -> FormData:
    """The submitted form as a dependency, so that handlers can stay synchronous."""
    return await request.form()
