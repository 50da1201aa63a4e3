"""Around the evaluation: a shortlist entry points at its supplier's proposal (in one call) and links to it;
the dashboard lists a supplier's proposals with their status, and for a council the proposals received and
the clarification questions waiting for an answer."""

from __future__ import annotations

import html

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from exchange.core.errors import Invalid
from exchange.proposals import clarifications
from exchange.proposals.schemas import QuestionForm
from exchange.shortlists import service as shortlists
from exchange.shortlists.models import ShortlistEntry
from tests import factories
from tests.client import Client
from tests.proposals.conftest import World, close_proposals, draft_proposal, sign_in, submitted_proposal


def test_adding_to_the_shortlist_can_name_the_proposal_in_the_same_call(db: Session, world: World) -> None:
    proposal = submitted_proposal(db, world)
    close_proposals(db, world)
    officer = factories.viewer(db, world.officer)

    entry = shortlists.add(db, officer, world.need.id, world.supplier.id, source="proposal", proposal_id=proposal.id)

    assert (entry.source, entry.proposal_id) == ("proposal", proposal.id)
    assert shortlists.add(db, officer, world.need.id, world.supplier.id, proposal_id=proposal.id) is entry
    assert factories.count(db, ShortlistEntry) == 1


def test_only_the_suppliers_own_submitted_proposal_can_be_named(db: Session, world: World) -> None:
    draft = draft_proposal(db, world, world.rival_admin)
    submitted = submitted_proposal(db, world)
    officer = factories.viewer(db, world.officer)

    with pytest.raises(Invalid, match="not one this supplier submitted"):
        shortlists.add(db, officer, world.need.id, world.rival.id, proposal_id=draft.id)
    with pytest.raises(Invalid, match="not one this supplier submitted"):
        shortlists.add(db, officer, world.need.id, world.rival.id, proposal_id=submitted.id)
    # Its own, while proposals are sealed: as if there were none.
    with pytest.raises(Invalid, match="not one this supplier submitted"):
        shortlists.add(db, officer, world.need.id, world.supplier.id, proposal_id=submitted.id)
    assert factories.count(db, ShortlistEntry) == 0


def test_the_shortlist_page_links_each_entry_to_its_proposal(client: Client, db: Session, world: World) -> None:
    proposal = submitted_proposal(db, world)
    close_proposals(db, world)
    shortlists.add(db, factories.viewer(db, world.officer), world.need.id, world.supplier.id, proposal_id=proposal.id)
    shortlists.add(db, factories.viewer(db, world.officer), world.need.id, world.rival.id)
    sign_in(client, world.colleague)

    page = client.get(f"/needs/{world.need.id}/shortlist").text

    assert f'href="/needs/{world.need.id}/proposals/{proposal.id}"' in page
    assert page.count("Read the proposal") == 1
    entry = db.scalars(select(ShortlistEntry).where(ShortlistEntry.organisation_id == world.supplier.id)).one()
    assert entry.proposal_id == proposal.id


def test_a_suppliers_dashboard_lists_its_proposals_with_their_status(client: Client, db: Session, world: World) -> None:
    proposal = submitted_proposal(db, world)
    sign_in(client, world.supplier_member)

    page = html.unescape(client.get("/dashboard").text)

    assert "Your proposals" in page and world.need.title in page
    assert f'href="/needs/{world.need.id}/proposals/{proposal.id}"' in page and "Submitted" in page


def test_a_councils_dashboard_lists_proposals_received_and_questions_waiting(
    client: Client, db: Session, world: World
) -> None:
    submitted_proposal(db, world)
    draft_proposal(db, world, world.rival_admin)
    clarifications.ask(
        db, factories.viewer(db, world.rival_admin), world.need.id, QuestionForm(question="Is Padiham included?")
    )
    sign_in(client, world.colleague)

    sealed = html.unescape(client.get("/dashboard").text)
    close_proposals(db, world)
    page = html.unescape(client.get("/dashboard").text)

    assert "Sealed until proposals close" in sealed and "1 proposal received" in sealed
    assert "Pennine Community Meals" not in sealed
    assert "Proposals received" in page and "Pennine Community Meals" in page
    assert "Sealed until proposals close" not in page
    assert "Rival Meals Ltd" not in page  # a draft never reaches the council
    assert "Questions waiting for your answer" in page and "1 question" in page
    assert f'href="/needs/{world.need.id}/clarifications"' in page
    # Another council sees none of it.
    client.sign_in(world.other_officer.email, factories.PASSWORD)
    other = client.get("/dashboard").text
    assert "Pennine Community Meals" not in other and "Questions waiting" not in other
