"""Anonymous visitors: the main pages pass axe-core (WCAG 2.2 AA) and the CSP blocks nothing of ours."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Error, Page, expect

from tests.browser.conftest import ConsoleLog, LiveServer, assert_accessible, proposals_closed, screenshot
from tests.browser.test_evaluation_journey import panel_of_one
from tests.browser.test_supplier_profile_journey import sign_in

SUPPLIER_PROFILE = "/organisations/civicvoice-ltd/profile"
PROFILE_SECTIONS = [
    "identity",
    "policies",
    "declarations",
    "certifications",
    "insurance",
    "references",
    "past-contracts",
]

PAGES = [
    ("/", 200, "home"),
    ("/search", 200, "search"),
    ("/search?kind=need", 200, "search-needs"),
    ("/organisations", 200, "organisations"),
    ("/about", 200, "about"),
    ("/accessibility", 200, "accessibility-statement"),
    ("/privacy", 200, "privacy-notice"),
    ("/cookies", 200, "cookies"),
    ("/contact", 200, "contact"),
    ("/contact/council-domain", 200, "council-domain-request"),
    ("/account/sign-in", 200, "sign-in"),
    ("/account/sign-up", 200, "sign-up-anonymous"),
    ("/organisations/burnley", 200, "organisation-burnley"),
    ("/organisations/civicvoice-ltd/profile", 200, "supplier-profile"),
    ("/no-such-page", 404, "not-found"),
]


@pytest.mark.browser
@pytest.mark.parametrize(("path", "status", "name"), PAGES, ids=[name for _, _, name in PAGES])
def test_page_is_accessible(page: Page, console: ConsoleLog, path: str, status: int, name: str) -> None:
    response = page.goto(path)
    assert response is not None and response.status == status, f"{path} answered {response and response.status}"
    expect(page).to_have_title(re.compile("Open Innovation Exchange"))
    expect(page.locator("h1")).to_have_count(1)
    screenshot(page, f"anonymous-{name}")
    assert_accessible(page)


@pytest.mark.browser
def test_search_results_and_need_pages_are_accessible(page: Page, console: ConsoleLog) -> None:
    """Pages with real content (the demo data): a need's page, reached from the filtered search."""
    page.goto("/search?kind=need")
    first = page.locator(".exchange-result__title a").first
    expect(first).to_be_visible()
    first.click()
    expect(page).to_have_url(re.compile(r"/needs/\d+$"))
    screenshot(page, "anonymous-need")
    assert_accessible(page)


@pytest.mark.browser
def test_content_security_policy_blocks_nothing_of_ours(page: Page, console: ConsoleLog) -> None:
    """The strict CSP is sent, and the pages' own scripts (GOV.UK Frontend, HTMX) run under it."""
    response = page.goto("/account/sign-up")
    assert response is not None
    policy = response.headers.get("content-security-policy", "")
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy, policy

    # GOV.UK Frontend's conditional reveal: the organisation fields appear when "supplier" is chosen.
    organisation_name = page.get_by_label("Your organisation's name")
    expect(organisation_name).to_be_hidden()
    page.get_by_label("A supplier, social enterprise, charity or community group").check()
    expect(organisation_name).to_be_visible()

    # HTMX: live search and a facet swap the results in place.
    page.goto("/search")
    with page.expect_response(lambda r: "/search?" in r.url and r.request.headers.get("hx-request") == "true"):
        page.get_by_label("Search by words").fill("budget")
    with page.expect_response(lambda r: "/search?" in r.url and r.request.headers.get("hx-request") == "true"):
        page.locator("#search-area input[type=checkbox]").first.check()
    expect(page.locator(".exchange-results-summary")).to_contain_text("result")

    page.goto("/")
    page.goto("/docs")
    expect(page.locator("#swagger-ui")).not_to_be_empty()
    assert console.csp_errors == []  # the fixture also checks this (and uncaught errors) at the end


@pytest.mark.browser
def test_csp_check_would_see_a_violation(page: Page, live_server: LiveServer) -> None:
    """A control for the check above: an inline script is refused and the refusal reaches the console."""
    log = ConsoleLog()
    log.watch(page)
    page.goto("/about")
    with pytest.raises(Error, match="Content Security Policy"):
        page.add_script_tag(content="window.injected = true")
    assert page.evaluate("window.injected") is None
    assert log.csp_errors, log.errors


@pytest.mark.browser
def test_supplier_profile_pages_are_accessible(page: Page, console: ConsoleLog) -> None:
    """The demo supplier's profile and each section page, as its administrator sees them, errors included."""
    sign_in(page, "founder@civicvoice.example")
    screenshot(page, "supplier-dashboard")
    assert_accessible(page)
    for path in ["", *(f"/{section}" for section in PROFILE_SECTIONS)]:
        response = page.goto(SUPPLIER_PROFILE + path)
        assert response is not None and response.status == 200, path
        expect(page.locator("h1")).to_have_count(1)
        screenshot(page, f"supplier-profile{path.replace('/', '-')}")
        assert_accessible(page)

    # A "yes" without its explanation, and a certificate without a date: error summaries, revealed boxes.
    page.goto(f"{SUPPLIER_PROFILE}/declarations")
    page.get_by_role("group", name=re.compile("^Fraud")).get_by_label("Yes").check()
    page.get_by_role("button", name="Save declarations").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Explain what happened")
    expect(page.locator("#fraud_explanation")).to_be_visible()
    screenshot(page, "supplier-profile-declarations-error")
    assert_accessible(page)
    page.goto(f"{SUPPLIER_PROFILE}/certifications")
    page.get_by_role("button", name="Add certificate").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    screenshot(page, "supplier-profile-certifications-error")
    assert_accessible(page)


@pytest.mark.browser
def test_a_councils_view_of_references_and_profiles_is_accessible(page: Page, console: ConsoleLog) -> None:
    sign_in(page, "officer@leeds.example.gov.uk")
    expect(page.get_by_role("table", name="References naming your organisation")).to_be_visible()
    screenshot(page, "council-dashboard-references")
    assert_accessible(page)
    page.goto(SUPPLIER_PROFILE)
    expect(page.locator("#section-declarations")).to_contain_text("Mandatory grounds")
    screenshot(page, "council-supplier-profile")
    assert_accessible(page)


@pytest.mark.browser
def test_proposal_pages_are_accessible(page: Page, console: ConsoleLog, live_server: LiveServer) -> None:
    """A need that invites proposals, as the public, a supplier writing a proposal, and the council see it."""
    from tests.browser.test_proposal_journey import need_id

    need = f"/needs/{need_id(live_server)}"
    page.goto(need)
    expect(page.locator("#clarifications")).to_be_visible()
    screenshot(page, "proposals-need-anonymous")
    assert_accessible(page)

    sign_in(page, "tunde@kerbsidelabs.example")
    for path, name in ((f"{need}/respond", "start"), (f"{need}/clarifications/new", "ask")):
        page.goto(path)
        expect(page.locator("h1")).to_have_count(1)
        screenshot(page, f"proposals-{name}")
        assert_accessible(page)
    page.goto(f"{need}/respond")
    page.get_by_role("button", name="Start your proposal").click()
    page.get_by_label("Your evidence for essential requirement 1").fill("x" * 2_001)
    expect(page.locator(".govuk-character-count__status").first).to_contain_text("too many")
    page.get_by_role("button", name="Save as draft and come back later").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("2,000 characters or fewer")
    screenshot(page, "proposals-edit-error")
    assert_accessible(page)
    page.goto(page.url.removesuffix("/edit") + "/review")
    screenshot(page, "proposals-review")
    assert_accessible(page)

    page.context.clear_cookies()
    sign_in(page, "officer@burnley.example.gov.uk")
    for path, name in ((need, "need-council"), (f"{need}/proposals", "list"), (f"{need}/clarifications", "answer")):
        page.goto(path)
        screenshot(page, f"proposals-{name}")
        assert_accessible(page)
    page.goto(f"{need}/proposals")
    expect(page.locator(".exchange-sealed")).to_contain_text(re.compile(r"\d+ proposals? received"))
    with proposals_closed(live_server, need_id(live_server)):
        page.goto(f"{need}/proposals")
        page.locator(".exchange-proposal-card a").first.click()
        screenshot(page, "proposals-council-proposal")
        assert_accessible(page)
    page.goto(f"{need}/procurement")
    assert_accessible(page)


@pytest.mark.browser
def test_clarification_correction_pages_are_accessible(
    page: Page, console: ConsoleLog, live_server: LiveServer
) -> None:
    """The council corrects a published answer: the form, the check (new text, who is told), the published
    correction on the need page with the earlier answer in a details element."""
    from tests.browser.test_proposal_journey import need_id

    need = f"/needs/{need_id(live_server)}"
    sign_in(page, "officer@burnley.example.gov.uk")
    page.goto(f"{need}/clarifications")
    page.get_by_role("link", name=re.compile("Correct the answer")).first.click()
    assert_accessible(page)
    page.get_by_label("The corrected answer").fill("Yes, for whole wards only: say which ones you would cover.")
    page.get_by_role("button", name="Continue").click()
    expect(page.locator("#told")).to_contain_text("the person who asked the question")
    screenshot(page, "clarification-correction-check")
    assert_accessible(page)
    page.get_by_role("button", name="Publish the correction").click()
    page.goto(need)
    page.get_by_text("The earlier answer").first.click()
    expect(page.locator("#clarifications ~ dl").first).to_contain_text("Corrected on")
    screenshot(page, "clarification-corrected")
    assert_accessible(page)


@pytest.mark.browser
def test_evaluation_pages_are_accessible(page: Page, console: ConsoleLog, live_server: LiveServer) -> None:
    """The council's evaluation pages on the open demo need: the evaluation before and after moderation, the
    scoring form with an error, the moderation form with its error summary, and the outcome form."""
    from tests.browser.test_proposal_journey import need_id

    need = f"/needs/{need_id(live_server)}"
    supplier = "Pennine Community Meals"
    sign_in(page, "officer@burnley.example.gov.uk")
    page.goto(f"{need}/evaluation")
    expect(page.locator(".exchange-sealed")).to_contain_text("Evaluation starts once proposals are opened")
    screenshot(page, "evaluation-sealed")
    assert_accessible(page)
    with (
        proposals_closed(live_server, need_id(live_server)),
        panel_of_one(live_server, need_id(live_server), "officer@burnley.example.gov.uk"),
    ):
        evaluate_the_opened_need(page, need, supplier)

    page.goto(f"{need}/outcome")
    expect(page.get_by_text("a supplier can be chosen only after they close")).to_be_visible()
    screenshot(page, "evaluation-outcome-open-need")
    assert_accessible(page)

    # Off the shortlist again, so other tests see the shortlist as the demo loads it.
    page.goto(f"{need}/shortlist")
    page.get_by_role("button", name=f"Remove {supplier} from shortlist").click()
    expect(page.get_by_text("Nobody is on the shortlist yet")).to_be_visible()


def evaluate_the_opened_need(page: Page, need: str, supplier: str) -> None:
    page.goto(f"{need}/proposals")
    page.locator(".exchange-proposal-card", has_text=supplier).get_by_role("button").click()
    expect(page.locator(".exchange-proposal-card", has_text=supplier).get_by_text("Shortlisted")).to_be_visible()

    page.goto(f"{need}/evaluation")
    screenshot(page, "evaluation-scoring")
    assert_accessible(page)
    page.get_by_role("link", name=f"Score for {supplier}").click()
    for criterion, value in (("technical quality", "101"), ("social value", "70"), ("price", "60")):
        page.get_by_label(f"Your score for {criterion}, from 0 to 100").fill(value)
        page.get_by_label(f"Why you gave this score for {criterion}").fill("Evidence of daily welfare checks.")
    page.get_by_role("button", name="Save your scores").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Your score for technical quality must be a whole number from 0 to 100"
    )
    screenshot(page, "evaluation-scores-error")
    assert_accessible(page)
    page.get_by_label("Your score for technical quality, from 0 to 100").fill("75")
    page.get_by_role("button", name="Save your scores").click()
    expect(page.get_by_text(f"Your scores for {supplier} are saved.")).to_be_visible()

    page.goto(f"{need}/evaluation")
    page.get_by_role("button", name="Start moderation").click()
    expect(page.get_by_role("table", name="Ranking by agreed weighted total")).to_be_visible()
    screenshot(page, "evaluation-matrix")
    assert_accessible(page)
    page.get_by_role("link", name=f"Moderate for {supplier}").click()
    page.get_by_role("button", name="Save agreed scores and feedback").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the agreed score for technical quality")
    screenshot(page, "evaluation-moderation-error")
    assert_accessible(page)
