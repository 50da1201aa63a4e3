"""After the session in real Chromium, axe-core on each page and each page at phone width: a supplier rates its
meeting from its agenda; the organiser opens the report, reads the feedback in aggregate and downloads the
meetings as a CSV file."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from exchange.sessions import agenda, day, planner, preferences, service
from exchange.sessions.models import SessionStatus, WishLevel
from exchange.sessions.schemas import RegistrationForm, SessionForm
from exchange.sessions.slots import today_in_london
from tests.browser.conftest import ConsoleLog, LiveServer, assert_accessible, screenshot
from tests.browser.test_session_day_journey import DESKTOP, PHONE, _uk, _viewer
from tests.browser.test_supplier_profile_journey import sign_in

TITLE = "Yesterday's matchmaking"
ORGANISER = "officer@burnley.example.gov.uk"
SUPPLIER = "founder@civicvoice.example"
PEOPLE = {"BUN": ORGANISER, "LDS": "officer@leeds.example.gov.uk", "civic": SUPPLIER}
NOTE = "Leeds knew exactly what they wanted: a useful twenty minutes."


@pytest.fixture
def held_yesterday(live_server: LiveServer) -> Iterator[int]:
    """Leeds met Civic Voice yesterday at a session Burnley ran; both checked in."""
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
                "meetings": "2",
                "tables": "1",
                "max_meetings": "2",
                "open_to": ["council", "supplier", "vcse", "public_body"],
                "registration_closes_on": _uk(5),
                "preferences_close_on": _uk(10),
            }
        )
        session = service.create(db, organiser, burnley, form)
        service.change_status(db, organiser, session.id, SessionStatus.OPEN)
        ids = {}
        for key, (viewer, organisation) in viewers.items():
            registration = RegistrationForm(organisation_id=organisation, available=[0, 1], max_meetings=2)
            ids[key] = service.register(db, viewer, session.id, registration).id
        preferences.save(db, viewers["LDS"][0], session.id, ids["LDS"], {ids["civic"]: WishLevel.MUST})
        meetings = [{"a": f"p{ids['LDS']}", "b": f"p{ids['civic']}", "slot": session.slot_labels[0], "table": 1}]
        planner.import_schedule(db, organiser, session.id, {"meetings": meetings})
        agenda.change_status(db, organiser, session.id, SessionStatus.FINAL)
        session.held_on = today_in_london() - timedelta(days=1)
        for key in ("LDS", "civic"):
            day.set_checked_in(db, organiser, session.id, ids[key], True)
        session_id = session.id
    yield session_id


def _fits_a_phone(page: Page, shot: str) -> None:
    page.set_viewport_size(PHONE)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], page.url
    screenshot(page, f"{shot}-390")
    page.set_viewport_size(DESKTOP)


@pytest.mark.browser
def test_a_supplier_rates_its_meeting_and_the_organiser_reads_the_report_and_downloads_it(
    page: Page, live_server: LiveServer, held_yesterday: int, console: ConsoleLog
) -> None:
    base = f"/sessions/{held_yesterday}"
    sign_in(page, SUPPLIER)
    page.goto(f"{base}/agenda")
    page.get_by_role("link", name="Give feedback on the meeting with").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Feedback on your meeting with")
    page.get_by_role("button", name="Send feedback").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Choose how useful the meeting was")
    assert_accessible(page)
    page.get_by_label("Very useful", exact=True).check()
    page.get_by_label("Anything the organisers should know (optional)").fill(NOTE)
    _fits_a_phone(page, "session-feedback")
    page.get_by_role("button", name="Send feedback").click()
    expect(page.locator("body")).to_contain_text("your feedback on the meeting with")
    expect(page.get_by_role("link", name="Change your feedback on the meeting with")).to_be_visible()

    page.context.clear_cookies()
    sign_in(page, ORGANISER)
    page.goto(f"{base}/report")
    expect(page.locator("#report-average")).to_contain_text("5.0 out of 5")
    expect(page.locator("#report-notes")).to_contain_text(NOTE)
    expect(page.locator("#report-meetings")).to_contain_text("Held")
    assert_accessible(page)
    _fits_a_phone(page, "session-report")
    screenshot(page, "session-report-1280")
    with page.expect_download() as waiting:
        page.get_by_role("link", name="Meetings (CSV)").click()
    download = waiting.value
    assert download.suggested_filename == f"session-{held_yesterday}-meetings.csv"
    text = download.path().read_text(encoding="utf-8-sig")
    # Leeds gave no rating; Civic Voice's 5 is the organiser's to read (Burnley sat at no meeting).
    assert text.splitlines()[1].endswith(",Held,,5") and "CivicVoice" in text
    console.assert_clean()
