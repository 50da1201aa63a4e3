"""Knowledge journeys in real Chromium, with axe-core on every page: an officer reads the trends page and its
numbers; an officer saves a search and its digest email arrives through a real SMTP server; a council endorses
a supplier it awarded a contract, and follows it in place."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta
from email.header import decode_header, make_header

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from exchange.core.models import utcnow
from exchange.evaluation.models import NeedOutcome, OutcomeKind
from exchange.knowledge.digests import send_saved_search_digests
from exchange.knowledge.models import Endorsement, SavedSearch
from exchange.needs.models import Need, NeedStage
from exchange.organisations.models import Organisation
from tests.browser.conftest import ConsoleLog, LiveServer, assert_accessible, screenshot
from tests.browser.test_supplier_profile_journey import sign_in
from tests.conftest import Inbox, transaction_with_jobs

OFFICER = "officer@burnley.example.gov.uk"
SUPPLIER = "Dampwise Sensors Ltd"
TITLE = "Digital budget consultation for the 2027/28 budget"
STATEMENT = "Dampwise's sensors found damp in 40 homes before tenants had to report it."


@pytest.mark.browser
def test_an_officer_reads_the_trends_and_downloads_the_numbers(
    page: Page, console: ConsoleLog, live_server: LiveServer
) -> None:
    page.goto("/")
    page.get_by_role("link", name="Trends").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Trends: what councils need and what is on offer")
    for name in ("category", "region"):
        expect(page.get_by_role("group", name=re.compile(f"Heat map .* each {name}"))).to_be_visible()
    expect(page.get_by_role("img", name=re.compile("Line chart of needs posted"))).to_be_visible()
    expect(page.get_by_role("img", name=re.compile("Bar chart of the categories"))).to_be_visible()
    months = page.locator("#per-month-table tbody tr")
    expect(months).to_have_count(12)
    page.get_by_text("The numbers in this chart").first.click()
    expect(page.locator("#categories-table")).to_be_visible()
    screenshot(page, "knowledge-trends")
    assert_accessible(page)

    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("Download these numbers.*Demand and supply by region")).click()
    rows = list(csv.reader(io.StringIO(download.value.path().read_text(encoding="utf-8"))))
    assert rows[0][0] == "Region" and len(rows) == 13
    assert sum(int(value) for row in rows[1:] for value in row[1:]) > 0

    # A square of the heat map opens the search of what it counts, which finds as many.
    cell = page.locator("#categories-heading ~ * svg a").first
    label = cell.get_attribute("aria-label") or ""
    count = int(label.rsplit(": ", 1)[1])
    cell.click()
    expect(page.locator(".exchange-results-summary")).to_contain_text(f"{count} result")
    assert_accessible(page)

    # On a phone the picture gives way to a list of the same linked numbers.
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/trends")
    expect(page.locator("#categories-list")).to_be_visible()
    expect(page.locator(".exchange-heat-map__picture").first).to_be_hidden()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "knowledge-trends-phone")
    assert_accessible(page)


@pytest.mark.browser
def test_an_officer_saves_a_search_and_the_digest_email_arrives(
    page: Page, console: ConsoleLog, live_server: LiveServer, inbox: tuple[Inbox, int]
) -> None:
    handler, port = inbox
    sign_in(page, OFFICER)
    page.goto("/search?kind=need&q=consultation")
    expect(page.locator(".exchange-results-summary")).to_contain_text("consultation")
    page.get_by_role("link", name="Save this search and get new results by email").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Save this search")
    page.get_by_label("Name this search").fill("Consultation needs")
    page.get_by_label("Every day").check()
    screenshot(page, "knowledge-save-search")
    assert_accessible(page)
    page.get_by_role("button", name="Save search").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Your saved searches")
    expect(page.get_by_text("Your search “Consultation needs” is saved.")).to_be_visible()
    expect(page.get_by_role("link", name="Consultation needs", exact=True)).to_be_visible()
    assert_accessible(page)

    # A day passes: the needs posted since the search was saved are new to it. The digest job sends its email
    # once the transaction commits, here to a real SMTP server.
    settings = live_server.app.state.settings.model_copy(update={"smtp_url": f"smtp://127.0.0.1:{port}"})
    with transaction_with_jobs(live_server.database, settings) as db:
        saved = db.scalars(select(SavedSearch).where(SavedSearch.name == "Consultation needs")).one()
        saved.created_at = utcnow() - timedelta(days=30)
        assert send_saved_search_digests(db).emails_queued >= 1

    subjects = [(m, str(make_header(decode_header(m["Subject"])))) for m in handler.messages if m["To"] == OFFICER]
    found = [m for m, subject in subjects if subject.endswith("for “Consultation needs”")]
    assert len(found) == 1, [subject for _, subject in subjects]
    email = found[0]
    body = email.get_payload(decode=True).decode()  # type: ignore[union-attr]
    assert TITLE in body
    path = re.search(
        r"Digital budget consultation for the 2027/28 budget .*?https?://[^/\s]+(/needs/\d+)", body, re.DOTALL
    )
    assert path, body
    page.goto(path.group(1))
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)

    page.goto("/saved-searches")
    feed = page.request.get(
        page.get_by_role("link", name="Atom feed of Consultation needs").get_attribute("href") or ""
    )
    assert feed.ok and "Digital budget consultation" in feed.text()


@pytest.mark.browser
def test_a_council_endorses_a_supplier_it_awarded_and_follows_it(
    page: Page, console: ConsoleLog, live_server: LiveServer
) -> None:
    with live_server.transaction() as db:
        burnley = db.scalars(select(Organisation).where(Organisation.name.like("Burnley%"))).one()
        supplier = db.scalars(select(Organisation).where(Organisation.name == SUPPLIER)).one()
        need = Need(
            organisation_id=burnley.id,
            title="Damp sensors in council homes",
            summary="Sensors that warn of damp before it becomes mould.",
            problem_statement="Tenants report damp too late.",
            stage=NeedStage.AWARDED,
        )
        db.add(need)
        db.flush()
        db.add(NeedOutcome(need_id=need.id, kind=OutcomeKind.AWARDED, organisation_id=supplier.id, value=25_000))
        slug = supplier.slug

    sign_in(page, OFFICER)
    page.goto(f"/organisations/{slug}")
    page.evaluate("window.__notReloaded = true")
    page.get_by_role("button", name="Follow this organisation").click()
    expect(page.get_by_role("button", name=re.compile("^Following"))).to_be_visible()
    expect(page.get_by_role("status").filter(has_text="follows this organisation")).to_contain_text("1 person")
    assert page.evaluate("window.__notReloaded") is True

    page.get_by_role("link", name="Endorse this supplier").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Endorse {SUPPLIER}")
    page.get_by_role("button", name="Publish endorsement").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter what your council would say about them")
    assert_accessible(page)
    page.get_by_label("What would your council say about them?").fill(STATEMENT)
    screenshot(page, "knowledge-endorse")
    assert_accessible(page)
    page.get_by_role("button", name="Publish endorsement").click()

    expect(page.get_by_text(f"Your endorsement of {SUPPLIER} is published.")).to_be_visible()
    section = page.locator(".exchange-endorsements")
    expect(section).to_contain_text(STATEMENT)
    expect(section.get_by_role("link", name=burnley.name)).to_be_visible()
    expect(page.get_by_role("link", name="Endorse this supplier")).to_have_count(0)
    screenshot(page, "knowledge-endorsed")
    assert_accessible(page)
    with live_server.database.session(write=False) as db:
        assert db.scalars(select(Endorsement).where(Endorsement.organisation_id == supplier.id)).one()

    page.goto("/following")
    expect(page.get_by_role("link", name=SUPPLIER)).to_be_visible()
    assert_accessible(page)
