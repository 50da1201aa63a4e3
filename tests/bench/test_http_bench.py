"""The pure parts of `exchange bench http`: URL lists, the wrk script and its output, the summaries."""

from __future__ import annotations

import random
import socket
import threading
from urllib.parse import parse_qs, urlsplit

import pytest

from exchange.bench.http import NothingMeasured, Scenario, measured, ratio_lines, search_paths, split_listings
from exchange.bench.load import Measurement, parse_wrk, percentile, summarise, wrk_script


def test_listings_are_split_between_pitches_offers_and_needs() -> None:
    pitches, needs = split_listings(100_000)
    assert (pitches, needs) == (40_000, 20_000)
    assert 2 * split_listings(7)[0] + split_listings(7)[1] == 7


def test_search_paths_vary_words_and_facets_and_repeat_for_a_seed() -> None:
    paths = search_paths(random.Random(5), "/search", region_ids=[1, 2, 3], category_ids=[10, 20], count=40)
    assert paths == search_paths(random.Random(5), "/search", [1, 2, 3], [10, 20], count=40)
    queries = [parse_qs(urlsplit(path).query) for path in paths]
    assert all(urlsplit(path).path == "/search" for path in paths)
    assert all(len(query["q"]) == 1 for query in queries)
    assert len({query["q"][0] for query in queries}) > 5
    assert any("kind" in query for query in queries) and any("region" in query for query in queries)
    assert {kind for query in queries for kind in query.get("kind", [])} <= {"pitch", "offer", "need"}
    assert {int(r) for query in queries for r in query.get("region", [])} <= {1, 2, 3}


def test_the_wrk_script_cycles_through_every_path() -> None:
    script = wrk_script(["/healthz", "/search?q=meals+at+home&kind=offer"])
    assert '"/search?q=meals+at+home&kind=offer"' in script
    assert "function request()" in script and "BENCH_RESULT" in script
    with pytest.raises(ValueError):
        wrk_script([])


def test_wrk_output_is_read_from_the_result_line() -> None:
    output = (
        "Running 3s test @ http://127.0.0.1:1234\n"
        "  2 threads and 32 connections\n"
        "BENCH_RESULT 906 3010000 2150 8400 6 0\n"
    )
    result = parse_wrk(output)
    assert result == Measurement(requests=900, seconds=3.01, median_ms=2.15, p95_ms=8.4, errors=6)
    assert result.per_second == pytest.approx(299.0, abs=0.1)
    with pytest.raises(ValueError):
        parse_wrk("no result here")


def test_summaries_use_nearest_rank_percentiles() -> None:
    assert percentile([], 0.5) == 0.0
    values = [i / 1000 for i in range(1, 101)]  # 1..100 ms
    result = summarise(list(reversed(values)), seconds=2.0, errors=1)
    assert (result.requests, result.median_ms, result.p95_ms, result.errors) == (100, 50.0, 95.0, 1)
    assert result.per_second == 50.0


def test_search_throughput_is_compared_with_healthz_at_32_clients() -> None:
    def at(rate: float) -> Measurement:
        return Measurement(requests=int(rate * 10), seconds=10, median_ms=1, p95_ms=2, errors=0)

    results = {
        ("healthz", 32): at(2000),
        ("search page", 32): at(200),
        ("search API", 32): at(500),
        ("healthz", 1): at(1),
    }
    assert ratio_lines(results) == [
        "search page / healthz throughput at 32 clients: 0.100",
        "search API / healthz throughput at 32 clients: 0.250",
    ]
    assert ratio_lines({}) == []


def test_a_server_that_never_answers_fails_the_run_instead_of_printing_a_zero() -> None:
    # A real listening socket that accepts connections and never answers them.
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(64)
        held: list[socket.socket] = []
        stop = threading.Event()

        def accept() -> None:
            listener.settimeout(0.2)
            while not stop.is_set():
                try:
                    held.append(listener.accept()[0])
                except OSError:
                    continue

        thread = threading.Thread(target=accept, daemon=True)
        thread.start()
        port = listener.getsockname()[1]
        try:
            with pytest.raises(NothingMeasured, match="offer page at 4 clients: no request completed"):
                measured(f"http://127.0.0.1:{port}", Scenario("offer page", ["/offers/1"]), 4, 1.0)
        finally:
            stop.set()
            thread.join()
            for connection in held:
                connection.close()
