"""A council officer drafts a need, previews it as suppliers will see it, sets its dates with the GOV.UK date
input (a slip is refused on the right field, with what was typed kept), and publishes it; only then can a
supplier see it."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from tests.browser.conftest import ConsoleLog, LiveServer, assert_accessible, fill_date, screenshot
from tests.browser.test_supplier_profile_journey import sign_in

OFFICER = "officer@burnley.example.gov.uk"
SUPPLIER = "nikhil@routewise.example"
TITLE = "Warn tenants before damp turns to mould"


def day_field(page: Page, legend: str) -> Locator:
    return page.get_by_role("group", name=legend).get_by_label("Day")


def fits_the_phone(page: Page) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.set_viewport_size({"width": 1280, "height": 900})


@pytest.mark.browser
def test_a_council_drafts_previews_and_publishes_a_need(
    page: Page, console: ConsoleLog, live_server: LiveServer, browser: Browser
) -> None:
    sign_in(page, OFFICER)
    page.goto("/needs/new")
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("Summary").fill("Tenants tell us about damp only once mould has grown.")
    page.get_by_label("The problem").fill("We hear of damp months too late; by then the home needs major repairs.")
    page.get_by_label("Lowest budget").fill("£8,000")
    page.get_by_label("Highest budget").fill("20,000.00")
    page.get_by_role("button", name="Save and preview").click()

    expect(page).to_have_url(re.compile(r"/needs/\d+/preview$"))
    need_path = page.url.removeprefix(live_server.url).removesuffix("/preview")
    expect(page.get_by_role("heading", name="Check your need before you publish it")).to_be_visible()
    expect(page.get_by_text("£8,000 to £20,000")).to_be_visible()
    assert_accessible(page)
    fits_the_phone(page)
    screenshot(page, "need-draft-preview")

    # Not public yet: a supplier gets "Page not found".
    other = browser.new_page(base_url=live_server.url)
    sign_in(other, SUPPLIER)
    assert other.goto(need_path).status == 404  # type: ignore[union-attr]

    page.get_by_role("link", name="Change proposals close").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Requirements, criteria and dates")
    page.wait_for_load_state()  # the whole form is there before anything is typed into it
    today = date.today()
    fill_date(page, "Date proposals open", today + timedelta(days=1))
    fill_date(page, "Date proposals close", today + timedelta(days=30))
    fill_date(page, "Deadline for clarification questions", today + timedelta(days=40))
    for number, weight in ((1, "50"), (2, "30"), (3, "20")):
        page.locator(f"#criterion_{number}_weight").fill(weight)
    page.get_by_role("button", name="Save requirements, criteria and dates").click()

    # Questions closing after proposals: refused on that field, the dates as typed.
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("The deadline for questions must be before the date proposals close")
    expect(day_field(page, "Deadline for clarification questions")).to_have_value(str((today + timedelta(40)).day))
    summary.get_by_role("link").click()
    expect(day_field(page, "Deadline for clarification questions")).to_be_focused()
    assert_accessible(page)
    fits_the_phone(page)
    screenshot(page, "need-draft-dates-error")
    fill_date(page, "Deadline for clarification questions", today + timedelta(days=20))
    page.get_by_role("button", name="Save requirements, criteria and dates").click()

    expect(page).to_have_url(re.compile(r"/needs/\d+/preview$"))
    closes = today + timedelta(days=30)
    expect(page.locator(".exchange-need-preview")).to_contain_text(f"{closes.day} {closes:%B %Y}")
    page.get_by_role("button", name="Publish").click()

    expect(page).to_have_url(re.compile(r"/needs/\d+$"))
    expect(page.get_by_text("Your need is published.")).to_be_visible()
    assert other.goto(need_path).status == 200  # type: ignore[union-attr]
    expect(other.get_by_role("heading", name=TITLE)).to_be_visible()
    other.close()
    console.assert_clean()
