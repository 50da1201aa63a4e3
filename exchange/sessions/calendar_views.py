"""Each participant's calendar feed: a private address a calendar program subscribes to and reads again now and
then, so that changes to the agenda reach the calendar without anyone importing a file. The address holds a
secret of its own (no sign-in: calendar programs cannot sign in); a wrong one answers 404."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from fastapi.responses import Response
from sqlalchemy.orm import Session

from exchange.core.http import TransactionalRoute, get_db
from exchange.sessions import agenda, dropped, ical, need_names
from exchange.sessions.agenda_views import calendar_host

router = APIRouter(route_class=TransactionalRoute)


@router.get("/calendars/sessions/{token}.ics")
def calendar_feed(token: str, db: Session = Depends(get_db)) -> Response:
    session, participant = agenda.by_calendar_token(db, token)
    # Whoever holds the address reads as a member of the participant's organisation would.
    reader = need_names.viewer_of_organisation(participant.organisation)
    items, gone = [], []
    if agenda.in_calendars(session):
        items = agenda.meetings_of(db, reader, session, participant)
        gone = dropped.of(db, session, participant, [item.meeting for item in items])
    body = ical.calendar(session, participant.name, items, calendar_host(db), gone)
    return Response(body, media_type="text/calendar; charset=utf-8", headers={"Cache-Control": "private, no-cache"})
