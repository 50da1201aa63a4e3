"""Feedback on a meeting: from its two sides only (anyone else: 404), once its time is over, one answer per
side that can be changed until 14 days after the session's day; refused in words otherwise, changing nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest

from exchange.core.errors import Conflict, Invalid, NotFound
from exchange.core.forms import validate
from exchange.sessions import feedback, planner
from exchange.sessions.models import MeetingFeedback, SessionMeeting
from exchange.sessions.slots import end_of_day
from tests import factories
from tests.sessions.conftest import World
from tests.sessions.report_world import held_yesterday, rate


@pytest.fixture
def meetings(world: World) -> dict[str, SessionMeeting]:
    return held_yesterday(world)


def _form(rating: str = "4", note: str = "") -> feedback.FeedbackForm:
    return validate(feedback.FeedbackForm, {"rating": rating, "note": note}, feedback.LABELS)


def test_each_side_gives_one_answer_and_may_change_it(world: World, meetings: dict[str, SessionMeeting]) -> None:
    rate(world, "civic", meetings["A"], 2, "Late start")
    rate(world, "civic", meetings["A"], 5, "Worth it after all")
    rate(world, "burnley", meetings["A"], 3)
    answers = {(f.participant_id, f.rating, f.note) for f in feedback.of_session(world.db, world.session.id)}
    p = world.participants
    assert answers == {(p["civic"].id, 5, "Worth it after all"), (p["burnley"].id, 3, "")}
    mine = feedback.for_side(world.db, world.viewer("burnley"), world.session.id, meetings["A"].id)
    # Burnley reads its own answer, never Civic Voice's.
    assert mine.given is not None and mine.given.rating == 3 and mine.other.name == "Civic Voice Ltd"


def test_nobody_but_the_two_sides_gives_feedback(world: World, meetings: dict[str, SessionMeeting]) -> None:
    admin = factories.viewer(world.db, factories.admin(world.db))
    for viewer in (world.viewer("pendle"), world.viewer("roads"), admin):
        with pytest.raises(NotFound):
            feedback.give(world.db, viewer, world.session.id, meetings["A"].id, _form())
        with pytest.raises(NotFound):
            feedback.for_side(world.db, viewer, world.session.id, meetings["A"].id)
    assert factories.count(world.db, MeetingFeedback) == 0


def test_feedback_opens_when_the_meeting_ends_and_closes_14_days_after_the_day(
    world: World, meetings: dict[str, SessionMeeting]
) -> None:
    session, meeting = world.session, meetings["A"]
    ends = feedback.meeting_ends_at(session, meeting)
    with pytest.raises(Conflict) as early:
        feedback.give(world.db, world.viewer("civic"), session.id, meeting.id, _form(), now=ends - timedelta(minutes=1))
    assert "once the meeting is over" in early.value.message
    feedback.give(world.db, world.viewer("civic"), session.id, meeting.id, _form(), now=ends)
    last = end_of_day(session.held_on + timedelta(days=14))
    feedback.give(world.db, world.viewer("civic"), session.id, meeting.id, _form("1"), now=last - timedelta(seconds=1))
    with pytest.raises(Conflict) as late:
        feedback.give(world.db, world.viewer("civic"), session.id, meeting.id, _form("5"), now=last)
    assert "Feedback closed at the end of" in late.value.message
    assert [f.rating for f in feedback.of_session(world.db, session.id)] == [1]


def test_a_cancelled_meeting_takes_no_feedback(world: World, meetings: dict[str, SessionMeeting]) -> None:
    with pytest.raises(Conflict) as refused:
        feedback.give(world.db, world.viewer("civic"), world.session.id, meetings["E"].id, _form())
    assert refused.value.message == "This meeting was cancelled: there is nothing to give feedback on."


@pytest.mark.parametrize(
    ("rating", "note", "field", "message"),
    [
        ("", "", "rating", feedback.CHOOSE_RATING),
        ("6", "", "rating", feedback.CHOOSE_RATING),
        ("useful", "", "rating", feedback.CHOOSE_RATING),
        ("4", "x" * 1001, "note", "The note must be 1,000 characters or fewer: it has 1,001"),
    ],
)
def test_a_bad_answer_is_refused_in_words(rating: str, note: str, field: str, message: str) -> None:
    with pytest.raises(Invalid) as refused:
        _form(rating, note)
    assert refused.value.field_errors[field] == message


def test_feedback_on_record_keeps_the_schedule_from_being_replaced_or_the_meeting_removed(
    world: World, meetings: dict[str, SessionMeeting]
) -> None:
    rate(world, "meals", meetings["C"], 4)
    organiser = world.viewer("burnley")
    with pytest.raises(Conflict) as replacing:
        planner.import_schedule(world.db, organiser, world.session.id, {"meetings": []})
    assert "Follow-ups or feedback are recorded" in replacing.value.message
    with pytest.raises(Conflict) as removing:
        planner.remove(world.db, organiser, world.session.id, meetings["C"].id)
    assert "it can no longer be removed" in removing.value.message
    assert factories.count(world.db, MeetingFeedback) == 1
