"""An officer invites a matched supplier to respond, from the need's Matches tab, after seeing what it will be
told; the supplier then finds the invitation on its dashboard and on the need. axe-core on every page; the demo
data is put back as it was found."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import delete, select

from exchange.needs.models import Need
from exchange.notifications.models import Notification, NotificationKind
from exchange.outbox.models import OutboxMessage
from exchange.proposals.models import ProposalInvitation
from tests.browser.conftest import ConsoleLog, LiveServer, assert_accessible, screenshot
from tests.browser.test_supplier_profile_journey import sign_in

OFFICER = "officer@burnley.example.gov.uk"
SUPPLIER_PERSON = "founder@civicvoice.example"
SUPPLIER = "CivicVoice Ltd"
NEED = "Meals at home for older and disabled residents"


def need_id(live_server: LiveServer) -> int:
    with live_server.database.session(write=False) as db:
        return db.scalars(select(Need.id).where(Need.title == NEED)).one()


def forget_invitations(live_server: LiveServer, need: int) -> None:
    with live_server.database.transaction() as db:
        db.execute(delete(ProposalInvitation).where(ProposalInvitation.need_id == need))
        db.execute(delete(Notification).where(Notification.kind == NotificationKind.INVITED_TO_RESPOND.value))
        db.execute(delete(OutboxMessage).where(OutboxMessage.subject.like("% to respond to %")))


@pytest.mark.browser
def test_an_officer_invites_a_match_and_the_supplier_sees_the_invitation(
    page: Page, console: ConsoleLog, live_server: LiveServer
) -> None:
    need = need_id(live_server)
    try:
        sign_in(page, OFFICER)
        page.goto(f"/needs/{need}/matches")
        card = page.locator(".exchange-match", has=page.get_by_role("link", name=SUPPLIER, exact=True))
        card.get_by_role("link", name=f"Invite {SUPPLIER} to respond").click()

        expect(page.get_by_role("heading", level=1)).to_have_text("Invite suppliers to respond")
        expect(page.locator(".exchange-invite-list")).to_have_text(SUPPLIER)
        expect(page.locator(".exchange-invite-preview")).to_contain_text("Proposals close at the end of")
        screenshot(page, "invitation-01-confirm")
        assert_accessible(page)
        page.get_by_role("button", name="Send the invitation").click()

        expect(page).to_have_url(re.compile(rf"/needs/{need}/matches$"))
        expect(page.get_by_text(f"Invited {SUPPLIER} to respond. They have been told.")).to_be_visible()
        expect(card.locator(".exchange-invited")).to_contain_text("Invited ")
        expect(card.get_by_role("link", name=re.compile("to respond$"))).to_have_count(0)
        assert_accessible(page)
        assert live_server.latest_email(SUPPLIER_PERSON).subject.startswith(
            f"Burnley Borough Council invited {SUPPLIER} to respond"
        )

        page.get_by_role("navigation", name="This need").get_by_role("link", name="Need").click()
        invited = page.locator(".exchange-invitations")
        expect(invited).to_contain_text(SUPPLIER)
        expect(invited).to_contain_text("response sealed until proposals close")

        page.context.clear_cookies()
        sign_in(page, SUPPLIER_PERSON)
        received = page.locator(".exchange-invitations-received")
        expect(received).to_contain_text(f"Burnley Borough Council invited {SUPPLIER} to respond to {NEED}")
        screenshot(page, "invitation-02-supplier-dashboard")
        assert_accessible(page)
        received.get_by_role("link", name=NEED).click()
        banner = page.locator(".exchange-invited-notice")
        expect(banner).to_contain_text(f"Burnley Borough Council invited {SUPPLIER} to respond")
        expect(banner).to_contain_text("proposals close at the end of")
        page.set_viewport_size({"width": 390, "height": 844})
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        screenshot(page, "invitation-03-need-page-phone")
        assert_accessible(page)
    finally:
        forget_invitations(live_server, need)
