"""A supplier writes its proposal in real Chromium: starts a draft, saves it, comes back to it later,
checks and submits it; an officer of the council then finds it in the proposals list and shortlists it
without a reload. axe-core runs on every page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from exchange.needs.models import Need
from exchange.notifications.models import Notification, NotificationKind
from exchange.proposals.models import Proposal, ProposalStatus
from exchange.shortlists.models import ShortlistEntry
from tests.browser.conftest import ConsoleLog, LiveServer, assert_accessible, proposals_closed, screenshot
from tests.browser.test_supplier_profile_journey import sign_in

NEED = "Meals at home for older and disabled residents"
SUPPLIER = "CivicVoice Ltd"


def need_id(live_server: LiveServer) -> int:
    with live_server.database.session(write=False) as db:
        return db.scalars(select(Need.id).where(Need.title == NEED)).one()


def answer(page: Page, number: int, kind: str, evidence: str) -> None:
    page.get_by_role("group", name=f"Do you meet {kind} {number}?").get_by_label("Yes").check()
    page.get_by_label(f"Your evidence for {kind} {number}").fill(evidence)


@pytest.mark.browser
def test_a_supplier_drafts_and_submits_a_proposal_and_the_officer_shortlists_it(
    page: Page, console: ConsoleLog, live_server: LiveServer
) -> None:
    need = f"/needs/{need_id(live_server)}"
    sign_in(page, "founder@civicvoice.example")
    page.goto(need)
    expect(page.get_by_role("heading", name="How to respond")).to_be_visible()
    page.get_by_role("link", name="Start your proposal").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Respond to this need")
    page.get_by_role("button", name="Start your proposal").click()
    expect(page).to_have_url(re.compile(r"/proposals/\d+/edit$"))
    screenshot(page, "proposal-journey-01-empty-draft")
    assert_accessible(page)

    # A first go, saved as a draft.
    answer(page, 1, "essential requirement", "We deliver 120 hot meals a day with our partner kitchen.")
    page.get_by_role("button", name="Save as draft and come back later").click()
    expect(page.get_by_text("Your draft is saved.")).to_be_visible()
    expect(page.locator(".govuk-tag", has_text="Draft")).to_be_visible()
    screenshot(page, "proposal-journey-02-draft-saved")
    assert_accessible(page)

    # Later, back from the dashboard through the need page.
    page.get_by_role("link", name="Dashboard").click()
    page.goto(need)
    page.get_by_role("link", name="Continue your proposal").click()
    page.get_by_role("link", name="Continue your proposal").click()
    expect(page.get_by_label("Your evidence for essential requirement 1")).to_have_value(
        "We deliver 120 hot meals a day with our partner kitchen."
    )
    for number in (2, 3, 4):
        answer(page, number, "essential requirement", f"How we meet essential requirement {number}: see our record.")
    answer(page, 1, "nice-to-have", "Frozen tea-time meals on request.")
    page.get_by_role("group", name="Do you meet nice-to-have 2?").get_by_label("No").check()
    page.get_by_label("Your price").fill("98,500")
    page.get_by_label("What the price covers (optional)").fill("per year, for up to 200 residents")
    page.get_by_label("How you would meet the need").fill("Two kitchens, one round each for the north and south.")
    page.get_by_role("button", name="Save and check your proposal").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Check your proposal before you submit it")
    expect(page.get_by_text("Before you can submit")).to_have_count(0)
    screenshot(page, "proposal-journey-03-review")
    assert_accessible(page)
    page.get_by_role("button", name="Submit proposal").click()
    expect(page.get_by_text("Your proposal is submitted.")).to_be_visible()
    expect(page.locator(".govuk-tag", has_text="Submitted")).to_be_visible()
    screenshot(page, "proposal-journey-04-submitted")
    assert_accessible(page)

    with live_server.database.session(write=False) as db:
        proposal = db.scalars(select(Proposal).where(Proposal.price == 98_500)).one()
        assert proposal.status is ProposalStatus.SUBMITTED
        told = db.scalars(
            select(Notification).where(
                Notification.kind == NotificationKind.PROPOSAL_RECEIVED, Notification.link == f"{need}/proposals"
            )
        ).all()
        assert told and all(SUPPLIER not in n.body for n in told)

    # Sealed until proposals close: the officer sees how many arrived, nothing of whose or what.
    page.context.clear_cookies()
    sign_in(page, "officer@burnley.example.gov.uk")
    page.goto(need)
    page.get_by_role("link", name="Proposals", exact=True).click()
    expect(page.locator(".exchange-sealed")).to_contain_text(re.compile(r"\d+ proposals? received"))
    expect(page.get_by_text(SUPPLIER)).to_have_count(0)
    screenshot(page, "proposal-journey-05-council-sealed")
    assert_accessible(page)
    with proposals_closed(live_server, need_id(live_server)):
        shortlist_once_opened(page, need, proposal.id, live_server)


def shortlist_once_opened(page: Page, need: str, proposal_id: int, live_server: LiveServer) -> None:
    """The proposals have closed: the officer finds the proposal among them and shortlists it in place."""
    page.goto(f"{need}/proposals")
    card = page.locator(".exchange-proposal-card", has_text=SUPPLIER)
    expect(card).to_contain_text("4 of 4")
    expect(card).to_contain_text("£98,500")
    screenshot(page, "proposal-journey-06-council-list")
    assert_accessible(page)
    with page.expect_response(lambda r: r.url.endswith("/shortlist") and r.request.headers.get("hx-request") == "true"):
        card.get_by_role("button", name=f"Add {SUPPLIER} to shortlist").click()
    expect(card.get_by_text("Shortlisted")).to_be_visible()
    assert_accessible(page)
    card.get_by_role("link", name=SUPPLIER).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Proposal from {SUPPLIER}")
    expect(page.get_by_text("Two kitchens, one round each")).to_be_visible()
    screenshot(page, "proposal-journey-07-council-proposal")
    assert_accessible(page)
    page.get_by_role("link", name="See the shortlist").click()
    expect(page.locator(".govuk-summary-card", has_text=SUPPLIER)).to_be_visible()

    with live_server.database.session(write=False) as db:
        entry = db.scalars(select(ShortlistEntry).where(ShortlistEntry.proposal_id == proposal_id)).one()
        assert entry.source == "proposal"

    # Take it off again, so the tests after this one see the demo need's shortlist as loaded.
    page.locator(".govuk-summary-card", has_text=SUPPLIER).get_by_role(
        "button", name=re.compile(r"^Remove .* from shortlist$")
    ).click()
    expect(page.locator(".govuk-summary-card", has_text=SUPPLIER)).to_have_count(0)
