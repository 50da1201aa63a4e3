"""``exchange bench writes`` fails on a server error or a lost publication, and takes 503 Busy as an answer."""

from __future__ import annotations

from collections import Counter

import pytest

from exchange.bench.writes import Tally, WritesFailed, results_table, verdict


def test_busy_answers_are_counted_but_do_not_fail_the_run() -> None:
    tally = Tally(statuses=Counter({303: 40, 200: 40, 503: 3}), write_seconds=[0.1] * 43, published=list(range(40)))

    verdict(tally, missing=[])

    assert results_table(tally, 10.0, "sqlite", 0).row_count == 10


@pytest.mark.parametrize(
    ("tally", "missing", "reason"),
    [
        (Tally(statuses=Counter({303: 10, 500: 1})), [], "1 server errors"),
        (Tally(statuses=Counter({303: 10}), transport_errors=2), [], "2 broken connections"),
        (Tally(statuses=Counter({303: 10})), [7], "1 published pitches not readable"),
    ],
)
def test_an_error_or_a_lost_publication_fails_the_run(tally: Tally, missing: list[int], reason: str) -> None:
    with pytest.raises(WritesFailed, match=reason):
        verdict(tally, missing)
