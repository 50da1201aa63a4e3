"""Fit the matching weights on benchmark features, each set checked on the others, and write ``weights.json``.

    # 1. features (no labels) from each benchmark, written by the matcher's own candidate generation:
    exchange bench match BENCH/gcloud --out /tmp/g.jsonl --features /tmp/gcloud.features.jsonl
    # 2. join the labels into the training data kept in this folder (data/NAME.csv.gz):
    python -m exchange.matching.ranker.train prepare gcloud /tmp/gcloud.features.jsonl BENCH/gcloud/labels.jsonl
    # 3. choose the settings by leave-one-set-out, fit on all sets, write weights.json:
    python -m exchange.matching.ranker.train fit
    # weights fitted on one set only, to score on another with `exchange bench match --weights`:
    python -m exchange.matching.ranker.train fit gcloud --out /tmp/gcloud-only.json

The model is a conditional logit (softmax over each need's candidates) over the factor strengths, with weights
kept at zero or above (a factor can only add to a score, so every reason shown is a real part of it) and an
L2 penalty. Its settings (the penalty, and the powers that text relevance and similar work are raised to) are
those whose weights, fitted on one set, rank best on the other, both ways. Needs whose awarded supplier is not
among the candidates teach nothing and are left out of the fit (they count as misses when scoring).

Needs NumPy and SciPy (the ``exact`` extra); the exchange itself only reads the resulting JSON.
"""

from __future__ import annotations

import csv
import gzip
import itertools
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from scipy.optimize import minimize

from exchange.matching.ranker import WEIGHTS_FILE

DATA = Path(__file__).with_name("data")
# Factors the benchmarks show, and so can teach; the others keep their priors (see weights.json).
LEARNED = (
    "text",
    "text_lead",
    "similar_work",
    "similar_depth",
    "same_buyer",
    "buyer_depth",
    "buyer_share",
    "follow_on",
    "category",
    "experience",
    "track_record",
    "region",
    "budget",
)
# Stated, not learned: the benchmarks hold no pitches, offers, endorsements, case studies or profile details; and a
# small lift for small firms and social enterprises is the exchange's policy (Procurement Act 2023), whether or
# not past awards favoured them.
PRIORS = {"listing": 0.3, "endorsements": 0.1, "completeness": 0.05, "case_study": 0.1, "small_or_social": 0.05}
# Learned weights are scaled to add up to this, the scale the priors are stated in (text relevance alone was 1).
LEARNED_TOTAL = 3.0
# The hand-set weights the matcher had before any learning, on the same scale (used only for factors absent from
# the training data, see _with_priors_for_absent).
BEFORE_LEARNING = {
    factor: weight * LEARNED_TOTAL / 3.05
    for factor, weight in {
        "text": 1.0,
        "similar_work": 0.3,
        "same_buyer": 1.0,
        "follow_on": 0.2,
        "category": 0.3,
        "experience": 0.2,
        "region": 0.2,
        "budget": 0.2,
    }.items()
}
POWERS = (1.0, 2.0, 3.0)
PENALTIES = (0.001, 0.01, 0.1, 1.0)
COLUMNS = ("request_id", "supplier_id", "label", *LEARNED)


def prepare(name: str, features: Path, labels: Path) -> Path:
    """Joins the labels to the features of each request's candidates; writes data/NAME.csv.gz."""
    truth = {}
    for line in labels.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            truth[str(row["request_id"])] = str(row["supplier_id"])
    DATA.mkdir(exist_ok=True)
    out = DATA / f"{name}.csv.gz"
    with gzip.open(out, "wt", encoding="utf-8", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(COLUMNS)
        for line in features.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            request_id = str(row["request_id"])
            for supplier_id, values in row["candidates"].items():
                label = int(truth.get(request_id) == supplier_id)
                writer.writerow([request_id, supplier_id, label, *(values.get(f, 0) for f in LEARNED)])
            if truth.get(request_id) not in row["candidates"]:
                # The answer was not among the candidates: a miss whatever the weights.
                writer.writerow([request_id, "", 1, *(0 for _ in LEARNED)])
    return out


@dataclass
class Dataset:
    name: str
    features: np.ndarray  # candidates x factors (plain ratios for text and similar work)
    labels: np.ndarray
    starts: np.ndarray  # where each request's candidates start
    reachable: np.ndarray  # per request: whether its answer is among the candidates

    @property
    def requests(self) -> int:
        return len(self.starts)


def load(name: str) -> Dataset:
    rows: list[list[float]] = []
    labels: list[int] = []
    starts: list[int] = []
    reachable: list[bool] = []
    with gzip.open(DATA / f"{name}.csv.gz", "rt", encoding="utf-8", newline="") as file:
        for _, group in itertools.groupby(csv.DictReader(file), key=lambda r: r["request_id"]):
            starts.append(len(rows))
            found = False
            for row in group:
                if not row["supplier_id"]:
                    continue
                rows.append([float(row[f]) for f in LEARNED])
                labels.append(int(row["label"]))
                found = found or row["label"] == "1"
            reachable.append(found)
    return Dataset(name, np.array(rows), np.array(labels), np.array(starts), np.array(reachable))


def transform(data: Dataset, text_power: float, contract_power: float) -> np.ndarray:
    x = data.features.copy()
    x[:, LEARNED.index("text")] **= text_power
    x[:, LEARNED.index("similar_work")] **= contract_power
    return x


def _groups(data: Dataset) -> list[tuple[int, int]]:
    ends = [*data.starts[1:], len(data.labels)]
    return [(int(a), int(b)) for a, b in zip(data.starts, ends, strict=True) if b > a]


def fit(data: Sequence[Dataset], text_power: float, contract_power: float, penalty: float) -> np.ndarray:
    """Non-negative weights minimising the softmax loss of the answers among their candidates, plus L2."""
    blocks = []
    for d in data:
        x = transform(d, text_power, contract_power)
        for a, b in _groups(d):
            positives = np.flatnonzero(d.labels[a:b])
            if len(positives):
                blocks.append((x[a:b], int(positives[0])))
    count = len(blocks)

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        total, gradient = 0.0, np.zeros_like(w)
        for x, positive in blocks:
            scores = x @ w
            top = scores.max()
            p = np.exp(scores - top)
            p /= p.sum()
            total += -(scores[positive] - top - np.log(np.exp(scores - top).sum()))
            gradient += p @ x - x[positive]
        return total / count + penalty * float(w @ w), gradient / count + 2 * penalty * w

    start = np.ones(len(LEARNED))
    result = minimize(loss, start, jac=True, method="L-BFGS-B", bounds=[(0, None)] * len(LEARNED))
    return _with_priors_for_absent(np.asarray(result.x), data)


def _with_priors_for_absent(weights: np.ndarray, data: Sequence[Dataset]) -> np.ndarray:
    """The weights scaled to add up to LEARNED_TOTAL, a factor the training sets never show (gcloud's needs have no
    region) keeping the weight it had before learning: the data say nothing of it, not that it is worth nothing."""
    shown = np.vstack([d.features for d in data]).max(axis=0) > 0
    fixed = {i: BEFORE_LEARNING.get(factor, 0.0) for i, factor in enumerate(LEARNED) if not shown[i]}
    learned_total = float(weights[shown].sum()) or 1.0
    out = weights * (LEARNED_TOTAL - sum(fixed.values())) / learned_total
    for i, value in fixed.items():
        out[i] = value
    return out


def evaluate(data: Dataset, weights: np.ndarray, text_power: float, contract_power: float) -> dict[str, float]:
    """Recall@1/5/10 and MRR@10 of the answers when each request's candidates are ranked by these weights."""
    x = transform(data, text_power, contract_power)
    hits = {1: 0, 5: 0, 10: 0}
    reciprocal = 0.0
    for a, b in _groups(data):
        positives = np.flatnonzero(data.labels[a:b])
        if not len(positives):
            continue
        scores = x[a:b] @ weights
        # Ties go against the answer: a fair, pessimistic count.
        position = int((scores >= scores[positives[0]]).sum())
        if position <= 10:
            reciprocal += 1 / position
        for k in hits:
            hits[k] += position <= k
    n = data.requests
    return {**{f"recall@{k}": v / n for k, v in hits.items()}, "MRR@10": reciprocal / n}


def choose(sets: Sequence[Dataset]) -> tuple[dict[str, float], dict[str, dict[str, float]]]:
    """The settings whose weights, fitted without a set, rank best on it, for every set; and those figures."""
    best: tuple[float, dict[str, float], dict[str, dict[str, float]]] | None = None
    for text_power, contract_power, penalty in itertools.product(POWERS, POWERS, PENALTIES):
        figures = {}
        for held in sets:
            weights = fit([d for d in sets if d is not held], text_power, contract_power, penalty)
            figures[held.name] = evaluate(held, weights, text_power, contract_power)
        quality = sum(f["recall@10"] + f["MRR@10"] for f in figures.values())
        settings = {"text_power": text_power, "contract_power": contract_power, "penalty": penalty}
        print(settings, {name: {k: round(v, 3) for k, v in f.items()} for name, f in figures.items()})
        if best is None or quality > best[0]:
            best = (quality, settings, figures)
    assert best is not None
    return best[1], best[2]


def write_weights(
    path: Path,
    weights: np.ndarray,
    settings: dict[str, float],
    figures: dict[str, dict[str, float]],
    sets: Sequence[str],
) -> dict[str, Any]:
    scale = LEARNED_TOTAL / (float(weights.sum()) or 1.0)
    document = {
        "about": (
            "Fitted by exchange.matching.ranker.train on the benchmark features in data/ "
            f"({', '.join(sets)}); learned weights scaled to add up to {LEARNED_TOTAL}. "
            "Priors are stated, not learned: the benchmarks hold no pitches, offers, endorsements, case studies or "
            "profile details, and the lift for small firms and social enterprises is policy."
        ),
        "text_power": settings["text_power"],
        "contract_power": settings["contract_power"],
        "penalty": settings["penalty"],
        "leave_one_set_out": {name: {k: round(v, 4) for k, v in f.items()} for name, f in figures.items()},
        "learned": {factor: round(float(w) * scale, 4) for factor, w in zip(LEARNED, weights, strict=True)},
        "priors": PRIORS,
    }
    path.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    return document


def main(argv: Sequence[str]) -> None:
    if argv[:1] == ["prepare"] and len(argv) == 4:
        print(f"wrote {prepare(argv[1], Path(argv[2]), Path(argv[3]))}")
        return
    if argv[:1] == ["fit"]:
        args = list(argv[1:])
        out = WEIGHTS_FILE
        if "--out" in args:
            at = args.index("--out")
            out = Path(args[at + 1])
            del args[at : at + 2]
        names = args or sorted(p.name.removesuffix(".csv.gz") for p in DATA.glob("*.csv.gz"))
        sets = [load(name) for name in names]
        if len(sets) > 1:
            settings, figures = choose(sets)
        else:
            # One set alone cannot choose its settings: keep the shipped ones (chosen by leave-one-set-out).
            shipped = json.loads(WEIGHTS_FILE.read_text(encoding="utf-8"))
            settings = {k: shipped[k] for k in ("text_power", "contract_power", "penalty")}
            figures = {}
        weights = fit(sets, settings["text_power"], settings["contract_power"], settings["penalty"])
        document = write_weights(out, weights, settings, figures, names)
        print(json.dumps(document, indent=2))
        return
    raise SystemExit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
