"""Meeting requests between participants: asking for a meeting from the preferences page, and accepting or
declining one (a button that swaps its row in place with HTMX, or posts and comes back without JavaScript)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from exchange.accounts.dependencies import signed_in_viewer
from exchange.core.errors import Invalid
from exchange.core.forms import form_to_dict, submitted_form
from exchange.core.http import TransactionalRoute, get_db
from exchange.core.ids import MAX_ID, PathId, plain_number
from exchange.core.templating import flash, render
from exchange.core.viewer import Viewer
from exchange.sessions import meeting_requests, preferences, service
from exchange.sessions.registration_views import preferences_page_response

router = APIRouter(route_class=TransactionalRoute, prefix="/sessions/{session_id}/participants/{participant_id}")


@router.post("/requests", response_class=HTMLResponse)
def send_request(
    request: Request,
    session_id: PathId,
    participant_id: PathId,
    form: FormData = Depends(submitted_form),
    db: Session = Depends(get_db),
    viewer: Viewer = Depends(signed_in_viewer),
) -> Response:
    session = service.get(db, viewer, session_id)
    participant = service.own_participant(db, viewer, session_id, participant_id)
    values = form_to_dict(form)
    target_id = plain_number(str(values.get("target_id", "")), MAX_ID)
    try:
        sent = meeting_requests.send(db, viewer, session_id, participant.id, target_id, values.get("message", ""))
    except Invalid as error:
        chosen = {target: level.value for target, level in preferences.wishes_of(db, participant.id).items()}
        return preferences_page_response(
            request, db, viewer, session, participant, chosen, error.field_errors, 422, values
        )
    flash(request, f"Your request is sent. {sent.target.name} is told and can accept or decline it.")
    return RedirectResponse(f"/sessions/{session_id}/participants/{participant_id}/preferences#requests", 303)


def _answer(
    request: Request, db: Session, viewer: Viewer, session_id: int, participant_id: int, request_id: int, accept: bool
) -> Response:
    answered = meeting_requests.answer(db, viewer, session_id, participant_id, request_id, accept)
    if request.headers.get("HX-Request") == "true":
        session = service.get(db, viewer, session_id)
        return render(request, "sessions/_request_row.html", {"session": session, "item": answered, "received": True})
    what = "accepted: you will both get a meeting" if accept else "declined"
    flash(request, f"The request from {answered.requester.name} is {what}.")
    return RedirectResponse(f"/sessions/{session_id}/participants/{participant_id}/preferences#requests", 303)


@router.post("/requests/{request_id}/accept", response_class=HTMLResponse)
def accept_request(
    request: Request,
    session_id: PathId,
    participant_id: PathId,
    request_id: PathId,
    db: Session = Depends(get_db),
    viewer: Viewer = Depends(signed_in_viewer),
) -> Response:
    return _answer(request, db, viewer, session_id, participant_id, request_id, accept=True)


@router.post("/requests/{request_id}/decline", response_class=HTMLResponse)
def decline_request(
    request: Request,
    session_id: PathId,
    participant_id: PathId,
    request_id: PathId,
    db: Session = Depends(get_db),
    viewer: Viewer = Depends(signed_in_viewer),
) -> Response:
    return _answer(request, db, viewer, session_id, participant_id, request_id, accept=False)
