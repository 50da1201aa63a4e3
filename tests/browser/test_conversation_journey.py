"""Conversations in real Chromium with axe-core on each page: an officer asks a public question on a pitch,
another says they have it too (in place), the supplier answers in public; an officer reports an abusive post
in a closed group they were let into (by request and by invitation) and the group's facilitator hides it with
a reason its author then reads."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import ConsoleLog, assert_accessible, screenshot
from tests.browser.test_supplier_profile_journey import sign_in

PITCH = "Budget simulator that shows the real trade-offs in a district council budget"


def _other(browser: Browser, base_url: str, email: str) -> Page:
    page = browser.new_context(base_url=base_url).new_page()
    sign_in(page, email)
    return page


@pytest.mark.browser
def test_a_supplier_answers_a_public_question(page: Page, browser: Browser, base_url: str, console: ConsoleLog) -> None:
    sign_in(page, "officer@leeds.example.gov.uk")
    page.goto("/search?kind=pitch&q=budget+simulator")
    page.get_by_role("link", name=PITCH).click()
    question = "Can residents take part by phone as well as online?"
    page.get_by_label("Ask a question").fill(question)
    page.get_by_role("button", name="Post", exact=True).last.click()
    expect(page.get_by_text(question)).to_be_visible()
    pitch_path = re.sub(r"^https?://[^/]+", "", page.url).split("#")[0]
    assert_accessible(page)

    other = _other(browser, base_url, "officer@bristol.example.gov.uk")
    other.goto(pitch_path)
    entry = other.locator(".exchange-thread__entry", has_text=question)
    other.evaluate("window.__notReloaded = true")
    entry.get_by_role("button", name="I have this question too").click()
    expect(entry.get_by_role("status")).to_have_text("1 person has this question too")
    assert other.evaluate("window.__notReloaded") is True
    assert_accessible(other)

    supplier = _other(browser, base_url, "founder@civicvoice.example")
    expect(supplier.get_by_role("heading", name="Questions to answer")).to_be_visible()
    supplier.get_by_role("link", name=re.compile("Can residents take part by phone")).click()
    entry = supplier.locator(".exchange-thread__entry", has_text=question)
    entry.locator("summary", has_text="Answer").click()
    entry.get_by_label("Your answer").fill("Yes: by phone, by text and on paper at libraries.")
    entry.get_by_role("button", name="Post").click()
    expect(supplier.get_by_text("Reply posted.")).to_be_visible()
    expect(supplier.locator(".exchange-post--official")).to_contain_text("by phone, by text and on paper")
    screenshot(supplier, "pitch-questions")
    assert_accessible(supplier)
    console.assert_clean()


@pytest.mark.browser
def test_a_facilitator_hides_a_reported_post(page: Page, browser: Browser, base_url: str, console: ConsoleLog) -> None:
    sign_in(page, "officer@burnley.example.gov.uk")
    page.goto("/groups")
    assert_accessible(page)
    page.get_by_role("link", name="Start a group").click()
    page.get_by_label("Name of the group").fill("Revenues and benefits leads")
    page.get_by_role("button", name="Start the group").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Revenues and benefits leads")
    group_path = re.sub(r"^https?://[^/]+", "", page.url)
    assert_accessible(page)

    # Closed means members only: one officer asks to join and is approved, another accepts an invitation.
    poster = _other(browser, base_url, "officer@camden.example.gov.uk")
    poster.goto(group_path)
    expect(poster.get_by_label("Start a discussion")).to_have_count(0)
    poster.get_by_role("button", name="Request to join").click()
    expect(poster.locator("#membership")).to_contain_text("waiting for a facilitator")
    expect(poster.locator("#membership [data-focus-after-swap]")).to_be_focused()
    assert_accessible(poster)
    page.get_by_label("Invite an officer").fill("officer@leeds.example.gov.uk")
    page.get_by_role("button", name="Invite", exact=True).click()
    expect(page.get_by_text("is invited.")).to_be_visible()
    # The invitation reloads the page: the request is answered on the page as loaded, never on the one going away.
    page.wait_for_load_state("load")
    expect(page.get_by_role("button", name=re.compile("^Approve"))).to_be_enabled()
    page.get_by_role("button", name=re.compile("^Approve")).click()
    expect(page.locator("#members")).to_contain_text("is now a member")
    expect(page.locator("#join-requests")).to_be_focused()
    expect(page.locator("#members")).not_to_contain_text("No members yet")
    screenshot(page, "group-members")
    assert_accessible(page)

    poster.goto(group_path)
    poster.get_by_label("Start a discussion").fill("Whoever runs the Leeds service is useless.")
    poster.get_by_role("button", name="Post", exact=True).click()
    expect(poster.get_by_text("Whoever runs the Leeds service is useless.")).to_be_visible()

    reporter = _other(browser, base_url, "officer@leeds.example.gov.uk")
    reporter.goto(group_path)
    reporter.get_by_role("button", name="Accept the invitation").click()
    reporter.get_by_role("link", name="Open the group").click()
    reporter.get_by_role("link", name=re.compile("^Report")).first.click()
    assert_accessible(reporter)
    reporter.get_by_role("button", name="Send the report").click()
    expect(reporter.locator(".govuk-error-summary")).to_be_visible()
    reporter.get_by_label("What is wrong with it").fill("A personal attack on a colleague")
    reporter.get_by_role("button", name="Send the report").click()
    expect(reporter.get_by_text("A moderator will look at it")).to_be_visible()

    page.goto("/moderation")
    expect(page.get_by_text("A personal attack on a colleague")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Reason for hiding it (its author is shown this)").first.fill(
        "Criticise the work, not the person"
    )
    page.get_by_role("button", name="Hide it").first.click()
    expect(page.get_by_text("Nothing to moderate.")).to_be_visible()
    expect(page.get_by_role("button", name="Restore the post")).to_be_visible()
    assert_accessible(page)

    poster.goto(group_path)
    expect(poster.get_by_text("The reason given: Criticise the work, not the person")).to_be_visible()
    expect(poster.get_by_text("Whoever runs the Leeds service is useless.")).to_have_count(0)
    screenshot(poster, "group-hidden-post")
    assert_accessible(poster)
    console.assert_clean()
