"""A new supplier signs up, confirms their email, pitches an idea and finds it with live search.

The acceptance test of the supplier journey, in real Chromium, with axe-core on every page visited.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import BrowserContext, Page, Response, expect
from sqlalchemy import func, select

from exchange.listings.models import Pitch
from exchange.organisations.models import Organisation
from tests.browser.conftest import ConsoleLog, LiveServer, assert_accessible, screenshot

NAME = "Priya Quillfeather"
EMAIL = "priya@quillfeather-labs.example"
PASSWORD = "kettle orchard lantern ribbon"
ORGANISATION = "Quillfeather Labs"
# A made-up word nothing in the demo data contains; the search types only its first letters.
WORD = "Zephyrglass"
TITLE = f"{WORD} noticeboards for library consultations"
PREFIX = WORD[:6].lower()


def is_htmx_search(response: Response) -> bool:
    return "/search?" in response.url and response.request.headers.get("hx-request") == "true"


def pitches_of(live_server: LiveServer, organisation_name: str) -> int:
    with live_server.database.session(write=False) as db:
        return (
            db.scalar(
                select(func.count())
                .select_from(Pitch)
                .join(Organisation, Pitch.organisation_id == Organisation.id)
                .where(Organisation.name == organisation_name)
            )
            or 0
        )


@pytest.mark.browser
def test_new_supplier_pitches_an_idea_and_finds_it_with_live_search(
    page: Page, console: ConsoleLog, live_server: LiveServer, new_context: Callable[..., BrowserContext]
) -> None:
    # Sign up as a supplier.
    page.goto("/")
    page.get_by_role("link", name="Create an account").click()
    expect(page).to_have_url(re.compile(r"/account/sign-up$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Create an account")
    screenshot(page, "journey-01-sign-up")
    assert_accessible(page)

    page.get_by_label("Your name").fill(NAME)
    page.get_by_label("Email address").fill(EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("A supplier, social enterprise, charity or community group").check()
    page.get_by_label("Your organisation's name").fill(ORGANISATION)
    expect(page.get_by_label("A business or freelancer")).to_be_checked()
    screenshot(page, "journey-02-sign-up-filled")
    assert_accessible(page)  # with the conditional organisation fields revealed
    page.get_by_role("button", name="Create account").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    expect(page.get_by_text(f"We have sent an email to {EMAIL}")).to_be_visible()
    screenshot(page, "journey-03-check-email")
    assert_accessible(page)

    # Open the link in the confirmation email: signed in, on the dashboard.
    assert live_server.latest_email(EMAIL).subject == "Confirm your email address"
    page.goto(live_server.link_in_latest_email(EMAIL, "/account/verify-email/"))
    expect(page).to_have_url(re.compile(r"/dashboard$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Hello, {NAME}")
    expect(page.get_by_text("Your email address is confirmed.")).to_be_visible()
    expect(page.get_by_role("link", name=ORGANISATION)).to_be_visible()
    screenshot(page, "journey-04-dashboard")
    assert_accessible(page)

    # The pitch form: first without a title, which changes nothing.
    page.get_by_role("link", name="Pitch an idea").click()
    expect(page).to_have_url(re.compile(r"/pitches/new$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Publish a pitch")
    expect(page.get_by_text(f"Published by {ORGANISATION}.")).to_be_visible()
    screenshot(page, "journey-05-pitch-form")
    assert_accessible(page)

    summary = "Weatherproof e-ink noticeboards that let residents answer library consultations in person."
    page.get_by_label("Summary").fill(summary)
    page.get_by_label("Description").fill(
        "Boards in libraries show a consultation question and collect answers.\n\n"
        "Piloted with two branch libraries; runs on a mains plug and a SIM card."
    )
    page.get_by_label("Category").select_option(label="Libraries")
    page.get_by_label("Region").select_option(label="North West")
    page.get_by_label("Tags").fill("consultation, libraries, engagement")
    page.get_by_role("button", name="Publish").click()

    error_summary = page.locator(".govuk-error-summary")
    expect(error_summary).to_be_visible()
    expect(error_summary).to_contain_text("There is a problem")
    expect(error_summary.get_by_role("link")).to_have_count(1)
    expect(error_summary).to_be_focused()  # GOV.UK Frontend moves focus to the summary
    expect(page).to_have_title(re.compile(r"^Error: "))
    expect(page.locator("#title-error")).to_be_visible()
    expect(page.get_by_label("Summary")).to_have_value(summary)  # what was typed is kept
    expect(page.get_by_label("Region")).to_have_value(re.compile(r"\d+"))
    assert pitches_of(live_server, ORGANISATION) == 0
    screenshot(page, "journey-06-pitch-form-error")
    assert_accessible(page)

    error_summary.get_by_role("link").click()
    expect(page.get_by_label("Title")).to_be_focused()
    page.get_by_label("Title").fill(TITLE)
    page.get_by_role("button", name="Publish").click()

    # The pitch page.
    expect(page).to_have_url(re.compile(r"/pitches/\d+$"))
    pitch_path = urlsplit(page.url).path
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.get_by_text("Your pitch is published.")).to_be_visible()
    expect(page.get_by_text(summary)).to_be_visible()
    expect(page.locator(".govuk-summary-list")).to_contain_text("Libraries")
    expect(page.locator(".govuk-summary-list")).to_contain_text("North West")
    expect(page.locator(".govuk-summary-list")).to_contain_text("consultation, libraries, engagement")
    assert pitches_of(live_server, ORGANISATION) == 1
    screenshot(page, "journey-07-pitch")
    assert_accessible(page)

    # Live search: typing part of the word brings the pitch in without reloading the page.
    page.get_by_role("link", name="Search", exact=True).click()
    expect(page).to_have_url(re.compile(r"/search$"))
    page.evaluate("window.stillTheSamePage = true")
    with page.expect_response(is_htmx_search) as htmx_response:
        page.get_by_label("Search by words").press_sequentially(PREFIX, delay=30)
    assert htmx_response.value.ok
    result = page.locator("#results").get_by_role("link", name=TITLE)
    expect(result).to_be_visible()
    expect(result).to_have_attribute("href", pitch_path)
    expect(page).to_have_url(re.compile(rf"/search\?q={PREFIX}(&|$)"))  # hx-push-url
    expect(page.locator(".exchange-results-summary")).to_contain_text(f"for “{PREFIX}”")
    assert page.evaluate("window.stillTheSamePage") is True, "the search reloaded the page"
    search_url = page.url
    assert parse_qs(urlsplit(search_url).query)["q"] == [PREFIX]
    screenshot(page, "journey-08-search-results")
    assert_accessible(page)

    # The same address with JavaScript off: the server renders the same result.
    no_script: BrowserContext = new_context(java_script_enabled=False)
    plain = no_script.new_page()
    response = plain.goto(search_url)
    assert response is not None and response.ok
    assert response.headers.get("vary", "").lower().count("hx-request") == 1
    plain_result = plain.locator("#results").get_by_role("link", name=TITLE)
    expect(plain_result).to_be_visible()
    expect(plain_result).to_have_attribute("href", pitch_path)
    expect(plain.get_by_label("Search by words")).to_have_value(PREFIX)
    screenshot(plain, "journey-09-search-results-no-javascript")

    # And from the results, the pitch itself.
    result.click()
    expect(page).to_have_url(re.compile(rf"{re.escape(pitch_path)}$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
