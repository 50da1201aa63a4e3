"""Dates are shown as the day in the UK that people typed or live in, never the UTC day or the midnight after."""

from __future__ import annotations

from datetime import UTC, date, datetime

from exchange.core.templating import format_closing_day, format_date
from exchange.sessions.slots import end_of_day


def test_a_deadline_stored_as_the_end_of_its_day_is_shown_as_that_day() -> None:
    for typed in (date(2026, 12, 10), date(2027, 7, 10), date(2027, 3, 28)):
        assert format_closing_day(end_of_day(typed)) == format_date(typed)
    assert format_closing_day(None) == ""


def test_a_moment_is_shown_as_its_day_in_the_uk() -> None:
    # 23:30 UTC in July is already the next day in London (British Summer Time).
    assert format_date(datetime(2027, 7, 10, 23, 30, tzinfo=UTC)) == "11 July 2027"
    assert format_date(datetime(2026, 12, 10, 23, 30, tzinfo=UTC)) == "10 December 2026"
    assert format_date(date(2026, 12, 10)) == "10 December 2026"
