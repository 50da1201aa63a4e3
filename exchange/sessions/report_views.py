"""After the session: each side's feedback on its meetings, and the organiser's report with its files."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from exchange.accounts.dependencies import signed_in_viewer
from exchange.core.errors import Invalid
from exchange.core.forms import form_to_dict, submitted_form, validate
from exchange.core.http import TransactionalRoute, get_db
from exchange.core.ids import PathId
from exchange.core.templating import flash, render
from exchange.core.viewer import Viewer
from exchange.sessions import exports, feedback, reporting
from exchange.sessions.models import FollowUpKind

router = APIRouter(route_class=TransactionalRoute, prefix="/sessions/{session_id}")


def _feedback_page(
    request: Request, found: feedback.Feedbackable, values: dict[str, Any], errors: dict[str, str], status: int = 200
) -> HTMLResponse:
    context = {
        "page_title": f"Feedback on your meeting with {found.other.name}",
        "session": found.session,
        "found": found,
        "ratings": list(feedback.RATINGS.items()),
        "values": values,
        "errors": errors,
    }
    return render(request, "sessions/feedback.html", context, status)


@router.get("/meetings/{meeting_id}/feedback", response_class=HTMLResponse)
def feedback_form(
    request: Request,
    session_id: PathId,
    meeting_id: PathId,
    db: Session = Depends(get_db),
    viewer: Viewer = Depends(signed_in_viewer),
) -> HTMLResponse:
    found = feedback.for_side(db, viewer, session_id, meeting_id)
    values = {"rating": found.given.rating, "note": found.given.note} if found.given else {}
    return _feedback_page(request, found, values, {})


@router.post("/meetings/{meeting_id}/feedback", response_class=HTMLResponse)
def give_feedback(
    request: Request,
    session_id: PathId,
    meeting_id: PathId,
    form: FormData = Depends(submitted_form),
    db: Session = Depends(get_db),
    viewer: Viewer = Depends(signed_in_viewer),
) -> Response:
    found = feedback.for_side(db, viewer, session_id, meeting_id)
    values = form_to_dict(form)
    try:
        data = validate(feedback.FeedbackForm, values, feedback.LABELS)
    except Invalid as error:
        return _feedback_page(request, found, values, error.field_errors, 422)
    feedback.give(db, viewer, session_id, meeting_id, data)
    flash(request, f"Thank you: your feedback on the meeting with {found.other.name} is saved.")
    return RedirectResponse(f"/sessions/{session_id}/agenda#meeting-{meeting_id}", 303)


@router.get("/report", response_class=HTMLResponse)
def report_page(
    request: Request, session_id: PathId, db: Session = Depends(get_db), viewer: Viewer = Depends(signed_in_viewer)
) -> HTMLResponse:
    report = reporting.report(db, viewer, session_id)
    context = {
        "page_title": f"Report: {report.session.title}",
        "session": report.session,
        "tab": "report",
        "report": report,
        "kinds": list(FollowUpKind),
    }
    return render(request, "sessions/report.html", context)


def _download(body: bytes, media_type: str, filename: str) -> Response:
    headers = {"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "private, no-store"}
    return Response(body, media_type=media_type, headers=headers)


def _csv(db: Session, viewer: Viewer, session_id: int, sheet: str) -> Response:
    _, sheets = exports.sheets(db, viewer, session_id)
    return _download(exports.as_csv(sheets[sheet]), exports.CSV_MEDIA_TYPE, f"session-{session_id}-{sheet}.csv")


@router.get("/report/participants.csv")
def participants_csv(
    session_id: PathId, db: Session = Depends(get_db), viewer: Viewer = Depends(signed_in_viewer)
) -> Response:
    return _csv(db, viewer, session_id, "participants")


@router.get("/report/meetings.csv")
def meetings_csv(
    session_id: PathId, db: Session = Depends(get_db), viewer: Viewer = Depends(signed_in_viewer)
) -> Response:
    return _csv(db, viewer, session_id, "meetings")


@router.get("/report/outcomes.csv")
def outcomes_csv(
    session_id: PathId, db: Session = Depends(get_db), viewer: Viewer = Depends(signed_in_viewer)
) -> Response:
    return _csv(db, viewer, session_id, "outcomes")


@router.get("/report.xlsx")
def report_workbook(
    session_id: PathId, db: Session = Depends(get_db), viewer: Viewer = Depends(signed_in_viewer)
) -> Response:
    report, sheets = exports.sheets(db, viewer, session_id)
    body = exports.as_xlsx([sheets[name] for name in exports.SHEETS], f"Report: {report.session.title}")
    return _download(body, exports.XLSX_MEDIA_TYPE, f"session-{session_id}-report.xlsx")
