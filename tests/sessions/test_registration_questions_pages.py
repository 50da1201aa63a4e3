"""The pages for registration questions, approval, meeting requests, table names and video links: clear errors
that change nothing, the HTMX answer to a request, and 404 for another organisation."""

from __future__ import annotations

import pytest

from exchange.notifications.models import Notification
from exchange.sessions import agenda, meeting_requests, planner, questions
from exchange.sessions.models import Approval, MeetingRequest, RequestStatus, SessionParticipant, SessionStatus
from tests import factories
from tests.client import Client
from tests.sessions.conftest import World

HTMX = {"HX-Request": "true"}


def sign_in(client: Client, world: World, who: str) -> None:
    client.sign_in(world.officers[who].email, factories.PASSWORD)


def _newcomer(world: World) -> None:
    person = factories.user(world.db, name="Tidyloop founder")
    world.officers["tidy"], world.organisations["tidy"] = person, factories.supplier(world.db, person, name="Tidyloop")


def test_questions_and_approval_from_the_organisers_pages_to_the_registration(
    world: World, client: Client, other_client: Client
) -> None:
    base = f"/sessions/{world.session.id}"
    sign_in(client, world, "burnley")
    assert client.get(f"{base}/setup").status_code == 200
    bad = client.post(f"{base}/setup/questions", {"text": "Which topic?", "kind": "choice", "required": "yes"})
    assert bad.status_code == 422 and "Enter at least two choices" in bad.text
    assert not world.session.questions
    added = client.post(
        f"{base}/setup/questions",
        {"text": "Which topic?", "kind": "choice", "choices": "Care\nHousing", "required": "yes"},
    )
    assert added.status_code == 303
    assert client.post(f"{base}/setup/approval", {"requires_approval": "yes"}).status_code == 303
    world.db.expire_all()
    assert world.session.requires_approval
    (question,) = questions.of(world.session)

    _newcomer(world)
    sign_in(other_client, world, "tidy")
    form = other_client.get(f"{base}/register")
    assert "Which topic?" in form.text and "The organiser approves each registration" in form.text
    values = {"organisation_id": str(world.organisations["tidy"].id), "available": ["0", "1"], "max_meetings": "2"}
    missing = other_client.post(f"{base}/register", values)
    assert missing.status_code == 422 and "Choose an answer to “Which topic?”" in missing.text
    assert factories.count(world.db, SessionParticipant) == 5
    done = other_client.post(f"{base}/register", {**values, question.field: "Housing"})
    assert done.status_code == 303 and done.headers["location"] == base
    assert "Waiting for approval" in other_client.get(base).text
    tidy = world.db.query(SessionParticipant).filter_by(organisation_id=world.organisations["tidy"].id).one()
    assert tidy.approval is Approval.PENDING
    waiting = world.db.query(Notification).filter_by(user_id=world.officers["burnley"].id).one()
    assert waiting.title == f"Tidyloop waits for your approval for {world.session.title}"

    page = client.get(f"{base}/registrations")
    assert page.status_code == 200 and "Tidyloop" in page.text and "Housing" in page.text
    assert client.post(f"{base}/participants/{tidy.id}/approve").status_code == 303
    world.db.expire_all()
    assert tidy.approval is Approval.APPROVED
    told = world.db.query(Notification).filter_by(user_id=world.officers["tidy"].id).one()
    assert "approved" in told.title
    assert any("approved" in m.subject for m in factories.emails_to(world.db, world.officers["tidy"].email))


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/setup"),
        ("get", "/registrations"),
        ("post", "/setup/approval"),
        ("post", "/setup/tables"),
        ("post", "/participants/{pid}/approve"),
        ("post", "/participants/{pid}/decline"),
    ],
)
def test_the_organisers_pages_are_404_to_another_organisation(
    world: World, client: Client, method: str, path: str
) -> None:
    sign_in(client, world, "pendle")
    url = f"/sessions/{world.session.id}" + path.format(pid=world.participants["civic"].id)
    response = client.get(url) if method == "get" else client.post(url, {"requires_approval": "yes"})
    assert response.status_code == 404
    world.db.expire_all()
    assert not world.session.requires_approval


def test_a_meeting_request_is_sent_and_accepted_in_place(world: World, client: Client, other_client: Client) -> None:
    base = f"/sessions/{world.session.id}"
    roads, pendle = world.participants["roads"], world.participants["pendle"]
    sign_in(client, world, "roads")
    page = f"{base}/participants/{roads.id}/preferences"
    assert "Ask for a meeting with" in client.get(page).text
    bad = client.post(f"{base}/participants/{roads.id}/requests", {"target_id": "999999", "message": "Hi"})
    assert bad.status_code == 422 and "Choose whom you want to meet from the list" in bad.text
    long = client.post(f"{base}/participants/{roads.id}/requests", {"target_id": str(pendle.id), "message": "x" * 501})
    assert long.status_code == 422 and "500 characters or fewer" in long.text
    assert factories.count(world.db, MeetingRequest) == 0
    sent = client.post(f"{base}/participants/{roads.id}/requests", {"target_id": str(pendle.id), "message": "Potholes"})
    assert sent.status_code == 303
    request_id = world.db.query(MeetingRequest).one().id

    # Another organisation cannot answer it, not even through its own registration.
    civic = world.participants["civic"]
    sign_in(other_client, world, "civic")
    for url in (
        f"{base}/participants/{pendle.id}/requests/{request_id}/accept",
        f"{base}/participants/{civic.id}/requests/{request_id}/accept",
    ):
        assert other_client.post(url, headers=HTMX).status_code == 404
    sign_in(other_client, world, "pendle")
    received = other_client.get(f"{base}/participants/{pendle.id}/preferences")
    assert "Potholes" in received.text and "Accept" in received.text
    fragment = other_client.post(f"{base}/participants/{pendle.id}/requests/{request_id}/accept", headers=HTMX)
    assert fragment.status_code == 200 and "<html" not in fragment.text
    assert "data-focus-after-swap" in fragment.text and 'data-announce="Request from Road Repairs Ltd accepted."' in (
        fragment.text
    )
    world.db.expire_all()
    assert world.db.query(MeetingRequest).one().status is RequestStatus.ACCEPTED
    assert meeting_requests.accepted_pairs(world.db, world.session.id) == [(roads.id, pendle.id)]
    again = other_client.post(f"{base}/participants/{pendle.id}/requests/{request_id}/decline")
    assert again.status_code == 409


def test_tables_are_named_and_a_meeting_gets_a_video_link(world: World, client: Client, other_client: Client) -> None:
    base = f"/sessions/{world.session.id}"
    sign_in(client, world, "burnley")
    too_many = client.post(f"{base}/setup/tables", {"table_names": "A\nB\nC"})
    assert too_many.status_code == 422 and "at most one name for each" in too_many.text
    assert client.post(f"{base}/setup/tables", {"table_names": "Room A, table 1\nRoom B"}).status_code == 303
    planner.generate(world.db, world.viewer("burnley"), world.session.id, seconds=0.5)
    schedule = client.get(f"{base}/schedule")
    assert "Room A, table 1" in schedule.text and "Video link (optional)" in schedule.text
    meeting = planner.live_meetings(world.db, world.session.id)[0]
    bad = client.post(f"{base}/meetings/{meeting.id}/video-link", {"video_link": "ftp://x"})
    assert bad.status_code == 422 and "starting with https://" in bad.text
    good = client.post(f"{base}/meetings/{meeting.id}/video-link", {"video_link": "https://meet.example/1"})
    assert good.status_code == 303
    world.db.expire_all()
    assert meeting.video_link == "https://meet.example/1"
    agenda.change_status(world.db, world.viewer("burnley"), world.session.id, SessionStatus.PROVISIONAL)
    # Pendle meets Civic Voice (its need matches): its agenda says where, by the table's name.
    sign_in(other_client, world, "pendle")
    (own,) = other_client.get(f"/api/v1/sessions/{world.session.id}/agenda").json()
    assert own["meetings"] and {m["table_name"] for m in own["meetings"]} <= {"Room A, table 1", "Room B"}
    linked = [m for m in own["meetings"] if m["video_link"]]
    assert all(m["video_link"] == "https://meet.example/1" for m in linked)
