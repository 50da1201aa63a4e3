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

from exchange.bench.http import throwaway_database
from exchange.bench.load import percentile
from exchange.core import migrations
from exchange.core.database import Database, make_engine
from exchange.core.runtime import freeze_long_lived_objects
from exchange.core.settings import get_settings
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


def _import(database: Database, suppliers: Path, requests: Path) -> tuple[float, dict[int, str], dict[str, int]]:
    """Imports both files; returns the seconds taken, supplier id -> file id, and request id -> need id."""
    started = time.perf_counter()
    with database.transaction() as db:
        supplier_ids = import_suppliers(db, suppliers).ids
        need_ids = import_needs(db, requests).ids
    seconds = time.perf_counter() - started
    database.analyze()
    return seconds, {new: old for old, new in supplier_ids.items()}, need_ids


def _rank_all(
    database: Database, need_ids: dict[str, int], limit: int
) -> tuple[dict[str, list[int]], list[float], list[float]]:
    """Rankings by request id, and the time to match each need the first time and again."""
    # As a serving worker does once it has started (see exchange.app): the import's leftovers are not a request's.
    freeze_long_lived_objects()
    rankings: dict[str, list[int]] = {}
    passes: list[list[float]] = [[], []]
    for latencies in passes:
        for request_id, need_id in need_ids.items():
            # A session per need, as a request has: nothing carries over but what the database caches.
            with database.session() as db:
                started = time.perf_counter()
                need = db.get_one(Need, need_id)
                ranking = rank_suppliers(db, need, limit)
                latencies.append((time.perf_counter() - started) * 1000)
            rankings[request_id] = [m.key for m in ranking.matches + ranking.not_meeting][:limit]
    return rankings, passes[0], passes[1]


def run_folder(bench_dir: Path, out: Path, database_url: str | None, console: Console) -> MatchRun:
    with throwaway_database(database_url) as url:
        database = _prepare(url)
        try:
            seconds, file_ids, need_ids = _import(database, bench_dir / "suppliers.jsonl", bench_dir / "requests.jsonl")
            rankings, first, again = _rank_all(database, need_ids, RANKED)
        finally:
            database.engine.dispose()
    with out.open("w", encoding="utf-8") as file:
        for request_id, ranked in rankings.items():
            line = {"request_id": request_id, "supplier_ids": [file_ids[i] for i in ranked if i in file_ids]}
            file.write(json.dumps(line) + "\n")
    result = MatchRun(seconds, len(file_ids), len(need_ids), first, again)
    console.print(result.summary())
    console.print(f"wrote {len(rankings)} rankings to {out}")
    return result


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
                _, first, again = _rank_all(database, need_ids, RANKED)
            finally:
                database.engine.dispose()
    result = MatchRun(seconds, len(file_ids), len(need_ids), first, again)
    console.print(result.summary())
    return result


@dataclass
class Scores:
    requests: int
    recall: dict[int, float]
    mrr_at_10: float


def score(labels: Path, rankings: Path) -> Scores:
    """Recall@1/5/10 and MRR@10 of the labelled supplier; a request with no ranking counts as a miss."""
    truth = {row["request_id"]: row["supplier_id"] for row in _json_lines(labels)}
    ranked = {row["request_id"]: row["supplier_ids"] for row in _json_lines(rankings)}
    hits = {1: 0, 5: 0, 10: 0}
    reciprocal = 0.0
    for request_id, supplier_id in truth.items():
        top = ranked.get(request_id, [])[:10]
        if supplier_id in top:
            position = top.index(supplier_id) + 1
            reciprocal += 1 / position
            for k in hits:
                hits[k] += position <= k
    count = len(truth) or 1
    return Scores(len(truth), {k: n / count for k, n in hits.items()}, reciprocal / count)


def _json_lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
