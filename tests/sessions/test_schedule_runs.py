"""Making the schedule in the background: one run per session however often it is asked for, the solve
outside any transaction, a timetable changed meanwhile never overwritten, and a page that follows along."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from exchange.core.database import Database
from exchange.core.errors import NotFound
from exchange.sessions import planner, schedule_runs
from exchange.sessions.models import RunStage, ScheduleRun
from tests import factories
from tests.client import Client
from tests.sessions.conftest import World

HTMX = {"HX-Request": "true"}


@pytest.fixture(autouse=True)
def quick_solves(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(planner, "SOLVE_SECONDS", 0.5)


def _runs(world: World) -> int:
    return world.db.scalar(select(func.count()).select_from(ScheduleRun)) or 0


def test_asking_twice_joins_the_run_under_way_and_the_job_makes_the_schedule(world: World, database: Database) -> None:
    first = schedule_runs.request(world.db, world.viewer("burnley"), world.session.id, keep_all=False)
    again = schedule_runs.request(world.db, world.viewer("burnley"), world.session.id, keep_all=True)
    assert again.id == first.id and _runs(world) == 1 and first.stage is RunStage.QUEUED
    assert planner.live_meetings(world.db, world.session.id) == []

    schedule_runs.run(database, first.id)
    world.db.expire_all()
    assert first.stage is RunStage.DONE and first.finished_at is not None and first.error is None
    meetings = planner.live_meetings(world.db, world.session.id)
    assert meetings and world.session.schedule_figures["meetings"] == len(meetings)
    # Run again (a worker that died after saving, say): a finished run is left alone.
    schedule_runs.run(database, first.id)
    world.db.expire_all()
    assert {m.id for m in planner.live_meetings(world.db, world.session.id)} == {m.id for m in meetings}
    # Finished, so the next request is a new run.
    assert schedule_runs.request(world.db, world.viewer("burnley"), world.session.id, False).id != first.id


def test_a_timetable_changed_while_solving_is_never_overwritten(
    world: World, database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    planner.generate(world.db, world.viewer("burnley"), world.session.id, seconds=0.5)
    before = planner.live_meetings(world.db, world.session.id)
    run = schedule_runs.request(world.db, world.viewer("burnley"), world.session.id, keep_all=False)
    solve = planner.solve

    def organiser_locks_a_meeting_meanwhile(prepared: planner.Prepared, seconds: float) -> object:
        with database.transaction() as db:
            planner.toggle_lock(db, factories.viewer(db, world.organiser), world.session.id, before[0].id)
        return solve(prepared, seconds)

    monkeypatch.setattr(planner, "solve", organiser_locks_a_meeting_meanwhile)
    schedule_runs.run(database, run.id)
    world.db.expire_all()
    assert run.stage is RunStage.FAILED and "changed while the schedule was being made" in (run.error or "")
    after = planner.live_meetings(world.db, world.session.id)
    assert [(m.id, m.slot, m.table_number) for m in after] == [(m.id, m.slot, m.table_number) for m in before]


def test_the_page_follows_the_run_then_shows_the_timetable(world: World, client: Client) -> None:
    client.sign_in(world.organiser.email, factories.PASSWORD)
    base = f"/sessions/{world.session.id}/schedule"
    asked = client.post(f"{base}/generate")
    assert asked.status_code == 303
    run_url = asked.headers["location"]
    assert run_url.startswith(f"{base}/runs/")
    # Jobs run at once in the suite: by now it is done, and the page moves on with the figures.
    done = client.get(run_url)
    assert done.status_code == 303 and done.headers["location"] == base
    timetable = client.get(base)
    assert "The schedule holds" in timetable.text and "requests satisfied" in timetable.text
    polled = client.get(run_url, headers=HTMX)
    assert polled.status_code == 204 and polled.headers["HX-Redirect"] == base


def test_a_run_under_way_or_refused_shows_where_it_stands(world: World, client: Client) -> None:
    run = schedule_runs.request(world.db, world.viewer("burnley"), world.session.id, keep_all=False)
    run.stage = RunStage.SOLVING
    run.solving_since = run.created_at
    world.db.flush()
    client.sign_in(world.organiser.email, factories.PASSWORD)
    url = f"/sessions/{world.session.id}/schedule/runs/{run.id}"
    page = client.get(url)
    assert page.status_code == 200
    assert "Finding the best schedule" in page.text and 'hx-trigger="every 1s"' in page.text
    fragment = client.get(url, headers=HTMX)
    assert fragment.status_code == 200 and "<html" not in fragment.text and "<progress" in fragment.text
    timetable = client.get(f"/sessions/{world.session.id}/schedule")
    assert "The schedule is being made" in timetable.text and "Generate the schedule" not in timetable.text

    run.stage, run.finished_at, run.error = RunStage.FAILED, run.created_at, "A locked meeting breaks a rule"
    world.db.flush()
    refused = client.get(url)
    assert refused.status_code == 200 and "A locked meeting breaks a rule" in refused.text
    assert "hx-trigger" not in refused.text


def test_someone_elses_run_is_not_there(world: World, client: Client) -> None:
    run = schedule_runs.request(world.db, world.viewer("burnley"), world.session.id, keep_all=False)
    client.sign_in(world.officers["pendle"].email, factories.PASSWORD)
    assert client.get(f"/sessions/{world.session.id}/schedule/runs/{run.id}").status_code == 404
    assert client.post(f"/sessions/{world.session.id}/schedule/generate").status_code == 404
    with pytest.raises(NotFound):
        schedule_runs.get(world.db, world.session, run.id + 1000)
    assert _runs(world) == 1
