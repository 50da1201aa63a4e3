"""``exchange bench writes``: many signed-in people publishing at once, then every publication read back.

Each client is a supplier's administrator with a session of its own. For the whole run it publishes pitches
through the same form a browser posts (CSRF token and all), reading a page between writes, as fast as the
server answers. Afterwards every pitch the server said it published is fetched again. The command prints
the answers by status, the write latency and throughput, and fails when any answer was a server error or any
published pitch cannot be read. "Busy" (503 with Retry-After) is counted apart: it is the server's honest
answer to more writers than its database takes, and changes nothing.

The load runs in this process (asyncio + httpx); the server runs in its own processes, as in ``bench http``.
"""

from __future__ import annotations

import asyncio
import os
import re
import time
from collections import Counter
from dataclasses import dataclass, field

import httpx
from rich.console import Console
from rich.table import Table
from sqlalchemy.engine import make_url

from exchange.bench import people
from exchange.bench.http import prepare, running_server, throwaway_database
from exchange.bench.load import percentile
from exchange.bench.people import SignedIn
from exchange.core.settings import get_settings

CREATED = re.compile(r"^/pitches/(\d+)$")


class WritesFailed(RuntimeError):
    """A server error, or a publication the server confirmed that cannot be read back."""


@dataclass
class Tally:
    statuses: Counter[int] = field(default_factory=Counter)
    write_seconds: list[float] = field(default_factory=list)
    published: list[int] = field(default_factory=list)
    transport_errors: int = 0


async def _writer(base_url: str, writer: SignedIn, deadline: float, tally: Tally) -> None:
    async with httpx.AsyncClient(base_url=base_url, timeout=60, headers={"Cookie": writer.cookie}) as client:
        token, organisation_id = writer.csrf_token, writer.person.organisation_id
        n = 0
        while time.perf_counter() < deadline:
            n += 1
            form = {
                "csrf_token": token,
                "organisation_id": str(organisation_id),
                "title": f"Street lighting sensors, batch {n}",
                "summary": "Sensors that report failed street lights before residents do, with a dashboard.",
                "tags": "lighting, sensors",
            }
            started = time.perf_counter()
            try:
                answer = await client.post("/pitches/new", data=form)
            except httpx.HTTPError:
                tally.transport_errors += 1
                continue
            tally.write_seconds.append(time.perf_counter() - started)
            tally.statuses[answer.status_code] += 1
            created = CREATED.match(answer.headers.get("location", ""))
            if answer.status_code == 303 and created:
                tally.published.append(int(created.group(1)))
            elif answer.status_code == 503:
                await asyncio.sleep(float(answer.headers.get("retry-after", "1")))
            try:  # a read between writes, as people do
                read = await client.get("/dashboard")
                tally.statuses[read.status_code] += 1
            except httpx.HTTPError:
                tally.transport_errors += 1


async def _drive(base_url: str, writers: list[SignedIn], seconds: float) -> tuple[Tally, float]:
    tally = Tally()
    deadline = time.perf_counter() + seconds
    started = time.perf_counter()
    await asyncio.gather(*(_writer(base_url, writer, deadline, tally) for writer in writers))
    return tally, time.perf_counter() - started


async def _unreadable(base_url: str, ids: list[int]) -> list[int]:
    missing: list[int] = []
    limits = httpx.Limits(max_connections=8)
    async with httpx.AsyncClient(base_url=base_url, timeout=60, limits=limits) as client:
        for start in range(0, len(ids), 8):
            batch = ids[start : start + 8]
            answers = await asyncio.gather(*(client.get(f"/pitches/{pitch_id}") for pitch_id in batch))
            missing.extend(
                pitch_id for pitch_id, answer in zip(batch, answers, strict=True) if answer.status_code != 200
            )
    return missing


def run(clients: int, duration: float, database_url: str | None, workers: int, listings: int) -> None:
    console = Console()
    os.environ.update(people.CHEAP_HASHING)
    get_settings.cache_clear()
    with throwaway_database(database_url) as url:
        dialect = make_url(url).get_backend_name()
        console.print(f"database: {dialect} (throwaway); server workers: {workers}; writers: {clients}")
        prepare(url, listings, max(100, listings // 10), console)
        suppliers = people.make_suppliers(url, clients)
        with running_server(url, workers) as server:
            writers = [people.sign_in(server.url, supplier) for supplier in suppliers]
            tally, seconds = asyncio.run(_drive(server.url, writers, duration))
            missing = asyncio.run(_unreadable(server.url, tally.published))
    console.print(results_table(tally, seconds, dialect, len(missing)))
    verdict(tally, missing)


def verdict(tally: Tally, missing: list[int]) -> None:
    """Fail on any server error (503 Busy is an answer, not an error), broken connection or lost pitch."""
    server_errors = sum(count for status, count in tally.statuses.items() if status >= 500 and status != 503)
    if server_errors or missing or tally.transport_errors:
        raise WritesFailed(
            f"{server_errors} server errors, {tally.transport_errors} broken connections, "
            f"{len(missing)} published pitches not readable (first: {missing[:5]})"
        )


def results_table(tally: Tally, seconds: float, dialect: str, missing: int) -> Table:
    ordered = sorted(tally.write_seconds)
    table = Table(title="exchange bench writes", caption=f"{dialect}, {seconds:.0f}s")
    for heading in ("measure", "value"):
        table.add_column(heading, justify="left" if heading == "measure" else "right")
    table.add_row("pitches published", str(len(tally.published)))
    table.add_row("writes per second", f"{len(tally.write_seconds) / seconds:.1f}" if seconds else "0")
    table.add_row("write median ms", f"{percentile(ordered, 0.5) * 1000:.0f}")
    table.add_row("write p95 ms", f"{percentile(ordered, 0.95) * 1000:.0f}")
    table.add_row("write p99 ms", f"{percentile(ordered, 0.99) * 1000:.0f}")
    for status, count in sorted(tally.statuses.items()):
        table.add_row(f"answers {status}", str(count))
    table.add_row("broken connections", str(tally.transport_errors))
    table.add_row("published but not readable", str(missing))
    return table
