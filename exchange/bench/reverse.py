"""The reverse benchmark (``exchange bench match --reverse``): opportunities for a supplier.

For each held-back award of a benchmark, the needs are ranked for the supplier that won it, as the
opportunities page ranks them; the award's own need should come first. Beside it, plain BM25 (``bm25s``) over
the needs' text, queried with the supplier's evidence document. Labels only choose which suppliers to ask
about, and score the answers afterwards: the ranking never sees them.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Mapping

from rich.console import Console
from sqlalchemy import select

from exchange.bench.load import percentile
from exchange.bench.quality import Quality, measure
from exchange.core.database import Database
from exchange.matching import ranker
from exchange.matching.facts import need_text
from exchange.matching.models import SupplierDocument
from exchange.matching.service import rank_needs
from exchange.needs.models import Need
from exchange.search.models import SearchDocument

RANKED = 20
DEPTH = 100


def rank_for_suppliers(
    database: Database,
    truth: Mapping[str, str],
    supplier_ids: Mapping[str, int],
    need_ids: Mapping[str, int],
    model: ranker.Model | None = None,
) -> tuple[Quality, list[float]]:
    """The matcher's figures for finding each award's need from its supplier, and the time each ranking took."""
    request_of = {need_id: request_id for request_id, need_id in need_ids.items()}
    rankings: dict[str, list[str]] = {}
    considered: dict[str, set[str]] = {}
    latencies: list[float] = []
    for request_id, answer in truth.items():
        organisation_id = supplier_ids.get(answer)
        if organisation_id is None:
            continue
        with database.session() as db:
            started = time.perf_counter()
            ranked = rank_needs(db, organisation_id, [SearchDocument.kind == "need"], RANKED, model=model)
            latencies.append((time.perf_counter() - started) * 1000)
        # Keyed by the request, as its answer is that request's own need.
        rankings[request_id] = [request_of[m.key] for m in ranked.ranking.matches + ranked.ranking.not_meeting]
        considered[request_id] = {request_of[key] for key in ranked.ranking.candidates if key in request_of}
    identity = {request_id: request_id for request_id in truth}
    return measure(identity, rankings, considered), latencies


def bm25_for_suppliers(
    database: Database, truth: Mapping[str, str], supplier_ids: Mapping[str, int], need_ids: Mapping[str, int]
) -> Quality:
    """Plain BM25 over the needs' text, queried with each awarded supplier's evidence document."""
    import bm25s

    with database.session() as db:
        needs = list(db.scalars(select(Need).where(Need.id.in_(list(need_ids.values()))).order_by(Need.id)))
        documents = {
            row.organisation_id: f"{row.name}\n{row.body}"
            for row in db.execute(
                select(SupplierDocument.organisation_id, SupplierDocument.name, SupplierDocument.body).where(
                    SupplierDocument.organisation_id.in_(list(supplier_ids.values()))
                )
            )
        }
    request_of = {need_id: request_id for request_id, need_id in need_ids.items()}
    retriever = bm25s.BM25()
    retriever.index(bm25s.tokenize([need_text(n) for n in needs], show_progress=False), show_progress=False)
    asked = [r for r, answer in truth.items() if supplier_ids.get(answer) in documents]
    queries = [documents[supplier_ids[truth[r]]] for r in asked]
    found, scores = retriever.retrieve(
        bm25s.tokenize(queries, show_progress=False), k=min(DEPTH, len(needs)), show_progress=False
    )
    rankings = {
        request_id: [request_of[needs[p].id] for p, value in zip(positions, values, strict=True) if value > 0]
        for request_id, positions, values in zip(asked, found, scores, strict=True)
    }
    return measure({r: r for r in truth}, rankings, ks=(1, 5, 10, 100))


def run_reverse(
    database: Database,
    truth: Mapping[str, str],
    file_ids: Mapping[int, str],
    need_ids: Mapping[str, int],
    model: ranker.Model | None,
    console: Console,
) -> tuple[Quality, Quality]:
    """The matcher's and plain BM25's figures for the reverse direction; prints the time per ranking."""
    # Labels only choose which suppliers to ask about; the rankings never see them.
    organisation_of = {file_id: organisation_id for organisation_id, file_id in file_ids.items()}
    matcher, latencies = rank_for_suppliers(database, truth, organisation_of, need_ids, model)
    bm25 = bm25_for_suppliers(database, truth, organisation_of, need_ids)
    ordered = sorted(latencies)
    console.print(
        f"reverse: ranking the needs for one supplier: median {statistics.median(ordered):.1f} ms, "
        f"p95 {percentile(ordered, 0.95):.1f} ms",
        soft_wrap=True,
    )
    return matcher, bm25
