"""A restricted (public-sector-only) need answers 404 to suppliers, so no session page, fragment, file, API
answer, notification or email may carry its title or the words of its match to a supplier or to anyone
signed out. The walk takes every session route the application has (new ones are walked without being
listed here) as each role, with and without HTMX."""

from __future__ import annotations

import html
import importlib
import itertools
import json
import pkgutil
import re
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import icalendar
import pytest
from fastapi import APIRouter, FastAPI
from fastapi.routing import APIRoute
from sqlalchemy import select

from exchange import sessions as sessions_package
from exchange.accounts.models import User
from exchange.needs.models import Need, Visibility
from exchange.notifications.models import Notification
from exchange.outbox.models import OutboxMessage
from exchange.sessions import planner
from exchange.sessions.models import ScheduleRun, SessionMeeting
from tests import factories
from tests.client import Client
from tests.sessions.conftest import World

RESTRICTED_TITLE = "Closing three libraries: residents' budget consultation"
HTMX = {"HX-Request": "true"}
# Who may not see the restricted need (its council's officers and the verified public sector may).
MAY_NOT_SEE = ("supplier in the meeting", "another supplier", "signed out")


@pytest.fixture
def restricted_need(world: World) -> Need:
    """Burnley's only need, shared with the public sector only, and matching Civic Voice's pitch."""
    return factories.need(
        world.db,
        world.officers["burnley"],
        world.organisations["burnley"],
        title=RESTRICTED_TITLE,
        summary="An online budget consultation and simulator for residents before the libraries close.",
        problem_statement="We need residents to balance the council budget online and tell us what they chose.",
        visibility=Visibility.PUBLIC_SECTOR,
    )


@contextmanager
def _browser(app: FastAPI, person: User | None) -> Iterator[Client]:
    with Client(app) as client:
        if person is not None:
            client.sign_in(person.email, factories.PASSWORD)
        yield client


def _people(world: World) -> dict[str, User | None]:
    return {
        "organiser": world.officers["burnley"],
        "council officer": world.officers["pendle"],
        "supplier in the meeting": world.officers["civic"],
        "another supplier": world.officers["meals"],
        "signed out": None,
    }


def _session_get_paths() -> list[str]:
    """The address of every GET route of every module of the sessions package (the API's under /api/v1)."""
    paths = []
    for module_info in pkgutil.iter_modules(sessions_package.__path__):
        module = importlib.import_module(f"{sessions_package.__name__}.{module_info.name}")
        router = getattr(module, "router", None)
        if not isinstance(router, APIRouter):
            continue
        prefix = "/api/v1" if module_info.name == "api" else ""
        paths += [prefix + r.path for r in router.routes if isinstance(r, APIRoute) and "GET" in r.methods]
    assert len(paths) >= 10, paths
    return paths


def _session_urls(world: World, run_id: int, person: User | None) -> list[str]:
    """Every GET route of the sessions package (pages, files, feeds, API), with every participant and meeting of
    the session, and the calendar feed secrets this person was given (and one nobody was)."""
    reader = factories.viewer(world.db, person) if person is not None else None
    values = {
        "session_id": [world.session.id],
        "participant_id": [p.id for p in world.participants.values()],
        "meeting_id": list(
            world.db.scalars(select(SessionMeeting.id).where(SessionMeeting.session_id == world.session.id))
        ),
        "run_id": [run_id],
        "token": [
            *(p.calendar_token for p in world.participants.values() if reader and reader.is_member(p.organisation_id)),
            "a-secret-nobody-was-given-0123456789abcdef",
        ],
    }
    urls = ["/dashboard", "/notifications"]
    for path in _session_get_paths():
        names = re.findall(r"{(\w+)}", path)
        assert set(names) <= values.keys(), f"the walk does not know how to fill {path}"
        for chosen in itertools.product(*(values[name] for name in names)):
            url = path
            for name, value in zip(names, chosen, strict=True):
                url = url.replace(f"{{{name}}}", str(value))
            urls.append(url)
    return urls


def _everything_shown(app: FastAPI, world: World, person: User | None, run_id: int, meeting: int) -> str:
    """What one person is sent by every session route, as a page and as an HTMX fragment."""
    shown = []
    with _browser(app, person) as client:
        for url in _session_urls(world, run_id, person):
            for headers in ({}, HTMX):
                response = client.get(url, headers=headers)
                assert response.status_code < 500, url
                shown.append(_as_read(response))
        base = f"/sessions/{world.session.id}"
        lock = f"{base}/meetings/{meeting}/lock"
        shown.append(_as_read(client.post(lock, headers=HTMX)))
        shown.append(_as_read(client.post(lock, headers=HTMX)))
        # Forms sent back with an error render their page again: those pages are walked too.
        shown.append(_as_read(client.post(f"{base}/meetings/{meeting}/move", {"slot": "x", "table_number": "1"})))
        for participant in world.participants.values():
            bad_wish = {f"wish-{participant.id}": "perhaps"}
            shown.append(_as_read(client.post(f"{base}/participants/{participant.id}/preferences", bad_wish)))
    return "\n".join(shown)


def _as_read(response: httpx.Response) -> str:
    """The text as its reader gets it: HTML entities, JSON escapes and iCalendar folding and escapes undone,
    so that a title cannot slip past the check by being escaped."""
    kind = response.headers.get("content-type", "")
    if kind.startswith("text/calendar"):
        calendar = icalendar.Calendar.from_ical(response.content)
        return "\n".join(str(value) for component in calendar.walk() for value in component.values())
    if kind.startswith("application/json"):
        return json.dumps(response.json(), ensure_ascii=False)
    return html.unescape(response.text)


def _sent_to(world: World, person: User | None) -> str:
    """The notifications and queued emails a person has had."""
    if person is None:
        return ""
    notes = world.db.scalars(select(Notification).where(Notification.user_id == person.id))
    mails = world.db.scalars(select(OutboxMessage).where(OutboxMessage.to_address == person.email))
    return "\n".join([*(f"{n.title} {n.body}" for n in notes), *(f"{m.subject} {m.body_text}" for m in mails)])


def test_no_restricted_need_reaches_a_supplier_through_any_session_view_file_or_email(
    world: World, restricted_need: Need, app: FastAPI
) -> None:
    people = _people(world)
    burnley, civic = world.participants["burnley"], world.participants["civic"]
    with _browser(app, people["organiser"]) as client:
        assert client.post(f"/sessions/{world.session.id}/schedule/generate").status_code == 303
        published = client.post(f"/sessions/{world.session.id}/status", {"to": "provisional"})
        assert published.status_code == 303
    meeting = world.db.scalar(
        select(SessionMeeting).where(SessionMeeting.council_id == burnley.id, SessionMeeting.supplier_id == civic.id)
    )
    # The schedule really stands on the restricted need: the walk below would prove nothing otherwise.
    assert meeting is not None and meeting.need_id == restricted_need.id and meeting.need_detail
    run_id = world.db.scalar(select(ScheduleRun.id).where(ScheduleRun.session_id == world.session.id))
    assert run_id is not None
    secrets = (RESTRICTED_TITLE, meeting.need_detail)

    for role in MAY_NOT_SEE:
        shown = _everything_shown(app, world, people[role], run_id, meeting.id) + _sent_to(world, people[role])
        for secret in secrets:
            assert secret not in shown, f"{role} was shown {secret!r}"
    agenda = _everything_shown(app, world, people["supplier in the meeting"], run_id, meeting.id)
    assert "Suggested by the exchange" in agenda and "Burnley" in agenda
    # The destructive changes tell people in words of their own: the meeting cancelled, then the session.
    with _browser(app, people["supplier in the meeting"]) as client:
        cancel = f"/sessions/{world.session.id}/meetings/{meeting.id}/cancel"
        assert RESTRICTED_TITLE not in _as_read(client.get(cancel))
        assert client.post(cancel, {"confirmed": "yes"}).status_code == 303
    with _browser(app, people["organiser"]) as client:
        assert client.post(f"/sessions/{world.session.id}/cancel", {"confirmed": "yes"}).status_code == 303
    for role in MAY_NOT_SEE:
        told = _sent_to(world, people[role])
        assert all(secret not in told for secret in secrets), role
    assert "cancelled your meeting" in _sent_to(world, people["organiser"])
    # Those who may see the need are walked too (nothing fails for them); the organiser reads its title.
    assert RESTRICTED_TITLE in _everything_shown(app, world, people["organiser"], run_id, meeting.id)
    _everything_shown(app, world, people["council officer"], run_id, meeting.id)


def test_a_need_restricted_after_the_schedule_was_made_is_hidden_from_then_on(
    world: World, restricted_need: Need, app: FastAPI
) -> None:
    restricted_need.visibility = Visibility.PUBLIC
    world.db.flush()
    planner.generate(world.db, world.viewer("burnley"), world.session.id, seconds=0.5)
    with _browser(app, world.officers["burnley"]) as client:
        client.post(f"/sessions/{world.session.id}/status", {"to": "provisional"})
    with _browser(app, world.officers["civic"]) as client:
        assert RESTRICTED_TITLE in _as_read(client.get(f"/sessions/{world.session.id}/agenda"))
        restricted_need.visibility = Visibility.PUBLIC_SECTOR
        world.db.flush()
        assert RESTRICTED_TITLE not in _as_read(client.get(f"/sessions/{world.session.id}/agenda"))
