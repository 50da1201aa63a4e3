"""A council writes a case study in real Chromium and another council says it wants to try it, with axe-core on
every page: Burnley writes a draft (first leaving out what is required, which changes nothing), publishes it, and
Leeds finds it by searching the list and marks "we want to try this" in place, then withdraws it."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from exchange.case_studies.models import CaseStudy, CaseStudyInterest, CaseStudyStatus
from tests.browser.conftest import ConsoleLog, LiveServer, assert_accessible, screenshot
from tests.browser.test_supplier_profile_journey import sign_in

BURNLEY = "officer@burnley.example.gov.uk"
LEEDS = "officer@leeds.example.gov.uk"
TITLE = "Lunch clubs brought 120 older residents back out after a hospital stay"
SUPPLIER = "Pennine Community Meals"
HANDBOOK = "Starting a volunteer lunch club: our handbook"


@pytest.mark.browser
def test_a_council_writes_a_case_study_and_another_wants_to_try_it(
    page: Page, console: ConsoleLog, live_server: LiveServer
) -> None:
    sign_in(page, BURNLEY)
    page.get_by_role("link", name="Write a case study").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Write a case study")
    assert_accessible(page)
    page.get_by_role("button", name="Save as a draft").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a title")
    assert_accessible(page)
    with live_server.database.session(write=False) as db:
        assert db.scalars(select(CaseStudy).where(CaseStudy.title == TITLE)).first() is None

    page.get_by_label("Title", exact=True).fill(TITLE)
    page.get_by_label("Summary", exact=True).fill(
        "Weekly lunch clubs run by volunteers, with transport, for residents leaving hospital."
    )
    page.get_by_label("The problem you set out to solve").fill(
        "Older residents came home from hospital to an empty house and were back in within weeks."
    )
    page.get_by_label("The supplier or group you worked with").select_option(label=SUPPLIER)
    # The supplier's offers appear to tick as soon as it is chosen.
    page.get_by_label(HANDBOOK).check()
    page.get_by_label("What it cost").fill("36000")
    page.get_by_label("How long it took").fill("40")
    page.get_by_label("The outcomes", exact=True).fill(
        "120 residents joined a club within a month of discharge; readmissions among them fell by a fifth."
    )
    page.get_by_label("Key figures").fill("120 residents in clubs\nA fifth fewer readmissions")
    page.get_by_label("The steps").fill(
        "Agree referrals with the discharge team\nFind halls with level access\nRecruit drivers"
    )
    page.get_by_label("Region").select_option(label="North West")
    screenshot(page, "case-study-form")
    page.get_by_role("button", name="Save as a draft").click()

    expect(page.get_by_text("Your case study is saved as a draft.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    assert_accessible(page)
    page.get_by_role("button", name="Publish the case study").click()
    expect(page.get_by_text("Your case study is published.")).to_be_visible()
    expect(page.locator(".exchange-case-study__figure").first).to_have_text("120 residents in clubs")
    expect(page.get_by_role("link", name=HANDBOOK)).to_be_visible()
    screenshot(page, "case-study-published")
    assert_accessible(page)

    page.context.clear_cookies()
    sign_in(page, LEEDS)
    page.get_by_role("link", name="Case studies").first.click()
    page.get_by_label("Search case studies by words").fill("lunch clubs")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("status").filter(has_text="case stud")).to_contain_text("1 case study")
    assert_accessible(page)
    page.get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)

    page.wait_for_load_state()  # htmx is listening before the button is pressed
    page.evaluate("window.__notReloaded = true")
    page.get_by_role("button", name="We want to try this").click()
    panel = page.locator("#interest")
    expect(panel).to_contain_text("1 organisation wants to try this")
    expect(panel.get_by_role("link", name="Leeds City Council")).to_be_visible()
    assert page.evaluate("window.__notReloaded") is True
    screenshot(page, "case-study-interest")
    assert_accessible(page)
    with live_server.database.session(write=False) as db:
        case_study = db.scalars(select(CaseStudy).where(CaseStudy.title == TITLE)).one()
        assert case_study.status is CaseStudyStatus.PUBLISHED
        assert db.scalars(select(CaseStudyInterest).where(CaseStudyInterest.case_study_id == case_study.id)).one()

    page.goto("/case-studies")
    result = page.locator(".exchange-case-study-result").filter(has_text=TITLE)
    expect(result).to_contain_text("1 organisation wants to try this")

    page.goto(f"/case-studies/{case_study.id}")
    page.get_by_role("button", name=re.compile("withdraw our interest")).click()
    expect(page.locator("#interest")).to_contain_text("No one has said they want to try this yet.")
    console.assert_clean()
