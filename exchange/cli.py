"""The ``exchange`` command: serve, demo, database, seed, accounts, import, generate and benchmarks."""

from __future__ import annotations

import atexit
import getpass
import os
import subprocess
import sys
from pathlib import Path
from typing import Annotated

import typer

# Every model is imported up front so that SQLAlchemy can resolve relationships in any command.
import exchange.models  # noqa: F401
from exchange.core import migrations
from exchange.core.database import Database
from exchange.core.queue import job_context
from exchange.core.settings import get_settings
from exchange.wiring import install as install_listeners_and_jobs

app = typer.Typer(help="The Open Innovation Exchange.", no_args_is_help=True, add_completion=False)
db_app = typer.Typer(help="Database schema (Alembic migrations).", no_args_is_help=True)
import_app = typer.Typer(help="Import suppliers or needs from JSON Lines (all-or-nothing).", no_args_is_help=True)
bench_app = typer.Typer(help="Benchmarks that print figures.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(import_app, name="import")
app.add_typer(bench_app, name="bench")


@app.callback()
def _start() -> None:
    # Listeners and jobs are known in every command, so what a command changes is indexed and followed up.
    install_listeners_and_jobs()


def _database() -> Database:
    """The command's database: the one its jobs use too, when they run at once."""
    return job_context().database


def use_served_address_in_development(host: str, port: int) -> None:
    """In development, links in email point at where the exchange is served, unless EXCHANGE_BASE_URL (in the
    environment or .env) says otherwise; the worker started beside it reads the same variable."""
    if get_settings().env != "development" or "base_url" in get_settings().model_fields_set:
        return
    shown_host = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host
    os.environ["EXCHANGE_BASE_URL"] = f"http://{shown_host}:{port}"
    get_settings.cache_clear()


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    workers: Annotated[int, typer.Option(help="Worker processes (use PostgreSQL for more than one).")] = 1,
) -> None:
    """Serve the exchange."""
    import uvicorn

    use_served_address_in_development(host, port)

    uvicorn.run(
        "exchange.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        # The app believes forwarded headers only from EXCHANGE_TRUSTED_PROXIES (uvicorn would trust 127.0.0.1).
        proxy_headers=False,
        access_log=False,
    )


@app.command()
def worker(
    workers: Annotated[int, typer.Option(min=1, help="Jobs run side by side.")] = 2,
    processes: Annotated[
        bool, typer.Option("--processes/--threads", help="Run each job worker in its own process.")
    ] = False,
) -> None:
    """Run background jobs: email, alerts, digests, schedules, Stripe events, and the periodic clean-ups."""
    import logging

    from exchange.core.queue import consume

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("huey").setLevel(logging.WARNING)  # a line per job run is noise; failures still show
    settings = get_settings()
    typer.echo(f"Worker: {workers} {'processes' if processes else 'threads'} on the {settings.queue_kind} queue")
    try:
        consume(workers, processes=processes)
    except RuntimeError as error:
        raise typer.BadParameter(str(error)) from None


def start_worker_beside(workers: int = 1) -> subprocess.Popen[bytes]:
    """A worker in its own process, stopped when this one exits (the demo and development server)."""
    process = subprocess.Popen(
        [sys.executable, "-m", "exchange", "worker", "--workers", str(workers)], preexec_fn=_end_with_parent
    )
    atexit.register(_stop, process)
    return process


def _end_with_parent() -> None:
    """In the worker, before it starts: on Linux the kernel sends it SIGTERM when the process that started it
    ends, however it ends (a signal the parent does not handle skips its atexit clean-up)."""
    if sys.platform.startswith("linux"):
        import ctypes
        import signal

        pr_set_pdeathsig = 1
        ctypes.CDLL(None).prctl(pr_set_pdeathsig, signal.SIGTERM)


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


@app.command()
def demo(
    host: Annotated[str, typer.Option()] = "127.0.0.1",
    port: Annotated[int, typer.Option()] = 8000,
    serve_after: Annotated[bool, typer.Option("--serve/--no-serve", help="Start serving when loaded.")] = True,
) -> None:
    """Start afresh: a new SQLite database, migrated, seeded with the demo set, then served."""
    use_served_address_in_development(host, port)
    settings = get_settings()
    if not settings.is_sqlite:
        raise typer.BadParameter("demo only recreates the SQLite database; use `db upgrade` and `seed --demo`")
    path = Path(settings.database_url.split("///", 1)[1])
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    migrations.upgrade(settings.database_url)
    from exchange.core.queue import huey

    huey.flush()  # jobs queued for the database just removed
    seed(demo_data=True)
    typer.echo(f"Demo accounts: see seed_data/README.md. Serving on http://{host}:{port}")
    if serve_after:
        if settings.queue_kind != "immediate":
            start_worker_beside()
        serve(host=host, port=port, workers=1)


@db_app.command("upgrade")
def db_upgrade(revision: Annotated[str, typer.Argument()] = "head") -> None:
    """Apply migrations up to REVISION (default: head)."""
    migrations.upgrade(get_settings().database_url, revision)


@db_app.command("downgrade")
def db_downgrade(revision: Annotated[str, typer.Argument()] = "-1") -> None:
    """Undo migrations down to REVISION (default: one step; 'base' for all)."""
    migrations.downgrade(get_settings().database_url, revision)


@db_app.command("current")
def db_current() -> None:
    """Show the database's current revision."""
    migrations.current(get_settings().database_url)


@app.command()
def seed(demo_data: Annotated[bool, typer.Option("--demo", help="Also load the demo set.")] = False) -> None:
    """Load regions, councils and categories (and the demo set with --demo). Safe to run twice."""
    from exchange.seeding.demo import load_demo
    from exchange.seeding.reference import load_categories, load_regions_and_councils

    settings = get_settings()
    with _database().transaction() as db:
        regions, councils = load_regions_and_councils(db, settings.seed_dir)
        categories = load_categories(db, settings.seed_dir)
        typer.echo(f"{regions} regions, {councils} councils, {categories} categories")
        if demo_data:
            counts = load_demo(db, settings.seed_dir)
            typer.echo(
                "demo set already loaded"
                if "skipped" in counts
                else "demo: " + ", ".join(f"{n} {k}" for k, n in counts.items())
            )


@app.command("create-admin")
def create_admin(email: str, name: Annotated[str, typer.Option()] = "Administrator") -> None:
    """Create an administrator (or make an existing user one). Asks for the password."""
    from exchange.accounts.service import create_admin as make_admin
    from exchange.core.security import MIN_PASSWORD_LENGTH

    password = getpass.getpass("Password: ")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise typer.BadParameter(f"the password must be at least {MIN_PASSWORD_LENGTH} characters")
    if password != getpass.getpass("Again: "):
        raise typer.BadParameter("the passwords do not match")
    with _database().transaction() as db:
        user = make_admin(db, email, name, password)
    typer.echo(f"{user.email} is an administrator")


@import_app.command("suppliers")
def import_suppliers(path: Path) -> None:
    """Import suppliers (with their past contracts) from a JSON Lines file."""
    from exchange.seeding.importer import ImportError_
    from exchange.seeding.importer import import_suppliers as run

    database = _database()
    try:
        with database.transaction() as db:
            result = run(db, path)
    except ImportError_ as error:
        typer.echo(f"Nothing imported: {error}", err=True)
        raise typer.Exit(1) from None
    database.analyze()
    typer.echo(f"imported {result.count} suppliers")


@import_app.command("needs")
def import_needs(path: Path) -> None:
    """Import needs (each under a buyer organisation found or created by name) from a JSON Lines file."""
    from exchange.seeding.importer import ImportError_
    from exchange.seeding.importer import import_needs as run

    database = _database()
    try:
        with database.transaction() as db:
            result = run(db, path)
    except ImportError_ as error:
        typer.echo(f"Nothing imported: {error}", err=True)
        raise typer.Exit(1) from None
    database.analyze()
    typer.echo(f"imported {result.count} needs")


@app.command()
def generate(
    needs: Annotated[int, typer.Option(help="How many needs.")] = 1000,
    suppliers: Annotated[int, typer.Option(help="How many supplier organisations.")] = 500,
    pitches: Annotated[int, typer.Option(help="How many pitches (offers: the same number again).")] = 2000,
    seed_value: Annotated[int, typer.Option("--seed", help="Random seed, for repeatable data.")] = 1,
) -> None:
    """Generate synthetic but realistic data for scale tests."""
    import time

    from exchange.seeding.generator import generate as run

    started = time.perf_counter()
    database = _database()
    try:
        with database.transaction() as db:
            counts = run(db, needs=needs, suppliers=suppliers, pitches=pitches, seed=seed_value)
    except ValueError as error:
        raise typer.BadParameter(str(error)) from None
    database.analyze()
    summary = ", ".join(f"{n} {name}" for name, n in counts.items())
    typer.echo(f"generated {summary} in {time.perf_counter() - started:.1f}s")


@app.command()
def reindex() -> None:
    """Write every pitch's, offer's and need's search document again (to repair the search index)."""
    from exchange.search.indexer import rebuild

    with _database().transaction() as db:
        count = rebuild(db)
    typer.echo(f"reindexed {count} items")


@app.command("send-email")
def send_email() -> None:
    """Send email waiting in the outbox now (the worker sends it after each change, and every minute)."""
    from exchange.outbox.service import deliver_pending

    context = job_context()
    sent = deliver_pending(context.database, context.settings)
    typer.echo(f"sent {sent}")


@app.command("send-digests")
def send_digests() -> None:
    """Queue the digests that are due now (the worker checks every hour); the worker sends them.

    The weekly opportunities email, each saved search's daily or weekly email of new results, and the daily
    email of what is new from the organisations and categories people follow.
    """
    from exchange.knowledge.tasks import queue_due_digests
    from exchange.matching.tasks import queue_due_opportunity_digests

    result = queue_due_opportunity_digests()
    saved, following = queue_due_digests()
    typer.echo(
        f"{result.emails_queued} digests queued for {result.users_considered} subscribers; "
        f"{saved.emails_queued} saved-search emails queued for {saved.searches_considered} saved searches; "
        f"{following.emails_queued} emails of news from what people follow"
    )


@bench_app.command("http")
def bench_http(
    listings: Annotated[int, typer.Option(help="Listings to generate.")] = 100_000,
    organisations: Annotated[int, typer.Option(help="Organisations to generate.")] = 10_000,
    database_url: Annotated[str | None, typer.Option(help="Database to use (default: a new SQLite file).")] = None,
    duration: Annotated[float, typer.Option(help="Seconds per measurement.")] = 10.0,
    workers: Annotated[int, typer.Option(help="Server worker processes.")] = 1,
) -> None:
    """Generate data, start the server, and print latency and throughput of search and detail pages."""
    from exchange.bench.http import NothingMeasured, run

    try:
        run(
            listings=listings,
            organisations=organisations,
            database_url=database_url,
            duration=duration,
            workers=workers,
        )
    except NothingMeasured as nothing:
        typer.echo(f"error: {nothing}", err=True)
        raise typer.Exit(1) from None


@bench_app.command("writes")
def bench_writes(
    clients: Annotated[int, typer.Option(min=1, help="Signed-in people publishing at once.")] = 32,
    duration: Annotated[float, typer.Option(help="Seconds of writing.")] = 60.0,
    database_url: Annotated[str | None, typer.Option(help="Database to use (default: a new SQLite file).")] = None,
    workers: Annotated[int, typer.Option(help="Server worker processes.")] = 1,
    listings: Annotated[int, typer.Option(help="Listings to generate first.")] = 2_000,
) -> None:
    """Many signed-in suppliers publish at once; print answers by status and latency, then read every pitch back."""
    from exchange.bench.writes import WritesFailed, run

    try:
        run(clients=clients, duration=duration, database_url=database_url, workers=workers, listings=listings)
    except WritesFailed as failed:
        typer.echo(f"error: {failed}", err=True)
        raise typer.Exit(1) from None


@bench_app.command("match")
def bench_match(
    bench_dir: Annotated[
        Path | None, typer.Argument(help="A benchmark folder (suppliers.jsonl, requests.jsonl).")
    ] = None,
    out: Annotated[Path | None, typer.Option(help="Where to write the rankings (JSON Lines).")] = None,
    generate: Annotated[int, typer.Option(help="Instead of a folder: this many synthetic suppliers.")] = 0,
    needs: Annotated[int, typer.Option(help="Synthetic needs to match (with --generate).")] = 200,
    database_url: Annotated[
        str | None, typer.Option(help="PostgreSQL server to use (default: a new SQLite file).")
    ] = None,
    labels: Annotated[
        Path | None,
        typer.Option(help="After ranking, score against these labels beside plain BM25 (e.g. BENCH_DIR/labels.jsonl)."),
    ] = None,
    weights: Annotated[
        Path | None, typer.Option(help="Rank with these weights instead of the shipped ones (a weights.json).")
    ] = None,
    features: Annotated[
        Path | None, typer.Option(help="Also write every candidate's factor strengths here, to train the ranking on.")
    ] = None,
    reverse: Annotated[
        bool, typer.Option(help="With --labels: also rank the needs for each awarded supplier (opportunities).")
    ] = False,
) -> None:
    """Import a benchmark into a throwaway database, rank suppliers for every need; print import time and latency."""
    from rich.console import Console

    from exchange.bench.match import run_folder, run_generated

    console = Console()
    if generate:
        run_generated(generate, needs, database_url, console)
        return
    if bench_dir is None or out is None:
        raise typer.BadParameter("give a BENCH_DIR and --out RANKINGS.jsonl, or --generate N")
    if not (bench_dir / "suppliers.jsonl").is_file() or not (bench_dir / "requests.jsonl").is_file():
        raise typer.BadParameter(f"{bench_dir} must hold suppliers.jsonl and requests.jsonl")
    run_folder(bench_dir, out, database_url, console, labels, weights, features, reverse)


@bench_app.command("score")
def bench_score(labels: Path, rankings: Path) -> None:
    """Recall@1, @5, @10 and MRR@10 of RANKINGS against LABELS."""
    from exchange.bench.match import score

    scores = score(labels, rankings)
    recall = "  ".join(f"recall@{k} {value:.3f}" for k, value in scores.recall.items())
    typer.echo(f"{scores.requests} requests  {recall}  MRR@10 {scores.mrr_at_10:.3f}")


schedule_app = typer.Typer(
    help="Matchmaking session schedules (the JSON format of SCHEDULING.md).", no_args_is_help=True
)
app.add_typer(schedule_app, name="schedule")


@schedule_app.command("solve")
def schedule_solve(
    instance: Annotated[Path, typer.Argument(help="The instance (JSON).", exists=True, dir_okay=False)],
    out: Annotated[Path, typer.Option(help="Where to write the schedule (JSON).")],
    seconds: Annotated[float, typer.Option(help="Time limit in seconds.", min=0.1)] = 5.0,
    seed: Annotated[int, typer.Option(help="Random seed of the local search.")] = 0,
    fairness_cost: Annotated[
        float,
        typer.Option(help="Share of value that may be given up so more people with a wish meet someone.", min=0, max=1),
    ] = 0.01,
) -> None:
    """Schedule the meetings of INSTANCE; print the value, its proven upper bound, and how fair and compact it is."""
    import json
    import time

    from exchange.scheduling import metrics, solver
    from exchange.scheduling.model import InstanceError, parse_instance, schedule_to_dict

    try:
        parsed = parse_instance(json.loads(instance.read_text(encoding="utf-8")))
    except json.JSONDecodeError as error:
        typer.echo(f"{instance} is not valid JSON: {error}", err=True)
        raise typer.Exit(1) from None
    except InstanceError as error:
        typer.echo(f"{instance}: {error}", err=True)
        raise typer.Exit(1) from None
    started = time.perf_counter()
    try:
        result = solver.solve(parsed, seconds=seconds, seed=seed, fairness_cost=fairness_cost)
    except InstanceError as error:
        typer.echo(f"{instance}: {error}", err=True)
        raise typer.Exit(1) from None
    elapsed = time.perf_counter() - started
    out.write_text(json.dumps(schedule_to_dict(result), indent=1) + "\n", encoding="utf-8")
    figures = metrics.measure(parsed, result)
    typer.echo(
        f"{figures.meetings} meetings  value {figures.value:.2f}  upper bound {result.upper_bound:.2f}  "
        f"gap {figures.gap_percent:.2f}%  with a wish but no meeting {figures.no_meeting}  "
        f"idle gaps {figures.idle_gaps}  time {elapsed:.2f}s"
    )
    typer.echo(f"wrote {out}")


@bench_app.command("schedule")
def bench_schedule(
    sizes: Annotated[str, typer.Option(help="Participants per instance, comma-separated.")] = "100,500,2000",
    slots: Annotated[int, typer.Option(help="Slots in the day.", min=1)] = 12,
    seed_value: Annotated[int, typer.Option("--seed", help="Random seed of the generated instances.")] = 1,
    seconds: Annotated[float, typer.Option(help="The solver's time limit per instance.", min=0.1)] = 5.0,
) -> None:
    """Generate realistic sessions; print the solver's figures beside the greedy baseline's, on the same instances."""
    from rich.console import Console

    from exchange.bench.schedule import run

    try:
        counts = [int(size) for size in sizes.split(",") if size.strip()]
    except ValueError:
        raise typer.BadParameter("--sizes must be whole numbers separated by commas") from None
    if not counts or min(counts) < 2:
        raise typer.BadParameter("--sizes needs at least one size of 2 participants or more")
    run(counts, slots, seed_value, seconds, Console())
