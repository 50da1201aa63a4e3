"""Changing a published session: the organiser sees what will change and who will be told before saving; once
confirmed every participant gets an email and a notification, and calendars carry the change under the same UIDs.
A grid the schedule no longer fits needs the schedule cleared; a cancelled session can be restored until its day."""

from __future__ import annotations

import re
from datetime import timedelta

import icalendar
from sqlalchemy import select

from exchange.accounts.models import User
from exchange.notifications.models import Notification
from exchange.outbox.models import OutboxMessage
from exchange.sessions import agenda, changes, planner
from exchange.sessions.models import SessionMeeting, SessionPreference, SessionStatus, WishLevel
from exchange.sessions.schemas import SessionForm
from tests import factories
from tests.client import Client
from tests.sessions.conftest import World, session_values, uk

QUICK = 0.5


def _published(world: World) -> None:
    planner.generate(world.db, world.viewer("burnley"), world.session.id, seconds=QUICK)
    agenda.change_status(world.db, world.viewer("burnley"), world.session.id, SessionStatus.FINAL)


def _told(world: World, person: User, about: str) -> tuple[bool, bool]:
    notified = world.db.scalars(select(Notification.title).where(Notification.user_id == person.id))
    mailed = world.db.scalars(select(OutboxMessage.subject).where(OutboxMessage.to_address == person.email))
    return any(about in t for t in notified), any(about in s for s in mailed)


def _feed(client: Client, world: World, who: str) -> dict[str, icalendar.Event]:
    token = world.participants[who].calendar_token
    calendar = icalendar.Calendar.from_ical(client.get(f"/calendars/sessions/{token}.ics").content)
    return {str(e["UID"]): e for e in calendar.walk("VEVENT")}


def test_a_new_date_is_shown_first_then_everyone_is_told_and_calendars_follow(world: World, client: Client) -> None:
    _published(world)
    before = _feed(client, world, "civic")
    sequence = world.session.calendar_sequence
    client.sign_in(world.organiser.email, factories.PASSWORD)
    url = f"/sessions/{world.session.id}/edit"
    page = client.post(url, session_values(held_on=uk(30)))
    assert page.status_code == 200 and "Check the changes before saving" in page.text
    assert "Save and tell everyone" in page.text
    for name in ("Civic Voice Ltd", "Pennine Meals", "Road Repairs Ltd", "Pendle"):
        assert name in page.text
    world.db.expire_all()
    old_day = world.session.held_on
    assert world.session.calendar_sequence == sequence and old_day == world.session.held_on  # nothing saved yet
    # Back to the form, as a browser posts it: the date as day, month and year, each kept as typed.
    day, month, year = uk(30).split("/")
    typed_date = {"held_on-day": day, "held_on-month": month, "held_on-year": year}
    form = {key: value for key, value in session_values().items() if key != "held_on"}
    again = client.post(url, {**form, **typed_date, "confirmed": "yes", "back": "yes"})
    assert again.status_code == 200 and "Edit " in again.text
    for part, typed in (("day", day), ("month", month), ("year", year)):
        assert re.search(rf'name="held_on-{part}"[^>]*value="{typed}"', again.text), part
    saved = client.post(url, {**session_values(held_on=uk(30)), "confirmed": "yes"})
    assert saved.status_code == 303
    world.db.expire_all()
    assert world.session.held_on == old_day + timedelta(days=9)
    assert world.session.calendar_sequence > sequence
    for who in ("civic", "meals", "roads", "pendle"):
        assert _told(world, world.officers[who], "has changed: now") == (True, True), who
    body = world.db.scalar(
        select(Notification.body)
        .where(Notification.user_id == world.officers["civic"].id)
        .order_by(Notification.id.desc())
    )
    assert f"{world.session.held_on:%-d %B %Y}" in (body or "")
    after = _feed(client, world, "civic")
    assert after.keys() == before.keys()
    for uid, event in after.items():
        assert event["SEQUENCE"] > before[uid]["SEQUENCE"]
        assert event.decoded("DTSTART").date() == world.session.held_on


def test_a_grid_the_schedule_does_not_fit_says_so_and_clears_it_only_when_confirmed(
    world: World, client: Client
) -> None:
    _published(world)
    meetings = planner.live_meetings(world.db, world.session.id)
    if not any(m.slot == 5 for m in meetings):
        planner.move(world.db, world.viewer("burnley"), world.session.id, meetings[0].id, 5, 1)
    client.sign_in(world.organiser.email, factories.PASSWORD)
    url = f"/sessions/{world.session.id}/edit"
    fewer = session_values(meetings="2", max_meetings="2", break_at="", break_minutes="")
    page = client.post(url, fewer)
    assert page.status_code == 200 and "the new grid does not have" in page.text
    assert "Clear the schedule, save and tell everyone" in page.text
    # Confirmed without agreeing to clear the schedule: refused, nothing changed.
    refused = client.post(url, {**fewer, "confirmed": "yes"})
    assert refused.status_code == 422 and "clear the schedule first" in refused.text
    world.db.expire_all()
    assert len(world.session.slots) == 6
    assert client.post(url, {**fewer, "confirmed": "yes", "clear_schedule": "yes"}).status_code == 303
    world.db.expire_all()
    assert len(world.session.slots) == 2 and not planner.live_meetings(world.db, world.session.id)
    assert _told(world, world.officers["roads"], "has changed") == (True, True)


def test_new_times_with_the_same_slots_keep_the_schedule(world: World) -> None:
    _published(world)
    held = {(m.id, m.slot) for m in planner.live_meetings(world.db, world.session.id)}
    form = SessionForm.model_validate(session_values(starts_at="10:00"))
    shown = changes.save(world.db, world.viewer("burnley"), world.session.id, form)
    assert not shown.schedule_breaks and [c.label for c in shown.changes] == ["Meetings"]
    assert {(m.id, m.slot) for m in planner.live_meetings(world.db, world.session.id)} == held
    assert world.session.slots[0]["start"] == "10:00"


def _on_record(world: World) -> list[SessionMeeting]:
    return list(world.db.scalars(select(SessionMeeting).where(SessionMeeting.session_id == world.session.id)))


def test_clearing_the_schedule_asks_first_keeps_refusals_and_is_the_organisers_alone(
    world: World, client: Client
) -> None:
    _published(world)
    mine = next(
        m for m in planner.live_meetings(world.db, world.session.id) if world.participants["civic"].id == m.supplier_id
    )
    agenda.cancel(world.db, world.viewer("civic"), world.session.id, mine.id)
    other_side = mine.council_id
    url = f"/sessions/{world.session.id}/schedule/clear"
    client.sign_in(world.officers["civic"].email, factories.PASSWORD)
    assert client.get(url).status_code == 404
    assert client.post(url, {"confirmed": "yes"}).status_code == 404
    client.sign_in(world.organiser.email, factories.PASSWORD)
    schedule = client.get(f"/sessions/{world.session.id}/schedule")
    assert url in schedule.text
    confirm = client.get(url)
    assert confirm.status_code == 200 and "Yes, clear the schedule" in confirm.text
    assert client.post(url).status_code == 303 and _on_record(world)
    losing = {p for m in planner.live_meetings(world.db, world.session.id) for p in (m.council_id, m.supplier_id)}
    assert client.post(url, {"confirmed": "yes"}).status_code == 303
    world.db.expire_all()
    assert not _on_record(world)
    refusal = world.db.scalar(
        select(SessionPreference).where(
            SessionPreference.participant_id == world.participants["civic"].id,
            SessionPreference.target_id == other_side,
        )
    )
    assert refusal is not None and refusal.level is WishLevel.NO
    for who, participant in world.participants.items():
        assert _told(world, world.officers[who], "Your agenda for")[0] is (participant.id in losing), who


def test_a_cancelled_session_can_be_restored_until_its_day_and_everyone_is_told(world: World, client: Client) -> None:
    _published(world)
    base = f"/sessions/{world.session.id}"
    client.sign_in(world.organiser.email, factories.PASSWORD)
    assert client.get(f"{base}/restore").status_code == 409
    assert client.post(f"{base}/cancel", {"confirmed": "yes"}).status_code == 303
    page = client.get(base)
    assert f"{base}/restore" in page.text and "Restore the session" in page.text
    confirm = client.get(f"{base}/restore")
    assert confirm.status_code == 200 and "Yes, restore the session" in confirm.text
    assert "final agenda published" in confirm.text
    assert client.post(f"{base}/restore", {"confirmed": "yes"}).status_code == 303
    world.db.expire_all()
    assert world.session.status is SessionStatus.FINAL and world.session.cancelled_from is None
    for who in ("civic", "meals", "pendle"):
        assert _told(world, world.officers[who], "is on again") == (True, True), who


def test_restoring_is_refused_after_the_day_and_hidden_from_other_organisations(world: World, client: Client) -> None:
    _published(world)
    changes_url = f"/sessions/{world.session.id}/restore"
    agenda.change_status(world.db, world.viewer("burnley"), world.session.id, SessionStatus.CANCELLED)
    client.sign_in(world.officers["pendle"].email, factories.PASSWORD)
    assert client.get(changes_url).status_code == 404
    assert client.post(changes_url, {"confirmed": "yes"}).status_code == 404
    world.session.held_on = world.session.held_on - timedelta(days=60)
    world.db.flush()
    assert not changes.can_restore(world.session)
