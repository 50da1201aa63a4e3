"""The organiser's tools for the day itself: filling the gaps, adding a meeting by hand, registering walk-ins,
checking people in from the QR code on their agenda, and printing every participant's agenda at once."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from exchange.accounts.dependencies import signed_in_viewer
from exchange.core.database import settings_of
from exchange.core.errors import Invalid
from exchange.core.forms import form_to_dict, submitted_form, validate
from exchange.core.http import TransactionalRoute, get_db
from exchange.core.ids import PathId, plain_number
from exchange.core.templating import flash, render
from exchange.core.viewer import Viewer
from exchange.organisations.models import OrganisationKind
from exchange.sessions import agenda, check_in_codes, filling, service, walk_ins
from exchange.sessions.models import MatchmakingSession
from exchange.sessions.schedule_views import timetable_page
from exchange.sessions.schemas import ADD_MEETING_LABELS, WALK_IN_LABELS, AddMeetingForm, WalkInForm
from exchange.sessions.slots import LONDON

router = APIRouter(route_class=TransactionalRoute, prefix="/sessions/{session_id}")


@router.post("/schedule/fill", response_class=HTMLResponse)
def fill_gaps(
    request: Request,
    session_id: PathId,
    form: FormData = Depends(submitted_form),
    db: Session = Depends(get_db),
    viewer: Viewer = Depends(signed_in_viewer),
) -> Response:
    """Fill one gap (slot and table given) or every gap left by cancelled meetings and no-shows."""
    session = service.get_organised(db, viewer, session_id)
    values = form_to_dict(form)
    slot, table = plain_number(values.get("slot"), 10_000), plain_number(values.get("table_number"), 10_000)
    try:
        filled = filling.fill(db, viewer, session_id, slot, table)
    except Invalid as error:
        return timetable_page(request, db, viewer, session, error.field_errors, 422)
    made, left = len(filled.meetings), len(filled.unfilled)
    if not made and not left:
        flash(request, "There are no gaps to fill: no meeting was cancelled and everyone turned up.")
    else:
        flash(
            request,
            f"{made} gap{'s' if made != 1 else ''} filled"
            + (f"; {left} left empty: nobody free then wants to meet" if left else "")
            + ". No other meeting changed.",
        )
    return RedirectResponse(f"/sessions/{session_id}/schedule", 303)


@router.post("/schedule/meetings", response_class=HTMLResponse)
def add_meeting(
    request: Request,
    session_id: PathId,
    form: FormData = Depends(submitted_form),
    db: Session = Depends(get_db),
    viewer: Viewer = Depends(signed_in_viewer),
) -> Response:
    session = service.get_organised(db, viewer, session_id)
    try:
        data = validate(AddMeetingForm, form_to_dict(form), ADD_MEETING_LABELS)
        meeting = filling.add(db, viewer, session_id, data.council_id, data.supplier_id, data.slot)
    except Invalid as error:
        return timetable_page(request, db, viewer, session, {f"add_{k}": v for k, v in error.field_errors.items()}, 422)
    flash(
        request,
        f"{meeting.council.name} meets {meeting.supplier.name} at {session.slots[meeting.slot]['start']}, "
        f"table {meeting.table_number}. The meeting is locked.",
    )
    return RedirectResponse(f"/sessions/{session_id}/schedule#meeting-{meeting.id}", 303)


def _walk_in_page(
    request: Request, session: MatchmakingSession, values: dict[str, str], errors: dict[str, str], status: int = 200
) -> HTMLResponse:
    context = {
        "page_title": f"Register a walk-in: {session.title}",
        "session": session,
        "tab": "check-in",
        "kinds": [k for k in OrganisationKind if k.value in session.open_to],
        "values": values,
        "errors": errors,
    }
    return render(request, "sessions/walk_in.html", context, status)


@router.get("/walk-in", response_class=HTMLResponse)
def walk_in_form(
    request: Request, session_id: PathId, db: Session = Depends(get_db), viewer: Viewer = Depends(signed_in_viewer)
) -> HTMLResponse:
    return _walk_in_page(request, service.get_organised(db, viewer, session_id), {}, {})


@router.post("/walk-in", response_class=HTMLResponse)
def register_walk_in(
    request: Request,
    session_id: PathId,
    form: FormData = Depends(submitted_form),
    db: Session = Depends(get_db),
    viewer: Viewer = Depends(signed_in_viewer),
) -> Response:
    session = service.get_organised(db, viewer, session_id)
    values = form_to_dict(form)
    try:
        data = validate(WalkInForm, {**values, "kind": values.get("kind") or None}, WALK_IN_LABELS)
        participant = walk_ins.register_walk_in(db, viewer, session_id, data)
    except Invalid as error:
        return _walk_in_page(request, session, values, error.field_errors, 422)
    flash(request, f"{participant.name} is registered and checked in. Fill the gaps to give them meetings.")
    return RedirectResponse(f"/sessions/{session_id}/check-in#participant-{participant.id}", 303)


@router.get("/check-in/{token}", response_class=HTMLResponse)
def check_in_by_code(
    request: Request,
    session_id: PathId,
    token: str,
    db: Session = Depends(get_db),
    viewer: Viewer = Depends(signed_in_viewer),
) -> HTMLResponse:
    """Where the QR code on an agenda leads: an organiser opening it checks the participant in."""
    participant, now = check_in_codes.check_in_by_token(db, viewer, session_id, token)
    session = service.get_organised(db, viewer, session_id)
    context = {
        "page_title": f"{participant.name} is checked in",
        "session": session,
        "tab": "check-in",
        "participant": participant,
        "just_now": now,
        "at": participant.checked_in_at.astimezone(LONDON).strftime("%H:%M") if participant.checked_in_at else "",
    }
    return render(request, "sessions/checked_in.html", context)


@router.get("/agendas/print", response_class=HTMLResponse)
def print_agendas(
    request: Request, session_id: PathId, db: Session = Depends(get_db), viewer: Viewer = Depends(signed_in_viewer)
) -> HTMLResponse:
    """Every participant's agenda, one to a printed page, each with its check-in code."""
    session = service.get_organised(db, viewer, session_id)
    base = settings_of(db).base_url.rstrip("/")
    shown = agenda.visible_to_participants(session)
    pages = []
    for participant in service.participants(db, session.id):
        items = (
            [i for i in agenda.meetings_of(db, viewer, session, participant) if not i.meeting.cancelled_at]
            if shown
            else []
        )
        address = base + check_in_codes.path_for(participant)
        pages.append((participant, items, check_in_codes.qr_svg(address, f"Check-in code for {participant.name}")))
    context = {"page_title": f"Agendas: {session.title}", "session": session, "pages": pages, "published": shown}
    return render(request, "sessions/agendas_print.html", context)
