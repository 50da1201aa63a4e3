"""``exchange bench http``: latency and throughput of search and detail pages on a realistic data set.

It makes a throwaway database (a new SQLite file, or a new database on the PostgreSQL server given),
fills it with generated data, serves it with ``exchange serve`` in a separate process, and drives
load from another process (wrk, else httpx) at 1 and 32 concurrent connections. Everything stays on
127.0.0.1, and the server and the database are removed at the end, whatever happens.
"""

from __future__ import annotations

import os
import random
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO
from urllib.parse import urlencode

import httpx
from rich.console import Console
from rich.table import Table
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from exchange.bench import people, signed_in
from exchange.bench.load import Measurement, Request, driver_name, measure
from exchange.bench.memory import process_tree_memory
from exchange.core import migrations
from exchange.core.database import Database, make_engine
from exchange.core.settings import get_settings
from exchange.listings.models import ListingStatus, Offer, Pitch
from exchange.needs.models import Need
from exchange.reference.models import Category, Region
from exchange.seeding.generator import generate
from exchange.seeding.reference import load_categories, load_regions_and_councils

HOST = "127.0.0.1"
CLIENTS = (1, 32)
SAMPLE_SIZE = 200
# Enough distinct item pages that a first-view row at 32 clients does not come round to one again.
FIRST_VIEWS = 3000
SEARCH_URLS = 60
# More distinct searches than the server's search cache holds, so nearly every one is computed afresh.
UNIQUE_SEARCH_URLS = 6000
# What people type: the services councils buy, as residents and officers name them.
SEARCH_WORDS = (
    "consultation", "meals at home", "waste", "parking", "social care", "housing repairs", "digital inclusion",
    "recycling", "potholes", "carers", "homelessness", "library", "fly-tipping", "net zero", "volunteering",
    "planning", "foster", "transport", "damp", "benefits", "consult", "older people", "data", "parks",
)  # fmt: skip


@dataclass(frozen=True)
class Scenario:
    name: str
    paths: Sequence[str | Request]
    # Whether its requests change anything (measured after every read-only row).
    writes: bool = False
    # Whether every request is one nobody made before (never warmed up): what a first view costs.
    first_views: bool = False


@dataclass(frozen=True)
class Server:
    url: str
    pid: int


def split_listings(listings: int) -> tuple[int, int]:
    """(pitches, needs) for a number of listings: two fifths pitches, as many offers, one fifth needs."""
    pitches = listings * 2 // 5
    return pitches, listings - 2 * pitches


def search_paths(
    rng: random.Random,
    base: str,
    region_ids: list[int],
    category_ids: list[int],
    count: int = SEARCH_URLS,
    unique: bool = False,
) -> list[str]:
    """Varied searches with facets, as people use them: words, often narrowed by kind, region or category.

    With ``unique``, every path is different (more words, later pages), so that each request misses the
    search cache: the cost of a search nobody has made since the index last changed.
    """
    paths: list[str] = []
    seen: set[str] = set()
    while len(paths) < count:
        pairs: list[tuple[str, str | int]] = [("q", rng.choice(SEARCH_WORDS))]
        if rng.random() < 0.5:
            pairs.extend(("kind", kind) for kind in sorted(rng.sample(["pitch", "offer", "need"], rng.randint(1, 2))))
        if region_ids and rng.random() < 0.4:
            pairs.append(("region", rng.choice(region_ids)))
        if category_ids and rng.random() < 0.3:
            pairs.append(("category", rng.choice(category_ids)))
        if unique:
            pairs[0] = ("q", " ".join(rng.sample(SEARCH_WORDS, rng.randint(1, 2))))
            pairs.append(("page", rng.randint(1, 3)))
        path = f"{base}?{urlencode(pairs)}"
        if unique and path in seen:
            continue
        seen.add(path)
        paths.append(path)
    return paths


def detail_paths(base: str, ids: list[int], rng: random.Random, count: int = SAMPLE_SIZE) -> list[str]:
    chosen = rng.sample(ids, min(count, len(ids)))
    return [f"{base}/{item_id}" for item_id in chosen]


def first_view_paths(base: str, ids: list[int], rng: random.Random, taken: Sequence[str]) -> list[str]:
    """Item pages none of the other rows asks for, so that no request finds what an earlier one worked out."""
    others = set(taken)
    return [path for path in detail_paths(base, ids, rng, FIRST_VIEWS) if path not in others]


def build_scenarios(db: Session, rng: random.Random) -> list[Scenario]:
    region_ids = list(db.scalars(select(Region.id).order_by(Region.id)))
    top_categories = list(db.scalars(select(Category.id).where(Category.parent_id.is_(None)).order_by(Category.id)))
    published_pitches = list(db.scalars(select(Pitch.id).where(Pitch.status == ListingStatus.PUBLISHED)))
    published_offers = list(db.scalars(select(Offer.id).where(Offer.status == ListingStatus.PUBLISHED)))
    public_needs = list(db.scalars(select(Need.id).where(Need.open_to_everyone)))
    scenarios = [
        Scenario("healthz", ["/healthz"]),
        Scenario("search page", search_paths(rng, "/search", region_ids, top_categories)),
        Scenario("search API", search_paths(rng, "/api/v1/search", region_ids, top_categories)),
        Scenario(
            "search page, uncached",
            search_paths(rng, "/search", region_ids, top_categories, count=UNIQUE_SEARCH_URLS, unique=True),
            first_views=True,
        ),
        Scenario("pitch page", pitch_pages := detail_paths("/pitches", published_pitches, rng)),
        Scenario("offer page", detail_paths("/offers", published_offers, rng)),
        Scenario("need page", detail_paths("/needs", public_needs, rng)),
        Scenario(
            "pitch page, first view",
            first_view_paths("/pitches", published_pitches, rng, pitch_pages),
            first_views=True,
        ),
    ]
    return [scenario for scenario in scenarios if scenario.paths]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


@contextmanager
def throwaway_database(server_url: str | None) -> Iterator[str]:
    """A new, empty database, removed afterwards: a SQLite file in a temporary folder by default."""
    if server_url is None:
        with tempfile.TemporaryDirectory(prefix="exchange-bench-") as folder:
            yield f"sqlite:///{Path(folder) / 'exchange.db'}"
        return
    url = make_url(server_url)
    if not url.drivername.startswith("postgresql"):
        raise ValueError("--database-url must point at a PostgreSQL server (SQLite is the default)")
    name = f"exchange_bench_{secrets.token_hex(4)}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            yield url.set(database=name).render_as_string(hide_password=False)
        finally:
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


def _server_command(port: int, workers: int) -> list[str]:
    script = Path(sys.executable).with_name("exchange")
    launcher = [str(script)] if script.exists() else [sys.executable, "-c", "from exchange.cli import app; app()"]
    return [*launcher, "serve", "--host", HOST, "--port", str(port), "--workers", str(workers)]


@contextmanager
def running_server(database_url: str, workers: int, start_timeout: float = 60) -> Iterator[Server]:
    """``exchange serve`` in its own process group (with its workers), stopped however the block ends."""
    port = free_port()
    base_url = f"http://{HOST}:{port}"
    # Templates are not re-read from disk on each render, as in production.
    environment = {**os.environ, "EXCHANGE_DATABASE_URL": database_url, "EXCHANGE_TEMPLATE_AUTO_RELOAD": "false"}
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            _server_command(port, workers), env=environment, stdout=log, stderr=log, start_new_session=True
        )
        try:
            _wait_until_healthy(process, base_url, start_timeout, log)
            yield Server(base_url, process.pid)
        finally:
            _stop(process)


def _wait_until_healthy(process: subprocess.Popen[bytes], base_url: str, timeout: float, log: IO[bytes]) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log.seek(0)
            output = log.read().decode(errors="replace")[-4000:]
            raise RuntimeError(f"the server stopped with exit code {process.returncode}:\n{output}")
        try:
            if httpx.get(f"{base_url}/healthz", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"the server did not answer /healthz within {timeout:.0f}s")


def _stop(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM to the server's own process group (uvicorn and its workers), then SIGKILL if it lingers."""
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=5)


def warm_up(base_url: str, scenarios: list[Scenario], workers: int) -> None:
    """Each path requested by every server worker, so that first-request costs (caches, connections) stay out of
    the figures; those are what the first-view rows measure. Of the writing rows, only their first requests.

    Each request comes on a new connection, which any worker may take: asked ``2 x workers`` times, a path has
    reached both of two workers with a chance of 7 in 8, and the rest are warmed by the 1-client rows.
    """
    with httpx.Client(base_url=base_url, timeout=60, headers={"Connection": "close"}) as client:
        for scenario in scenarios:
            if scenario.first_views:
                continue
            times = 1 if scenario.writes or workers == 1 else 2 * workers
            for item in scenario.paths[:SEARCH_URLS] if scenario.writes else scenario.paths:
                request = item if isinstance(item, Request) else Request(item)
                for _ in range(times):
                    client.request(request.method, request.path, headers=request.headers, content=request.body or None)


def prepare(database_url: str, listings: int, organisations: int, console: Console) -> float:
    """Migrate, seed the reference data and generate the listings; returns the generation time in seconds."""
    migrations.upgrade(database_url)
    engine = make_engine(database_url)
    settings = get_settings()
    database = Database(engine, settings)
    try:
        with database.transaction() as db:
            load_regions_and_councils(db, settings.seed_dir)
            load_categories(db, settings.seed_dir)
        pitches, needs = split_listings(listings)
        started = time.perf_counter()
        with database.transaction() as db:
            counts = generate(db, needs=needs, suppliers=organisations, pitches=pitches, seed=1)
        seconds = time.perf_counter() - started
        database.analyze()
    finally:
        engine.dispose()
    console.print(
        f"generated {counts['organisations']} organisations, {counts['pitches']} pitches, {counts['offers']} offers,"
        f" {counts['needs']} needs ({counts['documents']} search documents) in {seconds:.1f}s"
    )
    return seconds


class NothingMeasured(RuntimeError):
    """A row of the table would be a zero that was never measured: the run fails instead of printing it."""


def measured(base_url: str, scenario: Scenario, clients: int, duration: float) -> Measurement:
    """One row of the table, or NothingMeasured when not one request completed."""
    result = measure(base_url, scenario.paths, clients, duration)
    if not result.requests:
        raise NothingMeasured(
            f"{scenario.name} at {clients} clients: no request completed in {duration:g}s "
            f"({result.errors} errors); the server did not answer, so there is no figure to print"
        )
    return result


SIGNED_IN_SUPPLIERS = 32
SIGNED_IN_OFFICERS = 8


def signed_in_scenarios(server: Server, database_url: str, rng: random.Random) -> list[Scenario]:
    """Sign the run's people in through the form and build the signed-in rows (see ``signed_in``)."""
    suppliers = [people.sign_in(server.url, p) for p in people.make_suppliers(database_url, SIGNED_IN_SUPPLIERS)]
    officers = [people.sign_in(server.url, p) for p in people.make_council_officers(database_url, SIGNED_IN_OFFICERS)]
    own_pitches = [signed_in.publish_pitch(server.url, supplier) for supplier in suppliers]
    engine = make_engine(database_url)
    try:
        with Session(engine) as db:
            public = build_scenarios(db, random.Random(2))
            need_pages = signed_in.needs_as_their_council(db, officers, rng)
    finally:
        engine.dispose()
    reads = [path for s in public if s.name in READ_MIX for path in s.paths if isinstance(path, str)]
    return [
        Scenario("supplier dashboard, signed in", signed_in.dashboards(suppliers)),
        Scenario("council dashboard, signed in", signed_in.dashboards(officers)),
        Scenario("need page, as its council", need_pages),
        Scenario("mixed: 4 reads, 1 write", signed_in.mixed(suppliers, own_pitches, reads, rng), writes=True),
    ]


# The public pages the mixed profile reads between its writes.
READ_MIX = ("search page", "pitch page", "need page")


def run(listings: int, organisations: int, database_url: str | None, duration: float, workers: int) -> None:
    console = Console()
    os.environ.update(people.CHEAP_HASHING)
    get_settings.cache_clear()
    with throwaway_database(database_url) as url:
        dialect = make_url(url).get_backend_name()
        console.print(f"database: {dialect} (throwaway); load driver: {driver_name()}; server workers: {workers}")
        generation_seconds = prepare(url, listings, organisations, console)
        engine = make_engine(url)
        try:
            with Session(engine) as db:
                scenarios = build_scenarios(db, random.Random(1))
                document_count = db.scalar(select(func.count()).select_from(text("search_documents")))
        finally:
            engine.dispose()
        results: dict[tuple[str, int], Measurement] = {}
        with running_server(url, workers) as server:
            scenarios += signed_in_scenarios(server, url, random.Random(3))
            warm_up(server.url, scenarios, workers)
            # Writes renew the search index's version, and with it every cache built on it: the rows that write
            # come last, so that they do not leave every read row after them starting cold.
            reads = [s for s in scenarios if not s.writes]
            rows = [(s, c) for c in CLIENTS for s in reads] + [(s, c) for s in scenarios if s.writes for c in CLIENTS]
            for scenario, clients in rows:
                try:
                    results[scenario.name, clients] = measured(server.url, scenario, clients, duration)
                except NothingMeasured:
                    console.print(results_table(results, f"{dialect}: stopped at the row that measured nothing"))
                    raise
            memory = process_tree_memory(server.pid)
        console.print(results_table(results, f"{dialect}, {document_count} search documents, {duration:g}s each"))
        for line in ratio_lines(results):
            console.print(line)
        for process in memory:
            console.print(f"server process {process.pid}: {process.rss_mib:.0f} MiB resident ({process.command})")
        console.print(f"generation time: {generation_seconds:.1f}s")


def results_table(results: dict[tuple[str, int], Measurement], caption: str) -> Table:
    table = Table(title="exchange bench http", caption=caption)
    for heading in ("page", "clients", "requests", "req/s", "median ms", "p95 ms", "errors"):
        table.add_column(heading, justify="left" if heading == "page" else "right")
    for (name, clients), result in results.items():
        table.add_row(
            name,
            str(clients),
            str(result.requests),
            f"{result.per_second:.0f}",
            f"{result.median_ms:.1f}",
            f"{result.p95_ms:.1f}",
            str(result.errors),
        )
    return table


def ratio_lines(results: dict[tuple[str, int], Measurement]) -> list[str]:
    """How much of the bare server's throughput each page keeps, at the highest concurrency."""
    clients = max(CLIENTS)
    baseline = results.get(("healthz", clients))
    if baseline is None or not baseline.per_second:
        return []
    return [
        f"{name} / healthz throughput at {clients} clients: {results[name, at].per_second / baseline.per_second:.3f}"
        for name, at in results
        if at == clients and name != "healthz"
    ]
