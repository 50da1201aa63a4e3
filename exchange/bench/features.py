"""The factor strengths of every candidate the matcher scores, written out to train the ranking on.

``exchange bench match BENCH_DIR --features FILE`` writes one line per request: its id and, for each candidate
supplier (by the file's id), the strength (0..1) of each factor, with text relevance and similar work as plain
ratios (power 1) so that training can choose their powers. No labels here: the training script joins them.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

from exchange.core.database import Database
from exchange.matching import core, facts, ranker
from exchange.matching.service import supplier_candidates
from exchange.needs.models import Need

# Ratios, not squares: training raises them to the powers it finds best.
PLAIN = ranker.Model(ranker.DEFAULT.weights, text_power=1.0, contract_power=1.0)


def write_features(database: Database, need_ids: Mapping[str, int], file_ids: Mapping[int, str], path: Path) -> int:
    """Writes the features of every request's candidates; returns how many candidate lines were written."""
    written = 0
    with path.open("w", encoding="utf-8") as file:
        for request_id, need_id in need_ids.items():
            with database.session() as db:
                need = db.get_one(Need, need_id)
                pairs, corpus = supplier_candidates(db, need)
                complete = facts.with_completeness_of(db, {k: s for k, _, s in pairs}, [k for k, _, _ in pairs])
                scorer = core.Scorer(pairs, corpus, PLAIN)
                candidates = {
                    file_ids[key]: {
                        factor: round(value, 4)
                        for factor, value in scorer.strengths(key, need_facts, complete[key]).items()
                        if value > 0
                    }
                    for key, need_facts, _ in pairs
                    if key in file_ids
                }
            file.write(json.dumps({"request_id": request_id, "candidates": candidates}) + "\n")
            written += len(candidates)
    return written
