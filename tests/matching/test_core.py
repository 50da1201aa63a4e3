"""The scoring core on plain data: each signal moves the score the right way, hard requirements exclude,
reasons name the real factors, and results do not depend on the order of the input."""

from __future__ import annotations

from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from exchange.core import terms as text
from exchange.matching import core


def contract(
    title: str, buyer: str = "Leeds City Council", value: int | None = None, **extra: object
) -> core.ContractFacts:
    terms = text.term_counts(title)
    return core.ContractFacts(
        title=title,
        buyer=buyer,
        buyer_key=text.normalise_name(buyer),
        year=extra.get("year"),  # type: ignore[arg-type]
        value=value,
        categories=frozenset(extra.get("categories", ())),  # type: ignore[arg-type]
        terms=terms,
        length=sum(terms.values()),
    )


def supplier(
    organisation_id: int, *contracts: core.ContractFacts, name: str = "", **extra: object
) -> core.SupplierFacts:
    words = " ".join([name or f"Supplier {organisation_id}", *(c.title + " " + c.buyer for c in contracts)])
    terms = text.term_counts(words)
    return core.SupplierFacts(
        organisation_id=organisation_id,
        name=name or f"Supplier {organisation_id}",
        terms=terms,
        length=sum(terms.values()),
        contracts=contracts,
        **extra,  # type: ignore[arg-type]
    )


def need(
    title: str = "Online budget consultation", buyer: str = "Burnley Borough Council", **extra: object
) -> core.NeedFacts:
    return core.NeedFacts(
        terms=Counter(set(text.terms(title))),
        buyer=buyer,
        buyer_key=text.normalise_name(buyer),
        surface=text.surface_forms(title),
        **extra,  # type: ignore[arg-type]
    )


def corpus_of(*suppliers: core.SupplierFacts) -> core.Corpus:
    frequency = Counter(term for s in suppliers for term in s.terms)
    average = sum(s.length for s in suppliers) / len(suppliers)
    return core.Corpus(len(suppliers), average, frequency)


def ranked(the_need: core.NeedFacts, *suppliers: core.SupplierFacts) -> core.Ranking:
    return core.rank([(s.organisation_id, the_need, s) for s in suppliers], corpus_of(*suppliers))


def score_of(ranking: core.Ranking, key: int) -> float:
    return next(m.score for m in ranking.matches + ranking.not_meeting if m.key == key)


FILLER = [supplier(100 + n, contract(f"Grounds maintenance lot {n}")) for n in range(5)]


def test_text_relevance_ranks_the_supplier_that_did_the_work_first() -> None:
    consults = supplier(1, contract("Online budget consultation platform"))
    paving = supplier(2, contract("Road resurfacing"))
    ranking = ranked(need(), paving, consults, *FILLER)
    assert ranking.matches[0].key == 1
    reasons = [c.reason for c in ranking.matches[0].reasons]
    assert any("“consultation”" in r and "“budget”" in r for r in reasons)


def test_a_past_contract_with_the_same_buyer_raises_the_score_and_says_so() -> None:
    alike = [contract("Online budget consultation"), contract("Library app")]
    stranger = supplier(1, *alike)
    known = supplier(
        2, contract("Online budget consultation"), contract("Library app", buyer="Burnley Borough Council")
    )
    ranking = ranked(need(), stranger, known, *FILLER)
    assert score_of(ranking, 2) > score_of(ranking, 1)
    best = ranking.matches[0]
    assert best.key == 2
    assert "Has worked for Burnley Borough Council before (1 contract, self-declared)" in [
        c.reason for c in best.reasons
    ]


def test_similar_work_names_the_contract_its_buyer_and_year() -> None:
    done = supplier(1, contract("Budget consultation for residents", buyer="Wigan Council", year=2024))
    match = ranked(need(), done, *FILLER).matches[0]
    assert "Delivered similar work for Wigan Council in 2024: “Budget consultation for residents”" in [
        c.reason for c in match.reasons
    ]


def test_region_category_and_budget_each_add_to_the_score() -> None:
    work = "Online budget consultation"
    plain = supplier(1, contract(work, value=5_000_000))
    local = supplier(2, contract(work, value=5_000_000), regions=frozenset({"north west"}))
    in_category = supplier(3, contract(work, value=5_000_000, categories={"consultations"}))
    right_size = supplier(4, contract(work, value=40_000))
    the_need = need(
        region_key="north west", region_label="North West", categories=frozenset({"consultations"}), budget=50_000
    )
    ranking = ranked(the_need, plain, local, in_category, right_size, *FILLER)
    base = score_of(ranking, 1)
    assert score_of(ranking, 2) > base and score_of(ranking, 3) > base and score_of(ranking, 4) > base
    reasons = {m.key: [c.reason for c in m.reasons] for m in ranking.matches}
    assert "Works in North West" in reasons[2]
    assert "Past work in consultations" in reasons[3]
    assert "Has delivered a contract of a similar size (£40,000)" in reasons[4]
    assert not any("Works in" in r for r in reasons[1])


def test_a_missing_required_certification_sets_the_supplier_apart_with_the_reason() -> None:
    best_text = supplier(1, contract("Online budget consultation platform"))
    certified = supplier(2, contract("Consultation"), certifications=frozenset({"cyber_essentials_plus"}))
    the_need = need(required_certifications=frozenset({"cyber_essentials"}))
    ranking = ranked(the_need, best_text, certified, *FILLER)
    assert [m.key for m in ranking.matches][:1] == [2]
    assert 1 not in [m.key for m in ranking.matches]
    apart = next(m for m in ranking.not_meeting if m.key == 1)
    assert apart.unmet == ("Does not hold a current Cyber Essentials certificate, which this need requires",)
    assert ranking.matches[0].requirements_met == ("Holds Cyber Essentials, which this need requires",)


def test_a_required_region_excludes_suppliers_that_work_elsewhere_or_have_not_said() -> None:
    elsewhere = supplier(1, contract("Budget consultation"), regions=frozenset({"london"}))
    silent = supplier(2, contract("Budget consultation"))
    local = supplier(3, contract("Budget consultation"), regions=frozenset({"north west"}))
    the_need = need(region_key="north west", region_label="North West", region_required=True)
    ranking = ranked(the_need, elsewhere, silent, local)
    assert [m.key for m in ranking.matches] == [3]
    unmet = {m.key: m.unmet for m in ranking.not_meeting}
    assert unmet[1] == ("Does not work in North West, where this need must be delivered",)
    assert unmet[2] == ("Has not said it works in North West, where this need must be delivered",)


def test_the_reasons_are_the_factors_that_made_the_score() -> None:
    match = ranked(
        need(), supplier(1, contract("Budget consultation", buyer="Burnley Borough Council")), *FILLER
    ).matches[0]
    assert abs(match.score - sum(c.points for c in match.contributions)) < 1e-9
    assert {c.factor for c in match.contributions} <= set(core.FACTOR_WEIGHTS)
    assert all(c.points <= core.FACTOR_WEIGHTS[c.factor] + 1e-9 for c in match.contributions)
    assert 0 <= match.percent <= 100


def test_a_matching_offer_is_a_reason_that_links_to_it() -> None:
    offer = core.ListingFacts("offer", 7, "Online budget consultation", text.term_counts("Online budget consultation"))
    with_offer = supplier(1, contract("Budget consultation"), listings=(offer,))
    match = ranked(need(), with_offer, *FILLER).matches[0]
    listing = next(c for c in match.reasons if c.factor == "listing")
    assert listing.reason == "Offers: Online budget consultation" and listing.item == ("offer", 7)


TITLES = ["Budget consultation", "Library app", "Meals at home", "Consultation analysis", "Bin sensors", "Road repairs"]
BUYERS = ["Burnley Borough Council", "Leeds City Council", "Wigan Council"]


@st.composite
def suppliers_strategy(draw: st.DrawFn) -> list[core.SupplierFacts]:
    count = draw(st.integers(min_value=1, max_value=8))
    out = []
    for n in range(count):
        works = draw(st.lists(st.tuples(st.sampled_from(TITLES), st.sampled_from(BUYERS)), min_size=1, max_size=4))
        out.append(
            supplier(
                n + 1, *(contract(t, buyer=b, value=draw(st.sampled_from([None, 10_000, 90_000]))) for t, b in works)
            )
        )
    return out


@settings(max_examples=60, deadline=None)
@given(suppliers_strategy(), st.sampled_from(TITLES), st.randoms(use_true_random=False))
def test_scores_are_deterministic_and_the_order_does_not_depend_on_the_input_order(
    suppliers: list[core.SupplierFacts], title: str, rng: object
) -> None:
    the_need = need(title, budget=50_000)
    corpus = corpus_of(*suppliers)
    first = core.rank([(s.organisation_id, the_need, s) for s in suppliers], corpus)
    shuffled = list(suppliers)
    rng.shuffle(shuffled)  # type: ignore[attr-defined]
    second = core.rank([(s.organisation_id, the_need, s) for s in shuffled], corpus)
    assert first == second
    scores = [m.score for m in first.matches]
    assert scores == sorted(scores, reverse=True)


def test_small_firms_and_social_enterprises_get_a_small_lift_and_say_why() -> None:
    work = contract("Online budget consultation")
    large = supplier(1, work, size="large")
    small = supplier(2, work, size="small")
    social = supplier(3, work, is_vcse=True)
    ranking = ranked(need(), large, small, social, *FILLER)
    assert score_of(ranking, 2) > score_of(ranking, 1) and score_of(ranking, 3) > score_of(ranking, 1)
    reasons = {m.key: [c.reason for c in m.reasons] for m in ranking.matches}
    assert "A small business" in reasons[2]
    assert "A voluntary, community or social enterprise" in reasons[3]


def test_the_score_alone_is_the_sum_of_the_explained_points_for_every_candidate() -> None:
    suppliers = [
        supplier(1, contract("Online budget consultation", buyer="Burnley Borough Council", value=40_000)),
        supplier(2, contract("Budget consultation app", categories={"consultations"}), size="small"),
        supplier(3, contract("Library app"), regions=frozenset({"north west"}), endorsements=2),
        *FILLER,
    ]
    the_need = need(region_key="north west", categories=frozenset({"consultations"}), budget=50_000)
    pairs = [(s.organisation_id, the_need, s) for s in suppliers]
    scorer = core.Scorer(pairs, corpus_of(*suppliers))
    for pair in pairs:
        assert abs(scorer.points(*pair) - scorer.score(*pair).score) < 1e-9
    assert scorer.leading(pairs, 2) == [m.key for m in core.best((scorer.score(*p) for p in pairs), 2).matches]
