"""On the day: check-in and no-shows, follow-ups after meetings, the organiser's outcomes, and the agenda as a
calendar file that a real iCalendar parser reads back."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import icalendar
import pytest

from exchange.core.errors import Conflict, NotFound
from exchange.sessions import agenda, day, ical, planner, report
from exchange.sessions.models import FollowUpKind, SessionStatus
from exchange.sessions.schemas import FollowUpForm
from exchange.sessions.slots import LONDON, today_in_london
from tests.sessions.conftest import World


def _published(world: World, status: SessionStatus = SessionStatus.FINAL) -> None:
    planner.generate(world.db, world.viewer("burnley"), world.session.id, seconds=0.5)
    agenda.change_status(world.db, world.viewer("burnley"), world.session.id, status)


def test_check_in_and_no_show_are_the_organisers(world: World) -> None:
    civic = world.participants["civic"]
    day.set_checked_in(world.db, world.viewer("burnley"), world.session.id, civic.id, True)
    assert civic.checked_in_at is not None and not civic.no_show
    day.set_no_show(world.db, world.viewer("burnley"), world.session.id, civic.id, True)
    assert civic.no_show and civic.checked_in_at is None
    with pytest.raises(NotFound):
        day.set_checked_in(world.db, world.viewer("civic"), world.session.id, civic.id, True)


def test_follow_ups_wait_for_the_day_then_each_side_records_its_own(world: World) -> None:
    _published(world)
    meeting = planner.live_meetings(world.db, world.session.id)[0]
    council = next(k for k, v in world.participants.items() if v.id == meeting.council_id)
    supplier = next(k for k, v in world.participants.items() if v.id == meeting.supplier_id)
    form = FollowUpForm(kind=FollowUpKind.SEND_PROPOSAL, note="Send us a costed proposal")
    with pytest.raises(Conflict):
        day.record_follow_up(world.db, world.viewer(supplier), world.session.id, meeting.id, form)
    world.session.held_on = today_in_london()
    day.record_follow_up(world.db, world.viewer(supplier), world.session.id, meeting.id, form)
    day.record_follow_up(
        world.db, world.viewer(council), world.session.id, meeting.id, FollowUpForm(kind=FollowUpKind.ARRANGE_DEMO)
    )
    # Recording again changes that side's follow-up rather than adding one.
    day.record_follow_up(
        world.db, world.viewer(council), world.session.id, meeting.id, FollowUpForm(kind=FollowUpKind.NOT_A_FIT)
    )
    outsider = next(k for k, v in world.participants.items() if v.id not in (meeting.council_id, meeting.supplier_id))
    with pytest.raises(NotFound):
        day.record_follow_up(world.db, world.viewer(outsider), world.session.id, meeting.id, form)
    result = report.outcomes(world.db, planner.live_meetings(world.db, world.session.id))
    assert result.by_kind[FollowUpKind.SEND_PROPOSAL] == 1 and result.by_kind[FollowUpKind.NOT_A_FIT] == 1
    assert result.by_kind[FollowUpKind.ARRANGE_DEMO] == 0
    # With follow-ups on record, the schedule can no longer be thrown away.
    with pytest.raises(Conflict):
        planner.generate(world.db, world.viewer("burnley"), world.session.id, seconds=0.5)


def test_the_agenda_is_hidden_until_published_and_only_ones_own(world: World) -> None:
    planner.generate(world.db, world.viewer("burnley"), world.session.id, seconds=0.5)
    _, agendas = agenda.own_agendas(world.db, world.viewer("civic"), world.session.id)
    assert [items for _, items in agendas] == [[]]
    agenda.change_status(world.db, world.viewer("burnley"), world.session.id, SessionStatus.PROVISIONAL)
    _, agendas = agenda.own_agendas(world.db, world.viewer("civic"), world.session.id)
    ((participant, items),) = agendas
    assert participant.id == world.participants["civic"].id
    assert items and all(world.participants["civic"].id in (i.meeting.council_id, i.meeting.supplier_id) for i in items)
    from tests import factories

    stranger = factories.user(world.db)
    with pytest.raises(NotFound):
        agenda.own_agendas(world.db, factories.viewer(world.db, stranger), world.session.id)


def test_the_calendar_file_parses_with_each_meeting_at_its_london_time(world: World) -> None:
    world.session.title = "Matchmaking, digital; and more: a long title that needs folding over the line limit"
    _published(world)
    _, agendas = agenda.own_agendas(world.db, world.viewer("civic"), world.session.id)
    participant, items = agendas[0]
    text = ical.calendar(world.session, participant.name, items, "exchange.example")
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    calendar = icalendar.Calendar.from_ical(text)
    the_day, *events = calendar.walk("VEVENT")
    assert str(the_day.get("SUMMARY")).startswith("Matchmaking, digital; and more")
    assert len(events) == len(items) > 0
    for event, item in zip(events, items, strict=True):
        start = event.decoded("DTSTART")
        hours, minutes = (int(x) for x in item.start.split(":"))
        expected = datetime(
            world.session.held_on.year,
            world.session.held_on.month,
            world.session.held_on.day,
            hours,
            minutes,
            tzinfo=LONDON,
        )
        assert start == expected.astimezone(UTC)
        assert event.decoded("DTEND") - start == timedelta(minutes=20)
        assert item.other.name in str(event.get("SUMMARY"))
        assert str(event.get("LOCATION")) == "Burnley Town Hall"
        assert str(event.get("UID")).endswith("@exchange.example")
    assert str(calendar.get("X-WR-CALNAME")).startswith("Matchmaking, digital; and more")
