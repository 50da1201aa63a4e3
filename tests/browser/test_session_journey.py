"""A whole matchmaking session from the pages, in real Chromium with axe-core on each: an organiser creates a
session and opens it, a supplier and a VCSE register and say whom to meet, the organiser generates the schedule,
locks a meeting in place, regenerates around it and publishes the agenda, a supplier downloads its calendar file
and records a follow-up, the organiser reads the outcome, then removes a participant and cancels the session, each
after a page saying who is affected."""

from __future__ import annotations

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import ConsoleLog, assert_accessible, fill_date, screenshot
from tests.browser.test_supplier_profile_journey import sign_in

TITLE = "Leeds housing repairs matchmaking"


def _today() -> date:
    return datetime.now(ZoneInfo("Europe/London")).date()


def _register(browser: Browser, base_url: str, session_path: str, email: str, wish: str | None) -> None:
    context = browser.new_context(base_url=base_url)
    page = context.new_page()
    sign_in(page, email)
    page.goto(session_path)
    page.get_by_role("link", name="Register", exact=True).click()
    assert_accessible(page)
    page.get_by_label("Register as").select_option(index=1)
    page.get_by_label("Who will attend").fill("Two of our team")
    page.get_by_role("button", name="Register").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("wants to meet")
    if wish:
        page.get_by_label("Your preference about Leeds City Council").select_option(label=wish)
        page.get_by_role("button", name="Save preferences").click()
        expect(page.get_by_text("Your preferences are saved")).to_be_visible()
    screenshot(page, "session-preferences")
    assert_accessible(page)
    context.close()


@pytest.mark.browser
def test_an_organiser_runs_a_session_from_the_pages(
    page: Page, browser: Browser, base_url: str, console: ConsoleLog
) -> None:
    sign_in(page, "officer@leeds.example.gov.uk")
    page.get_by_role("link", name="Sessions", exact=True).first.click()
    page.get_by_role("link", name="Create a session").click()
    assert_accessible(page)
    page.get_by_label("Organised by").select_option(label="Leeds City Council")
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("Venue").fill("Leeds Civic Hall")
    fill_date(page, "Date of the session", _today())
    page.get_by_label("Number of tables or rooms").fill("2")
    fill_date(page, "Registration closes on", _today())
    fill_date(page, "Preferences close on", _today())
    # A mistake first: the form says what is wrong and keeps the answers.
    page.get_by_label("Number of meeting slots").fill("30")
    page.get_by_role("button", name="Create the session").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("24 or less")
    assert_accessible(page)
    page.get_by_label("Number of meeting slots").fill("6")
    page.get_by_label("Most meetings one participant may have").fill("4")
    page.get_by_role("button", name="Create the session").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    page.get_by_role("button", name="Open registration").click()
    expect(page.get_by_text("Open for registration").first).to_be_visible()
    session_path = re.sub(r"^https?://[^/]+", "", page.url)

    # Leeds takes part itself; Fixline and Common Ground register in their own browsers.
    page.get_by_role("link", name="Register", exact=True).click()
    page.get_by_label("Register as").select_option(label="Leeds City Council")
    page.get_by_role("button", name="Register").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Leeds City Council")
    _register(browser, base_url, session_path, "ben@fixline.example", "Must meet")
    _register(browser, base_url, session_path, "fiona@commongroundlinks.example", None)

    page.goto(session_path)
    assert_accessible(page)
    page.get_by_role("navigation", name="This session").get_by_role("link", name="Schedule").click()
    page.get_by_role("button", name="Generate the schedule").click()
    expect(
        page.get_by_text("Both must meet").or_(page.get_by_text("Fixline Housing Software Ltd: must meet")).first
    ).to_be_visible()
    expect(page.get_by_role("table", name="Timetable")).to_contain_text("Fixline Housing Software Ltd")
    screenshot(page, "session-timetable")
    assert_accessible(page)

    # Lock a meeting in place (HTMX: no reload), then regenerate around it.
    page.evaluate("window.__notReloaded = true")
    meeting = page.locator(".exchange-meeting").first
    with page.expect_response(lambda r: r.url.endswith("/lock") and r.request.method == "POST"):
        meeting.get_by_role("button", name=re.compile(r"^Lock")).click()
    expect(page.locator(".exchange-meeting--locked")).to_have_count(1)
    assert page.evaluate("window.__notReloaded") is True
    locked_text = page.locator(".exchange-meeting--locked").first.inner_text()
    page.get_by_role("button", name="Regenerate around the locked meetings").click()
    expect(page.locator(".exchange-meeting--locked")).to_have_count(1)
    assert page.locator(".exchange-meeting--locked").first.inner_text().split("\n")[0] == locked_text.split("\n")[0]

    page.get_by_role("navigation", name="This session").get_by_role("link", name="Session").click()
    page.get_by_role("button", name="Publish the final agenda").click()
    expect(page.get_by_text("Final agenda published").first).to_be_visible()

    # Fixline reads its agenda, adds it to its calendar and records what happens next.
    supplier = browser.new_context(base_url=base_url)
    other = supplier.new_page()
    sign_in(other, "ben@fixline.example")
    other.goto(session_path + "/agenda")
    expect(other.get_by_text("This is the final agenda")).to_be_visible()
    assert_accessible(other)
    with other.expect_download() as download:
        other.get_by_role("link", name=re.compile("to your calendar")).click()
    calendar = download.value.path().read_text()
    assert calendar.startswith("BEGIN:VCALENDAR") and "Leeds City Council" in calendar
    other.get_by_label("What happens next with Leeds City Council").select_option(label="Send a proposal")
    other.get_by_role("button", name=re.compile("^Record")).first.click()
    expect(other.get_by_text("Follow-up recorded: send a proposal.")).to_be_visible()
    screenshot(other, "session-agenda")
    supplier.close()

    page.get_by_role("navigation", name="This session").get_by_role("link", name="Outcomes").click()
    expect(page.get_by_role("table", name="Follow-ups by kind")).to_contain_text("Send a proposal")
    expect(page.get_by_role("table", name="Each meeting")).to_contain_text("Send a proposal")
    assert_accessible(page)
    page.get_by_role("navigation", name="This session").get_by_role("link", name="Check-in").click()
    page.get_by_role("button", name="Check in Fixline Housing Software Ltd").click()
    row = page.locator("tr", has_text="Fixline Housing Software Ltd")
    expect(row.get_by_text("Here", exact=True)).to_be_visible()
    expect(row.get_by_role("button", name=re.compile("^Undo check-in"))).to_be_visible()
    assert_accessible(page)

    # Removing a participant and cancelling the session each ask first, naming who is affected (on a phone too).
    page.get_by_role("navigation", name="This session").get_by_role("link", name="Session").click()
    page.get_by_role("link", name="Remove Common Ground Links CIC").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Remove Common Ground Links CIC")
    assert_accessible(page)
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_role("button", name="Yes, remove the participant").click()
    expect(page.get_by_text("Common Ground Links CIC is removed from the session")).to_be_visible()
    page.get_by_role("link", name="Cancel the session").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Cancel {TITLE}?")
    expect(page.get_by_text("Fixline Housing Software Ltd: registered")).to_be_visible()
    screenshot(page, "session-cancel-confirmation")
    assert_accessible(page)
    page.get_by_role("button", name="Yes, cancel the session").click()
    expect(page.get_by_text("The session is cancelled").first).to_be_visible()
    console.assert_clean()
