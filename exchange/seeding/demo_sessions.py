"""A matchmaking session for the demo set (seed_data/demo_sessions.json): organised by Burnley's officer, with
councils and suppliers registered, their wishes stated, and the schedule made and published as provisional,
so that the timetable, the agendas and the calendar files have something to show. Dates are days from today."""

from __future__ import annotations

import json
from datetime import time, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from exchange.accounts.models import User
from exchange.accounts.service import load_viewer
from exchange.core.viewer import Viewer
from exchange.organisations.models import Organisation, OrganisationKind
from exchange.sessions import agenda, planner, preferences, service
from exchange.sessions.models import SessionStatus, WishLevel
from exchange.sessions.schemas import RegistrationForm, SessionForm
from exchange.sessions.slots import today_in_london

# The demo's schedule is small: a fraction of a second finds the best one.
DEMO_SOLVE_SECONDS = 1.0


def _viewer(db: Session, email: str) -> Viewer:
    user = db.scalars(select(User).where(User.email == email)).one()
    return load_viewer(db, user.id)


def _load_session(db: Session, row: dict[str, Any], organisations: dict[str, Organisation]) -> None:
    today = today_in_london()
    organiser = _viewer(db, row["organiser"])
    councils = {
        o.local_authority_code: o
        for o in db.scalars(select(Organisation).where(Organisation.local_authority_code.in_(row["councils"])))
    }
    held_on = today + timedelta(days=row["days_from_today"])
    form = SessionForm(
        title=row["title"],
        description=row["description"],
        venue=row["venue"],
        held_on=held_on,
        starts_at=time.fromisoformat(row["starts_at"]),
        meeting_minutes=row["meeting_minutes"],
        gap_minutes=row["gap_minutes"],
        meetings=row["meetings"],
        break_at=time.fromisoformat(row["break_at"]),
        break_minutes=row["break_minutes"],
        tables=row["tables"],
        max_meetings=row["max_meetings"],
        open_to=list(OrganisationKind),
        registration_closes_on=today + timedelta(days=row["registration_closes_in_days"]),
        preferences_close_on=today + timedelta(days=row["preferences_close_in_days"]),
    )
    organising = next(iter(o for o in councils.values() if organiser.is_member(o.id)))
    session = service.create(db, organiser, organising.id, form)
    service.change_status(db, organiser, session.id, SessionStatus.OPEN)
    who: dict[str, tuple[Viewer, int]] = {}
    for code, email in row["councils"].items():
        who[code] = (_viewer(db, email), councils[code].id)
    for key, email in row["suppliers"].items():
        who[key] = (_viewer(db, email), organisations[key].id)
    participants = {}
    for key, (viewer, organisation_id) in who.items():
        unavailable = set(row["unavailable"].get(key, []))
        available = [slot for slot in range(row["meetings"]) if slot not in unavailable]
        form_ = RegistrationForm(organisation_id=organisation_id, available=available, max_meetings=row["max_meetings"])
        participants[key] = service.register(db, viewer, session.id, form_)
    for source, target, level in row["wishes"]:
        viewer = who[source][0]
        preferences.save(db, viewer, session.id, participants[source].id, {participants[target].id: WishLevel(level)})
    planner.generate(db, organiser, session.id, seconds=DEMO_SOLVE_SECONDS)
    agenda.change_status(db, organiser, session.id, SessionStatus(row["schedule"]))


def load_demo_sessions(db: Session, seed_dir: Path, organisations: dict[str, Organisation]) -> int:
    data = json.loads((seed_dir / "demo_sessions.json").read_text(encoding="utf-8"))
    for row in data["sessions"]:
        _load_session(db, row, organisations)
    return len(data["sessions"])
