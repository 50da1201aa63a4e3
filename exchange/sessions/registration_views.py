"""Taking part: registering an organisation (or a team of it), changing or withdrawing the registration,
and saying whom to meet, with the exchange's suggestions beside each name."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from exchange.accounts.dependencies import signed_in_viewer
from exchange.core.errors import Conflict, Invalid
from exchange.core.forms import form_to_dict, submitted_form, validate
from exchange.core.http import TransactionalRoute, get_db
from exchange.core.ids import MAX_ID, PathId, plain_number
from exchange.core.templating import flash, render
from exchange.core.viewer import Viewer
from exchange.sessions import approvals, meeting_requests, need_names, preferences, questions, service
from exchange.sessions.models import Approval, MatchmakingSession, SessionParticipant, Side, WishLevel
from exchange.sessions.schemas import REGISTRATION_LABELS, RegistrationForm

router = APIRouter(route_class=TransactionalRoute, prefix="/sessions/{session_id}")


def _registration_page(
    request: Request,
    db: Session,
    viewer: Viewer,
    session: MatchmakingSession,
    values: dict[str, Any],
    errors: dict[str, str],
    participant: SessionParticipant | None = None,
    status: int = 200,
) -> HTMLResponse:
    context = {
        "page_title": f"Register for {session.title}" if participant is None else f"Your registration: {session.title}",
        "session": session,
        "participant": participant,
        "organisations": service.registrable_organisations(db, viewer, session),
        # The organiser's questions are answered once, when registering.
        "questions": questions.of(session) if participant is None else [],
        "values": values,
        "errors": errors,
    }
    return render(request, "sessions/register.html", context, status)


def _values(form: FormData) -> dict[str, Any]:
    values = form_to_dict(form, lists=("available",))
    values["available"] = [n for n in (plain_number(v, 999) for v in values.get("available", [])) if n is not None]
    return values


@router.get("/register", response_class=HTMLResponse)
def registration_form(
    request: Request, session_id: PathId, db: Session = Depends(get_db), viewer: Viewer = Depends(signed_in_viewer)
) -> HTMLResponse:
    session = service.get(db, viewer, session_id)
    if not service.registration_open(session):
        raise Conflict("Registration for this session is closed.")
    values = {"available": list(range(len(session.slots))), "max_meetings": session.max_meetings}
    return _registration_page(request, db, viewer, session, values, {})


@router.post("/register", response_class=HTMLResponse)
def register(
    request: Request,
    session_id: PathId,
    form: FormData = Depends(submitted_form),
    db: Session = Depends(get_db),
    viewer: Viewer = Depends(signed_in_viewer),
) -> Response:
    session = service.get(db, viewer, session_id)
    values = _values(form)
    try:
        data, answers = _read_registration(session, values)
        participant = service.register(db, viewer, session_id, data, answers)
    except Invalid as error:
        return _registration_page(request, db, viewer, session, values, error.field_errors, status=422)
    if participant.approval is Approval.PENDING:
        approvals.tell_organisers_waiting(db, session, participant)
        flash(request, "You are registered. The organiser approves each registration: you will be told by email.")
        return RedirectResponse(f"/sessions/{session_id}", 303)
    flash(request, "You are registered. Now say whom you want to meet.")
    return RedirectResponse(f"/sessions/{session_id}/participants/{participant.id}/preferences", 303)


def _read_registration(session: MatchmakingSession, values: dict[str, Any]) -> tuple[RegistrationForm, dict[str, str]]:
    """The registration and the answers to the organiser's questions, with every error of both at once."""
    errors: dict[str, str] = {}
    data: RegistrationForm | None = None
    answers: dict[str, str] = {}
    try:
        data = validate(RegistrationForm, values, REGISTRATION_LABELS)
    except Invalid as error:
        errors.update(error.field_errors)
    try:
        answers = questions.check_answers(session, {k: str(v) for k, v in values.items() if isinstance(v, str)})
    except Invalid as error:
        errors.update(error.field_errors)
    if errors or data is None:
        raise Invalid("Check the answers and try again", field_errors=errors)
    return data, answers


@router.get("/participants/{participant_id}/edit", response_class=HTMLResponse)
def edit_registration(
    request: Request,
    session_id: PathId,
    participant_id: PathId,
    db: Session = Depends(get_db),
    viewer: Viewer = Depends(signed_in_viewer),
) -> HTMLResponse:
    session = service.get(db, viewer, session_id)
    participant = service.own_participant(db, viewer, session_id, participant_id)
    values = {
        "organisation_id": participant.organisation_id,
        "team": participant.team,
        "attendees": participant.attendees,
        "available": participant.available if participant.available is not None else list(range(len(session.slots))),
        "max_meetings": participant.max_meetings,
    }
    return _registration_page(request, db, viewer, session, values, {}, participant)


@router.post("/participants/{participant_id}/edit", response_class=HTMLResponse)
def update_registration(
    request: Request,
    session_id: PathId,
    participant_id: PathId,
    form: FormData = Depends(submitted_form),
    db: Session = Depends(get_db),
    viewer: Viewer = Depends(signed_in_viewer),
) -> Response:
    session = service.get(db, viewer, session_id)
    participant = service.own_participant(db, viewer, session_id, participant_id)
    # The organisation and team of a registration do not change: a new team registers separately.
    values = {**_values(form), "organisation_id": participant.organisation_id, "team": participant.team}
    try:
        data = validate(RegistrationForm, values, REGISTRATION_LABELS)
        service.update_registration(db, viewer, session_id, participant_id, data)
    except Invalid as error:
        return _registration_page(request, db, viewer, session, values, error.field_errors, participant, 422)
    flash(request, "Your registration is saved.")
    return RedirectResponse(f"/sessions/{session_id}", 303)


def preferences_page_response(
    request: Request,
    db: Session,
    viewer: Viewer,
    session: MatchmakingSession,
    participant: SessionParticipant,
    chosen: dict[int, str],
    errors: dict[str, str],
    status: int = 200,
    request_values: dict[str, Any] | None = None,
) -> HTMLResponse:
    """Whom to meet, and the meeting requests made and received (``errors`` holds either form's)."""
    others = [p for p in service.participants(db, session.id) if p.side is not participant.side]
    suggested = preferences.suggestions(db, session.id)

    def suggestion(other: SessionParticipant) -> preferences.Suggestion | None:
        pair = (participant.id, other.id) if participant.side is Side.COUNCIL else (other.id, participant.id)
        return suggested.get(pair)

    rows = sorted(
        ((other, suggestion(other)) for other in others),
        key=lambda row: (-(row[1].score if row[1] else 0.0), row[0].name.lower()),
    )
    names = need_names.for_suggestions(db, viewer, (s for _, s in rows if s is not None))
    context = {
        "page_title": f"Whom to meet: {session.title}",
        "session": session,
        "participant": participant,
        "rows": [(other, s, names.suggestion(s) if s else "") for other, s in rows],
        "chosen": chosen,
        "levels": list(WishLevel),
        "open": preferences.preferences_open(session),
        "errors": errors,
        "requests": meeting_requests.of_participant(db, participant),
        "request_values": request_values or {},
        "approved": participant.approval is Approval.APPROVED,
    }
    return render(request, "sessions/preferences.html", context, status)


@router.get("/participants/{participant_id}/preferences", response_class=HTMLResponse)
def preferences_page(
    request: Request,
    session_id: PathId,
    participant_id: PathId,
    db: Session = Depends(get_db),
    viewer: Viewer = Depends(signed_in_viewer),
) -> HTMLResponse:
    session = service.get(db, viewer, session_id)
    participant = service.own_participant(db, viewer, session_id, participant_id)
    chosen = {target: level.value for target, level in preferences.wishes_of(db, participant.id).items()}
    return preferences_page_response(request, db, viewer, session, participant, chosen, {})


@router.post("/participants/{participant_id}/preferences", response_class=HTMLResponse)
def save_preferences(
    request: Request,
    session_id: PathId,
    participant_id: PathId,
    form: FormData = Depends(submitted_form),
    db: Session = Depends(get_db),
    viewer: Viewer = Depends(signed_in_viewer),
) -> Response:
    session = service.get(db, viewer, session_id)
    participant = service.own_participant(db, viewer, session_id, participant_id)
    chosen: dict[int, WishLevel | None] = {}
    raw: dict[int, str] = {}
    errors: dict[str, str] = {}
    for key, given in form.items():
        value = given if isinstance(given, str) else ""
        if not key.startswith("wish-"):
            continue
        target = plain_number(key.removeprefix("wish-"), MAX_ID)
        if target is None or (value and value not in {w.value for w in WishLevel}):
            errors["wishes"] = "Choose must meet, would like to meet, no thanks or no preference for each"
            continue
        raw[target] = str(value)
        chosen[target] = WishLevel(value) if value else None
    try:
        if errors:
            raise Invalid("Check the answers and try again", field_errors=errors)
        preferences.save(db, viewer, session_id, participant.id, chosen)
    except Invalid as error:
        return preferences_page_response(request, db, viewer, session, participant, raw, error.field_errors, 422)
    flash(request, "Your preferences are saved. The organiser uses them to make the schedule.")
    return RedirectResponse(f"/sessions/{session_id}/participants/{participant_id}/preferences", 303)
