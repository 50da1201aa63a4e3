"""Driving HTTP load from a separate process: wrk when installed, else an asyncio httpx client.

Either way the load runs outside the benchmark's own process, so the Python that generates requests
does not share an interpreter (or a GIL) with anything being measured. Each run cycles through a list of
paths on one base URL and reports the median and 95th percentile latency and the throughput.

A request is a path (a plain GET) or a ``Request`` carrying a method, headers (a signed-in session's cookie,
its CSRF token) and a form body, so that signed-in pages and writes are driven the same way.

Run as ``python -m exchange.bench.load BASE_URL REQUESTS_FILE CONNECTIONS SECONDS`` for the httpx driver.
"""

from __future__ import annotations

import asyncio
import json
import math
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

import httpx

# Spread the threads (or connections) over the path list, so they do not request the same page in step.
OFFSET_STRIDE = 7919
REQUEST_TIMEOUT_SECONDS = 30


@dataclass(frozen=True)
class Request:
    path: str
    method: str = "GET"
    headers: dict[str, str] = field(default_factory=dict)
    body: str = ""


def as_request(item: str | Request) -> Request:
    return item if isinstance(item, Request) else Request(item)


@dataclass(frozen=True)
class Measurement:
    requests: int
    seconds: float
    median_ms: float
    p95_ms: float
    errors: int

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def percentile(ordered: list[float], fraction: float) -> float:
    """Nearest-rank percentile of an already sorted list (0.0 when empty)."""
    if not ordered:
        return 0.0
    # Rounded first so that 0.95 * 100 (95.00000000000001 in floating point) is rank 95, not 96.
    rank = max(1, min(len(ordered), math.ceil(round(fraction * len(ordered), 9))))
    return ordered[rank - 1]


def summarise(latencies: list[float], seconds: float, errors: int) -> Measurement:
    """``latencies`` in seconds, of the successful requests only."""
    ordered = sorted(latencies)
    return Measurement(
        requests=len(ordered),
        seconds=seconds,
        median_ms=percentile(ordered, 0.5) * 1000,
        p95_ms=percentile(ordered, 0.95) * 1000,
        errors=errors,
    )


def _lua(value: str) -> str:
    # JSON string literals are valid Lua string literals for the ASCII paths, cookies and form bodies used here.
    return json.dumps(value, ensure_ascii=True)


def wrk_script(requests: Sequence[str | Request]) -> str:
    """A wrk Lua script that cycles through ``requests`` and prints one machine-readable result line.

    wrk's own --latency report has no 95th percentile, hence the ``done`` hook.
    """
    if not requests:
        raise ValueError("no paths to request")
    entries = []
    for request in map(as_request, requests):
        headers = ", ".join(f"[{_lua(name)}] = {_lua(value)}" for name, value in request.headers.items())
        body = _lua(request.body) if request.body else "nil"
        entries.append(f"{{{_lua(request.method)}, {_lua(request.path)}, {{{headers}}}, {body}}}")
    table = ",\n  ".join(entries)
    return f"""local requests = {{
  {table}
}}
local started = 0
function setup(thread)
  thread:set("offset", started * {OFFSET_STRIDE})
  started = started + 1
end
function init(args)
  counter = (offset or 0) % #requests
end
function request()
  counter = counter % #requests + 1
  local r = requests[counter]
  return wrk.format(r[1], r[2], r[3], r[4])
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("BENCH_RESULT %.0f %.0f %.0f %.0f %.0f %.0f\\n", summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(95), e.status, e.connect + e.read + e.write + e.timeout))
end
"""


def parse_wrk(output: str) -> Measurement:
    """Read the line the script's ``done`` hook prints.

    Its fields: responses, microseconds, p50 and p95 in microseconds, error responses, socket errors.
    """
    for line in output.splitlines():
        if line.startswith("BENCH_RESULT "):
            responses, duration_us, p50_us, p95_us, bad_status, socket_errors = (float(v) for v in line.split()[1:7])
            # wrk counts error responses (4xx, 5xx) among its requests; report the successful ones.
            return Measurement(
                requests=int(responses - bad_status),
                seconds=duration_us / 1e6,
                median_ms=p50_us / 1000,
                p95_ms=p95_us / 1000,
                errors=int(bad_status + socket_errors),
            )
    raise ValueError(f"no result in wrk output:\n{output}")


def run_wrk(base_url: str, requests: Sequence[str | Request], connections: int, seconds: float) -> Measurement:
    threads = max(1, min(connections, 2))
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(wrk_script(requests))
    try:
        command = [
            "wrk",
            f"--threads={threads}",
            f"--connections={connections}",
            f"--duration={max(1, round(seconds))}s",
            f"--timeout={REQUEST_TIMEOUT_SECONDS}s",
            f"--script={handle.name}",
            base_url,
        ]
        completed = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60, check=True)
    finally:
        Path(handle.name).unlink(missing_ok=True)
    return parse_wrk(completed.stdout)


async def drive(base_url: str, requests: Sequence[Request], connections: int, seconds: float) -> Measurement:
    """``connections`` clients, each sending the next request as soon as the previous answer arrives."""
    latencies: list[float] = []
    errors = 0
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    async with httpx.AsyncClient(base_url=base_url, limits=limits, timeout=REQUEST_TIMEOUT_SECONDS) as client:
        deadline = time.perf_counter() + seconds

        async def client_loop(offset: int) -> None:
            nonlocal errors
            index = offset
            while time.perf_counter() < deadline:
                request = requests[index % len(requests)]
                index += 1
                started = time.perf_counter()
                try:
                    response = await client.request(
                        request.method, request.path, headers=request.headers, content=request.body or None
                    )
                    ok = response.status_code < 400
                except httpx.HTTPError:
                    ok = False
                if ok:
                    latencies.append(time.perf_counter() - started)
                else:
                    errors += 1

        started = time.perf_counter()
        await asyncio.gather(*(client_loop(n * OFFSET_STRIDE) for n in range(connections)))
        elapsed = time.perf_counter() - started
    return summarise(latencies, elapsed, errors)


def run_httpx(base_url: str, requests: Sequence[str | Request], connections: int, seconds: float) -> Measurement:
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump([asdict(as_request(request)) for request in requests], handle)
    try:
        command = [sys.executable, "-m", "exchange.bench.load", base_url, handle.name, str(connections), str(seconds)]
        completed = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60, check=True)
    finally:
        Path(handle.name).unlink(missing_ok=True)
    return Measurement(**json.loads(completed.stdout.strip().splitlines()[-1]))


def measure(base_url: str, requests: Sequence[str | Request], connections: int, seconds: float) -> Measurement:
    runner = run_wrk if shutil.which("wrk") else run_httpx
    return runner(base_url, requests, connections, seconds)


def driver_name() -> str:
    return "wrk" if shutil.which("wrk") else "httpx (asyncio)"


def main(argv: list[str]) -> None:
    base_url, requests_file, connections, seconds = argv
    requests = [Request(**item) for item in json.loads(Path(requests_file).read_text(encoding="utf-8"))]
    result = asyncio.run(drive(base_url, requests, int(connections), float(seconds)))
    print(json.dumps(asdict(result)))


if __name__ == "__main__":
    main(sys.argv[1:])
