"""An officer opens a need's Matches tab, reads why each supplier matches and shortlists one in place (HTMX,
no reload); a supplier reads its opportunities and chooses its emails. axe-core on every page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import ConsoleLog, assert_accessible, screenshot
from tests.browser.test_supplier_profile_journey import sign_in

MEALS_NEED = "Meals at home for older and disabled residents"


@pytest.mark.browser
def test_an_officer_shortlists_a_match_from_the_matches_tab(page: Page, console: ConsoleLog) -> None:
    sign_in(page, "officer@burnley.example.gov.uk")
    page.get_by_role("link", name=MEALS_NEED).first.click()
    expect(page.get_by_role("navigation", name="This need")).to_be_visible()
    page.get_by_role("navigation", name="This need").get_by_role("link", name="Matches").click()
    expect(page).to_have_url(re.compile(r"/needs/\d+/matches$"))
    first = page.locator(".exchange-match").first
    expect(first.locator(".exchange-score__figure")).to_contain_text("% match")
    expect(first.locator(".exchange-match__reasons")).to_contain_text("Has worked for Burnley Borough Council before")
    supplier = first.locator(".govuk-summary-card__title").inner_text()
    screenshot(page, "matches-tab")
    assert_accessible(page)

    # Shortlist it in place: the page stays, the button turns into its new state.
    page.evaluate("window.__notReloaded = true")
    with page.expect_response(lambda r: r.url.endswith("/shortlist") and r.request.method == "POST"):
        first.get_by_role("button", name=re.compile(r"^Add .* to shortlist$")).click()
    expect(first.get_by_role("status")).to_have_text("Shortlisted")
    assert page.evaluate("window.__notReloaded") is True
    screenshot(page, "matches-tab-shortlisted")
    assert_accessible(page)

    page.get_by_role("navigation", name="This need").get_by_role("link", name="Shortlist").click()
    expect(page.locator(".govuk-summary-card__title")).to_contain_text([supplier])
    screenshot(page, "shortlist-tab")
    assert_accessible(page)

    # Take it off again, so other tests see the demo data as loaded.
    page.get_by_role("button", name=re.compile(r"^Remove .* from shortlist$")).first.click()
    expect(page.get_by_text("Nobody is on the shortlist yet")).to_be_visible()


@pytest.mark.browser
def test_a_supplier_reads_its_opportunities_and_chooses_its_emails(page: Page, console: ConsoleLog) -> None:
    sign_in(page, "founder@civicvoice.example")
    expect(page.get_by_role("heading", name="Opportunities for you")).to_be_visible()
    page.get_by_role("link", name="See all your opportunities").click()
    expect(page.locator(".exchange-result").first).to_contain_text("% match")
    screenshot(page, "opportunities")
    assert_accessible(page)

    page.get_by_role("link", name="choose your email settings").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Email settings")
    assert_accessible(page)
    page.get_by_label("New opportunities (weekly)").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_label("New opportunities (weekly)")).to_be_checked()
    page.get_by_label("New opportunities (weekly)").uncheck()
    page.get_by_role("button", name="Save").click()

    page.get_by_role("link", name="Notifications").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Notifications")
    screenshot(page, "notifications")
    assert_accessible(page)
