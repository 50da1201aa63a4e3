"""Destructive changes ask first, on a page saying who is affected and who will be told; a post that skips the
page changes nothing; once confirmed, the people affected get a notification and an email."""

from __future__ import annotations

from sqlalchemy import select

from exchange.accounts.models import User
from exchange.notifications.models import Notification
from exchange.outbox.models import OutboxMessage
from exchange.sessions import agenda, planner
from exchange.sessions.models import SessionMeeting, SessionParticipant, SessionStatus
from tests import factories
from tests.client import Client
from tests.sessions.conftest import World


def _sign_in(client: Client, world: World, who: str) -> None:
    client.sign_in(world.officers[who].email, factories.PASSWORD)


def _published(world: World) -> None:
    planner.generate(world.db, world.viewer("burnley"), world.session.id, seconds=0.5)
    agenda.change_status(world.db, world.viewer("burnley"), world.session.id, SessionStatus.FINAL)


def _told(world: World, person: User, about: str) -> tuple[bool, bool]:
    """Whether this person has a notification, and an email queued, whose title says ``about``."""
    notified = world.db.scalars(select(Notification.title).where(Notification.user_id == person.id))
    mailed = world.db.scalars(select(OutboxMessage.subject).where(OutboxMessage.to_address == person.email))
    return any(about in t for t in notified), any(about in s for s in mailed)


def _meetings_of(world: World, who: str) -> list[SessionMeeting]:
    participant = world.participants[who].id
    return [
        m for m in planner.live_meetings(world.db, world.session.id) if participant in (m.council_id, m.supplier_id)
    ]


def _key_of(world: World, participant_id: int) -> str:
    return next(k for k, p in world.participants.items() if p.id == participant_id)


def test_cancelling_the_session_asks_first_names_everyone_then_tells_them(world: World, client: Client) -> None:
    _published(world)
    _sign_in(client, world, "burnley")
    base = f"/sessions/{world.session.id}"
    page = client.get(base)
    assert "/cancel" in page.text and 'value="cancelled"' not in page.text
    # The old one-click form, or a post without the confirmation page, only leads to that page.
    for response in (client.post(f"{base}/status", {"to": "cancelled"}), client.post(f"{base}/cancel")):
        assert response.status_code == 303 and response.headers["location"] == f"{base}/cancel"
    world.db.expire_all()
    assert world.session.status is SessionStatus.FINAL
    confirm = client.get(f"{base}/cancel")
    assert confirm.status_code == 200
    for name in ("Civic Voice Ltd", "Pennine Meals", "Road Repairs Ltd", "Pendle"):
        assert name in confirm.text
    assert "in 5 registered organisations will get an email and a notification" in confirm.text
    assert client.post(f"{base}/cancel", {"confirmed": "yes"}).status_code == 303
    world.db.expire_all()
    assert world.session.status is SessionStatus.CANCELLED
    for who in ("civic", "meals", "pendle"):
        assert _told(world, world.officers[who], "is cancelled") == (True, True), who
    assert client.get(f"{base}/cancel").status_code == 409


def test_leaving_a_published_session_names_the_meetings_and_tells_the_other_side(world: World, client: Client) -> None:
    _published(world)
    mine = _meetings_of(world, "civic")
    assert mine
    others = {_key_of(world, m.council_id) for m in mine}
    _sign_in(client, world, "civic")
    url = f"/sessions/{world.session.id}/participants/{world.participants['civic'].id}/withdraw"
    assert client.post(url).status_code == 303
    assert world.db.get(SessionParticipant, world.participants["civic"].id).withdrawn_at is None
    confirm = client.get(url)
    assert confirm.status_code == 200 and "Yes, leave the session" in confirm.text
    assert f"{len(mine)} meeting" in confirm.text
    for key in others:
        assert world.organisations[key].name in confirm.text
    assert client.post(url, {"confirmed": "yes"}).status_code == 303
    world.db.expire_all()
    assert world.db.get(SessionParticipant, world.participants["civic"].id).withdrawn_at is not None
    assert not _meetings_of(world, "civic")
    for key in others:
        assert _told(world, world.officers[key], "Your meeting with Civic Voice Ltd") == (True, True), key
    assert _told(world, world.officers["burnley"], "Civic Voice Ltd has left") == (True, True)
    assert _told(world, world.officers["meals"], "Civic Voice Ltd") == (False, False)


def test_cancelling_a_meeting_asks_first_and_only_its_own_sides_may(world: World, client: Client) -> None:
    _published(world)
    meeting = _meetings_of(world, "civic")[0]
    council = _key_of(world, meeting.council_id)
    url = f"/sessions/{world.session.id}/meetings/{meeting.id}/cancel"
    _sign_in(client, world, "meals")
    assert client.get(url).status_code == 404
    assert client.post(url, {"confirmed": "yes"}).status_code == 404
    with Client(client.app) as civic:
        _sign_in(civic, world, "civic")
        assert civic.post(url).status_code == 303
        world.db.expire_all()
        assert world.db.get(SessionMeeting, meeting.id).cancelled_at is None
        confirm = civic.get(url)
        assert confirm.status_code == 200 and world.organisations[council].name in confirm.text
        assert "will get an email and a notification" in confirm.text
        assert civic.post(url, {"confirmed": "yes"}).status_code == 303
    world.db.expire_all()
    assert world.db.get(SessionMeeting, meeting.id).cancelled_at is not None
    assert _told(world, world.officers[council], "Civic Voice Ltd cancelled your meeting") == (True, True)


def test_the_organiser_removes_a_participant_after_seeing_who_is_affected(world: World, client: Client) -> None:
    _published(world)
    mine = _meetings_of(world, "civic")
    others = {_key_of(world, m.council_id) for m in mine}
    civic = world.participants["civic"]
    _sign_in(client, world, "burnley")
    assert f"/participants/{civic.id}/remove" in client.get(f"/sessions/{world.session.id}").text
    url = f"/sessions/{world.session.id}/participants/{civic.id}/remove"
    assert client.post(url).status_code == 303
    confirm = client.get(url)
    assert confirm.status_code == 200 and "Remove Civic Voice Ltd" in confirm.text
    assert "Civic Voice Ltd, the other side of each meeting and the organisers will get an email" in confirm.text
    for bad in (
        f"/sessions/{world.session.id}/participants/999999/remove",
        f"/sessions/999999/participants/{civic.id}/remove",
    ):
        assert client.get(bad).status_code == 404
        assert client.post(bad, {"confirmed": "yes"}).status_code == 404
    assert client.post(url, {"confirmed": "yes"}).status_code == 303
    world.db.expire_all()
    assert world.db.get(SessionParticipant, civic.id).withdrawn_at is not None and not _meetings_of(world, "civic")
    assert _told(world, world.officers["civic"], "Civic Voice Ltd was removed") == (True, True)
    for key in others:
        assert _told(world, world.officers[key], "Your meeting with Civic Voice Ltd") == (True, True), key
    # Removed once: there is nobody left to remove.
    assert client.get(url).status_code == 404
