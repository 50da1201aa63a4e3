"""A supplier writes its proposal through the pages: starts a draft, saves and comes back, checks it, submits
it (locked, the council told) and may withdraw it before the closing date."""

from __future__ import annotations

import html

from sqlalchemy import select
from sqlalchemy.orm import Session

from exchange.notifications import service as notifications
from exchange.notifications.models import Notification, NotificationKind
from exchange.proposals.models import Proposal, ProposalAnswer, ProposalStatus
from tests import factories
from tests.client import Client
from tests.proposals.conftest import World, form_of, sign_in, submitted_proposal, written


def start(client: Client, world: World) -> str:
    response = client.post(f"/needs/{world.need.id}/respond", {})
    assert response.status_code == 303, response.text
    return response.headers["location"].removesuffix("/edit")


def test_a_supplier_drafts_comes_back_and_submits_and_the_council_is_told(
    client: Client, db: Session, world: World
) -> None:
    factories.complete_profile(db, world.supplier)
    notifications.set_email(db, world.colleague.id, NotificationKind.PROPOSAL_RECEIVED, False)
    sign_in(client, world.supplier_member)
    need_page = client.get(f"/needs/{world.need.id}").text
    assert "Start your proposal" in need_page
    assert client.get(f"/needs/{world.need.id}/respond").status_code == 200

    base = start(client, world)
    proposal = db.scalars(select(Proposal)).one()
    assert base == f"/needs/{world.need.id}/proposals/{proposal.id}" and proposal.status is ProposalStatus.DRAFT
    assert factories.audit_events(db, "proposal", proposal.id, "proposal.draft_created")
    assert start(client, world) == base  # starting again finds the same draft
    assert factories.count(db, Proposal) == 1

    # A first, partial draft, saved to come back to.
    [first, *_] = world.requirements(db)
    saved = client.post(
        f"{base}/edit",
        {f"answer_{first.id}_meets": "yes", f"answer_{first.id}_evidence": "We cook daily.", "action": "draft"},
    )
    assert saved.status_code == 303 and saved.headers["location"] == base
    assert "Draft" in client.get(base).text and "Continue your proposal" in client.get(base).text
    back = client.get(f"{base}/edit").text
    assert "We cook daily.</textarea>" in back and 'value="yes" checked' in back
    review = html.unescape(client.get(f"{base}/review").text)
    assert "Before you can submit" in review and "Enter your price" in review and "Submit proposal" not in review

    # Finished, checked and submitted.
    finished = client.post(f"{base}/edit", {**form_of(world, db), "action": "review"})
    assert finished.status_code == 303 and finished.headers["location"] == f"{base}/review"
    assert "Submit proposal" in client.get(f"{base}/review").text
    submitted = client.post(f"{base}/submit")
    assert submitted.status_code == 303
    db.refresh(proposal)
    assert proposal.status is ProposalStatus.SUBMITTED and proposal.submitted_by_id == world.supplier_member.id
    assert proposal.price == 90_000 and proposal.attach_profile and proposal.profile_completeness == 100
    assert factories.audit_events(db, "proposal", proposal.id, "proposal.submitted")
    told = db.scalars(select(Notification).where(Notification.kind == NotificationKind.PROPOSAL_RECEIVED)).all()
    assert {n.user_id for n in told} == {world.officer.id, world.colleague.id}
    # Sealed: the council is told one arrived, not whose it is.
    assert all(n.link == f"/needs/{world.need.id}/proposals" for n in told)
    assert all("Pennine" not in n.title + n.body and "sealed" in n.body for n in told)
    assert len(factories.emails_to(db, world.officer.email)) == 1
    assert factories.emails_to(db, world.colleague.email) == []  # switched that kind of email off
    # The supplier's own receipt, and nothing about the council's side.
    [receipt] = factories.emails_to(db, world.supplier_member.email)
    assert receipt.subject == f"Proposal submitted: {world.need.title}"
    page = client.get(base).text
    assert "Submitted</strong>" in page and "locked" in page and "Withdraw this proposal" in page


def test_a_submitted_proposal_is_locked_and_cannot_be_submitted_twice(
    client: Client, db: Session, world: World
) -> None:
    proposal = submitted_proposal(db, world)
    base = f"/needs/{world.need.id}/proposals/{proposal.id}"
    sign_in(client, world.supplier_admin)
    before = written(db)

    again = client.post(f"{base}/submit")
    assert again.status_code == 409 and "cannot be submitted twice. Nothing has changed." in again.text
    edited = client.post(f"{base}/edit", {**form_of(world, db, price="1"), "action": "draft"})
    assert edited.status_code == 409 and "locked" in edited.text
    assert client.get(f"{base}/edit").headers["location"] == base

    assert written(db) == before
    db.refresh(proposal)
    assert proposal.price == 90_000


def test_withdrawing_before_the_close_is_final(client: Client, other_client: Client, db: Session, world: World) -> None:
    proposal = submitted_proposal(db, world)
    base = f"/needs/{world.need.id}/proposals/{proposal.id}"
    sign_in(client, world.supplier_member)
    assert "cannot submit another proposal" in html.unescape(client.get(f"{base}/withdraw").text)

    assert client.post(f"{base}/withdraw").status_code == 303
    db.refresh(proposal)
    assert proposal.status is ProposalStatus.WITHDRAWN and proposal.withdrawn_at is not None
    assert factories.audit_events(db, "proposal", proposal.id, "proposal.withdrawn")

    before = written(db)
    resubmitted = client.post(f"{base}/submit")
    assert resubmitted.status_code == 409 and "withdrawn: it cannot be changed or submitted again" in resubmitted.text
    assert client.post(f"{base}/withdraw").status_code == 409
    assert client.post(f"/needs/{world.need.id}/respond", {}).headers["location"] == base  # no second proposal
    assert written(db) == before

    sign_in(other_client, world.officer)
    listing = other_client.get(f"/needs/{world.need.id}/proposals").text
    assert "Pennine Community Meals</a>" not in listing and "1 proposal was withdrawn" in listing


def test_a_draft_cannot_be_withdrawn(client: Client, db: Session, world: World) -> None:
    sign_in(client, world.supplier_admin)
    base = start(client, world)
    before = written(db)
    response = client.post(f"{base}/withdraw")
    assert response.status_code == 409 and "nothing to withdraw" in response.text
    assert written(db) == before


def test_a_proposal_that_does_not_meet_an_essential_requirement_cannot_be_submitted(
    client: Client, db: Session, world: World
) -> None:
    sign_in(client, world.supplier_admin)
    base = start(client, world)
    first = world.requirements(db)[0]
    client.post(f"{base}/edit", {**form_of(world, db, **{f"answer_{first.id}_meets": "no"}), "action": "review"})
    before = written(db)

    review = html.unescape(client.get(f"{base}/review").text)
    page = client.post(f"{base}/submit")
    api = client.api("POST", f"/api/v1/needs/{world.need.id}/proposal/submit")

    assert "You cannot submit this proposal: you said you do not meet essential requirement 1" in review
    assert "Submit proposal" not in review
    assert page.status_code == api.status_code == 422
    assert "does not meet every essential requirement" in html.unescape(page.text)
    assert api.json()["errors"] == {
        f"answer_{first.id}_meets": "You cannot submit a proposal that does not meet essential requirement 1:"
        " every essential requirement must be met"
    }
    assert written(db) == before
    proposal = db.scalars(select(Proposal).where(Proposal.need_id == world.need.id)).one()
    assert proposal.status is ProposalStatus.DRAFT and proposal.submitted_at is None

    # Saying "yes" with evidence, it goes.
    client.post(f"{base}/edit", {**form_of(world, db), "action": "review"})
    assert client.post(f"{base}/submit").status_code == 303


def test_the_choices_of_a_need_page_follow_the_visitor(client: Client, db: Session, world: World) -> None:
    page = client.get(f"/needs/{world.need.id}").text
    assert "as a supplier, social enterprise or community group to send a proposal" in page
    sign_in(client, world.officer)
    page = client.get(f"/needs/{world.need.id}").text
    assert "Start your proposal" not in page and "Proposals received (0)" in page


def test_evidence_within_the_limit_as_a_browser_counts_it_is_kept(client: Client, db: Session, world: World) -> None:
    """Browsers send each line break as two characters but count it as one: 2,000 counted is accepted."""
    sign_in(client, world.supplier_admin)
    base = start(client, world)
    first = world.requirements(db)[0]
    evidence = "\r\n".join(["x" * 99] * 20) + "x"  # 1,981 letters and 19 line breaks: 2,019 sent, 2,000 counted
    response = client.post(f"{base}/edit", {**form_of(world, db, **{f"answer_{first.id}_evidence": evidence})})
    assert response.status_code == 303
    answer = db.scalars(select(ProposalAnswer).where(ProposalAnswer.requirement_id == first.id)).one()
    assert len(answer.evidence) == 2_000 and "\r" not in answer.evidence


def test_a_public_need_links_to_its_ocds_release_and_a_draft_does_not(
    client: Client, db: Session, world: World
) -> None:
    link = f'href="/api/v1/needs/{world.need.id}/ocds"'
    assert link in client.get(f"/needs/{world.need.id}").text
    assert client.get(f"/api/v1/needs/{world.need.id}/ocds").status_code == 200
    draft = factories.need(db, world.officer, world.council, draft=True, title="Not yet published")
    sign_in(client, world.officer)
    page = client.get(f"/needs/{draft.id}").text
    assert "Not yet published" in page and f'href="/api/v1/needs/{draft.id}/ocds"' not in page
