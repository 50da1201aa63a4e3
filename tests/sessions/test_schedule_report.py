"""What the organiser reads about a schedule: which "must meet" request was missed, by name, and a refused move's
reason without the scheduler's internal numbering."""

from __future__ import annotations

from exchange.sessions import move_rules, planner, preferences, report, service
from exchange.sessions.models import WishLevel
from tests import factories
from tests.client import Client
from tests.sessions.conftest import World


def _must(world: World, who: str, target: str) -> None:
    p = world.participants
    preferences.save(world.db, world.viewer(who), world.session.id, p[who].id, {p[target].id: WishLevel.MUST})


def test_the_schedule_names_the_must_meet_request_it_could_not_keep(world: World, client: Client) -> None:
    # Civic Voice can make one slot only: Burnley and it both must meet, so Pendle's request is the one missed.
    world.participants["civic"].available = [0]
    _must(world, "burnley", "civic")
    _must(world, "civic", "burnley")
    _must(world, "pendle", "civic")
    planner.generate(world.db, world.viewer("burnley"), world.session.id, seconds=0.5)
    people = service.participants(world.db, world.session.id)
    meetings = planner.live_meetings(world.db, world.session.id)
    stats = report.statistics(world.db, world.session.id, people, meetings, len(world.session.slots), 2)
    assert (stats.must_met, stats.must_asked) == (2, 3)
    assert stats.must_missed == ["Pendle Borough Council asked to meet Civic Voice Ltd"]
    client.sign_in(world.officers["burnley"].email, factories.PASSWORD)
    page = client.get(f"/sessions/{world.session.id}/schedule")
    assert "“Must meet” requests not met" in page.text
    assert "Pendle Borough Council asked to meet Civic Voice Ltd" in page.text


def test_a_mutual_request_missed_is_said_once(world: World) -> None:
    world.participants["civic"].available = [0]
    _must(world, "burnley", "civic")
    _must(world, "civic", "burnley")
    _must(world, "pendle", "civic")
    _must(world, "civic", "pendle")
    planner.generate(world.db, world.viewer("burnley"), world.session.id, seconds=0.5)
    people = service.participants(world.db, world.session.id)
    meetings = planner.live_meetings(world.db, world.session.id)
    stats = report.statistics(world.db, world.session.id, people, meetings, len(world.session.slots), 2)
    assert stats.must_asked == 4 and stats.must_met == 2
    assert len(stats.must_missed) == 1 and stats.must_missed[0].endswith("(both asked)")


def test_the_schedulers_own_findings_are_told_without_its_numbering() -> None:
    said = move_rules.in_words(
        "meeting 8 (Pendle and Civic at 09:30, table 1): Civic Voice Ltd has more than max_meetings (4)"
    )
    assert said == "Civic Voice Ltd has more than the most meetings they accept (4)."
