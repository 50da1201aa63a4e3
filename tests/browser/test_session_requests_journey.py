"""What participants expect from a matchmaking platform, from the pages in real Chromium with axe-core: the
organiser asks a registration question and names a table, a supplier registers answering it (after being told
what it missed), asks the council for a meeting, the council accepts in place (HTMX, focus kept), and the
schedule gives the pair their meeting, at the named table."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import ConsoleLog, assert_accessible, fill_date, screenshot
from tests.browser.test_supplier_profile_journey import sign_in

TITLE = "Leeds retrofit meet the buyer"


def _today() -> date:
    return datetime.now(ZoneInfo("Europe/London")).date()


def _answer(page: Page, answer: str) -> None:
    page.get_by_role("group", name="Bringing a demo?").get_by_label(answer, exact=True).check()


@pytest.mark.browser
def test_a_requested_meeting_is_accepted_and_scheduled(
    page: Page, browser: Browser, base_url: str, console: ConsoleLog
) -> None:
    sign_in(page, "officer@leeds.example.gov.uk")
    page.goto("/sessions/new")
    page.get_by_label("Organised by").select_option(label="Leeds City Council")
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("Venue").fill("Leeds Civic Hall")
    fill_date(page, "Date of the session", _today() + timedelta(days=7))
    page.get_by_label("Number of tables or rooms").fill("2")
    fill_date(page, "Registration closes on", _today() + timedelta(days=7))
    fill_date(page, "Preferences close on", _today() + timedelta(days=7))
    page.get_by_label("Number of meeting slots").fill("4")
    page.get_by_label("Most meetings one participant may have").fill("2")
    page.get_by_role("button", name="Create the session").click()
    page.get_by_role("button", name="Open registration").click()
    session_path = re.sub(r"^https?://[^/]+", "", page.url)

    # The organiser's set-up: a required yes-or-no question, and a name for table 1.
    page.get_by_role("link", name="Registration questions, approval and tables").click()
    page.get_by_label("Question", exact=True).fill("Bringing a demo?")
    page.get_by_label("Yes or no").check()
    page.get_by_label("Yes, an answer is required").check()
    page.get_by_role("button", name="Add the question").click()
    expect(page.get_by_text("The question is added")).to_be_visible()
    page.get_by_label("Names of the 2 tables").fill("Room A, table 1")
    page.get_by_role("button", name="Save the names").click()
    expect(page.get_by_text("The table names are saved")).to_be_visible()
    assert_accessible(page)

    page.goto(session_path + "/register")
    page.get_by_label("Register as").select_option(label="Leeds City Council")
    _answer(page, "No")
    page.get_by_role("button", name="Register").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Leeds City Council")
    leeds_preferences = page.url

    # Fixline registers in its own browser: the question missed is named, then answered.
    supplier = browser.new_context(base_url=base_url)
    other = supplier.new_page()
    sign_in(other, "ben@fixline.example")
    other.goto(session_path + "/register")
    other.get_by_label("Register as").select_option(index=1)
    other.get_by_role("button", name="Register").click()
    expect(other.locator(".govuk-error-summary")).to_contain_text("Choose an answer to “Bringing a demo?”")
    assert_accessible(other)
    _answer(other, "Yes")
    other.get_by_role("button", name="Register").click()
    expect(other.get_by_role("heading", level=1)).to_contain_text("wants to meet")
    other.get_by_label("Ask for a meeting with").select_option(label="Leeds City Council")
    other.get_by_label("Message (optional)").fill("We would like to show our repairs scheduling tool.")
    other.get_by_role("button", name="Send the request").click()
    expect(other.get_by_text("Your request is sent")).to_be_visible()
    expect(other.get_by_role("table", name="Your requests")).to_contain_text("Waiting for an answer")
    supplier.close()

    # Leeds accepts on its preferences page, in place; focus stays on the answer.
    page.goto(leeds_preferences)
    requests = page.get_by_role("table", name="Asked of you")
    expect(requests).to_contain_text("repairs scheduling tool")
    page.evaluate("window.__notReloaded = true")
    requests.get_by_role("button", name=re.compile("^Accept")).click()
    expect(requests.get_by_text("Accepted")).to_be_focused()
    assert page.evaluate("window.__notReloaded") is True
    assert_accessible(page)
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "session-meeting-requests")
    page.set_viewport_size({"width": 1280, "height": 900})

    page.goto(session_path + "/schedule")
    page.get_by_role("button", name="Generate the schedule").click()
    timetable = page.get_by_role("table", name="Timetable")
    expect(timetable).to_contain_text("Fixline Housing Software Ltd")
    expect(timetable).to_contain_text("Both must meet")
    expect(timetable).to_contain_text("Room A, table 1")
    console.assert_clean()
