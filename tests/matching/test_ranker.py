"""The learned ranking: its weights file, and the training that writes it (on small data made here)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from exchange.matching import core, ranker
from exchange.matching.ranker import train


def test_the_shipped_weights_are_non_negative_and_cover_every_factor_with_a_reason() -> None:
    model = ranker.load()
    assert all(weight >= 0 for weight in model.weights.values())
    assert set(train.LEARNED) | set(train.PRIORS) == set(model.weights)
    assert model.max_score == pytest.approx(sum(model.weights.values()))
    document = json.loads(ranker.WEIGHTS_FILE.read_text())
    # Chosen leave-one-set-out: the figures on each set come from weights fitted without it.
    assert set(document["leave_one_set_out"]) == {"gcloud", "dos"}
    assert set(core.FACTOR_WEIGHTS) == {core.factors.FACTOR_OF.get(f, f) for f in model.weights}


def _dataset(name: str, seed: int, requests: int = 40, candidates: int = 15) -> train.Dataset:
    """Candidates whose answer has the strongest "same_buyer" (and random other factors)."""
    rng = np.random.default_rng(seed)
    rows, labels, starts = [], [], []
    for _ in range(requests):
        starts.append(len(rows))
        block = rng.uniform(0, 0.6, size=(candidates, len(train.LEARNED)))
        answer = int(rng.integers(candidates))
        block[answer, train.LEARNED.index("same_buyer")] = 1.0
        rows.extend(block.tolist())
        labels.extend(int(i == answer) for i in range(candidates))
    return train.Dataset(name, np.array(rows), np.array(labels), np.array(starts), np.ones(requests, dtype=bool))


def test_training_learns_the_telling_factor_and_scores_it_on_the_other_set(tmp_path: Path) -> None:
    first, second = _dataset("a", 1), _dataset("b", 2)
    weights = train.fit([first], 1.0, 1.0, 0.01)
    assert weights.argmax() == train.LEARNED.index("same_buyer")
    assert (weights >= 0).all()
    figures = train.evaluate(second, weights, 1.0, 1.0)
    assert figures["recall@1"] == 1.0 and figures["MRR@10"] == 1.0

    out = tmp_path / "weights.json"
    document = train.write_weights(
        out, weights, {"text_power": 1.0, "contract_power": 1.0, "penalty": 0.01}, {"b": figures}, ["a"]
    )
    assert sum(document["learned"].values()) == pytest.approx(train.LEARNED_TOTAL, abs=1e-3)
    loaded = ranker.load(out)
    assert max(loaded.weights, key=lambda f: loaded.weights[f]) == "same_buyer"


def test_prepared_training_data_joins_the_labels_and_keeps_misses(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(train, "DATA", tmp_path)
    features = tmp_path / "features.jsonl"
    features.write_text(
        json.dumps({"request_id": "r1", "candidates": {"s1": {"text": 1.0}, "s2": {"text": 0.5, "same_buyer": 0.6}}})
        + "\n"
        + json.dumps({"request_id": "r2", "candidates": {"s1": {"text": 1.0}}})
        + "\n"
    )
    labels = tmp_path / "labels.jsonl"
    labels.write_text('{"request_id": "r1", "supplier_id": "s2"}\n{"request_id": "r2", "supplier_id": "s9"}\n')
    train.prepare("tiny", features, labels)
    data = train.load("tiny")
    assert data.requests == 2 and list(data.reachable) == [True, False]
    assert list(data.labels) == [0, 1, 0]
    figures = train.evaluate(data, np.eye(len(train.LEARNED))[train.LEARNED.index("same_buyer")], 1.0, 1.0)
    assert figures["recall@1"] == 0.5  # r2's answer was never a candidate: a miss
