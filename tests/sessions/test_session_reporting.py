"""The organiser's report counts exactly: participants registered, checked in and no-shows; meetings held,
cancelled (and by whom), missed and to come; feedback in aggregate, without the other side's words for an
organiser who sat at the meeting; follow-ups agreed; and one row per participant."""

from __future__ import annotations

from datetime import timedelta

import pytest

from exchange.core.errors import NotFound
from exchange.sessions import day, reporting
from exchange.sessions.models import FollowUpKind, SessionMeeting
from exchange.sessions.schemas import FollowUpForm
from tests import factories
from tests.sessions.conftest import World
from tests.sessions.report_world import held_yesterday, rate


def _follow_up(world: World, who: str, meeting_id: int, kind: FollowUpKind) -> None:
    form = FollowUpForm(kind=kind)
    day.record_follow_up(world.db, world.viewer(who), world.session.id, meeting_id, form)


@pytest.fixture
def meetings(world: World) -> dict[str, SessionMeeting]:
    found = held_yesterday(world)
    rate(world, "civic", found["A"], 5, "Great demo")
    rate(world, "burnley", found["A"], 3, "Too early in the day")
    rate(world, "meals", found["C"], 4)
    rate(world, "pendle", found["B"], 2, "Not what we need")
    _follow_up(world, "burnley", found["A"].id, FollowUpKind.ARRANGE_DEMO)
    _follow_up(world, "civic", found["A"].id, FollowUpKind.SEND_PROPOSAL)
    _follow_up(world, "pendle", found["B"].id, FollowUpKind.NOT_A_FIT)
    _follow_up(world, "meals", found["B"].id, FollowUpKind.KEEP_IN_TOUCH)
    return found


def test_the_session_figures_are_counted_exactly(world: World, meetings: dict[str, SessionMeeting]) -> None:
    report = reporting.report(world.db, world.viewer("burnley"), world.session.id)
    assert (report.registered, report.withdrawn, report.checked_in) == (5, 0, 4)
    assert report.no_shows == ["Road Repairs Ltd"]
    assert (report.scheduled, report.held, report.cancelled, report.no_show_meetings, report.to_come) == (6, 3, 2, 1, 0)
    assert report.cancelled_by == [("Civic Voice Ltd", 1), ("The organisers", 1)]
    assert sorted(report.ratings) == [2, 3, 4, 5] and report.average_rating == 3.5
    assert [(value, count) for value, _, count in report.ratings_by_answer] == [(5, 1), (4, 1), (3, 1), (2, 1), (1, 0)]
    assert report.follow_ups_recorded == 4
    assert report.follow_ups == {kind: 1 for kind in FollowUpKind}
    # Only A: both sides recorded a next step; at B one side said "Not a fit".
    assert report.follow_ups_agreed == 1
    statuses = {line.meeting.id: line.status_words for line in report.meetings}
    assert statuses == {
        meetings["A"].id: "Held",
        meetings["B"].id: "Held",
        meetings["C"].id: "Held",
        meetings["D"].id: "No-show: Road Repairs Ltd did not check in",
        meetings["E"].id: "Cancelled by Civic Voice Ltd",
        meetings["F"].id: "Cancelled by the organisers",
    }


def test_each_participant_has_its_row(world: World, meetings: dict[str, SessionMeeting]) -> None:
    report = reporting.report(world.db, factories.viewer(world.db, factories.admin(world.db)), world.session.id)
    rows = {
        row.participant.name: (
            row.checked_in,
            row.no_show,
            row.meetings,
            row.held,
            row.cancelled,
            row.no_show_meetings,
            row.feedback_given,
            row.average_given,
            row.follow_ups,
        )
        for row in report.rows
    }
    assert rows == {
        world.participants["burnley"].name: (True, False, 3, 2, 1, 0, 1, 3.0, 1),
        world.participants["pendle"].name: (True, False, 3, 1, 1, 1, 1, 2.0, 1),
        "Civic Voice Ltd": (True, False, 2, 1, 1, 0, 1, 5.0, 1),
        "Pennine Meals": (True, False, 2, 2, 0, 0, 1, 4.0, 1),
        "Road Repairs Ltd": (False, True, 2, 0, 1, 1, 0, None, 0),
    }
    # The administrator sat at no meeting: every note is there.
    assert sorted(note.text for note in report.notes) == ["Great demo", "Not what we need", "Too early in the day"]
    assert report.withheld == 0


def test_an_organiser_who_sat_at_a_meeting_never_reads_the_other_sides_feedback_on_it(
    world: World, meetings: dict[str, SessionMeeting]
) -> None:
    report = reporting.report(world.db, world.viewer("burnley"), world.session.id)
    # Civic Voice on A and Pennine Meals on C spoke about meetings with Burnley: Burnley reads neither.
    assert sorted(note.text for note in report.notes) == ["Not what we need", "Too early in the day"]
    assert report.withheld == 2
    by_meeting = {line.meeting.id: (line.council_rating, line.supplier_rating) for line in report.meetings}
    assert by_meeting[meetings["A"].id] == (3, None)
    assert by_meeting[meetings["C"].id] == (None, None)
    assert by_meeting[meetings["B"].id] == (2, None)
    civic = next(row for row in report.rows if row.participant.name == "Civic Voice Ltd")
    assert (civic.feedback_given, civic.average_given) == (1, None)
    # The session's average counts every rating: an aggregate.
    assert report.average_rating == 3.5


def test_before_the_day_nothing_is_a_no_show(world: World, meetings: dict[str, SessionMeeting]) -> None:
    before = world.session.held_on - timedelta(days=1)
    report = reporting.report(world.db, world.viewer("burnley"), world.session.id, today=before)
    assert report.no_shows == [] and (report.no_show_meetings, report.to_come) == (0, 1)
    assert not any(row.no_show for row in report.rows)


def test_a_withdrawn_participant_is_not_registered_and_its_cancellations_are_its_own(world: World) -> None:
    held_yesterday(world)
    from exchange.sessions import service

    world.session.held_on = world.session.held_on + timedelta(days=3)
    service.withdraw(world.db, world.viewer("meals"), world.session.id, world.participants["meals"].id)
    report = reporting.report(world.db, world.viewer("burnley"), world.session.id, today=world.session.held_on)
    assert (report.registered, report.withdrawn) == (4, 1)
    assert report.cancelled_by == [("Civic Voice Ltd", 1), ("Pennine Meals", 2), ("The organisers", 1)]
    assert "Pennine Meals" not in {row.participant.name for row in report.rows}


def test_only_the_organisers_and_administrators_get_the_report(world: World) -> None:
    for who in ("pendle", "civic"):
        with pytest.raises(NotFound):
            reporting.report(world.db, world.viewer(who), world.session.id)
