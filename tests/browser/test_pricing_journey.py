"""The pricing page in both modes (payments off, the default; payments on), checked with axe-core."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import ConsoleLog, LiveServer, assert_accessible, screenshot
from tests.browser.test_supplier_profile_journey import sign_in

SUPPLIER_ADMIN = "founder@civicvoice.example"


@pytest.fixture
def payments_on(live_server: LiveServer) -> Iterator[None]:
    """Payments on for this test only; the page itself makes no Stripe call, so no key has to be real."""
    settings = live_server.app.state.settings
    live_server.app.state.settings = settings.model_copy(
        update={
            "stripe_secret_key": "sk_test_browser_only",
            "stripe_webhook_secret": "whsec_browser_only",
            "stripe_api_base": "http://127.0.0.1:9",
        }
    )
    yield
    live_server.app.state.settings = settings


@pytest.mark.browser
def test_pricing_with_payments_off_explains_that_subscriptions_are_not_available(
    page: Page, console: ConsoleLog
) -> None:
    page.goto("/pricing")
    expect(page.get_by_role("heading", level=1)).to_have_text("Pricing")
    expect(page.get_by_text("Subscriptions are not available on this instance")).to_be_visible()
    expect(page.get_by_role("button", name="Continue to payment")).to_have_count(0)
    screenshot(page, "pricing-payments-off")
    assert_accessible(page)


@pytest.mark.browser
def test_pricing_with_payments_on_lets_an_admin_choose_and_explains_a_missing_choice(
    page: Page, console: ConsoleLog, payments_on: None
) -> None:
    sign_in(page, SUPPLIER_ADMIN)
    page.goto("/pricing")
    expect(page.get_by_text("Subscriptions are not available")).to_have_count(0)
    expect(page.get_by_label("Supplier Plus, £15 per month")).to_be_visible()
    screenshot(page, "pricing-payments-on")
    assert_accessible(page)

    page.get_by_role("button", name="Continue to payment").first.click()

    expect(page.locator(".govuk-error-summary")).to_contain_text("Choose a plan and how often to pay")
    screenshot(page, "pricing-payments-on-error")
    assert_accessible(page)
