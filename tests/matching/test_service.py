"""Matching against the real database (SQLite and PostgreSQL): candidates from full text, facts, freshness, privacy."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from exchange.accounts.models import User
from exchange.core.errors import NotFound
from exchange.listings import service as listings
from exchange.listings.models import ListingStatus, Offer
from exchange.matching import documents, service
from exchange.matching.models import MatchTerm, SupplierDocument
from exchange.needs.models import Need, NeedStage, Visibility
from exchange.organisations.models import Organisation
from exchange.profiles.models import PastContract
from exchange.reference.models import Region
from exchange.search import indexer
from exchange.search.models import SearchDocument
from tests import factories


def track_record(db: Session, organisation: Organisation, *works: tuple[str, str]) -> None:
    """Past contracts (title, buyer) for a supplier, and its evidence document written again, as the profile does."""
    for title, buyer in works:
        db.add(
            PastContract(organisation_id=organisation.id, title=title, buyer_name=buyer, categories=[], value=40_000)
        )
    db.flush()
    documents.refresh_supplier(db, organisation.id)


@dataclass
class World:
    officer: User
    council: Organisation
    need: Need
    consultants: Organisation
    consultants_admin: User
    pavers: Organisation


@pytest.fixture
def world(db: Session) -> World:
    officer = factories.officer(db, "BUN")
    council = factories.council(db, "BUN")
    need = factories.need(
        db,
        officer,
        council,
        title="Online budget consultation",
        summary="Hear from more residents about the budget.",
        problem_statement="Only a few hundred people answer our paper budget consultation each year.",
    )
    admin = factories.user(db)
    consultants = factories.supplier(db, admin, name="Civic Voice Ltd")
    track_record(db, consultants, ("Budget consultation for residents", "Burnley Borough Council"))
    pavers = factories.supplier(db, name="Road Menders Ltd")
    track_record(db, pavers, ("Road resurfacing", "Leeds City Council"), ("Pothole repairs", "Wigan Council"))
    for n in range(3):
        track_record(db, factories.supplier(db), (f"Grounds maintenance lot {n}", "Kent County Council"))
    return World(officer, council, need, consultants, admin, pavers)


def test_the_supplier_that_did_similar_work_for_the_same_council_comes_first_with_the_reasons(
    db: Session, world: World
) -> None:
    found = service.matches_for_need(db, factories.viewer(db, world.officer), world.need.id)
    first = found.matches[0]
    assert first.organisation_id == world.consultants.id
    reasons = [c.reason for c in first.match.reasons]
    assert "Has worked for Burnley Borough Council before (1 contract, self-declared)" in reasons
    assert "Delivered similar work for Burnley Borough Council: “Budget consultation for residents”" in reasons
    assert world.pavers.id not in [m.organisation_id for m in found.matches[:1]]


def test_a_new_supplier_and_its_offer_are_matchable_at_once_and_leave_when_withdrawn(db: Session, world: World) -> None:
    founder = factories.user(db)
    newcomer = factories.supplier(db, founder, name="Newcomer CIC")
    documents.refresh_supplier(db, newcomer.id)
    offer = factories.offer(
        db, founder, newcomer, title="Participatory budget consultation", summary="Residents vote on budget priorities."
    )
    viewer = factories.viewer(db, world.officer)
    found = {m.organisation_id: m for m in service.matches_for_need(db, viewer, world.need.id).matches}
    assert newcomer.id in found
    listing = next(c for c in found[newcomer.id].match.reasons if c.factor == "listing")
    assert listing.reason == "Offers: Participatory budget consultation" and listing.item == ("offer", offer.id)

    listings.set_status(db, factories.viewer(db, founder), Offer, offer.id, ListingStatus.WITHDRAWN)
    found = {m.organisation_id: m for m in service.matches_for_need(db, viewer, world.need.id).matches}
    assert newcomer.id not in found or all(c.factor != "listing" for c in found[newcomer.id].match.reasons)


def test_term_counts_follow_every_change_to_the_documents(db: Session, world: World) -> None:
    track_record(db, world.pavers, ("Budget consultation support", "Wigan Council"))
    documents.remove_supplier(db, world.consultants.id)

    expected: dict[str, int] = {}
    for terms in db.scalars(select(SupplierDocument.terms)):
        for term in terms:
            expected[term] = expected.get(term, 0) + 1
    stored = {term: n for term, n in db.execute(select(MatchTerm.term, MatchTerm.documents))}
    assert stored == expected
    assert db.scalar(select(func.count()).select_from(SupplierDocument)) == len(
        {o for o in db.scalars(select(SupplierDocument.organisation_id))}
    )


def test_a_required_certification_sets_apart_suppliers_without_it(db: Session, world: World) -> None:
    world.need.required_certifications = ["cyber_essentials"]
    db.flush()
    viewer = factories.viewer(db, world.officer)
    found = service.matches_for_need(db, viewer, world.need.id)
    apart = {m.organisation_id: m.match.unmet for m in found.not_meeting}
    assert apart[world.consultants.id] == (
        "Does not hold a current Cyber Essentials certificate, which this need requires",
    )
    factories.certification(db, world.consultants, "cyber_essentials")
    found = service.matches_for_need(db, viewer, world.need.id)
    assert found.matches[0].organisation_id == world.consultants.id
    assert found.matches[0].match.requirements_met == ("Holds Cyber Essentials, which this need requires",)
    # An expired certificate does not count.
    factories.certification(db, world.pavers, "cyber_essentials", expires_in_days=-1)
    ranking = service.rank_suppliers(db, world.need)
    assert world.pavers.id in {m.key for m in ranking.not_meeting}


def test_a_required_region_excludes_suppliers_that_work_elsewhere(db: Session, world: World) -> None:
    north_west = db.scalars(select(Region).where(Region.name == "North West")).one()
    london = db.scalars(select(Region).where(Region.name == "London")).one()
    world.need.region_id, world.need.region_required = north_west.id, True
    world.consultants.region_id = london.id
    db.flush()
    found = service.matches_for_need(db, factories.viewer(db, world.officer), world.need.id)
    apart = {m.organisation_id: m.match.unmet for m in found.not_meeting}
    assert apart[world.consultants.id] == ("Does not work in North West, where this need must be delivered",)


def test_matches_are_for_the_council_only(db: Session, world: World) -> None:
    for person in (factories.officer(db, "MAN"), world.consultants_admin, factories.user(db)):
        with pytest.raises(NotFound):
            service.matches_for_need(db, factories.viewer(db, person), world.need.id)


def test_opportunities_rank_open_needs_for_the_supplier_and_never_show_private_ones(db: Session, world: World) -> None:
    council = world.council
    closed = factories.need(db, world.officer, council, title="Budget consultation review")
    closed.stage = NeedStage.CLOSED
    indexer.index_need(db, closed)
    private = factories.need(
        db,
        world.officer,
        council,
        title="Budget consultation for staff",
        stage=NeedStage.OPEN_FOR_PROPOSALS,
        visibility=Visibility.ORGANISATION,
    )
    sector_only = factories.need(
        db,
        world.officer,
        council,
        title="Budget consultation for councillors",
        stage=NeedStage.OPEN_FOR_PROPOSALS,
        visibility=Visibility.PUBLIC_SECTOR,
    )
    viewer = factories.viewer(db, world.consultants_admin)
    found = service.opportunities(db, viewer, world.consultants.id)
    ids = [o.need.id for o in found]
    assert ids[0] == world.need.id
    assert {closed.id, private.id, sector_only.id}.isdisjoint(ids)
    assert "Has worked for Burnley Borough Council before (1 contract, self-declared)" in [
        c.reason for c in found[0].match.reasons
    ]


def test_opportunities_are_for_the_organisations_members_only(db: Session, world: World) -> None:
    for person in (world.officer, factories.user(db)):
        with pytest.raises(NotFound):
            service.opportunities(db, factories.viewer(db, person), world.consultants.id)


def test_a_past_contract_added_on_the_profile_is_matchable_at_once(db: Session, world: World) -> None:
    from exchange.profiles import service as profiles
    from exchange.profiles.schemas import PastContractForm

    supplier_viewer = factories.viewer(db, world.consultants_admin)
    officer_viewer = factories.viewer(db, world.officer)
    form = PastContractForm(title="Citizens' budget assembly", buyer_name="Wigan Council")
    contract = profiles.add_past_contract(db, supplier_viewer, world.consultants, form)
    first = service.matches_for_need(db, officer_viewer, world.need.id).matches[0]
    assert any(
        "assembly" in str(c["title"]).lower() for c in db.get_one(SupplierDocument, world.consultants.id).contracts
    )
    assert first.organisation_id == world.consultants.id
    profiles.remove_item(db, supplier_viewer, world.consultants, PastContract, contract.id)
    titles = [c["title"] for c in db.get_one(SupplierDocument, world.consultants.id).contracts]
    assert "Citizens' budget assembly" not in titles


def test_related_items_come_from_other_organisations_across_kinds_and_never_private_ones(
    db: Session, world: World
) -> None:
    from exchange.matching.related import related

    leeds_officer = factories.officer(db, "LDS")
    leeds = factories.council(db, "LDS")
    other_need = factories.need(db, leeds_officer, leeds, title="Budget consultation with young people")
    hidden = factories.need(
        db, leeds_officer, leeds, title="Budget consultation for staff", visibility=Visibility.ORGANISATION
    )
    offer = factories.offer(db, world.consultants_admin, world.consultants, title="Budget consultation platform")
    own = factories.need(db, world.officer, world.council, title="Budget consultation follow-up")
    anonymous = factories.viewer(db, factories.user(db))
    found = related(db, anonymous, "need", world.need.id, world.need.organisation_id, "Online budget consultation")
    keys = {(item.hit.kind, item.hit.item_id) for item in found}
    assert ("need", other_need.id) in keys and ("offer", offer.id) in keys
    assert ("need", hidden.id) not in keys and ("need", own.id) not in keys and ("need", world.need.id) not in keys


def test_while_needs_are_few_a_supplier_is_scored_against_those_sharing_none_of_its_words(
    db: Session, world: World
) -> None:
    # Road menders share no word with the budget consultation; with so few open needs it is still a candidate
    # (plain BM25 over all words would reach it too), and it is ranked by its facts like any other.
    ranked = service.rank_needs(db, world.pavers.id, [SearchDocument.kind == "need"])
    assert world.need.id in ranked.ranking.candidates
