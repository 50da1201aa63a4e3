"""Dates as people enter them: the GOV.UK date input's three fields (day, month, year), or one typed date.

Every date field in the exchange's forms is a GOV.UK date input named ``<field>-day``, ``<field>-month`` and
``<field>-year`` (see the ``date_input`` macro in web/templates/_macros/forms.html). ``gather_dates`` puts the
three together under the field's own name for the schema, and ``uk_date`` turns them into a date, or into a
plain message ("The date proposals close must be a real date") shown on that field. The API sends ISO dates
(2027-03-31); a date typed in one box the British way (31/3/2027) is still understood.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import BeforeValidator

PARTS = ("day", "month", "year")
UK_DATE = re.compile(r"^(\d{1,2})[/\s.-]+(\d{1,2})[/\s.-]+(\d{4})$")
ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
EARLIEST_YEAR, LATEST_YEAR = 1900, 2100
UK = ZoneInfo("Europe/London")


def part_name(field: str, part: str) -> str:
    return f"{field}-{part}"


def gather_dates(values: dict[str, Any], fields: Iterable[str]) -> dict[str, Any]:
    """The form's values with each date input's parts put together under its field's name (the parts stay, so
    that the form shows them again as typed). A date input left wholly empty is missing, like an empty box."""
    gathered = dict(values)
    for field in fields:
        parts = {part: str(values.get(part_name(field, part), "")).strip() for part in PARTS}
        if any(parts.values()):
            gathered[field] = parts
        elif isinstance(gathered.get(field), str):
            continue  # one typed date (older forms, scripts): uk_date reads it
        else:
            gathered.pop(field, None)
    return gathered


def date_part_names(field: str) -> list[str]:
    return [part_name(field, part) for part in PARTS]


def date_values(field: str, value: date | None) -> dict[str, str]:
    """A stored date as the date input's three fields, to fill a form with."""
    if value is None:
        return {part_name(field, part): "" for part in PARTS}
    return {
        part_name(field, "day"): str(value.day),
        part_name(field, "month"): str(value.month),
        part_name(field, "year"): str(value.year),
    }


def last_day_before(deadline: datetime) -> date:
    """The day a deadline kept as the first moment after it (midnight at the end of the day, UK time) was given
    as: the day the user typed, not the next one, and not the one before in UTC."""
    return (deadline.astimezone(UK) - timedelta(microseconds=1)).date()


def _capitalised(label: str) -> str:
    return label[:1].upper() + label[1:]


def _missing(parts: dict[str, str]) -> list[str]:
    return [part for part in PARTS if not parts.get(part)]


def date_from_parts(parts: dict[str, str], label: str) -> date:
    """The date the three fields give, or ValueError with what is wrong, said about the field (``label`` is
    the field inside a sentence: "the date proposals close")."""
    missing = _missing(parts)
    if missing:
        said = " and ".join(missing) if len(missing) < 3 else "day, month and year"
        raise ValueError(f"{_capitalised(label)} must include a {said}")
    if not all(parts[part].isdigit() for part in PARTS):
        raise ValueError(f"{_capitalised(label)} must be a real date, in numbers, like 31 3 2027")
    day, month, year = (int(parts[part]) for part in PARTS)
    return _real_date(year, month, day, label, four_digits=len(parts["year"]) == 4)


def _real_date(year: int, month: int, day: int, label: str, four_digits: bool = True) -> date:
    if not four_digits:
        raise ValueError(f"{_capitalised(label)} must have a year with 4 numbers, like 2027")
    if not EARLIEST_YEAR <= year <= LATEST_YEAR:
        # Far-off years are typing slips, and past 9998 the times of the day would not fit in a date.
        raise ValueError(f"{_capitalised(label)} must be between {EARLIEST_YEAR} and {LATEST_YEAR}")
    try:
        return date(year, month, day)
    except ValueError:
        raise ValueError(f"{_capitalised(label)} must be a real date") from None


def parse_date(value: object, label: str) -> object:
    """A date from a date input's parts, an ISO date (the API), or a British date typed in one box; anything
    else is left for Pydantic to refuse."""
    if isinstance(value, dict):
        return date_from_parts({part: str(value.get(part) or "").strip() for part in PARTS}, label)
    if not isinstance(value, str):
        return value
    text = value.strip()
    if match := UK_DATE.match(text):
        day, month, year = (int(part) for part in match.groups())
    elif match := ISO_DATE.match(text):
        year, month, day = (int(part) for part in match.groups())
    else:
        raise ValueError(f"Enter {label} as a date, like 31/3/2027")
    return _real_date(year, month, day, label)


def uk_date(label: str) -> BeforeValidator:
    """For ``Annotated[date, uk_date("the date proposals close")]``: see ``parse_date``."""
    return BeforeValidator(lambda value: parse_date(value, label))
