"""The session day in real Chromium, axe-core on each page and each page at phone width: the organiser moves the
date of a published session and sees who will be told before everyone is; a supplier cancels a meeting and the
organiser fills its table without touching any other meeting; the organiser checks a participant in by opening the
QR code's address, and prints every agenda at once."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from exchange.accounts.models import User
from exchange.core.viewer import Viewer
from exchange.notifications.models import Notification
from exchange.organisations.models import Member, Organisation
from exchange.sessions import agenda, check_in_codes, planner, preferences, service
from exchange.sessions.models import SessionMeeting, SessionParticipant, SessionStatus, WishLevel
from exchange.sessions.schemas import RegistrationForm, SessionForm
from exchange.sessions.slots import today_in_london
from tests.browser.conftest import ConsoleLog, LiveServer, assert_accessible, screenshot
from tests.browser.test_supplier_profile_journey import sign_in

TITLE = "Day-of changes matchmaking"
ORGANISER = "officer@burnley.example.gov.uk"
PEOPLE = {
    "BUN": ORGANISER,
    "LDS": "officer@leeds.example.gov.uk",
    "civic": "founder@civicvoice.example",
    "meals": "coordinator@mealsonwheels.example",
    "fixline": "ben@fixline.example",
}
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def _uk(days: int) -> str:
    return (today_in_london() + timedelta(days=days)).strftime("%-d/%-m/%Y")


def _viewer(db: object, email: str) -> tuple[Viewer, int]:
    from tests import factories

    user = db.scalars(select(User).where(User.email == email)).one()  # type: ignore[attr-defined]
    organisation = db.scalars(  # type: ignore[attr-defined]
        select(Member.organisation_id).where(Member.user_id == user.id).order_by(Member.id)
    ).first()
    return factories.viewer(db, user), organisation  # type: ignore[arg-type]


@pytest.fixture
def published(live_server: LiveServer) -> Iterator[int]:
    """A final agenda: Burnley meets Civic Voice then Pennine Meals, Leeds meets Pennine Meals then Fixline; everyone
    would like to meet everyone, Burnley must meet Fixline."""
    with live_server.transaction() as db:
        viewers = {key: _viewer(db, email) for key, email in PEOPLE.items()}
        organiser, burnley = viewers["BUN"]
        form = SessionForm.model_validate(
            {
                "title": TITLE,
                "venue": "Burnley Town Hall",
                "held_on": _uk(18),
                "starts_at": "9:30",
                "meeting_minutes": "20",
                "gap_minutes": "5",
                "meetings": "4",
                "tables": "2",
                "max_meetings": "3",
                "open_to": ["council", "supplier", "vcse", "public_body"],
                "registration_closes_on": _uk(5),
                "preferences_close_on": _uk(10),
            }
        )
        session = service.create(db, organiser, burnley, form)
        service.change_status(db, organiser, session.id, SessionStatus.OPEN)
        ids = {}
        for key, (viewer, organisation) in viewers.items():
            registration = RegistrationForm(organisation_id=organisation, available=[0, 1, 2, 3], max_meetings=3)
            ids[key] = service.register(db, viewer, session.id, registration).id
        for council in ("BUN", "LDS"):
            for supplier in ("civic", "meals", "fixline"):
                level = WishLevel.MUST if (council, supplier) == ("BUN", "fixline") else WishLevel.LIKE
                preferences.save(db, viewers[council][0], session.id, ids[council], {ids[supplier]: level})
        labels = session.slot_labels
        plan = [("BUN", "civic", 0, 1), ("LDS", "meals", 0, 2), ("BUN", "meals", 1, 1), ("LDS", "fixline", 1, 2)]
        meetings = [{"a": f"p{ids[a]}", "b": f"p{ids[b]}", "slot": labels[s], "table": t} for a, b, s, t in plan]
        planner.import_schedule(db, organiser, session.id, {"meetings": meetings})
        agenda.change_status(db, organiser, session.id, SessionStatus.FINAL)
        session_id = session.id
    yield session_id


def _at_phone_width(page: Page, shot: str) -> None:
    page.set_viewport_size(PHONE)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], page.url
    screenshot(page, f"{shot}-390")
    page.set_viewport_size(DESKTOP)


def _fill_date(page: Page, value: str) -> None:
    """The session's date, as day, month and year (the GOV.UK date input)."""
    day, month, year = value.split("/")
    dates = page.get_by_role("group", name="Date of the session")
    dates.get_by_label("Day").fill(day)
    dates.get_by_label("Month").fill(month)
    dates.get_by_label("Year").fill(year)


@pytest.mark.browser
def test_the_organiser_changes_the_day_fills_a_gap_and_checks_in_by_qr_code(
    page: Page, browser: Browser, live_server: LiveServer, published: int, console: ConsoleLog
) -> None:
    base = f"/sessions/{published}"
    sign_in(page, ORGANISER)
    page.goto(f"{base}/edit")
    _fill_date(page, _uk(30))
    page.get_by_role("button", name=re.compile("^Save")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check the changes before saving")
    expect(page.get_by_text("Fixline Housing Software Ltd", exact=False).first).to_be_visible()
    assert_accessible(page)
    _at_phone_width(page, "session-change-preview")
    page.get_by_role("button", name="Save and tell everyone").click()
    expect(page.get_by_text("people taking part are told what changed")).to_be_visible()
    new_day = f"{today_in_london() + timedelta(days=30):%-d %B %Y}"
    for email in PEOPLE.values():
        if email != ORGANISER:
            assert "has changed: now" in live_server.latest_email(email).subject, email
    with live_server.database.session(write=False) as db:
        body = db.scalars(
            select(Notification.body)
            .join(User, User.id == Notification.user_id)
            .where(User.email == PEOPLE["civic"])
            .order_by(Notification.id.desc())
        ).first()
    assert body is not None and new_day in body

    # Civic Voice calls off its meeting with Burnley in its own browser.
    context = browser.new_context(base_url=live_server.url)
    supplier = context.new_page()
    sign_in(supplier, PEOPLE["civic"])
    supplier.goto(f"{base}/agenda")
    supplier.get_by_role("button", name=re.compile("^Cancel the meeting with Burnley")).click()
    supplier.get_by_role("button", name="Yes, cancel the meeting").click()
    expect(supplier.get_by_text("The meeting is cancelled")).to_be_visible()
    context.close()

    # The organiser fills the table it left: Burnley must meet Fixline, both free then. Nothing else moves.
    with live_server.database.session(write=False) as db:
        before = {(m.id, m.slot, m.table_number, m.locked) for m in planner.live_meetings(db, published)}
    page.goto(f"{base}/schedule")
    expect(page.get_by_text("Gap: a cancelled meeting")).to_be_visible()
    page.get_by_role("button", name=re.compile("^Fill this gap")).click()
    expect(page.get_by_text("1 gap filled. No other meeting changed.")).to_be_visible()
    assert_accessible(page)
    _at_phone_width(page, "session-gap-filled")
    with live_server.database.session(write=False) as db:
        now = planner.live_meetings(db, published)
        added = [m for m in now if m.id not in {row[0] for row in before}]
        assert before <= {(m.id, m.slot, m.table_number, m.locked) for m in now}
        assert [(m.council.name, m.supplier.name, m.slot, m.table_number) for m in added] == [
            ("Burnley Borough Council", "Fixline Housing Software Ltd", 0, 1)
        ]
        fixline = db.scalars(
            select(SessionParticipant)
            .join(Organisation, Organisation.id == SessionParticipant.organisation_id)
            .where(SessionParticipant.session_id == published, Organisation.name == "Fixline Housing Software Ltd")
        ).one()
        code = check_in_codes.path_for(fixline)
        assert db.scalars(select(SessionMeeting).where(SessionMeeting.cancelled_at.is_not(None))).first()

    # At the desk: the code on Fixline's agenda opens a page that checks it in.
    page.goto(f"{base}/agendas/print")
    expect(page.locator("section.exchange-printed-agenda")).to_have_count(len(PEOPLE))
    assert_accessible(page)
    _at_phone_width(page, "session-agendas-print")
    page.goto(code)
    expect(page.get_by_role("heading", level=1)).to_have_text("Fixline Housing Software Ltd is checked in")
    assert_accessible(page)
    _at_phone_width(page, "session-checked-in-by-code")
    page.get_by_role("link", name="Back to the check-in list").click()
    page.get_by_label("Find a participant").fill("fixline")
    page.get_by_role("button", name="Search").click()
    row = page.locator("tr", has_text="Fixline Housing Software Ltd")
    expect(row.get_by_text("Here", exact=True)).to_be_visible()
    assert_accessible(page)
    _at_phone_width(page, "session-check-in-search")
    console.assert_clean()
