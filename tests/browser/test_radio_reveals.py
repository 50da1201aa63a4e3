"""Radios that reveal follow-up questions: the questions appear and hide with the choice, keyboard included, and
axe finds nothing, not even aria-expanded on a radio (ARIA does not allow it there), before or after a choice."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import Locator, Page, expect
from sqlalchemy import select

from exchange.accounts.models import User
from exchange.needs.models import NeedStage
from exchange.organisations.models import Organisation
from exchange.proposals.models import NeedProcurement
from tests import factories
from tests.browser.conftest import ConsoleLog, LiveServer, assert_accessible, screenshot
from tests.browser.test_supplier_profile_journey import sign_in

OFFICER = "officer@burnley.example.gov.uk"


def closed_need(live_server: LiveServer) -> int:
    """A need of its own whose proposals have closed, so that every outcome can be chosen on its page."""
    with live_server.transaction() as db:
        officer = db.scalars(select(User).where(User.email == OFFICER)).one()
        council = db.scalars(select(Organisation).where(Organisation.slug == "burnley")).one()
        need = factories.need(db, officer, council, title="Grit bin refills reported by residents")
        need.stage = NeedStage.CLOSED
        # Closed yesterday, so its proposals are open to the council and a supplier can be chosen.
        db.add(NeedProcurement(need_id=need.id, closes_on=date.today() - timedelta(days=1)))
        db.flush()
        return need.id


def assert_reveals(page: Page, radio: Locator, other: Locator, revealed: Locator, name: str) -> None:
    """Choosing ``radio`` shows ``revealed``, choosing ``other`` hides it; no radio carries aria-expanded."""
    expect(revealed).to_be_hidden()
    assert_accessible(page)
    radio.check()
    expect(revealed).to_be_visible()
    expect(radio).to_have_attribute("aria-controls", re.compile(r"^conditional-"))
    expect(page.locator("input[type=radio][aria-expanded]")).to_have_count(0)
    screenshot(page, f"reveal-{name}")
    assert_accessible(page)
    other.focus()
    page.keyboard.press("Space")
    expect(other).to_be_checked()
    expect(revealed).to_be_hidden()
    expect(page.locator("input[type=radio][aria-expanded]")).to_have_count(0)
    assert_accessible(page)


@pytest.mark.browser
def test_sign_up_reveals_the_organisation_questions(page: Page, console: ConsoleLog) -> None:
    page.goto("/account/sign-up")
    assert_reveals(
        page,
        page.get_by_label("A supplier, social enterprise, charity or community group"),
        page.get_by_label("A council or public body officer"),
        page.get_by_label("Your organisation's name"),
        "sign-up",
    )
    # Sent back with an error, the choice is kept and its questions are shown at once.
    page.get_by_label("A supplier, social enterprise, charity or community group").check()
    page.get_by_role("button", name="Create account").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    expect(page.get_by_label("Your organisation's name")).to_be_visible()
    expect(page.locator("input[type=radio][aria-expanded]")).to_have_count(0)
    assert_accessible(page)


@pytest.mark.browser
def test_declarations_reveal_the_explanation(page: Page, console: ConsoleLog) -> None:
    sign_in(page, "founder@civicvoice.example")
    page.goto("/organisations/civicvoice-ltd/profile/declarations")
    fraud = page.get_by_role("group", name=re.compile("^Fraud"))
    fraud.get_by_label("No").check()
    assert_reveals(
        page, fraud.get_by_label("Yes"), fraud.get_by_label("No"), page.locator("#fraud_explanation"), "declarations"
    )


@pytest.mark.browser
def test_the_outcome_form_reveals_the_award_questions(page: Page, console: ConsoleLog, live_server: LiveServer) -> None:
    need = closed_need(live_server)
    sign_in(page, OFFICER)
    page.goto(f"/needs/{need}/outcome")
    assert_reveals(
        page,
        page.get_by_label("Awarded to a supplier"),
        page.get_by_label("Cancelled"),
        page.get_by_label("Value of the contract"),
        "outcome",
    )
