"""After each in-page (HTMX) update, driven from the keyboard in real Chromium, focus lands on what changed and
the page's polite live region says what happened, instead of a keyboard or screen-reader user being dropped
at the top of the page. Each test puts the demo data back as it found it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from playwright.sync_api import Browser, Locator, Page, expect
from sqlalchemy import delete, select

from exchange.case_studies.models import CaseStudy
from exchange.evaluation.models import EvaluationScore
from exchange.needs.models import Need
from exchange.organisations.models import Organisation
from exchange.proposals.models import Proposal
from exchange.sessions.models import MatchmakingSession
from exchange.shortlists.models import ShortlistEntry
from tests.browser.conftest import ConsoleLog, LiveServer, assert_accessible, proposals_closed, screenshot
from tests.browser.test_evaluation_journey import panel_of_one
from tests.browser.test_supplier_profile_journey import sign_in

OFFICER = "officer@burnley.example.gov.uk"
MEALS_NEED = "Meals at home for older and disabled residents"
EVALUATED_NEED = "Residents' say on the town centre and canalside masterplan"
SUPPLIER = "CivicVoice Ltd"
DEMO_SESSION = "North West digital participation matchmaking"
CASE_STUDY = "Video triage cut wasted surveyor visits by a third on our estates"
PITCH = "Video triage for repairs before a surveyor is sent"
PHONE = {"width": 390, "height": 844}


def press(button: Locator) -> None:
    """Press a button the way a keyboard user does: move focus to it, then Enter."""
    button.focus()
    expect(button).to_be_focused()
    button.page.keyboard.press("Enter")


def announcer(page: Page) -> Locator:
    return page.locator("#exchange-announcer")


def need_id(live_server: LiveServer, title: str) -> int:
    with live_server.database.session(write=False) as db:
        return db.scalars(select(Need.id).where(Need.title == title)).one()


def demo_session_id(live_server: LiveServer) -> int:
    with live_server.database.session(write=False) as db:
        return db.scalars(select(MatchmakingSession.id).where(MatchmakingSession.title == DEMO_SESSION)).one()


@pytest.mark.browser
def test_shortlisting_a_match_keeps_focus_on_the_button_that_takes_it_back(
    page: Page, console: ConsoleLog, live_server: LiveServer
) -> None:
    sign_in(page, OFFICER)
    page.set_viewport_size(PHONE)
    page.goto(f"/needs/{need_id(live_server, MEALS_NEED)}/matches")
    first = page.locator(".exchange-match").first
    supplier = first.locator(".govuk-summary-card__title").inner_text()

    press(first.get_by_role("button", name=f"Add {supplier} to shortlist"))
    remove = first.get_by_role("button", name=f"Remove {supplier} from shortlist")
    expect(remove).to_be_focused()
    expect(announcer(page)).to_have_text(f"{supplier} added to the shortlist.")
    screenshot(page, "focus-after-shortlisting-390")
    assert_accessible(page)

    press(remove)
    expect(first.get_by_role("button", name=f"Add {supplier} to shortlist")).to_be_focused()
    expect(announcer(page)).to_have_text(f"{supplier} removed from the shortlist.")


@contextmanager
def shortlist_and_scores_put_back(live_server: LiveServer, need: int) -> Iterator[None]:
    """Afterwards, only the shortlist entries and scores the demo data loaded for this need are left."""

    def entries() -> tuple[set[int], set[int]]:
        with live_server.database.session(write=False) as db:
            shortlisted = set(db.scalars(select(ShortlistEntry.id).where(ShortlistEntry.need_id == need)))
            scored = set(db.scalars(select(EvaluationScore.id).where(EvaluationScore.proposal_id.in_(proposals))))
        return shortlisted, scored

    proposals = select(Proposal.id).where(Proposal.need_id == need)
    shortlisted, scored = entries()
    try:
        yield
    finally:
        shortlisted_now, scored_now = entries()
        with live_server.database.transaction() as db:
            db.execute(delete(EvaluationScore).where(EvaluationScore.id.in_(scored_now - scored)))
            db.execute(delete(ShortlistEntry).where(ShortlistEntry.id.in_(shortlisted_now - shortlisted)))


@pytest.mark.browser
def test_shortlisting_a_proposal_then_scoring_it_focuses_each_status(
    page: Page, console: ConsoleLog, live_server: LiveServer
) -> None:
    need = need_id(live_server, MEALS_NEED)
    sign_in(page, OFFICER)
    with (
        shortlist_and_scores_put_back(live_server, need),
        proposals_closed(live_server, need),
        panel_of_one(live_server, need, OFFICER),
    ):
        page.goto(f"/needs/{need}/proposals")
        add = page.get_by_role("button", name=re.compile(r"^Add .+ to shortlist$")).first
        supplier = re.sub(r"^Add (.+) to shortlist$", r"\1", " ".join(add.inner_text().split()))
        press(add)
        status = page.locator(".exchange-proposal-card", has_text=supplier).get_by_role("status")
        expect(status).to_be_focused()
        expect(status).to_contain_text("Shortlisted")
        expect(announcer(page)).to_have_text(f"{supplier} added to the shortlist.")

        page.goto(f"/needs/{need}/evaluation")
        page.get_by_role("link", name=f"Score for {supplier}").click()

        # One bad score on the form: the error summary takes focus and names the rule.
        for criterion, value in (("technical quality", "70"), ("social value", "60"), ("price", "120")):
            page.get_by_label(f"Your score for {criterion}, from 0 to 100").fill(value)
            page.get_by_label(f"Why you gave this score for {criterion}").fill(f"{value}: see the proposal.")
        press(page.get_by_role("button", name="Save your scores"))
        summary = page.locator(".govuk-error-summary")
        expect(summary).to_be_focused()
        expect(summary).to_contain_text("Your score for price must be a whole number from 0 to 100")

        # Put right and saved together: back on the evaluation page, the success banner takes focus.
        page.get_by_label("Your score for price, from 0 to 100").fill("70")
        press(page.get_by_role("button", name="Save your scores"))
        banner = page.locator(".govuk-notification-banner--success")
        expect(banner).to_be_focused()
        expect(banner).to_contain_text(f"Your scores for {supplier} are saved.")
        screenshot(page, "focus-after-saving-a-score")
        assert_accessible(page)


@pytest.mark.browser
def test_locking_a_meeting_keeps_focus_on_its_lock_button(
    page: Page, console: ConsoleLog, live_server: LiveServer
) -> None:
    sign_in(page, OFFICER)
    page.goto(f"/sessions/{demo_session_id(live_server)}/schedule")
    meeting = page.locator(".exchange-meeting").first
    meeting_id = meeting.get_attribute("id")
    meeting = page.locator(f"#{meeting_id}")

    press(meeting.get_by_role("button", name=re.compile("^Lock")))
    expect(meeting.get_by_role("button", name=re.compile("^Unlock"))).to_be_focused()
    expect(announcer(page)).to_have_text(re.compile(r"^Meeting of .+ with .+ locked\.$"))

    press(meeting.get_by_role("button", name=re.compile("^Unlock")))
    expect(meeting.get_by_role("button", name=re.compile("^Lock"))).to_be_focused()
    expect(announcer(page)).to_have_text(re.compile(r"^Meeting of .+ with .+ unlocked\.$"))


@pytest.mark.browser
def test_checking_in_focuses_the_new_button_in_the_same_row(
    page: Page, console: ConsoleLog, live_server: LiveServer
) -> None:
    sign_in(page, OFFICER)
    page.goto(f"/sessions/{demo_session_id(live_server)}/check-in")
    row = page.locator("tr", has_text=SUPPLIER)

    press(row.get_by_role("button", name=f"Check in {SUPPLIER}"))
    expect(row.get_by_role("button", name=f"Undo check-in of {SUPPLIER}")).to_be_focused()
    expect(announcer(page)).to_have_text(f"{SUPPLIER}: checked in.")

    press(row.get_by_role("button", name=f"Undo check-in of {SUPPLIER}"))
    expect(row.get_by_role("button", name=f"Check in {SUPPLIER}")).to_be_focused()
    expect(announcer(page)).to_have_text(f"{SUPPLIER}: not checked in.")


@pytest.mark.browser
def test_following_an_organisation_keeps_focus_on_its_button(
    page: Page, console: ConsoleLog, live_server: LiveServer
) -> None:
    with live_server.database.session(write=False) as db:
        slug = db.scalars(select(Organisation.slug).where(Organisation.name == SUPPLIER)).one()
    sign_in(page, OFFICER)
    page.goto(f"/organisations/{slug}")

    press(page.get_by_role("button", name="Follow this organisation"))
    following = page.get_by_role("button", name=re.compile("^Following"))
    expect(following).to_be_focused()
    expect(announcer(page)).to_have_text("You follow this organisation.")

    press(following)
    expect(page.get_by_role("button", name="Follow this organisation")).to_be_focused()
    expect(announcer(page)).to_have_text("You no longer follow this organisation.")


@pytest.mark.browser
def test_saying_we_want_to_try_a_case_study_focuses_the_count(
    page: Page, console: ConsoleLog, live_server: LiveServer
) -> None:
    with live_server.database.session(write=False) as db:
        case_study = db.scalars(select(CaseStudy.id).where(CaseStudy.title == CASE_STUDY)).one()
    sign_in(page, OFFICER)
    page.goto(f"/case-studies/{case_study}")
    count = page.locator("#interest").get_by_role("status")

    press(page.get_by_role("button", name="We want to try this", exact=True))
    expect(count).to_be_focused()
    expect(count).to_contain_text("3 organisations want to try this.")
    expect(announcer(page)).not_to_be_empty()

    press(page.get_by_role("button", name=re.compile("withdraw our interest$")))
    expect(count).to_be_focused()
    expect(count).to_contain_text("2 organisations want to try this.")


@pytest.mark.browser
def test_having_a_question_too_keeps_focus_on_its_button(
    page: Page, browser: Browser, base_url: str, console: ConsoleLog
) -> None:
    question = "Does the video call work on a pay-as-you-go phone with little data?"
    sign_in(page, "officer@leeds.example.gov.uk")
    page.goto("/search?kind=pitch&q=video+triage")
    page.get_by_role("link", name=PITCH).click()
    page.get_by_label("Ask a question").fill(question)
    page.get_by_role("button", name="Post", exact=True).last.click()
    expect(page.get_by_text(question)).to_be_visible()
    pitch_path = re.sub(r"^https?://[^/]+", "", page.url).split("#")[0]

    context = browser.new_context(base_url=base_url)
    other_console = ConsoleLog()
    other = other_console.watch(context.new_page())
    sign_in(other, "officer@bristol.example.gov.uk")
    other.goto(pitch_path)
    entry = other.locator(".exchange-thread__entry", has_text=question)

    press(entry.get_by_role("button", name="I have this question too"))
    expect(entry.get_by_role("button", name="I no longer have this question")).to_be_focused()
    expect(announcer(other)).to_have_text("Noted: you have this question too.")

    press(entry.get_by_role("button", name="I no longer have this question"))
    expect(entry.get_by_role("button", name="I have this question too")).to_be_focused()
    expect(announcer(other)).to_have_text("You no longer have this question.")
    other_console.assert_clean()
    context.close()
