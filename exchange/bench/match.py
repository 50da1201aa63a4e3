"""``exchange bench match`` and ``exchange bench score``: the matcher measured on real award data, and its speed.

A benchmark folder (see ../shared/bench/README.md) is imported into a fresh throwaway database through the
ordinary importer; the matcher then ranks suppliers for every need, without ever reading the labels.
With ``--generate N`` the same is done on N synthetic suppliers (four past contracts each on average) to
measure import time and matching latency at scale.
"""

from __future__ import annotations

import json
import random
import statistics
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.console import Console

from exchange.bench.baseline import bm25_rankings
from exchange.bench.features import write_features
from exchange.bench.http import throwaway_database
from exchange.bench.load import percentile
from exchange.bench.quality import Quality, json_lines, measure, read_labels
from exchange.bench.reverse import run_reverse
from exchange.core import migrations
from exchange.core.database import Database, make_engine
from exchange.core.runtime import freeze_long_lived_objects
from exchange.core.settings import get_settings
from exchange.core.text_policy import CONTROL_CHARACTERS
from exchange.matching import ranker
from exchange.matching.service import rank_suppliers
from exchange.needs.models import Need
from exchange.seeding.importer import import_needs, import_suppliers
from exchange.seeding.reference import load_categories, load_regions_and_councils
from exchange.seeding.vocabulary import TOPICS

RANKED = 20


@dataclass
class MatchRun:
    import_seconds: float
    suppliers: int
    needs: int
    # Each need matched once right after the import (caches cold), then all of them again (warm).
    latencies_ms: list[float]
    again_ms: list[float]

    def summary(self) -> str:
        def figures(latencies: list[float]) -> str:
            ordered = sorted(latencies)
            return f"median {statistics.median(ordered):.1f} ms, p95 {percentile(ordered, 0.95):.1f} ms"

        return (
            f"imported {self.suppliers} suppliers and {self.needs} needs in {self.import_seconds:.1f} s; "
            f"matching one need: {figures(self.latencies_ms)} (first time), {figures(self.again_ms)} (again)"
        )


def _prepare(database_url: str) -> Database:
    migrations.upgrade(database_url)
    settings = get_settings()
    database = Database(make_engine(database_url), settings)
    with database.transaction() as db:
        load_regions_and_councils(db, settings.seed_dir)
        load_categories(db, settings.seed_dir)
    return database


def without_control_characters(source: Path, folder: Path) -> Path:
    """The file as is, or a copy in ``folder`` without the control characters the exchange refuses from anyone
    (see core.text_policy). Published award data holds a few, left by text decoded with the wrong code page
    (U+0089 in "Cloudstore ?ÛÒ Sprint 1"): refused, they would stop the whole import of the benchmark."""

    def clean(value: Any) -> Any:
        if isinstance(value, str):
            return CONTROL_CHARACTERS.sub(" ", value.replace("\r\n", "\n"))
        if isinstance(value, list):
            return [clean(item) for item in value]
        if isinstance(value, dict):
            return {key: clean(item) for key, item in value.items()}
        return value

    try:
        rows = [json.loads(line) for line in source.read_text(encoding="utf-8-sig").splitlines() if line.strip()]
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return source  # The importer says what is wrong with it.
    if all(row == clean(row) for row in rows):
        return source
    copy = folder / source.name
    copy.write_text("".join(json.dumps(clean(row)) + "\n" for row in rows), encoding="utf-8")
    return copy


def _import(database: Database, suppliers: Path, requests: Path) -> tuple[float, dict[int, str], dict[str, int]]:
    """Imports both files; returns the seconds taken, supplier id -> file id, and request id -> need id."""
    started = time.perf_counter()
    with database.transaction() as db:
        supplier_ids = import_suppliers(db, suppliers).ids
        need_ids = import_needs(db, requests).ids
    seconds = time.perf_counter() - started
    database.analyze()
    return seconds, {new: old for old, new in supplier_ids.items()}, need_ids


@dataclass
class Ranked:
    """What the matcher gave for each request: its ranking and every candidate it scored."""

    rankings: dict[str, list[int]]
    candidates: dict[str, tuple[int, ...]]
    first_ms: list[float]
    again_ms: list[float]


def _rank_all(database: Database, need_ids: dict[str, int], limit: int, model: ranker.Model | None = None) -> Ranked:
    """Rankings by request id, and the time to match each need the first time and again."""
    # As a serving worker does once it has started (see exchange.app): the import's leftovers are not a request's.
    freeze_long_lived_objects()
    rankings: dict[str, list[int]] = {}
    considered: dict[str, tuple[int, ...]] = {}
    passes: list[list[float]] = [[], []]
    for latencies in passes:
        for request_id, need_id in need_ids.items():
            # A session per need, as a request has: nothing carries over but what the database caches.
            with database.session() as db:
                started = time.perf_counter()
                need = db.get_one(Need, need_id)
                ranking = rank_suppliers(db, need, limit, model)
                latencies.append((time.perf_counter() - started) * 1000)
            rankings[request_id] = [m.key for m in ranking.matches + ranking.not_meeting][:limit]
            considered[request_id] = ranking.candidates
    return Ranked(rankings, considered, passes[0], passes[1])


def run_folder(
    bench_dir: Path,
    out: Path,
    database_url: str | None,
    console: Console,
    labels: Path | None = None,
    weights: Path | None = None,
    features: Path | None = None,
    reverse: bool = False,
) -> MatchRun:
    """Rank suppliers for every request and write the rankings; then, given labels, score them beside plain BM25.

    ``weights``: rank with these instead of the shipped ones (to score weights fitted on another set);
    ``features``: also write every candidate's factor strengths, to train the ranking on (see matching.ranker).
    """
    model = ranker.load(weights) if weights is not None else None
    reversed_quality: tuple[Quality, Quality] | None = None
    with throwaway_database(database_url) as url, tempfile.TemporaryDirectory(prefix="exchange-bench-") as folder:
        database = _prepare(url)
        try:
            suppliers = without_control_characters(bench_dir / "suppliers.jsonl", Path(folder))
            requests = without_control_characters(bench_dir / "requests.jsonl", Path(folder))
            seconds, file_ids, need_ids = _import(database, suppliers, requests)
            ranked = _rank_all(database, need_ids, RANKED, model)
            if features is not None:
                lines = write_features(database, need_ids, file_ids, features)
                console.print(f"wrote the features of {lines} candidates to {features}", soft_wrap=True)
            baseline = bm25_rankings(database, need_ids, file_ids) if labels is not None else None
            if reverse and labels is not None:
                reversed_quality = run_reverse(database, read_labels(labels), file_ids, need_ids, model, console)
        finally:
            database.engine.dispose()
    rankings = {request_id: [file_ids[i] for i in ids if i in file_ids] for request_id, ids in ranked.rankings.items()}
    with out.open("w", encoding="utf-8") as file:
        for request_id, supplier_ids in rankings.items():
            file.write(json.dumps({"request_id": request_id, "supplier_ids": supplier_ids}) + "\n")
    result = MatchRun(seconds, len(file_ids), len(need_ids), ranked.first_ms, ranked.again_ms)
    console.print(result.summary(), soft_wrap=True)
    console.print(f"wrote {len(rankings)} rankings to {out}")
    if labels is not None and baseline is not None:
        # The labels are read only now, after the matcher has done its work.
        truth = read_labels(labels)
        candidates = {r: {file_ids[i] for i in ids if i in file_ids} for r, ids in ranked.candidates.items()}
        print_quality(console, measure(truth, rankings, candidates), measure(truth, baseline, ks=(1, 5, 10, 100)))
        lost = sorted(r for r, answer in truth.items() if answer in baseline.get(r, []) and answer not in candidates[r])
        console.print(
            f"labelled answers in BM25's top 100 but not among the candidates: {len(lost)} {lost[:10]}", soft_wrap=True
        )
        if reversed_quality is not None:
            console.print("reverse: the needs ranked for each awarded supplier", soft_wrap=True)
            print_quality(console, *reversed_quality)
    return result


def print_quality(console: Console, matcher: Quality, bm25: Quality) -> None:
    console.print(f"{matcher.requests} labelled requests", soft_wrap=True)
    console.print(f"the exchange's matcher:  {matcher.line()}", soft_wrap=True)
    console.print(f"plain BM25 (bm25s):      {bm25.line()}", soft_wrap=True)
    gains = "  ".join(
        f"{name} {100 * (ours - theirs):+.1f} points"
        for name, ours, theirs in (
            ("recall@10", matcher.recall[10], bm25.recall[10]),
            ("MRR@10", matcher.mrr_at_10, bm25.mrr_at_10),
        )
    )
    console.print(f"matcher against BM25:    {gains}", soft_wrap=True)
    if matcher.candidate_recall is not None:
        ratio = matcher.candidate_recall / bm25.recall[100] if bm25.recall[100] else float("inf")
        console.print(
            f"candidate recall {matcher.candidate_recall:.3f} against BM25 recall@100 {bm25.recall[100]:.3f} "
            f"(ratio {ratio:.2f})",
            soft_wrap=True,
        )


def write_synthetic(folder: Path, suppliers: int, contracts_per_supplier: float, needs: int, seed: int = 1) -> None:
    """Suppliers with past contracts, and requests, in the benchmark format, from the topic vocabulary."""
    rng = random.Random(seed)
    buyers = [f"{place} Council" for place in ("Burnley", "Leeds", "Bristol", "Kent", "Norfolk", "Wigan", "Derby")]
    buyers += [f"Borough of Place {n}" for n in range(400)]
    regions = ["North West", "London", "South West", "Yorkshire and the Humber", "West Midlands", "Scotland"]

    def work() -> tuple[str, str, str]:
        topic = rng.choice(TOPICS)
        thing, benefit = rng.choice(topic.things), rng.choice(topic.benefits)
        return topic.category, f"{thing.capitalize()} for {rng.choice(topic.audiences)}", f"To {benefit}."

    with (folder / "suppliers.jsonl").open("w", encoding="utf-8") as file:
        for n in range(suppliers):
            contracts = []
            for _ in range(max(1, round(rng.expovariate(1 / contracts_per_supplier)))):
                category, title, description = work()
                contracts.append(
                    {
                        "title": title,
                        "description": description,
                        "buyer": rng.choice(buyers),
                        "categories": [category],
                        "value": rng.choice([5_000, 20_000, 80_000, 250_000, 1_000_000]),
                    }
                )
            line = {
                "id": f"s{n}",
                "name": f"{rng.choice(TOPICS).tags[0].title()} Partners {n}",
                "size": rng.choice(["micro", "small", "medium", "large"]),
                "regions": rng.sample(regions, rng.randint(1, 2)),
                "past_contracts": contracts,
            }
            file.write(json.dumps(line) + "\n")
    with (folder / "requests.jsonl").open("w", encoding="utf-8") as file:
        for n in range(needs):
            category, title, description = work()
            request: dict[str, Any] = {
                "id": f"r{n}",
                "title": title,
                "description": description,
                "buyer": rng.choice(buyers),
                "region": rng.choice(regions),
                "categories": [category],
                "budget": rng.choice([10_000, 50_000, 200_000]),
            }
            file.write(json.dumps(request) + "\n")


def run_generated(suppliers: int, needs: int, database_url: str | None, console: Console) -> MatchRun:
    with tempfile.TemporaryDirectory(prefix="exchange-bench-match-") as folder:
        path = Path(folder)
        write_synthetic(path, suppliers, 4.0, needs)
        contracts = sum(len(json.loads(line)["past_contracts"]) for line in (path / "suppliers.jsonl").open())
        console.print(f"generated {suppliers} suppliers with {contracts} past contracts, and {needs} needs")
        with throwaway_database(database_url) as url:
            database = _prepare(url)
            try:
                seconds, file_ids, need_ids = _import(database, path / "suppliers.jsonl", path / "requests.jsonl")
                ranked = _rank_all(database, need_ids, RANKED)
            finally:
                database.engine.dispose()
    result = MatchRun(seconds, len(file_ids), len(need_ids), ranked.first_ms, ranked.again_ms)
    console.print(result.summary())
    return result


def score(labels: Path, rankings: Path) -> Quality:
    """Recall@1/5/10 and MRR@10 of the labelled supplier; a request with no ranking counts as a miss."""
    ranked = {str(row["request_id"]): [str(i) for i in row["supplier_ids"]] for row in json_lines(rankings)}
    return measure(read_labels(labels), ranked)
