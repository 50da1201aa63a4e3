"""The learned part of matching: how much each factor of a match counts, read from ``weights.json``.

The weights were fitted by ``python -m exchange.matching.ranker.train`` (see its docstring) on features derived
from real award benchmarks, each set checked on the other. A factor the benchmarks cannot show (endorsements,
case studies, pitches and offers, a reference a council has confirmed) keeps a stated prior weight, written in
the same file. Scores are plain sums of weight times strength (0..1), so every reason shown is a real part of
the score.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

WEIGHTS_FILE = Path(__file__).with_name("weights.json")


@dataclass(frozen=True)
class Model:
    # Factor -> the most it can add to a score.
    weights: Mapping[str, float]
    # Text relevance and similar work are ratios to the best candidate's, raised to these powers, so that a
    # clearly better text match stays ahead while, among similar ones, track record decides.
    text_power: float = 2.0
    contract_power: float = 2.0

    @property
    def max_score(self) -> float:
        return sum(self.weights.values())


def load(path: Path = WEIGHTS_FILE) -> Model:
    data = json.loads(path.read_text(encoding="utf-8"))
    weights = {**data["learned"], **data["priors"]}
    return Model(
        {name: float(value) for name, value in weights.items()},
        float(data["text_power"]),
        float(data["contract_power"]),
    )


DEFAULT = load()
