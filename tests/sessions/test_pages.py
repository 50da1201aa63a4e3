"""The session pages as a browser uses them: forms with clear errors that change nothing, HTMX fragments,
downloads, and 404 for everything private to someone else."""

from __future__ import annotations

import json

import pytest

from exchange.sessions import agenda, planner
from exchange.sessions.models import (
    MatchmakingSession,
    SessionMeeting,
    SessionParticipant,
    SessionPreference,
    SessionStatus,
)
from tests import factories
from tests.client import Client
from tests.sessions.conftest import World, session_values

HTMX = {"HX-Request": "true"}


def sign_in(client: Client, world: World, who: str) -> None:
    client.sign_in(world.officers[who].email, factories.PASSWORD)


def test_anyone_sees_the_list_and_the_session_but_not_who_takes_part(world: World, client: Client) -> None:
    page = client.get("/sessions")
    assert page.status_code == 200 and "North West digital matchmaking" in page.text
    page = client.get(f"/sessions/{world.session.id}")
    assert page.status_code == 200
    assert "2 council side, 3 supplier side" in page.text
    assert "Civic Voice Ltd" not in page.text


def test_an_officer_creates_a_session_from_the_form(world: World, client: Client) -> None:
    sign_in(client, world, "pendle")
    assert client.get("/sessions/new").status_code == 200
    values = session_values(title="Pendle care tech day", organisation_id=str(world.organisations["pendle"].id))
    response = client.post("/sessions/new", values)
    assert response.status_code == 303
    created = world.db.query(MatchmakingSession).filter_by(title="Pendle care tech day").one()
    assert created.status is SessionStatus.DRAFT and len(created.slots) == 6
    assert client.get(response.headers["location"]).status_code == 200


def test_bad_session_forms_say_what_is_wrong_and_write_nothing(world: World, client: Client) -> None:
    sign_in(client, world, "pendle")
    before = factories.count(world.db, MatchmakingSession)
    organisation = str(world.organisations["pendle"].id)
    for changes, message in (
        ({"open_to": ["supplier"]}, "at least one council side"),
        ({"held_on": "31/2/2027"}, "real date"),
        ({"tables": "0"}, "must be 1 or more"),
        ({"organisation_id": str(world.organisations["civic"].id)}, "Choose your organisation"),
    ):
        response = client.post("/sessions/new", session_values(**{"organisation_id": organisation, **changes}))
        assert response.status_code == 422, changes
        assert "govuk-error-summary" in response.text and message in response.text, changes
    assert factories.count(world.db, MatchmakingSession) == before


def test_a_supplier_registers_and_states_preferences(world: World, client: Client) -> None:
    founder = factories.user(world.db, name="Link founder")
    from exchange.organisations.models import OrganisationKind

    vcse = factories.supplier(world.db, founder, name="Community Link CIC", kind=OrganisationKind.VCSE)
    client.sign_in(founder.email, factories.PASSWORD)
    form = client.get(f"/sessions/{world.session.id}/register")
    assert form.status_code == 200 and "Community Link CIC" in form.text
    bad = client.post(f"/sessions/{world.session.id}/register", {"organisation_id": str(vcse.id), "max_meetings": "3"})
    assert bad.status_code == 422 and "Choose at least one slot" in bad.text
    response = client.post(
        f"/sessions/{world.session.id}/register",
        {
            "organisation_id": str(vcse.id),
            "available": ["0", "1", "2"],
            "max_meetings": "3",
            "attendees": "Sam (director)",
        },
    )
    assert response.status_code == 303
    participant = world.db.query(SessionParticipant).filter_by(organisation_id=vcse.id).one()
    assert participant.available == [0, 1, 2] and participant.side.value == "supplier"
    page = client.get(response.headers["location"])
    assert page.status_code == 200 and "Pendle Borough Council" in page.text
    pendle = world.participants["pendle"]
    bad = client.post(response.headers["location"], {f"wish-{pendle.id}": "definitely"})
    assert bad.status_code == 422
    assert factories.count(world.db, SessionPreference) == 0
    saved = client.post(response.headers["location"], {f"wish-{pendle.id}": "must"})
    assert saved.status_code == 303
    assert world.db.query(SessionPreference).filter_by(participant_id=participant.id).one().level.value == "must"


def test_the_preferences_page_shows_the_suggestions(world: World, client: Client) -> None:
    sign_in(client, world, "pendle")
    page = client.get(f"/sessions/{world.session.id}/participants/{world.participants['pendle'].id}/preferences")
    assert page.status_code == 200
    assert "Suggested for “Online budget consultation for residents”: " in page.text


def test_the_organiser_generates_locks_in_place_and_publishes(world: World, client: Client) -> None:
    sign_in(client, world, "burnley")
    assert client.get(f"/sessions/{world.session.id}/schedule").status_code == 200
    response = client.post(f"/sessions/{world.session.id}/schedule/generate")
    assert response.status_code == 303
    page = client.get(f"/sessions/{world.session.id}/schedule")
    assert "Timetable" in page.text and "requests satisfied" in page.text
    meeting = planner.live_meetings(world.db, world.session.id)[0]
    fragment = client.post(f"/sessions/{world.session.id}/meetings/{meeting.id}/lock", headers=HTMX)
    assert fragment.status_code == 200 and "Unlock" in fragment.text and "<html" not in fragment.text
    world.db.expire_all()
    assert world.db.get(SessionMeeting, meeting.id).locked
    published = client.post(f"/sessions/{world.session.id}/status", {"to": "provisional"})
    assert published.status_code == 303
    world.db.expire_all()
    assert world.db.get(MatchmakingSession, world.session.id).status is SessionStatus.PROVISIONAL
    bad = client.post(f"/sessions/{world.session.id}/status", {"to": "nonsense"})
    assert bad.status_code == 422


def test_the_instance_downloads_and_a_bad_upload_changes_nothing(world: World, client: Client) -> None:
    planner.generate(world.db, world.viewer("burnley"), world.session.id, seconds=0.5)
    before = {m.id for m in planner.live_meetings(world.db, world.session.id)}
    sign_in(client, world, "burnley")
    download = client.get(f"/sessions/{world.session.id}/schedule/instance.json")
    assert download.status_code == 200 and "attachment" in download.headers["content-disposition"]
    assert len(download.json()["participants"]) == 5
    token = client.csrf_token()
    for content, message in (
        (b"not json", "JSON"),
        (b"[" * 1_000 + b"]" * 1_000, "must be an object"),
        (b"[" * 100_000 + b"]" * 100_000, "JSON"),
        (json.dumps({"meetings": [{"a": "p1"}]}).encode(), "must have"),
    ):
        response = client.request(
            "POST",
            f"/sessions/{world.session.id}/schedule/import",
            data={"csrf_token": token},
            files={"schedule": ("schedule.json", content, "application/json")},
        )
        assert response.status_code == 422 and message in response.text
    assert {m.id for m in planner.live_meetings(world.db, world.session.id)} == before


def test_the_agenda_page_and_calendar_file(world: World, client: Client) -> None:
    planner.generate(world.db, world.viewer("burnley"), world.session.id, seconds=0.5)
    agenda.change_status(world.db, world.viewer("burnley"), world.session.id, SessionStatus.FINAL)
    sign_in(client, world, "civic")
    page = client.get(f"/sessions/{world.session.id}/agenda")
    assert page.status_code == 200 and "This is the final agenda" in page.text
    civic = world.participants["civic"]
    calendar = client.get(f"/sessions/{world.session.id}/participants/{civic.id}/agenda.ics")
    assert calendar.status_code == 200 and calendar.headers["content-type"].startswith("text/calendar")
    assert calendar.text.startswith("BEGIN:VCALENDAR")
    # Another participant's calendar does not exist for Civic Voice.
    other = world.participants["meals"]
    assert client.get(f"/sessions/{world.session.id}/participants/{other.id}/agenda.ics").status_code == 404


@pytest.mark.parametrize("who", ["anonymous", "civic", "pendle"])
def test_the_organisers_pages_are_404_to_everyone_else(world: World, client: Client, who: str) -> None:
    planner.generate(world.db, world.viewer("burnley"), world.session.id, seconds=0.5)
    meeting = planner.live_meetings(world.db, world.session.id)[0]
    if who != "anonymous":
        sign_in(client, world, who)
    base = f"/sessions/{world.session.id}"
    expected = 401 if who == "anonymous" else 404
    for path in ("/schedule", "/check-in", "/outcomes", "/schedule/instance.json", "/edit"):
        assert client.get(base + path).status_code in (expected, 303), path
    for path in (f"/meetings/{meeting.id}/lock", f"/meetings/{meeting.id}/remove", "/schedule/generate"):
        assert client.post(base + path).status_code in (expected, 303), path
    world.db.expire_all()
    assert world.db.get(SessionMeeting, meeting.id) is not None and not world.db.get(SessionMeeting, meeting.id).locked
    # Someone else's registration is not there to change.
    meals = world.participants["meals"].id
    assert client.get(f"{base}/participants/{meals}/edit").status_code in (expected, 303)
    assert client.post(f"{base}/participants/{meals}/withdraw", {"confirmed": "yes"}).status_code in (expected, 303)
    assert client.get(f"{base}/participants/{meals}/withdraw").status_code in (expected, 303)
    # Nor to remove, nor the session to cancel: only its organisers may.
    assert client.get(f"{base}/participants/{meals}/remove").status_code in (expected, 303)
    assert client.post(f"{base}/participants/{meals}/remove", {"confirmed": "yes"}).status_code in (expected, 303)
    assert client.get(f"{base}/cancel").status_code in (expected, 303)
    assert client.post(f"{base}/cancel", {"confirmed": "yes"}).status_code in (expected, 303)
    assert world.db.get(SessionParticipant, meals).withdrawn_at is None
    assert world.session.status is SessionStatus.OPEN


def test_the_api_lists_sessions_and_hides_drafts(world: World, client: Client) -> None:
    listed = client.get("/api/v1/sessions")
    assert listed.status_code == 200 and world.session.id in {s["id"] for s in listed.json()}
    detail = client.get(f"/api/v1/sessions/{world.session.id}")
    assert detail.json()["participants"] == 5 and len(detail.json()["slots"]) == 6
    world.session.status = SessionStatus.DRAFT
    world.db.flush()
    assert client.get(f"/api/v1/sessions/{world.session.id}").status_code == 404
    assert client.get(f"/api/v1/sessions/{world.session.id}/agenda").status_code == 401


def test_check_in_swaps_the_row_in_place(world: World, client: Client) -> None:
    sign_in(client, world, "burnley")
    civic = world.participants["civic"]
    assert client.get(f"/sessions/{world.session.id}/check-in").status_code == 200
    row = client.post(
        f"/sessions/{world.session.id}/participants/{civic.id}/check-in", {"action": "here"}, headers=HTMX
    )
    assert row.status_code == 200 and row.text.lstrip().startswith("<tr") and "Civic Voice Ltd" in row.text
    assert "Undo check-in" in row.text
    absent = client.post(f"/sessions/{world.session.id}/participants/{civic.id}/check-in", {"action": "no-show"})
    assert absent.status_code == 303
    world.db.expire_all()
    assert world.db.get(SessionParticipant, civic.id).no_show


def test_a_registration_is_changed_but_keeps_its_organisation_and_team(world: World, client: Client) -> None:
    sign_in(client, world, "civic")
    civic = world.participants["civic"]
    path = f"/sessions/{world.session.id}/participants/{civic.id}/edit"
    assert client.get(path).status_code == 200
    other = str(world.organisations["meals"].id)
    bad = client.post(path, {"available": [], "max_meetings": "2", "organisation_id": other})
    assert bad.status_code == 422 and "Choose at least one slot" in bad.text
    saved = client.post(path, {"available": ["0", "2"], "max_meetings": "2", "organisation_id": other, "team": "X"})
    assert saved.status_code == 303
    world.db.expire_all()
    changed = world.db.get(SessionParticipant, civic.id)
    assert (changed.available, changed.max_meetings) == ([0, 2], 2)
    assert (changed.organisation_id, changed.team) == (world.organisations["civic"].id, "")
