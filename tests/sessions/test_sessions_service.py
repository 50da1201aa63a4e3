"""Sessions, registration and preferences: the rules, with bad input refused and nothing written."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from exchange.core.errors import Conflict, Invalid, NotFound
from exchange.core.forms import validate
from exchange.core.settings import Settings
from exchange.needs.models import Need
from exchange.organisations.models import OrganisationKind
from exchange.sessions import preferences, service
from exchange.sessions.models import MatchmakingSession, SessionParticipant, SessionPreference, SessionStatus, WishLevel
from exchange.sessions.schemas import RegistrationForm, SessionForm
from exchange.sessions.slots import Grid, GridError, make_slots
from tests import factories
from tests.sessions.conftest import World, session_values


def test_slots_follow_the_grid_and_skip_the_break() -> None:
    from datetime import time

    slots = make_slots(Grid(time(9, 30), 20, 5, 6, time(11, 0), 30))
    assert [s["start"] for s in slots] == ["09:30", "09:55", "10:20", "11:30", "11:55", "12:20"]
    assert slots[2]["end"] == "10:40"
    with pytest.raises(GridError):
        make_slots(Grid(time(23, 0), 30, 0, 4))


def test_the_session_form_refuses_what_cannot_work() -> None:
    cases = {
        "open_to": {"open_to": ["supplier", "vcse"]},
        "registration_closes_on": {
            "registration_closes_on": session_values()["held_on"],
            "held_on": session_values()["registration_closes_on"],
        },
        "venue": {"venue": "", "online_link": ""},
        "online_link": {"online_link": "javascript:alert(1)"},
        "max_meetings": {"max_meetings": "7"},
        "starts_at": {"starts_at": "25:00"},
    }
    for field, changes in cases.items():
        with pytest.raises(Invalid) as raised:
            validate(SessionForm, session_values(**changes))
        assert field in raised.value.field_errors, (field, raised.value.field_errors)


def test_a_session_past_midnight_is_refused_and_nothing_is_written(world: World) -> None:
    form = SessionForm.model_validate(
        session_values(starts_at="22:00", meeting_minutes="60", meetings="6", max_meetings="4")
    )
    before = factories.count(world.db, MatchmakingSession)
    with pytest.raises(Invalid) as raised:
        service.create(world.db, world.viewer("burnley"), world.organising_council.id, form)
    assert "midnight" in raised.value.field_errors["meetings"]
    assert factories.count(world.db, MatchmakingSession) == before


def test_a_draft_is_seen_only_by_its_organisers(world: World) -> None:
    form = SessionForm.model_validate(session_values(title="Draft session"))
    draft = service.create(world.db, world.viewer("burnley"), world.organising_council.id, form)
    assert service.get(world.db, world.viewer("burnley"), draft.id).id == draft.id
    with pytest.raises(NotFound):
        service.get(world.db, world.viewer("civic"), draft.id)
    assert draft.id not in {s.id for s in service.listed(world.db, world.viewer("civic"))}
    assert world.session.id in {s.id for s in service.listed(world.db, world.viewer("civic"))}


def test_registration_takes_the_side_from_the_organisation_kind(world: World) -> None:
    assert world.participants["pendle"].side.value == "council"
    assert world.participants["civic"].side.value == "supplier"
    # Every slot ticked is stored as "available in every slot".
    assert world.participants["civic"].available is None


def test_bad_registrations_are_refused(world: World) -> None:
    db, session = world.db, world.session
    before = factories.count(db, SessionParticipant)
    civic = world.organisations["civic"].id
    with pytest.raises(Invalid) as raised:
        service.register(
            db,
            world.viewer("civic"),
            session.id,
            RegistrationForm(organisation_id=civic, available=[0], max_meetings=2),
        )
    assert "already registered" in raised.value.field_errors["team"]
    with pytest.raises(Invalid) as raised:
        service.register(
            db,
            world.viewer("civic"),
            session.id,
            RegistrationForm(organisation_id=civic, team="B", available=[99], max_meetings=2),
        )
    assert "available" in raised.value.field_errors
    with pytest.raises(Invalid) as raised:
        service.register(
            db,
            world.viewer("civic"),
            session.id,
            RegistrationForm(organisation_id=civic, team="B", available=[0], max_meetings=9),
        )
    assert "at most 4" in raised.value.field_errors["max_meetings"]
    # Someone else's organisation cannot be registered.
    with pytest.raises(Invalid):
        service.register(
            db,
            world.viewer("meals"),
            session.id,
            RegistrationForm(organisation_id=civic, team="C", available=[0], max_meetings=2),
        )
    assert factories.count(db, SessionParticipant) == before


def test_a_second_team_of_a_company_registers_under_its_own_name(world: World) -> None:
    team = world.register("civic", team="Housing team", max_meetings=2)
    assert team.name == "Civic Voice Ltd (Housing team)"


def test_registration_closes(world: World) -> None:
    world.session.registration_closes_at = world.session.registration_closes_at - timedelta(days=30)
    vcse_founder = factories.user(world.db)
    vcse = factories.supplier(world.db, vcse_founder, name="Community Link", kind=OrganisationKind.VCSE)
    with pytest.raises(Conflict):
        service.register(
            world.db,
            factories.viewer(world.db, vcse_founder),
            world.session.id,
            RegistrationForm(organisation_id=vcse.id, available=[0], max_meetings=1),
        )


def _register_fillers(world: World, count: int) -> None:
    for n in range(count):
        person = factories.user(world.db)
        organisation = factories.supplier(world.db, person, name=f"Filler {n}")
        service.register(
            world.db,
            factories.viewer(world.db, person),
            world.session.id,
            RegistrationForm(organisation_id=organisation.id, available=[0], max_meetings=1),
        )


def _register_late(world: World) -> SessionParticipant:
    late = factories.user(world.db)
    organisation = factories.supplier(world.db, late, name="Too Late Ltd")
    return service.register(
        world.db,
        factories.viewer(world.db, late),
        world.session.id,
        RegistrationForm(organisation_id=organisation.id, available=[0], max_meetings=1),
    )


def test_with_payments_on_a_full_session_says_so_and_which_plan_takes_more(world: World, settings: Settings) -> None:
    from exchange.payments import entitlements

    settings.stripe_secret_key = "sk_test_sessions"
    limit = entitlements.participant_limit(world.db, world.organising_council.id)
    assert limit == 40
    _register_fillers(world, limit - len(service.participants(world.db, world.session.id)))
    with pytest.raises(Conflict) as raised:
        _register_late(world)
    assert f"takes {limit} participants" in raised.value.message
    assert "Council Supporter lets its officers run sessions with more participants" in raised.value.message
    assert len(service.participants(world.db, world.session.id)) == limit


def test_with_payments_off_sessions_have_no_cap_and_nobody_is_told_to_buy_a_plan(world: World) -> None:
    from exchange.payments import entitlements

    assert entitlements.participant_limit(world.db, world.organising_council.id) is None
    _register_fillers(world, 40 - len(service.participants(world.db, world.session.id)))
    forty_first = _register_late(world)
    assert forty_first.id and len(service.participants(world.db, world.session.id)) == 41


def test_preferences_are_saved_and_only_about_the_other_side(world: World) -> None:
    db, p = world.db, world.participants
    preferences.save(
        db,
        world.viewer("civic"),
        world.session.id,
        p["civic"].id,
        {p["pendle"].id: WishLevel.MUST, p["burnley"].id: WishLevel.NO},
    )
    assert preferences.wishes_of(db, p["civic"].id) == {p["pendle"].id: WishLevel.MUST, p["burnley"].id: WishLevel.NO}
    preferences.save(db, world.viewer("civic"), world.session.id, p["civic"].id, {p["burnley"].id: None})
    assert preferences.wishes_of(db, p["civic"].id) == {p["pendle"].id: WishLevel.MUST}
    before = factories.count(db, SessionPreference)
    with pytest.raises(Invalid):
        preferences.save(db, world.viewer("civic"), world.session.id, p["civic"].id, {p["meals"].id: WishLevel.LIKE})
    assert factories.count(db, SessionPreference) == before
    # Another organisation's participant is not yours to speak for.
    with pytest.raises(NotFound):
        preferences.save(db, world.viewer("meals"), world.session.id, p["civic"].id, {p["pendle"].id: WishLevel.NO})


def test_preferences_close(world: World) -> None:
    world.session.preferences_close_at = world.session.preferences_close_at - timedelta(days=60)
    with pytest.raises(Conflict):
        preferences.save(world.db, world.viewer("civic"), world.session.id, world.participants["civic"].id, {})


def test_suggestions_come_from_the_councils_needs(world: World) -> None:
    found = preferences.suggestions(world.db, world.session.id)
    pair = (world.participants["pendle"].id, world.participants["civic"].id)
    assert pair in found
    need = world.db.get(Need, found[pair].need_id)
    assert need is not None and need.title == "Online budget consultation for residents"
    assert need.title not in found[pair].detail
    best_for_pendle = max((s.score, b) for (a, b), s in found.items() if a == world.participants["pendle"].id)
    assert best_for_pendle[1] == world.participants["civic"].id


def test_status_changes_are_guarded_and_audited(world: World) -> None:
    with pytest.raises(Conflict, match="Generate the schedule"):
        service.change_status(world.db, world.viewer("burnley"), world.session.id, SessionStatus.PROVISIONAL)
    with pytest.raises(NotFound):
        service.change_status(world.db, world.viewer("civic"), world.session.id, SessionStatus.CANCELLED)
    service.change_status(world.db, world.viewer("burnley"), world.session.id, SessionStatus.CANCELLED)
    with pytest.raises(Conflict):
        service.change_status(world.db, world.viewer("burnley"), world.session.id, SessionStatus.OPEN)
    assert [e.action for e in factories.audit_events(world.db, "session", world.session.id)].count(
        "session.status_changed"
    ) == 2


def test_withdrawing_cancels_the_meetings(world: World) -> None:
    from exchange.sessions import planner

    planner.generate(world.db, world.viewer("burnley"), world.session.id, seconds=0.5)
    service.withdraw(world.db, world.viewer("civic"), world.session.id, world.participants["civic"].id)
    live = planner.live_meetings(world.db, world.session.id)
    assert all(world.participants["civic"].id not in (m.council_id, m.supplier_id) for m in live)
    assert world.participants["civic"].id not in {p.id for p in service.participants(world.db, world.session.id)}
    assert world.db.scalar(
        select(SessionParticipant).where(SessionParticipant.id == world.participants["civic"].id)
    ).withdrawn_at
