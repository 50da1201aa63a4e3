"""Session pages: the list, a session's page, and the organiser's forms to create, edit, open, publish or
cancel it."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from exchange.accounts.dependencies import current_viewer, signed_in_viewer
from exchange.core.dates import date_values, gather_dates, last_day_before
from exchange.core.errors import Invalid
from exchange.core.forms import chosen_id, form_to_dict, submitted_form, validate
from exchange.core.http import TransactionalRoute, get_db
from exchange.core.ids import PathId
from exchange.core.templating import flash, render
from exchange.core.viewer import Viewer
from exchange.organisations.models import OrganisationKind
from exchange.sessions import agenda, approvals, changes, preferences, service
from exchange.sessions.models import MatchmakingSession, SessionStatus
from exchange.sessions.schemas import SESSION_LABELS, SessionForm
from exchange.sessions.slots import today_in_london

router = APIRouter(route_class=TransactionalRoute)
DATE_FIELDS = ("held_on", "registration_closes_on", "preferences_close_on")

STATUS_ACTIONS = {
    SessionStatus.OPEN: "Open registration",
    SessionStatus.PROVISIONAL: "Publish the provisional agenda",
    SessionStatus.FINAL: "Publish the final agenda",
    SessionStatus.CANCELLED: "Cancel the session",
}


@router.get("/sessions", response_class=HTMLResponse)
def session_list(
    request: Request, db: Session = Depends(get_db), viewer: Viewer = Depends(current_viewer)
) -> HTMLResponse:
    context = {
        "page_title": "Matchmaking sessions",
        "sessions": service.listed(db, viewer),
        "can_organise": bool(service.organising_organisations(db, viewer)),
    }
    return render(request, "sessions/list.html", context)


def _defaults() -> dict[str, Any]:
    day = today_in_london() + timedelta(days=28)
    return {
        **date_values("held_on", day),
        "starts_at": "9:30",
        "meeting_minutes": "20",
        "gap_minutes": "5",
        "meetings": "12",
        "break_at": "12:30",
        "break_minutes": "45",
        "tables": "10",
        "max_meetings": "8",
        "open_to": [k.value for k in OrganisationKind],
        **date_values("registration_closes_on", day - timedelta(days=14)),
        **date_values("preferences_close_on", day - timedelta(days=7)),
    }


def _values_of(session: MatchmakingSession) -> dict[str, Any]:
    grid = session.grid
    return {
        "title": session.title,
        "description": session.description,
        "venue": session.venue,
        "online_link": session.online_link,
        **date_values("held_on", session.held_on),
        "starts_at": grid["starts_at"][:5],
        "meeting_minutes": grid["meeting_minutes"],
        "gap_minutes": grid["gap_minutes"],
        "meetings": grid["meetings"],
        "break_at": (grid.get("break_at") or "")[:5],
        "break_minutes": grid.get("break_minutes") or "",
        "tables": session.tables,
        "max_meetings": session.max_meetings,
        "open_to": session.open_to,
        "exclusive_organisations": "yes" if session.exclusive_organisations else "",
        **date_values("registration_closes_on", last_day_before(session.registration_closes_at)),
        **date_values("preferences_close_on", last_day_before(session.preferences_close_at)),
    }


def _form_page(
    request: Request,
    db: Session,
    viewer: Viewer,
    values: dict[str, Any],
    errors: dict[str, str],
    session: MatchmakingSession | None = None,
    status: int = 200,
) -> HTMLResponse:
    context = {
        "page_title": f"Edit {session.title}" if session else "Create a matchmaking session",
        "session": session,
        "organisations": service.organising_organisations(db, viewer),
        "kinds": list(OrganisationKind),
        "values": values,
        "errors": errors,
    }
    return render(request, "sessions/form.html", context, status)


@router.get("/sessions/new", response_class=HTMLResponse)
def new_session(
    request: Request, db: Session = Depends(get_db), viewer: Viewer = Depends(signed_in_viewer)
) -> HTMLResponse:
    return _form_page(request, db, viewer, _defaults(), {})


def _read(form: FormData) -> tuple[dict[str, Any], SessionForm]:
    values = form_to_dict(form, lists=("open_to",))
    return values, validate(SessionForm, gather_dates(values, DATE_FIELDS), SESSION_LABELS)


@router.post("/sessions/new", response_class=HTMLResponse)
def create_session(
    request: Request,
    form: FormData = Depends(submitted_form),
    db: Session = Depends(get_db),
    viewer: Viewer = Depends(signed_in_viewer),
) -> Response:
    values = form_to_dict(form, lists=("open_to",))
    try:
        _, data = _read(form)
        session = service.create(db, viewer, chosen_id(values, "organisation_id"), data)
    except Invalid as error:
        return _form_page(request, db, viewer, values, error.field_errors, status=422)
    flash(request, "The session is created as a draft. Open registration when you are ready.")
    return RedirectResponse(f"/sessions/{session.id}", 303)


@router.get("/sessions/{session_id}", response_class=HTMLResponse)
def session_page(
    request: Request, session_id: PathId, db: Session = Depends(get_db), viewer: Viewer = Depends(current_viewer)
) -> HTMLResponse:
    session = service.get(db, viewer, session_id)
    organiser = service.is_organiser(viewer, session)
    people = service.participants(db, session.id)
    # The viewer's own registrations show whether approved or not; only approved ones take part.
    own = service.own_participants(db, viewer, session.id, unapproved=True)
    context = {
        "page_title": session.title,
        "session": session,
        "tab": "session",
        "organiser": organiser,
        "participants": people if (organiser or own) else [],
        "counts": {side: sum(1 for p in people if p.side == side) for side in ("council", "supplier")},
        "own": own,
        "can_register": service.registration_open(session)
        and bool(service.registrable_organisations(db, viewer, session)),
        "registration_open": service.registration_open(session),
        "preferences_open": preferences.preferences_open(session),
        "next_statuses": [(s, STATUS_ACTIONS[s]) for s in service.next_statuses(session)] if organiser else [],
        "has_meetings": service.has_meetings(db, session.id),
        "can_restore": organiser and changes.can_restore(session),
        "pending": len(approvals.waiting(db, session.id)) if organiser else 0,
    }
    return render(request, "sessions/detail.html", context)


@router.get("/sessions/{session_id}/edit", response_class=HTMLResponse)
def edit_session(
    request: Request, session_id: PathId, db: Session = Depends(get_db), viewer: Viewer = Depends(signed_in_viewer)
) -> HTMLResponse:
    session = service.get_organised(db, viewer, session_id)
    return _form_page(request, db, viewer, _values_of(session), {}, session)


@router.post("/sessions/{session_id}/edit", response_class=HTMLResponse)
def update_session(
    request: Request,
    session_id: PathId,
    form: FormData = Depends(submitted_form),
    db: Session = Depends(get_db),
    viewer: Viewer = Depends(signed_in_viewer),
) -> Response:
    """Save the session; a change participants would notice is first shown with who will be told (a page whose
    form posts the same answers back, confirmed), and then told to them."""
    session = service.get_organised(db, viewer, session_id)
    values = form_to_dict(form, lists=("open_to",))
    if form.get("back") == "yes":
        # From the page that checks the changes: the form again, with the answers as they were given.
        return _form_page(request, db, viewer, values, {}, session)
    try:
        _, data = _read(form)
        shown = changes.preview(db, viewer, session_id, data)
        if shown.asks_first and form.get("confirmed") != "yes":
            return _change_page(request, shown, values)
        changes.save(db, viewer, session_id, data, clear=form.get("clear_schedule") == "yes")
    except Invalid as error:
        return _form_page(request, db, viewer, values, error.field_errors, session, 422)
    if shown.asks_first and shown.changes:
        flash(request, f"The session is saved. {shown.people} people taking part are told what changed.")
    else:
        flash(request, "The session is saved.")
    return RedirectResponse(f"/sessions/{session_id}", 303)


# Fields of the edit form that are not the session's answers, left out of the confirmation page's copy.
NOT_ANSWERS = frozenset({"csrf_token", "confirmed", "clear_schedule", "back"})


def _change_page(request: Request, shown: changes.ChangePreview, values: dict[str, Any]) -> HTMLResponse:
    answers = [
        (key, item)
        for key, value in values.items()
        if key not in NOT_ANSWERS
        for item in (value if isinstance(value, list) else [value])
    ]
    context = {
        "page_title": f"Check the changes to {shown.session.title}",
        "session": shown.session,
        "preview": shown,
        "answers": answers,
    }
    return render(request, "sessions/change_preview.html", context)


@router.post("/sessions/{session_id}/status")
def change_status(
    request: Request,
    session_id: PathId,
    form: FormData = Depends(submitted_form),
    db: Session = Depends(get_db),
    viewer: Viewer = Depends(signed_in_viewer),
) -> Response:
    service.get_organised(db, viewer, session_id)
    try:
        to = SessionStatus(str(form.get("to", "")))
    except ValueError:
        raise Invalid("Choose what to do with the session", field_errors={"to": "Choose an action"}) from None
    if to is SessionStatus.CANCELLED:
        # Cancelling tells everyone registered: it asks first, on a page of its own.
        return RedirectResponse(f"/sessions/{session_id}/cancel", 303)
    session = agenda.change_status(db, viewer, session_id, to)
    flash(request, f"The session is now “{session.status.label.lower()}”.")
    return RedirectResponse(f"/sessions/{session_id}", 303)
