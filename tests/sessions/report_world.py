"""A session that happened yesterday, small enough to count by hand, for the report, feedback and export tests.

Six meetings (council side first):
    A burnley-civic  slot 0 table 1   held
    B pendle-meals   slot 0 table 2   held
    C burnley-meals  slot 1 table 1   held
    D pendle-roads   slot 1 table 2   no-show (Road Repairs never checked in)
    E pendle-civic   slot 2 table 1   cancelled by Civic Voice Ltd
    F burnley-roads  slot 2 table 2   cancelled by the organisers
Burnley, Pendle, Civic Voice and Pennine Meals checked in; Road Repairs did not.
"""

from __future__ import annotations

from datetime import timedelta

from exchange.core.models import utcnow
from exchange.sessions import agenda, day, feedback, planner, preferences
from exchange.sessions.models import SessionMeeting, SessionStatus, WishLevel
from exchange.sessions.slots import today_in_london
from tests.sessions.conftest import World

PLAN = {
    "A": ("burnley", "civic", 0, 1),
    "B": ("pendle", "meals", 0, 2),
    "C": ("burnley", "meals", 1, 1),
    "D": ("pendle", "roads", 1, 2),
    "E": ("pendle", "civic", 2, 1),
    "F": ("burnley", "roads", 2, 2),
}


def held_yesterday(world: World) -> dict[str, SessionMeeting]:
    p, labels = world.participants, world.session.slot_labels
    for council in ("burnley", "pendle"):
        wishes = {p[supplier].id: WishLevel.LIKE for supplier in ("civic", "meals", "roads")}
        preferences.save(world.db, world.viewer(council), world.session.id, p[council].id, wishes)
    schedule = {
        "meetings": [
            {"a": f"p{p[a].id}", "b": f"p{p[b].id}", "slot": labels[slot], "table": table}
            for a, b, slot, table in PLAN.values()
        ]
    }
    planner.import_schedule(world.db, world.viewer("burnley"), world.session.id, schedule)
    live = planner.live_meetings(world.db, world.session.id)
    meetings = {
        key: next(m for m in live if (m.council_id, m.supplier_id, m.slot) == (p[a].id, p[b].id, slot))
        for key, (a, b, slot, _) in PLAN.items()
    }
    agenda.change_status(world.db, world.viewer("burnley"), world.session.id, SessionStatus.FINAL)
    agenda.cancel(world.db, world.viewer("civic"), world.session.id, meetings["E"].id)
    meetings["F"].cancelled_at = utcnow()
    world.session.held_on = today_in_london() - timedelta(days=1)
    for who in ("burnley", "pendle", "civic", "meals"):
        day.set_checked_in(world.db, world.viewer("burnley"), world.session.id, p[who].id, True)
    world.db.flush()
    return meetings


def rate(world: World, who: str, meeting: SessionMeeting, rating: int, note: str = "") -> None:
    form = feedback.FeedbackForm.model_validate({"rating": str(rating), "note": note})
    feedback.give(world.db, world.viewer(who), world.session.id, meeting.id, form)
