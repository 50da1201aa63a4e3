"""Filters and facet counts: each facet counts under every other filter but its own, and nothing private
is shown or counted for a viewer who may not see it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy.orm import Session

from exchange.accounts.models import User
from exchange.core.viewer import ANONYMOUS, Viewer
from exchange.needs import service as needs
from exchange.needs.models import NeedStage, Visibility
from exchange.reference.models import Category, Region
from exchange.search.schemas import SearchQuery, SearchResults
from exchange.search.service import search
from tests import factories

WORD = "marmoset"  # in every item of the catalogue below, so the tests see only their own items


@dataclass
class Catalogue:
    member: User
    other_officer: User
    supplier: User
    categories: list[Category]
    regions: list[Region]


@pytest.fixture
def catalogue(db: Session) -> Catalogue:
    """2 pitches, 3 offers (1 free), 4 needs (public idea, public open, public-sector, organisation-only)."""
    supplier = factories.user(db)
    firm = factories.supplier(db, supplier)
    member = factories.officer(db, "BUN")
    council = factories.council(db, "BUN")
    other_officer = factories.officer(db, "MAN")
    (c1, c2), (r1, r2) = factories.categories(db, 2), factories.regions(db, 2)
    words = {"description": f"About {WORD}s."}
    factories.pitch(db, supplier, firm, category_id=c1.id, region_id=r1.id, **words)
    factories.pitch(db, supplier, firm, category_id=c2.id, region_id=r2.id, **words)
    factories.offer(db, supplier, firm, category_id=c1.id, region_id=r1.id, **words)
    factories.offer(db, supplier, firm, price_model="one_off", price_amount=900, region_id=r1.id, **words)
    factories.offer(db, supplier, firm, price_model="quote", category_id=c1.id, region_id=r2.id, **words)
    need_words = {"problem_statement": f"A long enough problem about {WORD}s in the borough."}
    factories.need(db, member, council, category_id=c1.id, region_id=r1.id, **need_words)
    open_need = factories.need(db, member, council, category_id=c2.id, region_id=r1.id, **need_words)
    needs.change_stage(db, factories.viewer(db, member), open_need.id, NeedStage.OPEN_FOR_PROPOSALS)
    sector, private = Visibility.PUBLIC_SECTOR, Visibility.ORGANISATION
    factories.need(db, member, council, title="Sector-only need", visibility=sector, region_id=r1.id, **need_words)
    factories.need(db, member, council, title="Council-only need", visibility=private, region_id=r2.id, **need_words)
    return Catalogue(member, other_officer, supplier, [c1, c2], [r1, r2])


def run(db: Session, viewer: Viewer = ANONYMOUS, **filters: Any) -> SearchResults:
    return search(db, viewer, SearchQuery(q=WORD, **filters))


def counts(results: SearchResults, name: str) -> dict[str, int]:
    [facet] = [facet for facet in results.facets if facet.name == name]
    return {option.value: option.count for option in facet.options if option.count}


def test_without_filters_every_facet_counts_what_the_viewer_may_see(db: Session, catalogue: Catalogue) -> None:
    results = run(db)
    c1, c2 = (str(c.parent_id) for c in catalogue.categories)
    r1, r2 = (str(r.id) for r in catalogue.regions)

    assert results.total == 7
    assert counts(results, "kind") == {"pitch": 2, "offer": 3, "need": 2}
    assert counts(results, "price") == {"free": 1, "paid": 2}
    assert counts(results, "stage") == {"idea": 1, "open_for_proposals": 1}
    assert counts(results, "category") == {c1: 4, c2: 2}
    assert counts(results, "region") == {r1: 5, r2: 2}
    assert counts(results, "organisation_kind") == {"supplier": 5, "council": 2}


def test_a_facet_counts_with_the_other_filters_but_not_its_own(db: Session, catalogue: Catalogue) -> None:
    r1 = catalogue.regions[0].id

    results = run(db, kind=("offer",), region=(r1,))

    assert results.total == 2
    assert {hit.kind for hit in results.hits} == {"offer"}
    assert counts(results, "kind") == {"pitch": 1, "offer": 2, "need": 2}  # in region 1, any kind
    assert counts(results, "region") == {str(r1): 2, str(catalogue.regions[1].id): 1}  # offers, any region
    assert counts(results, "price") == {"free": 1, "paid": 1}  # offers in region 1
    kind_options = {o.value: o.selected for o in next(f for f in results.facets if f.name == "kind").options}
    assert kind_options == {"pitch": False, "offer": True, "need": False}


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"kind": ("pitch",)}, 2),
        ({"kind": ("pitch", "need")}, 4),
        ({"price": ("free",)}, 1),
        ({"price": ("paid",)}, 2),
        ({"price": ("free", "paid")}, 7),
        ({"stage": ("open_for_proposals",)}, 1),
        ({"stage": ("awarded",)}, 0),
        ({"organisation_kind": ("council",)}, 2),
    ],
)
def test_each_filter_narrows_the_results(
    db: Session, catalogue: Catalogue, filters: dict[str, Any], expected: int
) -> None:
    results = run(db, **filters)

    assert results.total == expected
    assert len(results.hits) == expected


def test_category_filters_by_top_level_function_and_region_by_region(db: Session, catalogue: Catalogue) -> None:
    top = catalogue.categories[0].parent_id
    assert top is not None

    by_category = run(db, category=(top,))
    by_region = run(db, region=(catalogue.regions[1].id,))

    assert by_category.total == 4 and {hit.category_top_id for hit in by_category.hits} == {top}
    assert by_region.total == 2 and {hit.region_id for hit in by_region.hits} == {catalogue.regions[1].id}


def test_private_needs_are_neither_shown_nor_counted_for_those_who_may_not_see_them(
    db: Session, catalogue: Catalogue
) -> None:
    supplier = factories.viewer(db, catalogue.supplier)
    other_officer = factories.viewer(db, catalogue.other_officer)
    member = factories.viewer(db, catalogue.member)

    for viewer, visible in ((ANONYMOUS, 2), (supplier, 2), (other_officer, 3), (member, 4)):
        results = run(db, viewer)
        need_hits = [hit for hit in results.hits if hit.kind == "need"]
        assert len(need_hits) == visible
        assert counts(results, "kind")["need"] == visible
        assert counts(results, "organisation_kind")["council"] == visible
        assert run(db, viewer, kind=("need",)).total == visible
        assert sum(counts(results, "region").values()) == 5 + visible


def test_administrators_find_every_need_as_they_can_open_every_need(db: Session, catalogue: Catalogue) -> None:
    administrator = factories.viewer(db, factories.user(db, admin=True))

    results = run(db, administrator, kind=("need",))

    assert results.total == 4
    assert counts(run(db, administrator), "kind")["need"] == 4
    assert run(db, ANONYMOUS, kind=("need",)).total == 2  # the administrator's results are not shared


def test_the_search_page_neither_lists_nor_counts_them_for_anonymous_visitors(
    db: Session, catalogue: Catalogue, client: Any
) -> None:
    page = client.get("/search", params={"q": WORD}).text

    assert "Sector-only need" not in page and "Council-only need" not in page
    assert re.search(r"Needs <span class=\"exchange-facet-count\">\(2\)</span>", page)
    assert "<strong>7</strong> results" in page


def test_a_member_of_the_council_sees_its_private_need_in_the_region_counts(db: Session, catalogue: Catalogue) -> None:
    r2 = str(catalogue.regions[1].id)

    assert counts(run(db), "region")[r2] == 2
    assert counts(run(db, factories.viewer(db, catalogue.member)), "region")[r2] == 3


def test_pages_split_the_results_without_overlap(db: Session, catalogue: Catalogue) -> None:
    pages = [run(db, per_page=3, page=number) for number in (1, 2, 3, 4)]

    assert [len(page.hits) for page in pages] == [3, 3, 1, 0]
    assert all(page.total == 7 and page.pages == 3 for page in pages)
    seen = [(hit.kind, hit.item_id) for page in pages for hit in page.hits]
    assert len(seen) == len(set(seen)) == 7


def test_the_api_gives_the_same_results_and_facets(db: Session, catalogue: Catalogue, client: Any) -> None:
    response = client.get("/api/v1/search", params={"q": WORD, "kind": "offer", "per_page": 2, "page": 2})

    assert response.status_code == 200
    body = response.json()
    assert (body["total"], body["page"], body["pages"], len(body["results"])) == (3, 2, 2, 1)
    kind = next(facet for facet in body["facets"] if facet["name"] == "kind")
    assert {o["value"]: o["count"] for o in kind["options"]} == {"pitch": 2, "offer": 3, "need": 2}
