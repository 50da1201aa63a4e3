"""The organiser's day: a cancelled meeting's table is filled with the best free pair and nothing else changes;
a meeting added by hand is refused in words when it clashes; walk-ins are registered and checked in; the QR code
on each agenda checks its participant in for the organisers alone; every agenda prints at once."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from exchange.accounts.models import User
from exchange.core.errors import Invalid
from exchange.notifications.models import Notification
from exchange.organisations.models import Organisation, OrganisationKind
from exchange.sessions import agenda, check_in_codes, day, filling, planner, preferences, walk_ins
from exchange.sessions.models import SessionMeeting, SessionParticipant, SessionStatus, WishLevel
from exchange.sessions.schemas import WalkInForm
from tests import factories
from tests.client import Client
from tests.sessions.conftest import World


def _wish(world: World, who: str, target: str, level: WishLevel) -> None:
    p = world.participants
    preferences.save(world.db, world.viewer(who), world.session.id, p[who].id, {p[target].id: level})


def _day_ready(world: World) -> dict[str, SessionMeeting]:
    """Everyone would like to meet everyone on the other side, Burnley must meet Road Repairs; a final agenda of
    four meetings in the first two slots, one of them locked."""
    for council in ("burnley", "pendle"):
        for supplier in ("civic", "meals", "roads"):
            _wish(world, council, supplier, WishLevel.LIKE)
    _wish(world, "burnley", "roads", WishLevel.MUST)
    p, labels = world.participants, world.session.slot_labels
    plan = [
        ("burnley", "civic", 0, 1),
        ("pendle", "meals", 0, 2),
        ("burnley", "meals", 1, 1),
        ("pendle", "roads", 1, 2),
    ]
    schedule = {
        "meetings": [
            {"a": f"p{p[a].id}", "b": f"p{p[b].id}", "slot": labels[slot], "table": table} for a, b, slot, table in plan
        ]
    }
    planner.import_schedule(world.db, world.viewer("burnley"), world.session.id, schedule)
    meetings = {
        f"{a}-{b}": m
        for a, b, _, _ in plan
        for m in planner.live_meetings(world.db, world.session.id)
        if (m.council_id, m.supplier_id) == (p[a].id, p[b].id)
    }
    planner.toggle_lock(world.db, world.viewer("burnley"), world.session.id, meetings["pendle-meals"].id)
    agenda.change_status(world.db, world.viewer("burnley"), world.session.id, SessionStatus.FINAL)
    return meetings


def _locks(world: World) -> dict[int, tuple[int, int, bool]]:
    return {m.id: (m.slot, m.table_number, m.locked) for m in planner.live_meetings(world.db, world.session.id)}


def _titles(world: World, person: User) -> list[str]:
    return list(world.db.scalars(select(Notification.title).where(Notification.user_id == person.id)))


def test_filling_a_cancelled_slot_puts_the_best_free_pair_there_and_changes_no_other_meeting(
    world: World, client: Client
) -> None:
    meetings = _day_ready(world)
    cancelled = meetings["burnley-civic"]
    agenda.cancel(world.db, world.viewer("civic"), world.session.id, cancelled.id)
    before = _locks(world)
    roads_told = len(_titles(world, world.officers["roads"]))
    client.sign_in(world.officers["pendle"].email, factories.PASSWORD)
    assert (
        client.post(f"/sessions/{world.session.id}/schedule/fill", {"slot": "0", "table_number": "1"}).status_code
        == 404
    )
    client.sign_in(world.organiser.email, factories.PASSWORD)
    timetable = client.get(f"/sessions/{world.session.id}/schedule")
    assert "Gap: a cancelled meeting" in timetable.text and "Fill this gap" in timetable.text
    response = client.post(f"/sessions/{world.session.id}/schedule/fill", {"slot": "0", "table_number": "1"})
    assert response.status_code == 303
    world.db.expire_all()
    after = _locks(world)
    new = [m for m in planner.live_meetings(world.db, world.session.id) if m.id not in before]
    assert len(new) == 1
    # Burnley must meet Road Repairs, both free at the first slot: the best pair. Civic said no to Burnley.
    assert (new[0].council_id, new[0].supplier_id) == (world.participants["burnley"].id, world.participants["roads"].id)
    assert (new[0].slot, new[0].table_number, new[0].locked) == (0, 1, False)
    assert {k: v for k, v in after.items() if k in before} == before
    assert len(_titles(world, world.officers["roads"])) == roads_told + 1
    # Nothing left to fill; asking again says so without changing anything.
    assert not filling.gaps(world.db, world.session, planner.live_meetings(world.db, world.session.id))
    again = client.post(f"/sessions/{world.session.id}/schedule/fill", {"slot": "0", "table_number": "1"})
    assert again.status_code == 422 and "Choose a table left empty by a cancelled meeting" in again.text


def test_a_no_shows_meeting_is_called_off_and_its_table_filled(world: World) -> None:
    meetings = _day_ready(world)
    day.set_no_show(world.db, world.viewer("burnley"), world.session.id, world.participants["civic"].id, True)
    before = _locks(world)
    filled = filling.fill(world.db, world.viewer("burnley"), world.session.id)
    stale = world.db.get(SessionMeeting, meetings["burnley-civic"].id)
    assert stale is not None and stale.cancelled_at is not None
    # Burnley, left alone at the first slot, meets Road Repairs (a "must") at the same table.
    p = world.participants
    assert [(m.council_id, m.supplier_id, m.slot, m.table_number) for m in filled.meetings] == [
        (p["burnley"].id, p["roads"].id, 0, 1)
    ]
    untouched = {k: v for k, v in _locks(world).items() if k in before}
    assert untouched == {k: v for k, v in before.items() if k in untouched}


def test_a_meeting_added_by_hand_is_locked_and_a_clash_is_refused_in_words(world: World, client: Client) -> None:
    _day_ready(world)
    p = world.participants
    with pytest.raises(Invalid) as clash:
        filling.add(world.db, world.viewer("burnley"), world.session.id, p["burnley"].id, p["roads"].id, 1)
    assert f"{p['burnley'].name} already meets {p['meals'].name} at" in clash.value.field_errors["slot"]
    with pytest.raises(Invalid) as twice:
        filling.add(world.db, world.viewer("burnley"), world.session.id, p["pendle"].id, p["meals"].id, 3)
    assert "already meets" in twice.value.field_errors["slot"]
    _wish(world, "civic", "pendle", WishLevel.NO)
    with pytest.raises(Invalid) as refused:
        filling.add(world.db, world.viewer("burnley"), world.session.id, p["pendle"].id, p["civic"].id, 3)
    assert "said “no thanks”" in refused.value.field_errors["slot"]
    client.sign_in(world.officers["civic"].email, factories.PASSWORD)
    url = f"/sessions/{world.session.id}/schedule/meetings"
    form = {"council_id": str(p["burnley"].id), "supplier_id": str(p["roads"].id), "slot": "3"}
    assert client.post(url, form).status_code == 404
    client.sign_in(world.organiser.email, factories.PASSWORD)
    page = client.post(url, {**form, "slot": "1"})
    assert page.status_code == 422 and "already meets" in page.text
    assert client.post(url, form).status_code == 303
    added = next(
        m
        for m in planner.live_meetings(world.db, world.session.id)
        if (m.council_id, m.supplier_id, m.slot) == (p["burnley"].id, p["roads"].id, 3)
    )
    assert added.locked and added.table_number == 1
    assert any("Your agenda for" in t for t in _titles(world, world.officers["roads"]))


def test_a_walk_in_is_registered_checked_in_and_given_a_meeting(world: World, client: Client) -> None:
    _day_ready(world)
    client.sign_in(world.officers["meals"].email, factories.PASSWORD)
    url = f"/sessions/{world.session.id}/walk-in"
    assert client.get(url).status_code == 404
    client.sign_in(world.organiser.email, factories.PASSWORD)
    assert client.get(url).status_code == 200
    unknown = client.post(url, {"organisation_name": "Lancashire Mobility Co-op", "attendees": "Sam Patel"})
    assert unknown.status_code == 422 and "is new to the exchange: choose what kind" in unknown.text
    twice = client.post(url, {"organisation_name": world.organisations["meals"].name.upper()})
    assert twice.status_code == 422 and "is already taking part" in twice.text
    made = client.post(
        url, {"organisation_name": "Lancashire Mobility Co-op", "kind": "vcse", "attendees": "Sam Patel"}
    )
    assert made.status_code == 303
    walk_in = world.db.scalar(
        select(SessionParticipant)
        .join(Organisation, Organisation.id == SessionParticipant.organisation_id)
        .where(Organisation.name == "Lancashire Mobility Co-op")
    )
    assert walk_in is not None and walk_in.checked_in_at is not None and walk_in.attendees == "Sam Patel"
    assert walk_in.session_id == world.session.id and walk_in.available is None
    # Free at every time: Burnley, with no meeting at the third slot, can meet them there.
    meeting = filling.add(
        world.db, world.viewer("burnley"), world.session.id, world.participants["burnley"].id, walk_in.id, 2
    )
    assert meeting.supplier_id == walk_in.id
    with pytest.raises(Invalid):
        walk_ins.register_walk_in(
            world.db,
            world.viewer("burnley"),
            world.session.id,
            WalkInForm(organisation_name="Elsewhere Ltd", kind=OrganisationKind.OTHER),
        )


def test_the_agenda_qr_code_checks_in_for_organisers_alone(world: World, client: Client) -> None:
    _day_ready(world)
    civic = world.participants["civic"]
    name = civic.name
    client.sign_in(world.officers["civic"].email, factories.PASSWORD)
    own = client.get(f"/sessions/{world.session.id}/agenda")
    assert own.status_code == 200 and "Check-in code for" in own.text and "<svg" in own.text
    path = check_in_codes.path_for(civic)
    assert client.get(path).status_code == 404
    world.db.expire_all()
    assert world.db.get(SessionParticipant, civic.id).checked_in_at is None
    client.sign_in(world.organiser.email, factories.PASSWORD)
    for wrong in (path + "x", f"/sessions/{world.session.id}/check-in/not-a-token"):
        assert client.get(wrong).status_code == 404
    page = client.get(path)
    assert page.status_code == 200 and f"{name} is checked in" in page.text and "just now" in page.text
    world.db.expire_all()
    assert world.db.get(SessionParticipant, civic.id).checked_in_at is not None
    assert "Already checked in" in client.get(path).text
    # A code names its session: another session's address opens nothing.
    other = check_in_codes.token_for(civic)
    assert client.get(f"/sessions/{world.session.id + 1}/check-in/{other}").status_code == 404


def test_every_agenda_prints_at_once_and_the_check_in_list_is_searchable(world: World, client: Client) -> None:
    _day_ready(world)
    base = f"/sessions/{world.session.id}"
    client.sign_in(world.officers["pendle"].email, factories.PASSWORD)
    assert client.get(f"{base}/agendas/print").status_code == 404
    client.sign_in(world.organiser.email, factories.PASSWORD)
    printed = client.get(f"{base}/agendas/print")
    assert printed.status_code == 200
    assert printed.text.count('class="exchange-printed-agenda"') == len(world.participants)
    assert printed.text.count("<svg") == len(world.participants)
    for participant in world.participants.values():
        assert participant.name in printed.text
    found = client.get(f"{base}/check-in", params={"q": "civic"})
    assert found.status_code == 200 and "1 participant matches" in found.text
    assert world.participants["civic"].name in found.text and world.participants["meals"].name not in found.text


def test_regenerating_around_every_meeting_keeps_each_meetings_own_lock(world: World) -> None:
    _day_ready(world)
    before = {(m.council_id, m.supplier_id): m.locked for m in planner.live_meetings(world.db, world.session.id)}
    planner.generate(world.db, world.viewer("burnley"), world.session.id, keep_all=True, seconds=0.5)
    after = {(m.council_id, m.supplier_id): m.locked for m in planner.live_meetings(world.db, world.session.id)}
    assert {pair: after[pair] for pair in before} == before
    assert sum(before.values()) == 1 == sum(after.values())
