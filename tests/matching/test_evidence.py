"""Evidence, not words: place words are never reasons, confirmed work counts more than declared work, each match
shows the past work most like the need, candidates keep what plain BM25 finds, related items say why."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import bm25s
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from exchange.core import terms as text
from exchange.core.models import utcnow
from exchange.listings.models import ListingStatus, Offer
from exchange.listings.service import set_status
from exchange.matching import candidates, core, facts, places, service
from exchange.matching.documents import refresh_supplier
from exchange.matching.models import RelatedList, SupplierDocument
from exchange.matching.related import FRESH_FOR, related
from exchange.organisations.models import Organisation
from exchange.profiles.models import PastContract
from exchange.search import cache as search_cache
from exchange.search import indexer
from exchange.search.models import SearchDocument
from tests import factories
from tests.client import Client
from tests.matching.test_core import FILLER, contract, corpus_of, need, supplier


def _track_record(db: Session, organisation: Organisation, *works: tuple[str, str, int | None]) -> None:
    for title, buyer, year in works:
        awarded = utcnow().date().replace(year=year) if year else None
        db.add(
            PastContract(
                organisation_id=organisation.id, title=title, buyer_name=buyer, categories=[], awarded_on=awarded
            )
        )
    db.flush()
    refresh_supplier(db, organisation.id)


def test_council_and_place_words_are_never_reasons_nor_shared_evidence(db: Session) -> None:
    officer = factories.officer(db, "BUN")
    council = factories.council(db, "BUN")
    need = factories.need(
        db,
        officer,
        council,
        title="Meals at home for half of Burnley borough",
        summary="Hot meals delivered to older residents across the borough of Burnley.",
    )
    recycler = factories.supplier(db, name="Green Bins Ltd")
    _track_record(db, recycler, ("Half-term recycling for Burnley Borough Council, city and county", "Wigan", None))
    cooks = factories.supplier(db, name="Hot Plates CIC")
    _track_record(db, cooks, ("Meals delivered at home for older residents", "Leeds City Council", None))

    ranking = service.rank_suppliers(db, need)
    reasons = [c.reason.lower() for m in ranking.matches + ranking.not_meeting for c in m.reasons]
    for word in ("half", "burnley", "borough", "council", "city", "county"):
        assert not any(f"“{word}" in reason for reason in reasons), word
    assert ranking.matches[0].key == cooks.id
    scored = {m.key: m for m in ranking.matches + ranking.not_meeting}
    assert recycler.id not in scored or all(c.factor != "text" for c in scored[recycler.id].contributions)
    need_terms = facts.needs(db, [need])[need.id].terms
    assert not set(need_terms) & places.PLACE_TERMS
    assert {"meal", "hot", "older"} <= set(need_terms)


def test_place_words_come_from_the_real_list_of_councils_but_not_ordinary_words() -> None:
    for place in ("burnley", "wigan", "kirklees", "borough", "council", "half", "councils"):
        assert places.is_place(text.stem(place)), place
    for work in ("reading", "forest", "sea", "test", "meals", "recycling", "sweeper"):
        assert not places.is_place(text.stem(work)), work


def test_work_the_council_confirmed_outranks_work_only_declared_all_else_equal() -> None:
    work = contract("Online budget consultation", buyer="Leeds City Council")
    declared = supplier(1, work, contract("Library app", buyer="Burnley Borough Council"))
    confirmed = supplier(
        2,
        work,
        contract("Library app", buyer="Kent County Council"),
        confirmed=(core.ConfirmedWork(buyer_id=77, buyer="Burnley Borough Council", year=2025),),
    )
    the_need = need(buyer_id=77)
    corpus = corpus_of(declared, confirmed, *FILLER)
    ranking = core.rank([(s.organisation_id, the_need, s) for s in (declared, confirmed, *FILLER)], corpus)
    scores = {m.key: m for m in ranking.matches}
    assert scores[2].score > scores[1].score
    assert ranking.matches[0].key == 2
    reasons_of = {key: [c.reason for c in m.reasons] for key, m in scores.items()}
    assert "Has worked for Burnley Borough Council before (confirmed by Burnley Borough Council)" in reasons_of[2]
    assert "Has worked for Burnley Borough Council before (1 contract, self-declared)" in reasons_of[1]


def test_a_confirmed_reference_is_read_as_confirmed_work_and_a_pending_one_is_not(db: Session) -> None:
    council = factories.council(db, "BUN")
    firm = factories.supplier(db, name="Civic Voice Ltd")
    _track_record(db, firm, ("Budget consultation", "Leeds City Council", None))
    factories.reference(db, firm, council)
    assert facts.suppliers(db, [firm.id])[firm.id].confirmed == ()
    factories.reference(db, firm, council, confirmed_at=utcnow())
    (work,) = facts.suppliers(db, [firm.id])[firm.id].confirmed
    assert work.buyer_id == council.id and work.buyer == council.name


def test_each_match_shows_the_past_contracts_most_like_the_need_with_buyer_and_year(db: Session) -> None:
    officer = factories.officer(db, "BUN")
    need = factories.need(db, officer, factories.council(db, "BUN"), title="Compact road sweeper hire")
    maker = factories.supplier(db, name="Sweepers Ltd")
    _track_record(
        db,
        maker,
        ("Compact road sweeper supply", "Wigan Council", 2023),
        ("Road sweeper maintenance", "Leeds City Council", 2021),
        ("Office cleaning", "Kent County Council", 2022),
        ("Sweeper hire for winter", "Derby City Council", 2024),
    )
    match = next(m for m in service.rank_suppliers(db, need).matches if m.key == maker.id)
    assert 2 <= len(match.evidence) <= 3
    first = match.evidence[0]
    assert (first.title, first.buyer, first.year) == ("Compact road sweeper supply", "Wigan Council", 2023)
    assert "Office cleaning" not in [e.title for e in match.evidence]


def test_candidates_include_plain_bm25s_best_hits(db: Session) -> None:
    officer = factories.officer(db, "BUN")
    topics = ["street sweeping", "legal advice", "school meals", "bin collection", "parking enforcement"]
    for n in range(30):
        firm = factories.supplier(db, name=f"Firm {n}")
        _track_record(
            db,
            firm,
            (f"{topics[n % 5].capitalize()} lot {n}", "Wigan Council", None),
            (f"{topics[(n * 3 + 1) % 5].capitalize()} support", "Leeds City Council", None),
        )
    need = factories.need(
        db, officer, factories.council(db, "BUN"), title="Street sweeping and legal advice on parking enforcement"
    )
    rows = db.execute(select(SupplierDocument.organisation_id, SupplierDocument.name, SupplierDocument.body)).all()
    retriever = bm25s.BM25()
    retriever.index(bm25s.tokenize([f"{r.name}\n{r.body}" for r in rows], show_progress=False), show_progress=False)
    found, scores = retriever.retrieve(
        bm25s.tokenize([facts.need_text(need)], show_progress=False), k=10, show_progress=False
    )
    top = {rows[p].organisation_id for p, s in zip(found[0], scores[0], strict=True) if s > 0}
    assert top
    pairs, _ = service.supplier_candidates(db, need)
    assert top <= {key for key, _, _ in pairs}


def test_related_items_say_why_and_unrelated_ones_are_left_out(db: Session) -> None:
    officer = factories.officer(db, "BUN")
    council = factories.council(db, "BUN")
    need = factories.need(
        db, officer, council, title="Compact road sweeper for narrow streets", summary="Sweeping narrow lanes."
    )
    leeds_officer = factories.officer(db, "LDS")
    leeds = factories.council(db, "LDS")
    alike = factories.need(
        db, leeds_officer, leeds, title="Road sweeper for narrow streets in the old town", summary="Cobbled lanes."
    )
    admin = factories.user(db)
    maker = factories.supplier(db, admin, name="Sweepers Ltd")
    offer = factories.offer(db, admin, maker, title="Compact road sweeper hire", summary="Sweepers for narrow streets.")
    _track_record(db, maker, ("Compact sweeper supply", "Wigan Council", None), ("Road sweeper hire", "Kent", None))
    caterer_admin = factories.user(db)
    caterer = factories.supplier(db, caterer_admin, name="Hot Plates CIC")
    unrelated = factories.offer(
        db, caterer_admin, caterer, title="School meals for Burnley borough", summary="Meals for the streets' schools."
    )
    viewer = factories.viewer(db, factories.user(db))
    found = related(db, viewer, "need", need.id, council.id, f"{need.title}\n{need.summary}")
    keys = {(item.hit.kind, item.hit.item_id): item for item in found}
    assert ("need", alike.id) in keys and ("offer", offer.id) in keys
    assert ("offer", unrelated.id) not in keys
    why = keys[("offer", offer.id)].why
    shown = why.removeprefix("Also about ").split(";")[0]
    assert why.startswith("Also about “") and any(w in shown for w in ("sweeper", "compact", "narrow", "road"))
    assert "past contracts on the same subject" in why
    assert "burnley" not in " ".join(item.why.lower() for item in found)


def test_the_need_page_says_why_each_related_item_is_there(client: Client, db: Session) -> None:
    officer = factories.officer(db, "BUN")
    need = factories.need(
        db, officer, factories.council(db, "BUN"), title="Compact road sweeper", summary="Sweeping narrow lanes."
    )
    admin = factories.user(db)
    maker = factories.supplier(db, admin, name="Sweepers Ltd")
    factories.offer(db, admin, maker, title="Compact road sweeper hire", summary="Sweepers for narrow lanes.")
    page = client.get(f"/needs/{need.id}")
    assert page.status_code == 200
    assert "You might also be interested in" in page.text and "Compact road sweeper hire" in page.text
    assert "Also about “" in page.text
    # Kept for the other workers once the page's own transaction had finished (see core.afterwards).
    stored = db.scalars(select(RelatedList).where(RelatedList.kind == "need", RelatedList.item_id == need.id)).one()
    assert [entry["why"][:10] for entry in stored.entries] == ["Also about"]


def test_bare_numbers_are_never_a_reason_for_a_related_item(db: Session) -> None:
    officer = factories.officer(db, "BUN")
    council = factories.council(db, "BUN")
    title, summary = "Repairs app for 7,500 homes", "Tenants report repairs; 2,000 a year."
    need = factories.need(db, officer, council, title=title, summary=summary)
    admin = factories.user(db)
    factories.offer(db, admin, factories.supplier(db, admin, name="Repairline Ltd"), title=title, summary=summary)
    printer_admin = factories.user(db)
    printer = factories.supplier(db, printer_admin, name="Leaflet Print Ltd")
    factories.offer(db, printer_admin, printer, title="Printing 5,000 leaflets", summary="Printed 2,000 a year.")
    viewer = factories.viewer(db, factories.user(db))

    found = related(db, viewer, "need", need.id, council.id, f"{title}\n{summary}")

    assert found and all(item.hit.organisation_id != printer.id for item in found)
    assert not any(ch.isdigit() for item in found for ch in item.why), [item.why for item in found]


def test_an_item_withdrawn_between_finding_and_reading_is_left_out(
    db: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On PostgreSQL a document withdrawn by another request between related()'s two queries was a KeyError
    (a 500 on the need page). The candidates query is replaced here by one that also names a document gone
    by the time the rows are read, which is what the race did."""
    council = factories.council(db)
    need = factories.need(db, factories.officer(db), council, title="Compact road sweeper", summary="Narrow lanes.")
    admin = factories.user(db)
    offer = factories.offer(
        db, admin, factories.supplier(db, admin), title="Compact road sweeper hire", summary="Sweepers for lanes."
    )
    offer_document = db.scalars(
        select(SearchDocument.id).where(SearchDocument.kind == "offer", SearchDocument.item_id == offer.id)
    ).one()
    monkeypatch.setattr(candidates, "documents_by_text", lambda *_, **__: [offer_document, 2_000_000_000])
    viewer = factories.viewer(db, factories.user(db))

    found = related(db, viewer, "need", need.id, council.id, f"{need.title}\n{need.summary}")

    assert [(item.hit.kind, item.hit.item_id) for item in found] == [("offer", offer.id)]


def _sweeper_need_and_offer(db: Session) -> tuple[Any, Any, Any]:
    council = factories.council(db)
    need = factories.need(db, factories.officer(db), council, title="Compact road sweeper", summary="Narrow lanes.")
    admin = factories.user(db)
    offer = factories.offer(
        db, admin, factories.supplier(db, admin), title="Compact road sweeper hire", summary="Sweepers for lanes."
    )
    return need, offer, admin


def _related_to(db: Session, need: Any) -> list[tuple[str, int]]:
    viewer = factories.viewer(db, factories.user(db))
    found = related(db, viewer, "need", need.id, need.organisation_id, f"{need.title}\n{need.summary}")
    return [(item.hit.kind, item.hit.item_id) for item in found]


def _ranking_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    def must_not_rank(*_: object, **__: object) -> list[int]:
        raise AssertionError("the related items were ranked again")

    monkeypatch.setattr(candidates, "documents_by_text", must_not_rank)


def test_a_related_ranking_is_made_once_and_shared_with_every_worker(
    db: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    need, offer, _ = _sweeper_need_and_offer(db)
    assert _related_to(db, need) == [("offer", offer.id)]
    stored = db.scalars(select(RelatedList).where(RelatedList.kind == "need", RelatedList.item_id == need.id)).one()
    assert stored.audience == "public" and stored.entries[0]["why"].startswith("Also about")

    # Another worker (an empty memory cache) reads the stored ranking instead of ranking again.
    search_cache.clear()
    _ranking_fails(monkeypatch)
    assert _related_to(db, need) == [("offer", offer.id)]


def test_an_item_hidden_after_the_ranking_was_made_is_never_shown_and_a_renamed_one_shows_its_new_title(
    db: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    need, offer, admin = _sweeper_need_and_offer(db)
    assert _related_to(db, need) == [("offer", offer.id)]
    _ranking_fails(monkeypatch)

    offer.title = "Compact sweeper hire, weekly"
    db.flush()
    indexer.index_offer(db, offer)
    viewer = factories.viewer(db, factories.user(db))
    [shown] = related(db, viewer, "need", need.id, need.organisation_id, f"{need.title}\n{need.summary}")
    assert shown.hit.title == "Compact sweeper hire, weekly"

    set_status(db, factories.viewer(db, admin), Offer, offer.id, ListingStatus.WITHDRAWN)
    assert _related_to(db, need) == []


def test_a_ranking_is_made_again_when_the_item_is_edited_or_an_hour_has_passed(
    db: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    need, offer, _ = _sweeper_need_and_offer(db)
    assert _related_to(db, need) == [("offer", offer.id)]
    ranked: list[object] = []
    real = candidates.documents_by_text

    def counted(*args: Any, **options: Any) -> list[int]:
        ranked.append(args)
        return real(*args, **options)

    monkeypatch.setattr(candidates, "documents_by_text", counted)

    need.summary = "Sweepers for narrow lanes."
    assert _related_to(db, need) == [("offer", offer.id)] and len(ranked) == 1

    stored = db.scalars(select(RelatedList).where(RelatedList.item_id == need.id)).one()
    stored.computed_at = utcnow() - FRESH_FOR - timedelta(minutes=1)
    db.flush()
    search_cache.clear()
    assert _related_to(db, need) == [("offer", offer.id)] and len(ranked) == 2
