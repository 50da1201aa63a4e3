"""Making a session's schedule in the background: the organiser asks, a job solves, the page follows along.

The solve takes seconds (up to ``planner.SOLVE_SECONDS``) and, for a large session, real CPU: it runs in a
queue worker, never in a web worker, and outside any database transaction, so that on SQLite nobody else
waits for the write lock meanwhile. The job reads in one transaction, solves, then writes in another, after
checking that nobody changed the timetable in between. A session has at most one unfinished run (a partial
unique index): a second click, or two organisers at once, follow the run already under way.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from exchange.core import events
from exchange.core.database import Database
from exchange.core.errors import Conflict, Invalid, NotFound
from exchange.core.models import utcnow
from exchange.core.viewer import Viewer
from exchange.sessions import planner, service
from exchange.sessions.models import MatchmakingSession, RunStage, ScheduleRun, SessionMeeting

# A run not finished this long after it was asked for lost its job (a queue emptied by hand, say): asking
# again starts a fresh one instead of waiting for it forever.
ABANDONED_AFTER = timedelta(minutes=30)


@dataclass(frozen=True)
class ScheduleRequested(events.DomainEvent):
    run_id: int


def request(db: Session, viewer: Viewer, session_id: int, keep_all: bool) -> ScheduleRun:
    """The run that will make the schedule: the one under way, or a new one, queued when this commits."""
    session = service.get_organised(db, viewer, session_id)
    planner.check_can_generate(db, session)
    running = unfinished(db, session.id)
    if running is not None and utcnow() - running.created_at < ABANDONED_AFTER:
        return running
    if running is not None:
        _finish(running, RunStage.FAILED, "The run was abandoned: it was asked for again.")
        db.flush()
    run = ScheduleRun(
        session_id=session.id, requested_by_id=viewer.user_id, keep_all=keep_all, solve_seconds=planner.SOLVE_SECONDS
    )
    try:
        with db.begin_nested():
            db.add(run)
    except IntegrityError:  # another request made one a moment ago: follow that one
        again = unfinished(db, session.id)
        if again is None:
            raise
        return again
    events.record(db, ScheduleRequested(run.id))
    return run


def unfinished(db: Session, session_id: int) -> ScheduleRun | None:
    query = select(ScheduleRun).where(ScheduleRun.session_id == session_id, ScheduleRun.finished_at.is_(None))
    return db.scalar(query)


def get(db: Session, session: MatchmakingSession, run_id: int) -> ScheduleRun:
    """A run of a session the caller organises (``service.get_organised``)."""
    run = db.get(ScheduleRun, run_id)
    if run is None or run.session_id != session.id:
        raise NotFound()
    return run


@dataclass(frozen=True)
class Progress:
    """What the organiser sees while the run goes on."""

    steps: list[tuple[str, str]]  # (label, "done" | "current" | "waiting")
    solving_percent: int | None  # of the longest the solver may take, while it solves
    stalled: bool


STEPS = (RunStage.QUEUED, RunStage.PLANNING, RunStage.SOLVING, RunStage.SAVING)


def progress(run: ScheduleRun) -> Progress:
    now = utcnow()
    if run.stage is RunStage.FAILED:
        return Progress([], None, False)
    current = STEPS.index(run.stage) if run.stage in STEPS else len(STEPS)
    steps = [
        (stage.label, "done" if index < current else "current" if index == current else "waiting")
        for index, stage in enumerate(STEPS)
    ]
    percent = None
    if run.stage is RunStage.SOLVING and run.solving_since is not None:
        elapsed = (now - run.solving_since).total_seconds()
        percent = min(99, int(100 * elapsed / max(run.solve_seconds, 0.1)))
    return Progress(steps, percent, now - run.created_at > ABANDONED_AFTER)


def _finish(run: ScheduleRun, stage: RunStage, error: str | None = None) -> None:
    run.stage, run.error, run.finished_at = stage, error, utcnow()


def _move_on(database: Database, run_id: int, stage: RunStage) -> None:
    with database.transaction() as db:
        run = db.get(ScheduleRun, run_id)
        assert run is not None
        run.stage = stage
        if stage is RunStage.SOLVING:
            run.solving_since = utcnow()


def run(database: Database, run_id: int) -> None:
    """Make the schedule a run asked for. Safe to run again if a worker died part way: nothing is written
    until the last transaction, and a finished run is left alone."""
    with database.transaction() as db:
        run_ = db.get(ScheduleRun, run_id)
        if run_ is None or run_.finished_at is not None:
            return
        run_.stage, run_.started_at, run_.solving_since = RunStage.PLANNING, utcnow(), None
        session_id, keep_all, user_id, seconds = (
            run_.session_id,
            run_.keep_all,
            run_.requested_by_id,
            run_.solve_seconds,
        )
    try:
        with database.session(write=False) as db:
            prepared = planner.prepare(db, _session(db, session_id), keep_all)
        _move_on(database, run_id, RunStage.SOLVING)
        made = planner.solve(prepared, seconds)
        _move_on(database, run_id, RunStage.SAVING)
        with database.transaction() as db:
            session = _session(db, session_id)
            db.refresh(session, with_for_update=True)  # one writer of this timetable at a time
            now_live = planner.live_meetings(db, session_id)
            if planner.meeting_layout(now_live) != prepared.layout:
                raise Conflict("The timetable was changed while the schedule was being made: make it again.")
            _attach(db, prepared, session, now_live)
            planner.apply(db, prepared, made, user_id)
            run_ = db.get(ScheduleRun, run_id)
            assert run_ is not None
            _finish(run_, RunStage.DONE)
    except (Conflict, Invalid) as refused:
        with database.transaction() as db:
            run_ = db.get(ScheduleRun, run_id)
            assert run_ is not None
            _finish(run_, RunStage.FAILED, _reason(refused))


def _session(db: Session, session_id: int) -> MatchmakingSession:
    session = db.get(MatchmakingSession, session_id)
    if session is None:
        raise Conflict("The session no longer exists.")
    return session


def _attach(db: Session, prepared: planner.Prepared, session: MatchmakingSession, live: list[SessionMeeting]) -> None:
    """The plan was read in an earlier transaction: its rows join this one (people without reading them
    again; the meetings as just read, unchanged since)."""
    prepared.plan.session = session
    prepared.plan.people = {key: db.merge(person, load=False) for key, person in prepared.plan.people.items()}
    meetings = {m.id: m for m in live}
    prepared.current = [meetings[m.id] for m in prepared.current]
    prepared.kept = [meetings[m.id] for m in prepared.kept]


def _reason(refused: Conflict | Invalid) -> str:
    if isinstance(refused, Invalid) and refused.field_errors:
        return f"{refused}: {'; '.join(refused.field_errors.values())}"
    return str(refused)
