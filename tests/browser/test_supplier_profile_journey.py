"""A supplier completes its profile ("tell us once") in real Chromium and sees its completeness rise.

It starts from the dashboard with nothing filled in, gives its identity (first with a Companies House
number that is not valid, which changes nothing), adds a certificate and its two liability insurances,
answers the exclusion grounds, and sees each section marked complete. axe-core runs on every page.
"""

from __future__ import annotations

import re
from datetime import date

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from exchange.organisations.models import Organisation
from exchange.profiles.grounds import GROUNDS
from exchange.profiles.models import Certification, Declaration, SupplierProfile
from tests.browser.conftest import ConsoleLog, LiveServer, assert_accessible, fill_date, screenshot

EMAIL = "nikhil@routewise.example"
ORGANISATION = "Routewise Transport Planning Ltd"
DEMO_PASSWORD = "demo-password-only"


def sign_in(page: Page, email: str, password: str = DEMO_PASSWORD) -> None:
    page.goto("/account/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/dashboard$"))


def organisation_id(live_server: LiveServer) -> int:
    with live_server.database.session(write=False) as db:
        return db.scalars(select(Organisation.id).where(Organisation.name == ORGANISATION)).one()


@pytest.mark.browser
def test_a_supplier_completes_its_profile_and_sees_its_completeness_rise(
    page: Page, console: ConsoleLog, live_server: LiveServer
) -> None:
    sign_in(page, EMAIL)
    profile_card = page.locator(".exchange-profile-card")
    expect(profile_card).to_contain_text("0% complete")
    screenshot(page, "profile-journey-01-dashboard")
    assert_accessible(page)

    profile_card.get_by_role("link", name="View profile").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(ORGANISATION)
    expect(page.locator(".exchange-profile-completeness")).to_contain_text("0% complete")
    expect(page.locator(".govuk-tag", has_text="Incomplete")).to_have_count(7)
    profile_url = page.url
    screenshot(page, "profile-journey-02-empty-profile")
    assert_accessible(page)

    # Identity: a Companies House number that cannot be right is refused, and nothing is saved.
    page.get_by_role("link", name="Change identity").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Identity")
    page.get_by_label("Legal name").fill("Routewise Transport Planning Limited")
    page.get_by_label("Limited company", exact=True).check()
    page.get_by_label("Companies House number").fill("1234")
    page.get_by_label("Registered address").fill("3 Castle Gate\nNottingham\nNG1 7AQ")
    fill_date(page, "Date it started trading", date(2019, 9, 14))
    page.get_by_label("Small (fewer than 50 staff)").check()
    page.get_by_role("group", name=re.compile("VCSE")).get_by_label("No").check()
    page.get_by_role("button", name="Save identity").click()

    error_summary = page.locator(".govuk-error-summary")
    expect(error_summary).to_be_focused()
    expect(error_summary).to_contain_text("like 01234567 or SC123456")
    expect(page).to_have_title(re.compile(r"^Error: "))
    expect(page.get_by_label("Registered address")).to_have_value("3 Castle Gate\nNottingham\nNG1 7AQ")
    with live_server.database.session(write=False) as db:
        assert (
            db.scalar(select(SupplierProfile).where(SupplierProfile.organisation_id == organisation_id(live_server)))
            is None
        )
    screenshot(page, "profile-journey-03-identity-error")
    assert_accessible(page)

    error_summary.get_by_role("link").click()
    expect(page.get_by_label("Companies House number")).to_be_focused()
    page.get_by_label("Companies House number").fill("11 29 38 47")
    page.get_by_role("button", name="Save identity").click()
    expect(page).to_have_url(profile_url)
    expect(page.get_by_text("Identity: your changes are saved.")).to_be_visible()
    expect(page.locator(".exchange-profile-completeness")).to_contain_text("14% complete")
    expect(page.get_by_role("link", name="11293847")).to_be_visible()

    # A certificate.
    page.get_by_role("link", name="Change certifications").click()
    page.get_by_label("Cyber Essentials", exact=True).check()
    page.get_by_label("Certificate number or reference").fill("IASME-CE-051122")
    fill_date(page, "Expiry date", date(2099, 12, 31))
    screenshot(page, "profile-journey-04-certificate-form")
    assert_accessible(page)
    page.get_by_role("button", name="Add certificate").click()
    expect(page.get_by_text("The certificate is added.")).to_be_visible()
    expect(page.locator(".govuk-summary-list")).to_contain_text("IASME-CE-051122")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Completed")
    assert_accessible(page)

    # Employer's and public liability insurance.
    page.get_by_role("link", name="Back to the supplier profile").click()
    page.get_by_role("link", name="Change insurance").click()
    for kind, cover in (("Employer's liability", "10,000,000"), ("Public liability", "£5,000,000")):
        page.get_by_label(kind).check()
        page.get_by_label("Cover amount").fill(cover)
        page.get_by_label("Insurer").fill("Zurich")
        page.get_by_role("button", name="Add insurance policy").click()
        expect(page.get_by_text("The insurance policy is added.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Completed")
    screenshot(page, "profile-journey-05-insurance")
    assert_accessible(page)

    # Declarations: every ground answered; a "yes" reveals the box for its explanation.
    page.get_by_role("link", name="Back to the supplier profile").click()
    expect(page.locator(".exchange-profile-completeness")).to_contain_text("43% complete")
    page.get_by_role("link", name="Change exclusion grounds").click()
    insolvency = page.get_by_role("group", name=re.compile("^Insolvency or bankruptcy"))
    insolvency.get_by_label("Yes").check()
    expect(page.locator("#insolvency_explanation")).to_be_visible()
    expect(page.locator("#fraud_explanation")).to_be_hidden()
    screenshot(page, "profile-journey-06-declaration-yes")
    assert_accessible(page)
    for ground in GROUNDS:
        page.get_by_role("group", name=re.compile(f"^{re.escape(ground.label)}")).get_by_label("No").check()
    page.get_by_role("button", name="Save declarations").click()

    expect(page).to_have_url(profile_url)
    expect(page.locator(".exchange-profile-completeness")).to_contain_text("57% complete")
    expect(page.locator(".exchange-profile-completeness")).to_contain_text("4 of 7 sections")
    for key in ("identity", "certifications", "insurance", "declarations"):
        expect(page.locator(f"#section-{key} .govuk-summary-card__title .govuk-tag")).to_have_text("Completed")
    screenshot(page, "profile-journey-07-profile")
    assert_accessible(page)

    with live_server.database.session(write=False) as db:
        owner = organisation_id(live_server)
        assert db.scalars(select(Certification.reference).where(Certification.organisation_id == owner)).all() == [
            "IASME-CE-051122"
        ]
        answers = db.scalars(select(Declaration).where(Declaration.organisation_id == owner)).all()
        assert len(answers) == len(GROUNDS) and not any(answer.applies for answer in answers)

    page.get_by_role("link", name="Dashboard").click()
    expect(page.locator(".exchange-profile-card")).to_contain_text("57% complete")
