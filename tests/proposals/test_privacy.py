"""A proposal is seen by its supplier's members and, once submitted, by the need's council; everyone else
(another council, another supplier, anonymous visitors) gets 404 from every page and endpoint."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from exchange.accounts.models import User
from exchange.proposals.models import Proposal
from exchange.shortlists import service as shortlists
from exchange.shortlists.models import ShortlistEntry
from tests import factories
from tests.client import Client
from tests.proposals.conftest import (
    World,
    close_proposals,
    draft_proposal,
    make_council_admin,
    sign_in,
    submitted_proposal,
    written,
)

OUTSIDERS = ["other council", "other supplier", "anonymous"]


def outsider(world: World, who: str) -> User | None:
    return {"other council": world.other_officer, "other supplier": world.rival_admin, "anonymous": None}[who]


def private_reads(proposal: Proposal) -> list[str]:
    base = f"/needs/{proposal.need_id}/proposals/{proposal.id}"
    return [base, f"{base}/edit", f"{base}/review", f"{base}/withdraw"]


@pytest.mark.parametrize("who", OUTSIDERS)
@pytest.mark.parametrize("submitted", [False, True], ids=["draft", "submitted"])
def test_a_proposal_is_404_to_outsiders_on_every_page_and_endpoint(
    client: Client, db: Session, world: World, who: str, submitted: bool
) -> None:
    proposal = (submitted_proposal if submitted else draft_proposal)(db, world)
    sign_in(client, outsider(world, who))
    before = written(db)
    base = f"/needs/{world.need.id}/proposals/{proposal.id}"

    for path in [*private_reads(proposal), f"/needs/{world.need.id}/proposals"]:
        assert client.get(path).status_code == 404, path
    for path in (f"{base}/edit", f"{base}/submit", f"{base}/withdraw", f"{base}/shortlist"):
        assert client.post(path, {"approach": "Taken over"}).status_code == 404, path
    assert client.get(f"/api/v1/needs/{world.need.id}/proposals").status_code == 404
    own = client.get(f"/api/v1/needs/{world.need.id}/proposal")
    assert own.status_code in (404, 403)  # another supplier has none; a council account cannot have one
    assert "Pennine" not in own.text
    assert written(db) == before


def test_the_council_never_sees_a_draft(client: Client, db: Session, world: World) -> None:
    proposal = draft_proposal(db, world)
    sign_in(client, world.officer)
    for path in private_reads(proposal):
        assert client.get(path).status_code == 404, path
    listing = client.get(f"/needs/{world.need.id}/proposals")
    assert listing.status_code == 200 and "Pennine" not in listing.text
    close_proposals(db, world)
    listed = client.get(f"/api/v1/needs/{world.need.id}/proposals").json()
    assert (listed["sealed"], listed["received"], listed["proposals"]) == (False, 0, [])
    assert "Proposals received (0)" in client.get(f"/needs/{world.need.id}").text


def test_every_member_of_the_supplier_sees_and_edits_its_proposal(client: Client, db: Session, world: World) -> None:
    proposal = draft_proposal(db, world, world.supplier_admin)
    sign_in(client, world.supplier_member)
    for path in private_reads(proposal):
        assert client.get(path).status_code == 200, path
    assert "Continue your proposal" in client.get(f"/needs/{world.need.id}").text


def test_the_council_reads_submitted_proposals_sorted_and_filtered(client: Client, db: Session, world: World) -> None:
    weaker = submitted_proposal(db, world, world.rival_admin, nice_to_haves=False)
    stronger = submitted_proposal(db, world)
    close_proposals(db, world)
    sign_in(client, world.officer)

    listing = client.get(f"/needs/{world.need.id}/proposals").text

    assert listing.index("Pennine Community Meals") < listing.index("Rival Meals Ltd")
    assert "2 of 2" in listing and "1 of 1" in listing and "0 of 1" in listing and "£90,000" in listing
    filtered = client.get(f"/needs/{world.need.id}/proposals?meets=all").text
    assert "Pennine Community Meals" in filtered and "Rival Meals Ltd" in filtered  # essentials are always met
    detail = client.get(f"/needs/{world.need.id}/proposals/{stronger.id}")
    assert detail.status_code == 200 and "We cook locally" in detail.text and "Add<span" in detail.text
    assert "Meets 2 of 2 essential requirements" in detail.text
    assert client.get(f"/needs/{world.need.id}/proposals/{weaker.id}").status_code == 200


def test_the_council_shortlists_a_proposal_in_place_and_the_entry_points_at_it(
    client: Client, db: Session, world: World
) -> None:
    proposal = submitted_proposal(db, world)
    close_proposals(db, world)
    sign_in(client, world.officer)
    path = f"/needs/{world.need.id}/proposals/{proposal.id}/shortlist"

    response = client.post(path, {"return_to": "list"}, headers={"HX-Request": "true"})

    assert response.status_code == 200 and "Shortlisted" in response.text and "<html" not in response.text
    entry = db.scalars(select(ShortlistEntry)).one()
    assert (entry.organisation_id, entry.source, entry.proposal_id) == (world.supplier.id, "proposal", proposal.id)
    plain = client.post(path, {"return_to": "list"})  # twice is still once; without JavaScript, back to the list
    assert plain.status_code == 303 and plain.headers["location"] == f"/needs/{world.need.id}/proposals"
    assert factories.count(db, ShortlistEntry) == 1
    assert "Shortlisted" in client.get(f"/needs/{world.need.id}/proposals").text
    assert "Pennine Community Meals" in client.get(f"/needs/{world.need.id}/shortlist").text


def test_a_supplier_already_shortlisted_from_its_matches_gets_its_proposal_linked(
    client: Client, db: Session, world: World
) -> None:
    shortlists.add(db, factories.viewer(db, world.officer), world.need.id, world.supplier.id)
    proposal = submitted_proposal(db, world)
    close_proposals(db, world)
    sign_in(client, world.officer)
    assert client.post(f"/needs/{world.need.id}/proposals/{proposal.id}/shortlist").status_code == 303
    entry = db.scalars(select(ShortlistEntry)).one()
    assert entry.source == "match" and entry.proposal_id == proposal.id


def test_without_a_panel_only_the_owner_and_the_council_admins_read_opened_proposals(
    client: Client, db: Session, world: World
) -> None:
    proposal = submitted_proposal(db, world)
    close_proposals(db, world)
    newcomer = factories.officer(db, "BUN")
    sign_in(client, newcomer)

    listing = client.get(f"/needs/{world.need.id}/proposals")
    detail = client.get(f"/needs/{world.need.id}/proposals/{proposal.id}")
    api = client.get(f"/api/v1/needs/{world.need.id}/proposals")

    for response in (listing, detail, api):
        assert response.status_code == 403 and "Pennine" not in response.text
    assert "The need&#39;s owner assigns the evaluators" in listing.text
    assert f'href="/needs/{world.need.id}/evaluation#panel"' in listing.text
    make_council_admin(db, newcomer, world.council)
    assert "Pennine Community Meals" in client.get(f"/needs/{world.need.id}/proposals").text
    sign_in(client, world.officer)
    assert client.get(f"/needs/{world.need.id}/proposals/{proposal.id}").status_code == 200
