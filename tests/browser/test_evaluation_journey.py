"""Two officers of one council evaluate the proposals for a closed need in real Chromium: the first shortlists
both proposals from the proposals list, assigns the panel (both evaluate, the first moderates), declares no
conflict of interest and scores each proposal in one form; the second declares and scores on their own without
seeing the first's scores and cannot moderate; the moderator starts moderation, reads the matrix, downloads it,
agrees the scores with feedback and awards the contract. The losing supplier then signs in and reads its own
scores and feedback, and nothing of anyone else's. axe-core runs on every page."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import delete, select

from exchange.accounts.models import User
from exchange.core.models import utcnow
from exchange.evaluation.models import NeedOutcome, OutcomeKind, PanelMember
from exchange.needs.models import Need, NeedStage
from exchange.notifications.models import Notification, NotificationKind
from exchange.profiles.completeness import today
from tests.browser.conftest import ConsoleLog, LiveServer, assert_accessible, fill_date, screenshot
from tests.browser.test_supplier_profile_journey import sign_in

NEED = "Residents' say on the town centre and canalside masterplan"
WINNER = "Civic Design Lab, Northgate University"
LOSER = "CivicVoice Ltd"
FIRST, SECOND = "Rachel Whitworth", "Daniel Ashworth"
CRITERIA = ["quality of approach", "reach and inclusion", "price"]


def need_id(live_server: LiveServer) -> int:
    with live_server.database.session(write=False) as db:
        return db.scalars(select(Need.id).where(Need.title == NEED)).one()


@contextmanager
def panel_of_one(live_server: LiveServer, need: int, email: str) -> Iterator[None]:
    """For tests of other pages: the officer alone evaluates and moderates the need, having declared no
    conflict; afterwards the need has no panel again, as the demo data loads it."""
    with live_server.database.transaction() as db:
        user_id = db.scalars(select(User.id).where(User.email == email)).one()
        db.add(
            PanelMember(
                need_id=need,
                user_id=user_id,
                is_evaluator=True,
                is_moderator=True,
                declared_at=utcnow(),
                has_conflict=False,
            )
        )
    try:
        yield
    finally:
        with live_server.database.transaction() as db:
            db.execute(delete(PanelMember).where(PanelMember.need_id == need))


def declare_no_conflict(page: Page) -> None:
    """On the evaluation page: the declaration comes before any proposal can be read."""
    expect(page.get_by_role("heading", name="Declare your interests")).to_be_visible()
    page.get_by_label("I have no conflict of interest with these suppliers").check()
    page.get_by_role("button", name="Record my declaration").click()
    expect(page.get_by_text("Your declaration is recorded")).to_be_visible()


def fill_scores(page: Page, scores: list[int | str]) -> None:
    for criterion, value in zip(CRITERIA, scores, strict=True):
        page.get_by_label(f"Your score for {criterion}, from 0 to 100").fill(str(value))
        page.get_by_label(f"Why you gave this score for {criterion}").fill(f"{value} for {criterion}: see notes.")


def score_in_one_form(page: Page, supplier: str, scores: list[int], shot: str) -> None:
    """From the evaluation page: every criterion filled in, then the one button saves them all."""
    page.get_by_role("link", name=f"Score for {supplier}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Score the proposal from {supplier}")
    fill_scores(page, scores)
    screenshot(page, shot)
    assert_accessible(page)
    page.get_by_role("button", name="Save your scores").click()
    expect(page.get_by_text(f"Your scores for {supplier} are saved.")).to_be_visible()


def moderate(page: Page, supplier: str, scores: list[int], feedback: str, shot: str) -> None:
    page.get_by_role("link", name=f"Moderate for {supplier}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Moderate the scores for {supplier}")
    for criterion, value in zip(CRITERIA, scores, strict=True):
        page.get_by_label(f"Agreed score for {criterion}, from 0 to 100").fill(str(value))
        page.get_by_label(f"Moderation note for {criterion}").fill(f"Agreed {value} at the moderation meeting.")
    page.get_by_label(re.compile(f"Feedback for {re.escape(supplier)}")).fill(feedback)
    screenshot(page, shot)
    assert_accessible(page)
    page.get_by_role("button", name="Save agreed scores and feedback").click()
    expect(page.get_by_text(f"The agreed scores and feedback for {supplier} are saved.")).to_be_visible()


@pytest.mark.browser
def test_two_officers_evaluate_award_and_the_losing_supplier_reads_its_feedback(
    page: Page, console: ConsoleLog, live_server: LiveServer
) -> None:
    need = f"/needs/{need_id(live_server)}"

    # The first officer shortlists both proposals from the proposals list, in place.
    sign_in(page, "officer@burnley.example.gov.uk")
    page.goto(need)
    tabs = page.get_by_role("navigation", name="This need")
    tabs.get_by_role("link", name="Proposals", exact=True).click()
    for supplier in (LOSER, WINNER):
        card = page.locator(".exchange-proposal-card", has_text=supplier)
        with page.expect_response(lambda r: r.url.endswith("/shortlist") and r.request.method == "POST"):
            card.get_by_role("button", name=f"Add {supplier} to shortlist").click()
        expect(card.get_by_text("Shortlisted")).to_be_visible()
    assert_accessible(page)

    # The panel: both officers evaluate, the first moderates; then the first declares before reading on.
    tabs.get_by_role("link", name="Evaluation").click()
    page.get_by_role("group", name="Evaluators").get_by_label(FIRST).check()
    page.get_by_role("group", name="Evaluators").get_by_label(SECOND).check()
    page.get_by_role("group", name="Moderator").get_by_label(FIRST).check()
    screenshot(page, "evaluation-journey-01-assign-panel")
    assert_accessible(page)
    page.get_by_role("button", name="Save the panel").click()
    expect(page.get_by_text("The evaluation panel is saved.")).to_be_visible()
    declare_no_conflict(page)
    expect(page.get_by_role("table", name="Your scores")).to_be_visible()
    screenshot(page, "evaluation-journey-01-before-scoring")
    assert_accessible(page)

    # One bad score on the form: everything comes back as typed, with the message, and nothing is saved.
    page.get_by_role("link", name=f"Score for {LOSER}").click()
    fill_scores(page, [65, 60, 120])
    page.get_by_role("button", name="Save your scores").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("Your score for price must be a whole number from 0 to 100")
    expect(page.get_by_label("Your score for quality of approach, from 0 to 100")).to_have_value("65")
    screenshot(page, "evaluation-journey-02-score-error")
    assert_accessible(page)
    page.get_by_role("link", name="Back to the evaluation").first.click()

    score_in_one_form(page, LOSER, [65, 60, 70], "evaluation-journey-03-scored")
    score_in_one_form(page, WINNER, [80, 75, 85], "evaluation-journey-04-scored-second")
    expect(page.get_by_role("table", name="Your scores")).to_contain_text("64.5")

    # The second officer declares, then sees how many have scored, never what they gave; and cannot moderate.
    page.context.clear_cookies()
    sign_in(page, "procurement@burnley.example.gov.uk")
    page.goto(f"{need}/evaluation")
    declare_no_conflict(page)
    own = page.get_by_role("table", name="Your scores")
    expect(own).not_to_contain_text("64.5")
    score_in_one_form(page, LOSER, [55, 62, 68], "evaluation-journey-05-second-evaluator")
    score_in_one_form(page, WINNER, [78, 70, 90], "evaluation-journey-06-second-evaluator-done")
    expect(page.get_by_role("button", name="Start moderation")).to_have_count(0)

    # The moderator starts moderation.
    page.context.clear_cookies()
    sign_in(page, "officer@burnley.example.gov.uk")
    page.goto(f"{need}/evaluation")

    # Moderation: every evaluator's scores side by side, with their spread and totals.
    page.get_by_role("button", name="Start moderation").click()
    ranking = page.get_by_role("table", name="Ranking by agreed weighted total")
    expect(ranking).to_contain_text(f"{FIRST}\u2019s total")
    expect(ranking).to_contain_text(f"{SECOND}\u2019s total")
    expect(page.get_by_role("table", name="Quality of approach (50%)")).to_contain_text("55 to 65")
    screenshot(page, "evaluation-journey-07-matrix")
    assert_accessible(page)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="CSV", exact=True).click()
    rows = list(csv.reader(io.StringIO(download_info.value.path().read_text(encoding="utf-8-sig"))))
    assert rows[0][0] == "Supplier" and {rows[1][0], rows[2][0]} == {LOSER, WINNER}

    moderate(
        page,
        LOSER,
        [60, 61, 69],
        "A clear plan, but fewer in-person events than we need.",
        "evaluation-journey-08-moderate",
    )
    moderate(
        page, WINNER, [79, 72, 88], "A strong deliberative method at a good price.", "evaluation-journey-09-moderate"
    )
    first_row = ranking.get_by_role("row").nth(1)
    expect(first_row).to_contain_text(WINNER)
    expect(first_row).to_contain_text("78.7")
    screenshot(page, "evaluation-journey-10-ranked")
    assert_accessible(page)

    # The outcome: awarded to the highest-ranked supplier.
    tabs.get_by_role("link", name="Outcome").click()
    page.get_by_label("Awarded to a supplier").check()
    page.get_by_label(WINNER).check()
    page.get_by_label("Value of the contract").fill("27,800")
    starts = today() + timedelta(days=30)
    fill_date(page, "Start date", starts)
    screenshot(page, "evaluation-journey-11-outcome-form")
    assert_accessible(page)
    page.get_by_role("button", name="Record the outcome").click()
    expect(page.get_by_text("The outcome is recorded: awarded.")).to_be_visible()
    expect(page.locator(".govuk-summary-list")).to_contain_text(WINNER)
    screenshot(page, "evaluation-journey-12-outcome-recorded")
    assert_accessible(page)

    with live_server.database.session(write=False) as db:
        recorded = db.scalars(select(NeedOutcome).where(NeedOutcome.need_id == need_id(live_server))).one()
        assert recorded.kind is OutcomeKind.AWARDED and recorded.value == 27_800
        assert db.get_one(Need, recorded.need_id).stage is NeedStage.AWARDED

    # The losing supplier reads its own result.
    page.context.clear_cookies()
    sign_in(page, "founder@civicvoice.example")
    expect(page.get_by_role("table", name="Your proposals")).to_contain_text("Not successful")
    page.get_by_role("link", name="Notifications").click()
    page.get_by_role("link", name=re.compile(f"Outcome of your proposal: {re.escape(NEED)}")).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("The outcome of your proposal")
    expect(page.get_by_text("was not successful this time")).to_be_visible()
    expect(page.get_by_text("A clear plan, but fewer in-person events than we need.")).to_be_visible()
    scores = page.get_by_role("table", name="The scores the council agreed for your proposal")
    expect(scores).to_contain_text("62.1")
    # The debrief: its own agreed scores beside the winner's (78.7 in all), and the council's reasons for its own.
    expect(scores).to_contain_text("78.7")
    expect(page.get_by_text("Agreed 60 at the moderation meeting.")).to_be_visible()
    body = page.locator("main").inner_text()
    # Never who scored what, nor what the council told the winner.
    for private in (FIRST, SECOND, "A strong deliberative method"):
        assert private not in body, private
    screenshot(page, "evaluation-journey-13-supplier-feedback")
    assert_accessible(page)

    with live_server.database.session(write=False) as db:
        told = db.scalars(select(Notification.title).where(Notification.kind == NotificationKind.OUTCOME)).all()
        assert f"Your proposal was successful: {NEED}" in told and f"Outcome of your proposal: {NEED}" in told
