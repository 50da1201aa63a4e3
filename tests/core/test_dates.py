"""The GOV.UK date input: three fields put together into one date, or a plain message about that field."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from exchange.core.dates import date_from_parts, date_values, gather_dates, last_day_before, parse_date


def parts(day: str = "", month: str = "", year: str = "") -> dict[str, str]:
    return {"day": day, "month": month, "year": year}


def test_three_fields_make_a_date() -> None:
    assert date_from_parts(parts("29", "1", "2027"), "the closing date") == date(2027, 1, 29)
    assert date_from_parts(parts("01", "02", "2027"), "the closing date") == date(2027, 2, 1)


@pytest.mark.parametrize(
    ("given", "message"),
    [
        (parts("", "1", "2027"), "The closing date must include a day"),
        (parts("29", "", ""), "The closing date must include a month and year"),
        (parts(), "The closing date must include a day, month and year"),
        (parts("31", "2", "2027"), "The closing date must be a real date"),
        (parts("29", "13", "2027"), "The closing date must be a real date"),
        (parts("29", "1", "27"), "The closing date must have a year with 4 numbers"),
        (parts("29th", "Jan", "2027"), "The closing date must be a real date, in numbers"),
        (parts("1", "1", "9999"), "The closing date must be between 1900 and 2100"),
    ],
)
def test_plain_messages_about_the_field(given: dict[str, str], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        date_from_parts(given, "the closing date")


def test_the_form_values_keep_what_was_typed_and_gain_the_field() -> None:
    values = {"closes_on-day": "29", "closes_on-month": "1", "closes_on-year": "2027", "title": "A need"}
    gathered = gather_dates(values, ("closes_on", "opens_on"))
    assert gathered["closes_on"] == parts("29", "1", "2027") and "opens_on" not in gathered
    assert gathered["closes_on-day"] == "29" and gathered["title"] == "A need"


def test_one_typed_date_and_the_api_still_work() -> None:
    assert parse_date("29/1/2027", "the closing date") == date(2027, 1, 29)
    assert parse_date("2027-01-29", "the closing date") == date(2027, 1, 29)
    assert gather_dates({"closes_on": "29/1/2027"}, ("closes_on",)) == {"closes_on": "29/1/2027"}


def test_a_stored_date_fills_the_three_fields() -> None:
    assert date_values("held_on", date(2027, 3, 4)) == {
        "held_on-day": "4",
        "held_on-month": "3",
        "held_on-year": "2027",
    }
    assert date_values("held_on", None) == {"held_on-day": "", "held_on-month": "", "held_on-year": ""}


@pytest.mark.parametrize(
    ("deadline", "typed"),
    [
        (datetime(2027, 1, 30, 0, 0, tzinfo=UTC), date(2027, 1, 29)),  # winter: midnight in London is UTC
        (datetime(2027, 6, 29, 23, 0, tzinfo=UTC), date(2027, 6, 29)),  # summer: midnight in London is 23:00 UTC
    ],
)
def test_a_deadline_kept_as_the_end_of_the_day_shows_the_day_typed(deadline: datetime, typed: date) -> None:
    assert last_day_before(deadline) == typed
