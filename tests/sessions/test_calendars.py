"""Calendar files and feeds: UIDs that hold when the schedule is made again, TENTATIVE until the final agenda,
a SEQUENCE that rises with every change, names without control characters, and a private feed address per
participant that answers 404 to any other."""

from __future__ import annotations

from datetime import timedelta

import icalendar
from sqlalchemy import select

from exchange.sessions import agenda, ical, planner, service
from exchange.sessions.models import SessionMeeting, SessionStatus
from exchange.sessions.schemas import SessionForm
from tests.client import Client
from tests.sessions.conftest import World, session_values, uk

QUICK = 0.5


def _calendar_of(world: World, who: str) -> icalendar.Calendar:
    _, agendas = agenda.own_agendas(world.db, world.viewer(who), world.session.id)
    participant, items = agendas[0]
    return icalendar.Calendar.from_ical(ical.calendar(world.session, participant.name, items, "exchange.example"))


def _meetings(calendar: icalendar.Calendar) -> dict[str, icalendar.Event]:
    """Meeting events by UID (without the host, which is the exchange's own address)."""
    uids = ((str(e["UID"]).split("@")[0], e) for e in calendar.walk("VEVENT"))
    return {uid: e for uid, e in uids if uid.startswith("meeting-")}


def _publish(world: World, status: SessionStatus) -> None:
    agenda.change_status(world.db, world.viewer("burnley"), world.session.id, status)


def test_provisional_meetings_are_tentative_and_final_ones_confirmed_with_a_higher_sequence(world: World) -> None:
    planner.generate(world.db, world.viewer("burnley"), world.session.id, seconds=QUICK)
    _publish(world, SessionStatus.PROVISIONAL)
    provisional = _calendar_of(world, "civic")
    assert provisional.walk("VEVENT") and all(str(e["STATUS"]) == "TENTATIVE" for e in provisional.walk("VEVENT"))
    _publish(world, SessionStatus.FINAL)
    final = _calendar_of(world, "civic")
    assert all(str(e["STATUS"]) == "CONFIRMED" for e in final.walk("VEVENT"))
    assert _meetings(final).keys() == _meetings(provisional).keys()
    for uid, event in _meetings(final).items():
        assert event["SEQUENCE"] > _meetings(provisional)[uid]["SEQUENCE"]


def test_uids_hold_when_the_gaps_are_filled_and_the_schedule_is_made_again(world: World) -> None:
    planner.generate(world.db, world.viewer("burnley"), world.session.id, seconds=QUICK)
    _publish(world, SessionStatus.PROVISIONAL)
    before = _calendar_of(world, "civic")
    planner.generate(world.db, world.viewer("burnley"), world.session.id, keep_all=True, seconds=QUICK)
    planner.generate(world.db, world.viewer("burnley"), world.session.id, seconds=QUICK)
    after = _calendar_of(world, "civic")
    # The meetings are stored anew each time, but the same pairs are the same events, named from the pair.
    assert _meetings(after).keys() == _meetings(before).keys()
    pairs = {
        ical.meeting_uid(world.session, m.council_id, m.supplier_id, "x").split("@")[0]
        for m in planner.live_meetings(world.db, world.session.id)
        if world.participants["civic"].id == m.supplier_id
    }
    assert _meetings(after).keys() == pairs
    session_uids = {str(e["UID"]) for e in after.walk("VEVENT")} - {f"{uid}@exchange.example" for uid in pairs}
    assert session_uids == {ical.session_uid(world.session, "exchange.example")}


def test_a_moved_or_cancelled_meeting_keeps_its_uid_with_a_higher_sequence(world: World) -> None:
    planner.generate(world.db, world.viewer("burnley"), world.session.id, seconds=QUICK)
    _publish(world, SessionStatus.PROVISIONAL)
    civic = world.participants["civic"]
    mine = [m for m in planner.live_meetings(world.db, world.session.id) if civic.id == m.supplier_id]
    moving = mine[0]
    uid = ical.meeting_uid(world.session, moving.council_id, moving.supplier_id, "exchange.example").split("@")[0]
    before = _meetings(_calendar_of(world, "civic"))[uid]
    taken = {m.slot for m in mine} | {
        m.slot for m in planner.live_meetings(world.db, world.session.id) if m.council_id == moving.council_id
    }
    free = next(s for s in range(len(world.session.slots)) if s not in taken)
    planner.move(world.db, world.viewer("burnley"), world.session.id, moving.id, free, 1)
    moved = _meetings(_calendar_of(world, "civic"))[uid]
    assert moved["SEQUENCE"] > before["SEQUENCE"] and moved.decoded("DTSTART") != before.decoded("DTSTART")
    agenda.cancel(world.db, world.viewer("civic"), world.session.id, moving.id)
    cancelled = _meetings(_calendar_of(world, "civic"))[uid]
    assert str(cancelled["STATUS"]) == "CANCELLED" and cancelled["SEQUENCE"] > moved["SEQUENCE"]


def test_a_new_date_after_publishing_raises_the_sequence_and_keeps_the_uids(world: World) -> None:
    planner.generate(world.db, world.viewer("burnley"), world.session.id, seconds=QUICK)
    _publish(world, SessionStatus.FINAL)
    before = _meetings(_calendar_of(world, "civic"))
    form = SessionForm.model_validate(session_values(held_on=uk(22)))
    service.update(world.db, world.viewer("burnley"), world.session.id, form)
    after = _meetings(_calendar_of(world, "civic"))
    assert after.keys() == before.keys()
    for uid, event in after.items():
        assert event["SEQUENCE"] > before[uid]["SEQUENCE"]
        assert event.decoded("DTSTART") - before[uid].decoded("DTSTART") == timedelta(days=1)


def test_control_characters_in_names_never_reach_the_file(world: World) -> None:
    world.organisations["civic"].name = "Civic\rVoice Ltd\x1b"
    world.session.title = "North West\r\nmatchmaking\t"
    world.session.description = "Line one\rline two\u2028line three"
    planner.generate(world.db, world.viewer("burnley"), world.session.id, seconds=QUICK)
    _publish(world, SessionStatus.PROVISIONAL)
    _, agendas = agenda.own_agendas(world.db, world.viewer("civic"), world.session.id)
    participant, items = agendas[0]
    text = ical.calendar(world.session, participant.name, items, "exchange.example")
    # Every carriage return ends a line; no other control character is left.
    assert text.count("\r") == text.count("\r\n")
    assert not any(ord(c) < 32 and c not in "\r\n" for c in text)
    calendar = icalendar.Calendar.from_ical(text)
    assert str(calendar["X-WR-CALNAME"]) == "North West matchmaking: Civic Voice Ltd"
    assert "North West matchmaking" in [str(e["SUMMARY"]) for e in calendar.walk("VEVENT")]
    the_day = calendar.walk("VEVENT")[0]
    assert "Line one\nline two\nline three" in str(the_day["DESCRIPTION"])


def test_each_participant_has_a_private_feed_and_a_wrong_address_finds_nothing(world: World, client: Client) -> None:
    planner.generate(world.db, world.viewer("burnley"), world.session.id, seconds=QUICK)
    civic = world.participants["civic"]
    # Before the agenda is published the feed holds the day alone.
    early = client.get(f"/calendars/sessions/{civic.calendar_token}.ics")
    assert early.status_code == 200 and early.headers["content-type"].startswith("text/calendar")
    assert len(icalendar.Calendar.from_ical(early.content).walk("VEVENT")) == 1
    _publish(world, SessionStatus.PROVISIONAL)
    feed = icalendar.Calendar.from_ical(client.get(f"/calendars/sessions/{civic.calendar_token}.ics").content)
    assert _meetings(feed).keys() == _meetings(_calendar_of(world, "civic")).keys() and _meetings(feed)
    tokens = {p.calendar_token for p in world.participants.values()}
    assert len(tokens) == len(world.participants) and all(len(t) >= 40 for t in tokens)
    for wrong in (civic.calendar_token[:-1] + "x", "x" * 43, "short", civic.calendar_token.upper(), "a%20b" * 10):
        if wrong != civic.calendar_token:
            assert client.get(f"/calendars/sessions/{wrong}.ics").status_code == 404, wrong


def test_leaving_or_cancelling_shows_the_meetings_cancelled_in_the_feed(world: World, client: Client) -> None:
    planner.generate(world.db, world.viewer("burnley"), world.session.id, seconds=QUICK)
    _publish(world, SessionStatus.PROVISIONAL)
    civic = world.participants["civic"]
    service.withdraw(world.db, world.viewer("civic"), world.session.id, civic.id)
    feed = icalendar.Calendar.from_ical(client.get(f"/calendars/sessions/{civic.calendar_token}.ics").content)
    assert _meetings(feed) and all(str(e["STATUS"]) == "CANCELLED" for e in _meetings(feed).values())
    pendle = world.participants["pendle"]
    assert world.db.scalar(select(SessionMeeting.id).where(SessionMeeting.council_id == pendle.id)) is not None
    _publish(world, SessionStatus.CANCELLED)
    feed = icalendar.Calendar.from_ical(client.get(f"/calendars/sessions/{pendle.calendar_token}.ics").content)
    assert _meetings(feed) and all(str(e["STATUS"]) == "CANCELLED" for e in feed.walk("VEVENT"))


def test_a_meeting_taken_off_the_agenda_stays_in_the_calendar_cancelled_until_the_pair_meets_again(
    world: World, client: Client
) -> None:
    planner.generate(world.db, world.viewer("burnley"), world.session.id, seconds=QUICK)
    _publish(world, SessionStatus.PROVISIONAL)
    civic = world.participants["civic"]
    removed = next(m for m in planner.live_meetings(world.db, world.session.id) if m.supplier_id == civic.id)
    uid = ical.meeting_uid(world.session, removed.council_id, removed.supplier_id, "x").split("@")[0]
    planner.remove(world.db, world.viewer("burnley"), world.session.id, removed.id)
    feed = client.get(f"/calendars/sessions/{civic.calendar_token}.ics")
    events = icalendar.Calendar.from_ical(feed.content).walk("VEVENT")
    uids = [str(e["UID"]).split("@")[0] for e in events]
    assert len(uids) == len(set(uids)) and uid in uids
    assert str(_meetings(icalendar.Calendar.from_ical(feed.content))[uid]["STATUS"]) == "CANCELLED"
    # The other side's calendar says the same.
    council = next(p for p in world.participants.values() if p.id == removed.council_id)
    theirs = icalendar.Calendar.from_ical(client.get(f"/calendars/sessions/{council.calendar_token}.ics").content)
    assert str(_meetings(theirs)[uid]["STATUS"]) == "CANCELLED"
    # Scheduled again (by hand here): one event, no longer cancelled.
    schedule = {
        "meetings": [
            {
                "a": f"p{removed.council_id}",
                "b": f"p{removed.supplier_id}",
                "slot": world.session.slot_labels[removed.slot],
                "table": removed.table_number,
            }
        ]
    }
    planner.import_schedule(world.db, world.viewer("burnley"), world.session.id, schedule)
    again = icalendar.Calendar.from_ical(client.get(f"/calendars/sessions/{civic.calendar_token}.ics").content)
    uids = [str(e["UID"]).split("@")[0] for e in again.walk("VEVENT")]
    assert uids.count(uid) == 1 and str(_meetings(again)[uid]["STATUS"]) == "TENTATIVE"
