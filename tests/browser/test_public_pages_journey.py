"""A visitor finds the contact form from the footer and sends feedback; an officer whose council email domain is
unknown is led from sign-up to the request form; an administrator reads both. axe runs on every page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import ConsoleLog, LiveServer, assert_accessible, screenshot
from tests.browser.test_supplier_profile_journey import sign_in

ADMIN = "admin@exchange.example"


@pytest.mark.browser
def test_feedback_and_a_domain_request_reach_the_administrators(
    page: Page, console: ConsoleLog, live_server: LiveServer
) -> None:
    page.goto("/")
    page.locator("footer").get_by_role("link", name="Contact and feedback").click()
    expect(page).to_have_url(re.compile(r"/contact$"))
    page.get_by_role("button", name="Send message").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter your message")
    screenshot(page, "contact-error")
    assert_accessible(page)
    page.get_by_label("Your message").fill("The trends page is hard to read on my phone.")
    page.get_by_label("Your email address (optional)").fill("reader@example.org")
    page.get_by_role("button", name="Send message").click()
    expect(page.get_by_role("heading", name="Message sent")).to_be_visible()
    assert_accessible(page)
    assert "hard to read on my phone" in live_server.latest_email(ADMIN).body_text

    page.goto("/account/sign-up")
    page.get_by_label("Your name").fill("Olive Officer")
    page.get_by_label("Email address").fill("olive@newtown.gov.uk")
    page.get_by_label("Password").fill("a long enough password")
    page.get_by_label("A council or public body officer").check()
    page.get_by_role("button", name="Create account").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("ask for it to be added")
    screenshot(page, "sign-up-unknown-council-domain")
    assert_accessible(page)
    page.get_by_role("link", name="Ask for your council's email domain to be added").click()
    page.get_by_label("Your name").fill("Olive Officer")
    page.get_by_label("Your council email address").fill("olive@newtown.gov.uk")
    page.get_by_label("Your council's name").fill("Newtown Borough Council")
    page.get_by_role("button", name="Send request").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("@newtown.gov.uk belongs to Newtown")

    sign_in(page, ADMIN)
    page.goto("/admin")
    page.get_by_role("link", name="Feedback and requests for council email domains").click()
    expect(page.get_by_text("The trends page is hard to read on my phone.")).to_be_visible()
    expect(page.get_by_text("Newtown Borough Council: @newtown.gov.uk")).to_be_visible()
    screenshot(page, "admin-messages")
    assert_accessible(page)


@pytest.mark.browser
def test_someone_asks_for_the_confirmation_link_again(page: Page, console: ConsoleLog) -> None:
    page.goto("/account/sign-in")
    page.get_by_role("link", name="I did not get the email to confirm my address").click()
    page.get_by_role("button", name="Send a new link").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter your email address")
    assert_accessible(page)
    page.get_by_label("Email address").fill("nobody@example.org")
    page.get_by_role("button", name="Send a new link").click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    assert_accessible(page)


@pytest.mark.browser
def test_organisations_with_a_close_name_are_offered_while_typing(page: Page, console: ConsoleLog) -> None:
    page.goto("/account/sign-up")
    page.get_by_label("A supplier, social enterprise, charity or community group").check()
    with page.expect_response(lambda r: "/account/organisation-suggestions" in r.url):
        page.get_by_label("Or ask to join an organisation already on the exchange").press_sequentially("civicvoice")
    suggestion = page.get_by_role("group", name="Organisations with a similar name").get_by_label("CivicVoice Ltd")
    expect(suggestion).to_be_visible()
    expect(page.get_by_role("status").filter(has_text="with a similar name")).to_have_count(1)
    expect(page.get_by_label("Or ask to join an organisation already on the exchange")).to_be_focused()
    screenshot(page, "sign-up-join-suggestions")
    assert_accessible(page)

    page.get_by_label("Your name").fill("Jo Joiner")
    page.get_by_label("Email address").fill("jo.joiner@example.org")
    page.get_by_label("Password").fill("a long enough password")
    suggestion.check()
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
