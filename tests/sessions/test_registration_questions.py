"""What participants expect from a matchmaking platform: registration questions, the organiser's approval,
meeting requests that the schedule honours, named tables and video links, and the agenda reminder."""

from __future__ import annotations

from datetime import timedelta

import pytest

from exchange.core.database import Database
from exchange.core.errors import Conflict, Invalid, NotFound
from exchange.core.queue import JobContext, use_context
from exchange.core.settings import Settings
from exchange.notifications.models import Notification
from exchange.sessions import (
    agenda,
    approvals,
    ical,
    meeting_requests,
    planner,
    preferences,
    questions,
    reminders,
    rooms,
    service,
    tasks,
)
from exchange.sessions.models import Approval, MeetingRequest, RequestStatus, SessionStatus, WishLevel
from exchange.sessions.schemas import RegistrationForm
from exchange.sessions.slots import moment, today_in_london
from tests import factories
from tests.sessions.conftest import World

QUICK = 0.5


def _ask(world: World, text: str, kind: str, required: str = "yes", choices: str = "") -> questions.Question:
    values = {"text": text, "kind": kind, "required": required, "choices": choices}
    return questions.add(world.db, world.viewer("burnley"), world.session.id, values)


def _newcomer(world: World, key: str, name: str) -> None:
    person = factories.user(world.db, name=f"{name} founder")
    world.officers[key], world.organisations[key] = person, factories.supplier(world.db, person, name=name)


def _notified(world: World, who: str, words: str) -> bool:
    query = world.db.query(Notification).filter(Notification.user_id == world.officers[who].id)
    return any(words in n.title for n in query)


def _emailed(world: World, who: str, words: str) -> bool:
    return any(words in m.subject for m in factories.emails_to(world.db, world.officers[who].email))


def test_the_organiser_asks_questions_and_bad_ones_are_refused(world: World) -> None:
    before = list(world.session.questions or [])
    for values, field in (
        ({"text": "", "kind": "text", "required": "yes"}, "text"),
        ({"text": "Pick", "kind": "choice", "required": "yes", "choices": "Only one"}, "choices"),
        ({"text": "Pick", "kind": "essay", "required": "yes"}, "kind"),
        ({"text": "Pick", "kind": "text"}, "required"),
    ):
        with pytest.raises(Invalid) as raised:
            questions.add(world.db, world.viewer("burnley"), world.session.id, values)
        assert field in raised.value.field_errors
    assert list(world.session.questions or []) == before
    with pytest.raises(NotFound):
        questions.add(
            world.db, world.viewer("civic"), world.session.id, {"text": "Mine?", "kind": "text", "required": "no"}
        )
    asked = _ask(world, "Which topic?", "choice", choices="Care\nHousing\nCare")
    assert asked.choices == ("Care", "Housing")
    _ask(world, "Bringing a demo?", "yes_no", required="no")
    assert [q.text for q in questions.of(world.session)] == ["Which topic?", "Bringing a demo?"]
    questions.remove(world.db, world.viewer("burnley"), world.session.id, asked.key)
    assert [q.text for q in questions.of(world.session)] == ["Bringing a demo?"]


def test_answers_are_checked_and_kept_with_the_registration(world: World) -> None:
    topic = _ask(world, "Which topic?", "choice", choices="Care\nHousing")
    demo = _ask(world, "Bringing a demo?", "yes_no", required="no")
    with pytest.raises(Invalid) as raised:
        questions.check_answers(world.session, {topic.field: "Roads", demo.field: "Maybe"})
    assert raised.value.field_errors == {
        topic.field: "Choose an answer to “Which topic?” from the list",
        demo.field: "Choose an answer to “Bringing a demo?” from the list",
    }
    with pytest.raises(Invalid) as raised:
        questions.check_answers(world.session, {})
    assert raised.value.field_errors == {topic.field: "Choose an answer to “Which topic?”"}
    answers = questions.check_answers(world.session, {topic.field: "Care"})
    _newcomer(world, "tidy", "Tidyloop")
    form = RegistrationForm(organisation_id=world.organisations["tidy"].id, available=[0, 1], max_meetings=2)
    participant = service.register(world.db, world.viewer("tidy"), world.session.id, form, answers)
    assert questions.answered(world.session, participant.answers) == [
        ("Which topic?", "Care"),
        ("Bringing a demo?", "Not answered"),
    ]


def test_registrations_wait_for_approval_and_the_organisation_is_told(world: World) -> None:
    approvals.set_required(world.db, world.viewer("burnley"), world.session.id, True)
    _newcomer(world, "tidy", "Tidyloop")
    _newcomer(world, "bins", "Smart Bins")
    tidy, bins = world.register("tidy"), world.register("bins")
    assert tidy.approval is Approval.PENDING
    # Waiting registrations are not taking part: not listed, counted or scheduled.
    assert tidy.id not in {p.id for p in service.participants(world.db, world.session.id)}
    assert service.participant_counts(world.db, [world.session.id])[world.session.id] == 5
    assert {p.id for p in approvals.waiting(world.db, world.session.id)} == {tidy.id, bins.id}
    with pytest.raises(NotFound):
        approvals.approve(world.db, world.viewer("civic"), world.session.id, tidy.id)
    planner.generate(world.db, world.viewer("burnley"), world.session.id, seconds=QUICK)
    met = {m.supplier_id for m in planner.live_meetings(world.db, world.session.id)}
    assert tidy.id not in met

    approvals.approve(world.db, world.viewer("burnley"), world.session.id, tidy.id)
    assert tidy.approval is Approval.APPROVED
    assert _notified(world, "tidy", "is approved") and _emailed(world, "tidy", "is approved")
    with pytest.raises(Conflict):
        approvals.approve(world.db, world.viewer("burnley"), world.session.id, tidy.id)
    with pytest.raises(Invalid):
        approvals.decline(world.db, world.viewer("burnley"), world.session.id, bins.id, "x" * 401)
    assert bins.approval is Approval.PENDING
    approvals.decline(world.db, world.viewer("burnley"), world.session.id, bins.id, "Only care suppliers this time")
    assert bins.approval is Approval.DECLINED and bins.decline_reason == "Only care suppliers this time"
    told = world.db.query(Notification).filter(Notification.user_id == world.officers["bins"].id).one()
    assert "is declined" in told.title and "Only care suppliers this time" in told.body
    assert _emailed(world, "bins", "is declined")


def test_an_accepted_meeting_request_makes_a_meeting_for_both(world: World) -> None:
    p = world.participants
    # Road Repairs would not otherwise meet Pendle: Pendle says no thanks, nothing suggests it.
    preferences.save(world.db, world.viewer("pendle"), world.session.id, p["pendle"].id, {p["roads"].id: WishLevel.NO})
    sent = meeting_requests.send(
        world.db, world.viewer("roads"), world.session.id, p["roads"].id, p["pendle"].id, "About potholes"
    )
    assert sent.status is RequestStatus.PENDING
    assert _notified(world, "pendle", "asks to meet you") and _emailed(world, "pendle", "asks to meet you")
    with pytest.raises(Invalid) as raised:
        meeting_requests.send(world.db, world.viewer("pendle"), world.session.id, p["pendle"].id, p["roads"].id, "")
    assert "already a meeting request" in raised.value.field_errors["target_id"]
    with pytest.raises(Invalid) as raised:
        meeting_requests.send(world.db, world.viewer("roads"), world.session.id, p["roads"].id, p["civic"].id, "")
    assert raised.value.field_errors == {"target_id": "Choose whom you want to meet from the list"}
    # Only the participant asked may answer.
    with pytest.raises(NotFound):
        meeting_requests.answer(world.db, world.viewer("roads"), world.session.id, p["roads"].id, sent.id, True)
    with pytest.raises(NotFound):
        meeting_requests.answer(world.db, world.viewer("civic"), world.session.id, p["pendle"].id, sent.id, True)
    meeting_requests.answer(world.db, world.viewer("pendle"), world.session.id, p["pendle"].id, sent.id, True)
    assert sent.status is RequestStatus.ACCEPTED
    assert _notified(world, "roads", "accepted your meeting request")
    assert _emailed(world, "roads", "accepted your meeting request")
    with pytest.raises(Conflict):
        meeting_requests.answer(world.db, world.viewer("pendle"), world.session.id, p["pendle"].id, sent.id, False)

    plan = planner.plan(world.db, world.session)
    assert plan.wishes[(p["roads"].id, p["pendle"].id)] is plan.wishes[(p["pendle"].id, p["roads"].id)]
    assert plan.wishes[(p["pendle"].id, p["roads"].id)] is WishLevel.MUST
    planner.generate(world.db, world.viewer("burnley"), world.session.id, seconds=QUICK)
    pairs = {(m.council_id, m.supplier_id) for m in planner.live_meetings(world.db, world.session.id)}
    assert (p["pendle"].id, p["roads"].id) in pairs


def test_a_declined_request_makes_no_meeting_and_pending_participants_cannot_ask(world: World) -> None:
    p = world.participants
    sent = meeting_requests.send(world.db, world.viewer("meals"), world.session.id, p["meals"].id, p["pendle"].id, "")
    meeting_requests.answer(world.db, world.viewer("pendle"), world.session.id, p["pendle"].id, sent.id, False)
    assert sent.status is RequestStatus.DECLINED and _notified(world, "meals", "declined your meeting request")
    assert meeting_requests.accepted_pairs(world.db, world.session.id) == []
    approvals.set_required(world.db, world.viewer("burnley"), world.session.id, True)
    _newcomer(world, "tidy", "Tidyloop")
    tidy = world.register("tidy")
    with pytest.raises(Conflict):
        meeting_requests.send(world.db, world.viewer("tidy"), world.session.id, tidy.id, p["pendle"].id, "")
    assert factories.count(world.db, MeetingRequest) == 1


def test_tables_have_names_and_meetings_video_links_in_agendas_and_calendars(world: World) -> None:
    before = world.session.calendar_sequence
    with pytest.raises(Invalid):
        rooms.name_tables(world.db, world.viewer("burnley"), world.session.id, "A\nB\nC")
    rooms.name_tables(world.db, world.viewer("burnley"), world.session.id, "Room A, table 1\n\n")
    assert world.session.table_name(1) == "Room A, table 1" and world.session.table_name(2) == "Table 2"
    assert world.session.calendar_sequence == before + 1
    with pytest.raises(NotFound):
        rooms.name_tables(world.db, world.viewer("civic"), world.session.id, "Mine")
    planner.generate(world.db, world.viewer("burnley"), world.session.id, seconds=QUICK)
    meeting = next(m for m in planner.live_meetings(world.db, world.session.id) if m.table_number == 1)
    with pytest.raises(Invalid):
        rooms.set_video_link(world.db, world.viewer("burnley"), world.session.id, meeting.id, "javascript:alert(1)")
    with pytest.raises(NotFound):
        rooms.set_video_link(world.db, world.viewer("civic"), world.session.id, meeting.id, "https://meet.example/x")
    rooms.set_video_link(world.db, world.viewer("burnley"), world.session.id, meeting.id, "https://meet.example/x")
    assert meeting.video_link == "https://meet.example/x"
    agenda.change_status(world.db, world.viewer("burnley"), world.session.id, SessionStatus.PROVISIONAL)
    who = world.db.get_one(type(meeting.council), meeting.council_id)
    items = agenda.meetings_of(world.db, world.viewer("burnley"), world.session, who)
    text = ical.calendar(world.session, who.name, items, "exchange.example").replace("\r\n ", "")
    assert "LOCATION:Room A\\, table 1\\, Burnley Town Hall" in text
    assert "URL:https://meet.example/x" in text and "Join: https://meet.example/x" in text


def test_the_reminder_goes_once_before_the_first_meeting(world: World) -> None:
    planner.generate(world.db, world.viewer("burnley"), world.session.id, seconds=QUICK)
    agenda.change_status(world.db, world.viewer("burnley"), world.session.id, SessionStatus.FINAL)
    first = moment(world.session.held_on, world.session.slots[0]["start"])
    meetings = planner.live_meetings(world.db, world.session.id)
    pendle = world.participants["pendle"]
    pendle_first = min(m.slot for m in meetings if m.council_id == pendle.id)
    assert reminders.send_due(world.db, now=first - timedelta(hours=30)) == 0
    sent = reminders.send_due(world.db, now=first - timedelta(hours=23))
    met = {m.council_id for m in meetings} | {m.supplier_id for m in meetings}
    # Everyone whose first meeting is within 24 hours (the first slot is 30 minutes earlier than the last).
    assert 0 < sent <= len(met)
    assert reminders.send_due(world.db, now=first - timedelta(hours=22)) >= 0
    total = sent + reminders.send_due(world.db, now=first - timedelta(minutes=1))
    assert total == len(met)
    # Once only: running the job again sends nothing more.
    assert reminders.send_due(world.db, now=first - timedelta(minutes=1)) == 0
    mails = [
        m for m in factories.emails_to(world.db, world.officers["pendle"].email) if "Your meetings at" in m.subject
    ]
    assert len(mails) == 1
    assert world.session.slots[pendle_first]["start"] in mails[0].body_text
    world.db.expire_all()
    assert all(p.reminded_at is not None for p in service.participants(world.db, world.session.id) if p.id in met)


def test_the_periodic_job_reminds_each_participant_once(world: World, database: Database, settings: Settings) -> None:
    planner.generate(world.db, world.viewer("burnley"), world.session.id, seconds=QUICK)
    agenda.change_status(world.db, world.viewer("burnley"), world.session.id, SessionStatus.FINAL)
    # Two days ahead, with reminders a week before: every first meeting is due, none has begun.
    world.session.held_on = today_in_london() + timedelta(days=2)
    meetings = planner.live_meetings(world.db, world.session.id)
    met = {m.council_id for m in meetings} | {m.supplier_id for m in meetings}
    world.db.commit()
    token = use_context(JobContext(database, settings.model_copy(update={"session_reminder_hours": 168})))
    try:
        assert tasks.send_due_reminders() == len(met) > 0
        assert tasks.send_due_reminders() == 0
    finally:
        token.var.reset(token)
    mails = factories.emails_to(world.db, world.officers["civic"].email)
    assert [m.subject for m in mails if "Your meetings at" in m.subject] == [f"Your meetings at {world.session.title}"]
