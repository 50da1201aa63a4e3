"""The plain baseline the matcher is measured against: BM25 (the ``bm25s`` package, its default settings) over the
very supplier text the matcher indexes (name and evidence document), queried with the need's own text.

Computed in the same run, on the same imported data, so that the matcher's figures and the baseline's are a fair
ratio. ``bm25s`` is a development dependency: the exchange itself never needs it.
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import select

from exchange.core.database import Database
from exchange.matching.facts import need_text
from exchange.matching.models import SupplierDocument
from exchange.needs.models import Need

DEPTH = 100


def bm25_rankings(
    database: Database, need_ids: Mapping[str, int], file_ids: Mapping[int, str], depth: int = DEPTH
) -> dict[str, list[str]]:
    """Request id -> the file ids of the ``depth`` suppliers plain BM25 ranks best for it."""
    import bm25s

    with database.session() as db:
        rows = db.execute(
            select(SupplierDocument.organisation_id, SupplierDocument.name, SupplierDocument.body).order_by(
                SupplierDocument.organisation_id
            )
        ).all()
        needs = {n.id: n for n in db.scalars(select(Need).where(Need.id.in_(list(need_ids.values()))))}
        queries = {request_id: need_text(needs[need_id]) for request_id, need_id in need_ids.items()}
    ids = [row.organisation_id for row in rows]
    retriever = bm25s.BM25()
    retriever.index(
        bm25s.tokenize([f"{row.name}\n{row.body}" for row in rows], show_progress=False), show_progress=False
    )
    order = list(queries)
    tokens = bm25s.tokenize([queries[request_id] for request_id in order], show_progress=False)
    found, scores = retriever.retrieve(tokens, k=min(depth, len(ids)), show_progress=False)
    rankings: dict[str, list[str]] = {}
    for request_id, positions, values in zip(order, found, scores, strict=True):
        # A supplier sharing no word with the need is not a hit, whatever place bm25s gives it.
        rankings[request_id] = [
            file_ids[ids[p]] for p, value in zip(positions, values, strict=True) if value > 0 and ids[p] in file_ids
        ]
    return rankings
