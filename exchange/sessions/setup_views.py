"""The organiser's set-up of a session beyond its form: the questions registering organisations answer,
whether registrations wait for approval, the tables' names; the registrations with their answers, approved or
declined here; and a meeting's video link."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from exchange.accounts.dependencies import signed_in_viewer
from exchange.core.errors import Invalid
from exchange.core.forms import form_to_dict, submitted_form
from exchange.core.http import TransactionalRoute, get_db
from exchange.core.ids import PathId
from exchange.core.templating import flash, render
from exchange.core.viewer import Viewer
from exchange.sessions import approvals, questions, rooms, service
from exchange.sessions.models import MatchmakingSession

router = APIRouter(route_class=TransactionalRoute, prefix="/sessions/{session_id}")


def _setup_page(
    request: Request,
    session: MatchmakingSession,
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> HTMLResponse:
    context = {
        "page_title": f"Registration and tables: {session.title}",
        "session": session,
        "tab": "session",
        "questions": questions.of(session),
        "kinds": [(k.value, k.label) for k in questions.QuestionKind],
        "values": {"table_names": rooms.names_text(session), **(values or {})},
        "errors": errors or {},
    }
    return render(request, "sessions/setup.html", context, status)


@router.get("/setup", response_class=HTMLResponse)
def setup_page(
    request: Request, session_id: PathId, db: Session = Depends(get_db), viewer: Viewer = Depends(signed_in_viewer)
) -> HTMLResponse:
    return _setup_page(request, service.get_organised(db, viewer, session_id))


@router.post("/setup/questions", response_class=HTMLResponse)
def add_question(
    request: Request,
    session_id: PathId,
    form: FormData = Depends(submitted_form),
    db: Session = Depends(get_db),
    viewer: Viewer = Depends(signed_in_viewer),
) -> Response:
    session = service.get_organised(db, viewer, session_id)
    values = form_to_dict(form)
    try:
        questions.add(db, viewer, session_id, values)
    except Invalid as error:
        return _setup_page(request, session, values, error.field_errors, 422)
    flash(request, "The question is added: organisations registering from now on answer it.")
    return RedirectResponse(f"/sessions/{session_id}/setup#questions", 303)


@router.post("/setup/questions/remove")
def remove_question(
    request: Request,
    session_id: PathId,
    form: FormData = Depends(submitted_form),
    db: Session = Depends(get_db),
    viewer: Viewer = Depends(signed_in_viewer),
) -> Response:
    questions.remove(db, viewer, session_id, str(form.get("key", "")))
    flash(request, "The question is removed. Answers already given are kept.")
    return RedirectResponse(f"/sessions/{session_id}/setup#questions", 303)


@router.post("/setup/approval")
def set_approval(
    request: Request,
    session_id: PathId,
    form: FormData = Depends(submitted_form),
    db: Session = Depends(get_db),
    viewer: Viewer = Depends(signed_in_viewer),
) -> Response:
    required = form.get("requires_approval") == "yes"
    approvals.set_required(db, viewer, session_id, required)
    flash(
        request,
        "New registrations now wait for your approval."
        if required
        else "New registrations now take part at once, without approval.",
    )
    return RedirectResponse(f"/sessions/{session_id}/setup#approval", 303)


@router.post("/setup/tables", response_class=HTMLResponse)
def name_tables(
    request: Request,
    session_id: PathId,
    form: FormData = Depends(submitted_form),
    db: Session = Depends(get_db),
    viewer: Viewer = Depends(signed_in_viewer),
) -> Response:
    session = service.get_organised(db, viewer, session_id)
    text = str(form.get("table_names", ""))
    try:
        rooms.name_tables(db, viewer, session_id, text)
    except Invalid as error:
        return _setup_page(request, session, {"table_names": text}, error.field_errors, 422)
    flash(request, "The table names are saved. Agendas and calendars show them.")
    return RedirectResponse(f"/sessions/{session_id}/setup#tables", 303)


@router.get("/registrations", response_class=HTMLResponse)
def registrations(
    request: Request, session_id: PathId, db: Session = Depends(get_db), viewer: Viewer = Depends(signed_in_viewer)
) -> HTMLResponse:
    session = service.get_organised(db, viewer, session_id)
    people = approvals.registrations(db, viewer, session_id)
    context = {
        "page_title": f"Registrations: {session.title}",
        "session": session,
        "tab": "session",
        "registrations": [(p, questions.answered(session, p.answers)) for p in people],
        "reason_errors": {},
    }
    return render(request, "sessions/registrations.html", context)


@router.post("/participants/{participant_id}/approve")
def approve(
    request: Request,
    session_id: PathId,
    participant_id: PathId,
    db: Session = Depends(get_db),
    viewer: Viewer = Depends(signed_in_viewer),
) -> Response:
    participant = approvals.approve(db, viewer, session_id, participant_id)
    flash(request, f"{participant.name} is approved and told so.")
    return RedirectResponse(f"/sessions/{session_id}/registrations", 303)


@router.post("/participants/{participant_id}/decline")
def decline(
    request: Request,
    session_id: PathId,
    participant_id: PathId,
    form: FormData = Depends(submitted_form),
    db: Session = Depends(get_db),
    viewer: Viewer = Depends(signed_in_viewer),
) -> Response:
    participant = approvals.decline(db, viewer, session_id, participant_id, str(form.get("reason", "")))
    flash(request, f"{participant.name} is declined and told so.")
    return RedirectResponse(f"/sessions/{session_id}/registrations", 303)


@router.post("/meetings/{meeting_id}/video-link")
def set_video_link(
    request: Request,
    session_id: PathId,
    meeting_id: PathId,
    form: FormData = Depends(submitted_form),
    db: Session = Depends(get_db),
    viewer: Viewer = Depends(signed_in_viewer),
) -> Response:
    meeting = rooms.set_video_link(db, viewer, session_id, meeting_id, str(form.get("video_link", "")))
    flash(
        request, "The video link is saved." if meeting.video_link else "The meeting has no video link of its own now."
    )
    return RedirectResponse(f"/sessions/{session_id}/schedule", 303)
