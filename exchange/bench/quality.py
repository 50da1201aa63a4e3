"""How good rankings are against the labels of a benchmark: recall@k, MRR@10 and candidate recall.

Only this scoring step reads labels, after the matcher has written its rankings; the matcher never sees them.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

KS = (1, 5, 10)


@dataclass(frozen=True)
class Quality:
    requests: int
    recall: dict[int, float]
    mrr_at_10: float
    # Share of requests whose labelled answer was among the candidates scored at all (None: not measured).
    candidate_recall: float | None = None

    def line(self) -> str:
        recall = "  ".join(f"recall@{k} {value:.3f}" for k, value in self.recall.items())
        candidates = "" if self.candidate_recall is None else f"  candidate recall {self.candidate_recall:.3f}"
        return f"{recall}  MRR@10 {self.mrr_at_10:.3f}{candidates}"


def json_lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def read_labels(path: Path) -> dict[str, str]:
    """Request id -> the id of the supplier that really won it."""
    return {str(row["request_id"]): str(row["supplier_id"]) for row in json_lines(path)}


def measure(
    truth: Mapping[str, str],
    rankings: Mapping[str, Sequence[str]],
    candidates: Mapping[str, Collection[str]] | None = None,
    ks: Sequence[int] = KS,
) -> Quality:
    """Recall@k and MRR@10 of the labelled answer; a request with no ranking counts as a miss."""
    hits = dict.fromkeys(ks, 0)
    reciprocal = 0.0
    found = 0
    for request_id, answer in truth.items():
        ranked = list(rankings.get(request_id, []))
        position = ranked.index(answer) + 1 if answer in ranked else None
        if position is not None:
            if position <= 10:
                reciprocal += 1 / position
            for k in hits:
                hits[k] += position <= k
        if candidates is not None:
            found += answer in candidates.get(request_id, ())
    count = len(truth) or 1
    return Quality(
        len(truth),
        {k: n / count for k, n in hits.items()},
        reciprocal / count,
        found / count if candidates is not None else None,
    )
