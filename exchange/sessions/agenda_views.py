"""A participant's agenda (page, print layout, calendar file), cancelling a meeting, and recording what
happens after it; and the organiser's day: check-in, no-shows and the outcomes of the meetings."""

from __future__ import annotations

from urllib.parse import urlsplit

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from exchange.accounts.dependencies import signed_in_viewer
from exchange.core.database import settings_of
from exchange.core.errors import NotFound
from exchange.core.forms import form_to_dict, submitted_form, validate
from exchange.core.http import TransactionalRoute, get_db
from exchange.core.ids import PathId
from exchange.core.templating import flash, is_htmx, render
from exchange.core.viewer import Viewer
from exchange.sessions import (
    agenda,
    check_in_codes,
    day,
    dropped,
    feedback,
    ical,
    planner,
    report,
    service,
    walk_ins,
)
from exchange.sessions.models import FollowUpKind
from exchange.sessions.schemas import FollowUpForm

router = APIRouter(route_class=TransactionalRoute, prefix="/sessions/{session_id}")


@router.get("/agenda", response_class=HTMLResponse)
def agenda_page(
    request: Request, session_id: PathId, db: Session = Depends(get_db), viewer: Viewer = Depends(signed_in_viewer)
) -> HTMLResponse:
    session, agendas = agenda.own_agendas(db, viewer, session_id)
    own_ids = {p.id for p, _ in agendas}
    context = {
        "page_title": f"Your agenda: {session.title}",
        "session": session,
        "agendas": agendas,
        "published": agenda.visible_to_participants(session),
        "follow_ups_open": day.follow_ups_open(session),
        "follow_ups": day.follow_ups_of(db, own_ids),
        "kinds": list(FollowUpKind),
        # Feedback links, for the meetings that take it now, and each side's own answers only.
        "feedback_open": feedback.open_for(session, [item.meeting for _, items in agendas for item in items]),
        "feedback_given": feedback.given_by(db, own_ids),
        "base_url": settings_of(db).base_url.rstrip("/"),
        # The code the organiser scans at the desk to check each registration in (printed with the agenda).
        "codes": {
            p.id: check_in_codes.qr_svg(
                settings_of(db).base_url.rstrip("/") + check_in_codes.path_for(p), f"Check-in code for {p.name}"
            )
            for p, _ in agendas
        },
    }
    return render(request, "sessions/agenda.html", context)


def calendar_host(db: Session) -> str:
    """The domain in calendar UIDs: the exchange's own, so that UIDs never clash with another program's."""
    return urlsplit(settings_of(db).base_url).hostname or "exchange"


@router.get("/participants/{participant_id}/agenda.ics")
def calendar_file(
    session_id: PathId,
    participant_id: PathId,
    db: Session = Depends(get_db),
    viewer: Viewer = Depends(signed_in_viewer),
) -> Response:
    session, agendas = agenda.own_agendas(db, viewer, session_id)
    found = next(((p, items) for p, items in agendas if p.id == participant_id), None)
    if found is None or not agenda.visible_to_participants(session):
        raise NotFound("agenda")
    participant, items = found
    gone = dropped.of(db, session, participant, [item.meeting for item in items])
    body = ical.calendar(session, participant.name, items, calendar_host(db), gone)
    headers = {"Content-Disposition": f'attachment; filename="session-{session.id}-agenda.ics"'}
    return Response(body, media_type="text/calendar; charset=utf-8", headers=headers)


@router.post("/meetings/{meeting_id}/follow-up")
def follow_up(
    request: Request,
    session_id: PathId,
    meeting_id: PathId,
    form: FormData = Depends(submitted_form),
    db: Session = Depends(get_db),
    viewer: Viewer = Depends(signed_in_viewer),
) -> Response:
    data = validate(FollowUpForm, form_to_dict(form), {"kind": "what happens next", "note": "the note"})
    recorded = day.record_follow_up(db, viewer, session_id, meeting_id, data)
    flash(request, f"Follow-up recorded: {recorded.kind.label.lower()}.")
    return RedirectResponse(f"/sessions/{session_id}/agenda#meeting-{meeting_id}", 303)


@router.get("/check-in", response_class=HTMLResponse)
def check_in_page(
    request: Request, session_id: PathId, db: Session = Depends(get_db), viewer: Viewer = Depends(signed_in_viewer)
) -> HTMLResponse:
    session = service.get_organised(db, viewer, session_id)
    people = service.participants(db, session.id)
    query = str(request.query_params.get("q", ""))[:100].strip()
    context = {
        "page_title": f"Check-in: {session.title}",
        "session": session,
        "tab": "check-in",
        "participants": day.matching(people, query),
        "everyone": len(people),
        "query": query,
        "here": sum(1 for p in people if p.checked_in_at),
        "walk_ins": walk_ins.can_take_walk_ins(session),
    }
    return render(request, "sessions/check_in.html", context)


@router.post("/participants/{participant_id}/check-in", response_class=HTMLResponse)
def check_in(
    request: Request,
    session_id: PathId,
    participant_id: PathId,
    form: FormData = Depends(submitted_form),
    db: Session = Depends(get_db),
    viewer: Viewer = Depends(signed_in_viewer),
) -> Response:
    action = form.get("action")
    if action == "no-show":
        participant = day.set_no_show(db, viewer, session_id, participant_id, True)
    else:
        participant = day.set_checked_in(db, viewer, session_id, participant_id, action == "here")
    if is_htmx(request):
        session = service.get_organised(db, viewer, session_id)
        return render(request, "sessions/_check_in_row.html", {"session": session, "participant": participant})
    return RedirectResponse(f"/sessions/{session_id}/check-in#participant-{participant_id}", 303)


@router.get("/outcomes", response_class=HTMLResponse)
def outcomes_page(
    request: Request, session_id: PathId, db: Session = Depends(get_db), viewer: Viewer = Depends(signed_in_viewer)
) -> HTMLResponse:
    session = service.get_organised(db, viewer, session_id)
    context = {
        "page_title": f"Outcomes: {session.title}",
        "session": session,
        "tab": "outcomes",
        "outcomes": report.outcomes(db, planner.live_meetings(db, session.id)),
        "kinds": list(FollowUpKind),
    }
    return render(request, "sessions/outcomes.html", context)
