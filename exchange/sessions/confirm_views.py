"""Destructive changes ask first: cancelling the session (and restoring it), clearing its schedule, leaving it,
cancelling a meeting and removing a
participant each have a page saying who is affected and who will be told, whose form makes the change. A post
that does not come from that page (no ``confirmed``) is sent to it and changes nothing (someone who may not make
the change gets 404 either way); all of it works without
JavaScript."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from exchange.accounts.dependencies import signed_in_viewer
from exchange.core.forms import submitted_form
from exchange.core.http import TransactionalRoute, get_db
from exchange.core.ids import PathId
from exchange.core.templating import flash, render
from exchange.core.viewer import Viewer
from exchange.sessions import agenda, changes, departures

router = APIRouter(route_class=TransactionalRoute, prefix="/sessions/{session_id}")


def _page(request: Request, confirmation: departures.Confirmation) -> HTMLResponse:
    context = {
        "page_title": confirmation.heading,
        "session": confirmation.session,
        "confirmation": confirmation,
        # The confirmed form posts to the address of its page.
        "action": request.url.path,
    }
    return render(request, "sessions/confirm.html", context)


def _confirmed(form: FormData) -> bool:
    return form.get("confirmed") == "yes"


def _back_to_confirmation(request: Request, _confirmation: departures.Confirmation) -> RedirectResponse:
    """A post not sent from its confirmation page goes there (the same address) and changes nothing. The caller
    builds the confirmation first, which answers 404 to whoever may not make the change."""
    return RedirectResponse(request.url.path, 303)


@router.get("/cancel", response_class=HTMLResponse)
def confirm_session_cancellation(
    request: Request, session_id: PathId, db: Session = Depends(get_db), viewer: Viewer = Depends(signed_in_viewer)
) -> HTMLResponse:
    return _page(request, departures.session_cancellation(db, viewer, session_id))


@router.post("/cancel")
def cancel_session(
    request: Request,
    session_id: PathId,
    form: FormData = Depends(submitted_form),
    db: Session = Depends(get_db),
    viewer: Viewer = Depends(signed_in_viewer),
) -> Response:
    if not _confirmed(form):
        return _back_to_confirmation(request, departures.session_cancellation(db, viewer, session_id))
    departures.cancel_session(db, viewer, session_id)
    flash(
        request,
        "The session is cancelled. Everyone registered is told. Until its day you can restore it from this page.",
    )
    return RedirectResponse(f"/sessions/{session_id}", 303)


@router.get("/participants/{participant_id}/withdraw", response_class=HTMLResponse)
def confirm_leaving(
    request: Request,
    session_id: PathId,
    participant_id: PathId,
    db: Session = Depends(get_db),
    viewer: Viewer = Depends(signed_in_viewer),
) -> HTMLResponse:
    return _page(request, departures.leaving(db, viewer, session_id, participant_id))


@router.post("/participants/{participant_id}/withdraw")
def leave(
    request: Request,
    session_id: PathId,
    participant_id: PathId,
    form: FormData = Depends(submitted_form),
    db: Session = Depends(get_db),
    viewer: Viewer = Depends(signed_in_viewer),
) -> Response:
    if not _confirmed(form):
        return _back_to_confirmation(request, departures.leaving(db, viewer, session_id, participant_id))
    participant = departures.leave(db, viewer, session_id, participant_id)
    flash(request, f"{participant.name} has left the session. The organisers and the people it was to meet are told.")
    return RedirectResponse(f"/sessions/{session_id}", 303)


@router.get("/participants/{participant_id}/remove", response_class=HTMLResponse)
def confirm_removal(
    request: Request,
    session_id: PathId,
    participant_id: PathId,
    db: Session = Depends(get_db),
    viewer: Viewer = Depends(signed_in_viewer),
) -> HTMLResponse:
    return _page(request, departures.removal(db, viewer, session_id, participant_id))


@router.post("/participants/{participant_id}/remove")
def remove(
    request: Request,
    session_id: PathId,
    participant_id: PathId,
    form: FormData = Depends(submitted_form),
    db: Session = Depends(get_db),
    viewer: Viewer = Depends(signed_in_viewer),
) -> Response:
    if not _confirmed(form):
        return _back_to_confirmation(request, departures.removal(db, viewer, session_id, participant_id))
    participant = departures.remove(db, viewer, session_id, participant_id)
    flash(request, f"{participant.name} is removed from the session, and told.")
    return RedirectResponse(f"/sessions/{session_id}", 303)


@router.get("/meetings/{meeting_id}/cancel", response_class=HTMLResponse)
def confirm_meeting_cancellation(
    request: Request,
    session_id: PathId,
    meeting_id: PathId,
    db: Session = Depends(get_db),
    viewer: Viewer = Depends(signed_in_viewer),
) -> HTMLResponse:
    return _page(request, departures.meeting_cancellation(db, viewer, session_id, meeting_id))


@router.post("/meetings/{meeting_id}/cancel")
def cancel_meeting(
    request: Request,
    session_id: PathId,
    meeting_id: PathId,
    form: FormData = Depends(submitted_form),
    db: Session = Depends(get_db),
    viewer: Viewer = Depends(signed_in_viewer),
) -> Response:
    if not _confirmed(form):
        return _back_to_confirmation(request, departures.meeting_cancellation(db, viewer, session_id, meeting_id))
    agenda.cancel(db, viewer, session_id, meeting_id)
    flash(request, "The meeting is cancelled. The other side and the organisers are told.")
    return RedirectResponse(f"/sessions/{session_id}/agenda", 303)


@router.get("/schedule/clear", response_class=HTMLResponse)
def confirm_clearing(
    request: Request, session_id: PathId, db: Session = Depends(get_db), viewer: Viewer = Depends(signed_in_viewer)
) -> HTMLResponse:
    return _page(request, changes.clearing(db, viewer, session_id))


@router.post("/schedule/clear")
def clear_schedule(
    request: Request,
    session_id: PathId,
    form: FormData = Depends(submitted_form),
    db: Session = Depends(get_db),
    viewer: Viewer = Depends(signed_in_viewer),
) -> Response:
    if not _confirmed(form):
        return _back_to_confirmation(request, changes.clearing(db, viewer, session_id))
    count = changes.clear_schedule(db, viewer, session_id)
    flash(request, f"The schedule is cleared ({count} meetings). Change the grid if you need to, then generate it.")
    return RedirectResponse(f"/sessions/{session_id}/schedule", 303)


@router.get("/restore", response_class=HTMLResponse)
def confirm_restoring(
    request: Request, session_id: PathId, db: Session = Depends(get_db), viewer: Viewer = Depends(signed_in_viewer)
) -> HTMLResponse:
    return _page(request, changes.restoration(db, viewer, session_id))


@router.post("/restore")
def restore(
    request: Request,
    session_id: PathId,
    form: FormData = Depends(submitted_form),
    db: Session = Depends(get_db),
    viewer: Viewer = Depends(signed_in_viewer),
) -> Response:
    if not _confirmed(form):
        return _back_to_confirmation(request, changes.restoration(db, viewer, session_id))
    session = changes.restore(db, viewer, session_id)
    flash(request, f"The session is restored: “{session.status.label.lower()}”. Everyone registered is told.")
    return RedirectResponse(f"/sessions/{session_id}", 303)
