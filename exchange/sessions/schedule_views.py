"""The organiser's timetable: generate the schedule, lock, move or remove meetings, fill gaps, see the
figures, and export the session or import a schedule in the scheduling file format."""

from __future__ import annotations

import orjson
from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData, UploadFile

from exchange.accounts.dependencies import signed_in_viewer
from exchange.core.errors import Invalid
from exchange.core.forms import form_to_dict, submitted_form, validate
from exchange.core.http import TransactionalRoute, get_db
from exchange.core.ids import PathId
from exchange.core.templating import flash, is_htmx, render, render_page_or_fragment
from exchange.core.viewer import Viewer
from exchange.sessions import filling, need_names, planner, report, schedule_runs, service
from exchange.sessions.models import MatchmakingSession, RunStage, SessionMeeting, Side
from exchange.sessions.schemas import MoveForm

router = APIRouter(route_class=TransactionalRoute, prefix="/sessions/{session_id}")
MOVE_LABELS = {"slot": "the slot", "table_number": "the table"}
# A schedule file for a session of a few thousand participants is well under this.
MOST_UPLOAD_BYTES = 5_000_000


def timetable_page(
    request: Request,
    db: Session,
    viewer: Viewer,
    session: MatchmakingSession,
    errors: dict[str, str],
    status: int = 200,
) -> HTMLResponse:
    people = service.participants(db, session.id)
    meetings = planner.live_meetings(db, session.id)
    grid: dict[tuple[int, int], SessionMeeting] = {(m.slot, m.table_number): m for m in meetings}
    context = {
        "page_title": f"Schedule: {session.title}",
        "session": session,
        "tab": "schedule",
        "grid": grid,
        "meetings": meetings,
        "names": need_names.for_meetings(db, viewer, meetings),
        "statistics": report.statistics(db, session.id, people, meetings, len(session.slots), session.tables),
        "figures": session.schedule_figures,
        "can_generate": session.status in service.LISTED,
        "running": schedule_runs.unfinished(db, session.id),
        "errors": errors,
        # Tables emptied by a cancelled meeting or a no-show, and whether any meeting is on record to clear.
        "gaps": {(g.slot, g.table): g for g in filling.gaps(db, session, meetings)},
        "on_record": not service.meetings_fit(db, session.id, 0, 0),
        "councils": [p for p in people if p.side is Side.COUNCIL],
        "suppliers": [p for p in people if p.side is Side.SUPPLIER],
    }
    return render(request, "sessions/schedule.html", context, status)


@router.get("/schedule", response_class=HTMLResponse)
def timetable(
    request: Request, session_id: PathId, db: Session = Depends(get_db), viewer: Viewer = Depends(signed_in_viewer)
) -> HTMLResponse:
    return timetable_page(request, db, viewer, service.get_organised(db, viewer, session_id), {})


@router.post("/schedule/generate", response_class=HTMLResponse)
def generate(
    request: Request,
    session_id: PathId,
    form: FormData = Depends(submitted_form),
    db: Session = Depends(get_db),
    viewer: Viewer = Depends(signed_in_viewer),
) -> Response:
    """Ask for the schedule: a job makes it; the organiser follows its progress (a second click joins it)."""
    run = schedule_runs.request(db, viewer, session_id, keep_all=form.get("keep") == "all")
    return RedirectResponse(f"/sessions/{session_id}/schedule/runs/{run.id}", 303)


@router.get("/schedule/runs/{run_id}", response_class=HTMLResponse)
def run_progress(
    request: Request,
    session_id: PathId,
    run_id: PathId,
    db: Session = Depends(get_db),
    viewer: Viewer = Depends(signed_in_viewer),
) -> Response:
    """Where the run has got to; polled by the page every second until it is done, then on to the timetable."""
    session = service.get_organised(db, viewer, session_id)
    run = schedule_runs.get(db, session, run_id)
    if run.stage is RunStage.DONE:
        figures = session.schedule_figures or {}
        flash(
            request,
            f"The schedule holds {figures.get('meetings', 0)} meetings, "
            f"within {figures.get('gap_percent', 0)}% of the best possible value.",
        )
        timetable_url = f"/sessions/{session_id}/schedule"
        if is_htmx(request):
            return Response(status_code=204, headers={"HX-Redirect": timetable_url})
        return RedirectResponse(timetable_url, 303)
    context = {
        "page_title": f"Making the schedule: {session.title}",
        "session": session,
        "tab": "schedule",
        "run": run,
        "progress": schedule_runs.progress(run),
    }
    return render_page_or_fragment(
        request, "sessions/schedule_run.html", "sessions/_schedule_run_progress.html", context
    )


@router.post("/meetings/{meeting_id}/lock", response_class=HTMLResponse)
def toggle_lock(
    request: Request,
    session_id: PathId,
    meeting_id: PathId,
    db: Session = Depends(get_db),
    viewer: Viewer = Depends(signed_in_viewer),
) -> Response:
    meeting = planner.toggle_lock(db, viewer, session_id, meeting_id)
    if is_htmx(request):
        session = service.get_organised(db, viewer, session_id)
        names = need_names.for_meetings(db, viewer, [meeting])
        return render(request, "sessions/_meeting.html", {"session": session, "meeting": meeting, "names": names})
    return RedirectResponse(f"/sessions/{session_id}/schedule#meeting-{meeting_id}", 303)


@router.post("/meetings/{meeting_id}/move", response_class=HTMLResponse)
def move(
    request: Request,
    session_id: PathId,
    meeting_id: PathId,
    form: FormData = Depends(submitted_form),
    db: Session = Depends(get_db),
    viewer: Viewer = Depends(signed_in_viewer),
) -> Response:
    session = service.get_organised(db, viewer, session_id)
    try:
        data = validate(MoveForm, form_to_dict(form), MOVE_LABELS)
        planner.move(db, viewer, session_id, meeting_id, data.slot, data.table_number)
    except Invalid as error:
        return timetable_page(request, db, viewer, session, error.field_errors, 422)
    flash(request, "The meeting is moved and locked in its new place.")
    return RedirectResponse(f"/sessions/{session_id}/schedule", 303)


@router.post("/meetings/{meeting_id}/remove")
def remove(
    request: Request,
    session_id: PathId,
    meeting_id: PathId,
    db: Session = Depends(get_db),
    viewer: Viewer = Depends(signed_in_viewer),
) -> Response:
    planner.remove(db, viewer, session_id, meeting_id)
    flash(request, "The meeting is removed from the schedule.")
    return RedirectResponse(f"/sessions/{session_id}/schedule", 303)


@router.get("/schedule/instance.json")
def export_instance(
    session_id: PathId, db: Session = Depends(get_db), viewer: Viewer = Depends(signed_in_viewer)
) -> Response:
    data = planner.export_instance(db, viewer, session_id)
    headers = {"Content-Disposition": f'attachment; filename="session-{session_id}-instance.json"'}
    return JSONResponse(data, headers=headers)


@router.post("/schedule/import", response_class=HTMLResponse)
def import_schedule(
    request: Request,
    session_id: PathId,
    form: FormData = Depends(submitted_form),
    db: Session = Depends(get_db),
    viewer: Viewer = Depends(signed_in_viewer),
) -> Response:
    upload = form.get("schedule")
    raw = upload.file.read(MOST_UPLOAD_BYTES + 1) if isinstance(upload, UploadFile) else b""
    return _import_bytes(request, session_id, raw, db, viewer)


def _import_bytes(request: Request, session_id: int, raw: bytes, db: Session, viewer: Viewer) -> Response:
    session = service.get_organised(db, viewer, session_id)
    try:
        if not raw:
            raise Invalid("Choose a file", field_errors={"schedule": "Choose a schedule file (JSON) to upload"})
        if len(raw) > MOST_UPLOAD_BYTES:
            raise Invalid("The file is too big", field_errors={"schedule": "The file must be smaller than 5 MB"})
        try:
            # orjson refuses nesting deeper than 1,024 with a decode error (the json module recursed until a
            # RecursionError, a 500, on a file of a thousand brackets).
            data = orjson.loads(raw)
        except orjson.JSONDecodeError:
            raise Invalid(
                "The file is not JSON", field_errors={"schedule": "The file must be a JSON schedule"}
            ) from None
        count = planner.import_schedule(db, viewer, session_id, data)
    except Invalid as error:
        return timetable_page(request, db, viewer, session, error.field_errors, 422)
    flash(request, f"The schedule is replaced by the file's {count} meetings.")
    return RedirectResponse(f"/sessions/{session_id}/schedule", 303)
