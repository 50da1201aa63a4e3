"""`exchange bench match` and `exchange bench score`: a benchmark folder imported into a throwaway database
(on the test run's PostgreSQL server when there is one), ranked by the matcher, scored against labels."""

from __future__ import annotations

import json
import os
from pathlib import Path

from rich.console import Console
from typer.testing import CliRunner

from exchange.bench.match import run_folder, score, without_control_characters, write_synthetic
from exchange.cli import app


def server_url() -> str | None:
    url = os.environ.get("EXCHANGE_TEST_DATABASE_URL", "")
    return url if url.startswith("postgresql") else None


def test_a_folder_is_imported_ranked_and_written_without_reading_the_labels(tmp_path: Path) -> None:
    write_synthetic(tmp_path, suppliers=40, contracts_per_supplier=3.0, needs=6, seed=3)
    out = tmp_path / "rankings.jsonl"
    result = run_folder(tmp_path, out, server_url(), Console(quiet=True))
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    assert [line["request_id"] for line in lines] == [f"r{n}" for n in range(6)]
    supplier_ids = {json.loads(line)["id"] for line in (tmp_path / "suppliers.jsonl").read_text().splitlines()}
    for line in lines:
        assert len(line["supplier_ids"]) >= 10
        assert len(set(line["supplier_ids"])) == len(line["supplier_ids"])
        assert set(line["supplier_ids"]) <= supplier_ids
    assert (result.suppliers, result.needs, len(result.latencies_ms), len(result.again_ms)) == (40, 6, 6, 6)
    assert "matching one need: median" in result.summary()


def test_recall_and_mrr_count_the_labelled_supplier_in_the_top_ten(tmp_path: Path) -> None:
    labels = tmp_path / "labels.jsonl"
    rankings = tmp_path / "rankings.jsonl"
    labels.write_text(
        "\n".join(
            json.dumps({"request_id": r, "supplier_id": s})
            for r, s in [("a", "s1"), ("b", "s2"), ("c", "s3"), ("d", "s4")]
        )
    )
    ranked = {"a": ["s1", "x"], "b": ["x", "y", "s2"], "c": [f"x{n}" for n in range(10)] + ["s3"]}
    rankings.write_text("\n".join(json.dumps({"request_id": r, "supplier_ids": ids}) for r, ids in ranked.items()))
    scores = score(labels, rankings)
    assert scores.requests == 4
    assert scores.recall == {1: 0.25, 5: 0.5, 10: 0.5}
    assert abs(scores.mrr_at_10 - (1 + 1 / 3) / 4) < 1e-9

    printed = CliRunner().invoke(app, ["bench", "score", str(labels), str(rankings)])
    assert printed.exit_code == 0
    assert "recall@10 0.500" in printed.output and "MRR@10 0.333" in printed.output


def test_bench_match_refuses_a_folder_without_the_files(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["bench", "match", str(tmp_path), "--out", str(tmp_path / "r.jsonl")])
    assert result.exit_code != 0 and "suppliers.jsonl" in result.output


def test_with_labels_the_run_prints_candidate_recall_beside_plain_bm25_in_the_same_run(tmp_path: Path) -> None:
    write_synthetic(tmp_path, suppliers=40, contracts_per_supplier=3.0, needs=6, seed=3)
    labels = tmp_path / "labels.jsonl"
    labels.write_text("\n".join(json.dumps({"request_id": f"r{n}", "supplier_id": f"s{n}"}) for n in range(6)))
    console = Console(record=True, width=200)
    run_folder(tmp_path, tmp_path / "rankings.jsonl", server_url(), console, labels)
    printed = console.export_text()
    assert "6 labelled requests" in printed
    assert "plain BM25 (bm25s):" in printed and "recall@100" in printed
    assert "candidate recall" in printed and "MRR@10" in printed


def test_reverse_ranks_the_needs_for_each_awarded_supplier_beside_plain_bm25(tmp_path: Path) -> None:
    write_synthetic(tmp_path, suppliers=40, contracts_per_supplier=3.0, needs=6, seed=3)
    labels = tmp_path / "labels.jsonl"
    labels.write_text("\n".join(json.dumps({"request_id": f"r{n}", "supplier_id": f"s{n}"}) for n in range(6)))
    console = Console(record=True, width=200)
    run_folder(tmp_path, tmp_path / "rankings.jsonl", server_url(), console, labels, reverse=True)
    printed = console.export_text()
    assert "reverse: the needs ranked for each awarded supplier" in printed
    assert "reverse: ranking the needs for one supplier: median" in printed
    assert printed.count("plain BM25 (bm25s):") == 2


def test_control_characters_in_published_award_data_do_not_stop_the_import(tmp_path: Path) -> None:
    write_synthetic(tmp_path, suppliers=20, contracts_per_supplier=2.0, needs=3, seed=5)
    lines = (tmp_path / "suppliers.jsonl").read_text().splitlines()
    first = json.loads(lines[0])
    # As in the G-Cloud returns: text decoded with the wrong code page leaves a C1 control character.
    first["past_contracts"][0]["title"] = "Cloudstore \x89ÛÒ Sprint 1"
    (tmp_path / "suppliers.jsonl").write_text("\n".join([json.dumps(first), *lines[1:]]) + "\n")
    result = run_folder(tmp_path, tmp_path / "rankings.jsonl", server_url(), Console(quiet=True))
    assert (result.suppliers, result.needs) == (20, 3)
    (tmp_path / "clean").mkdir()
    copy = without_control_characters(tmp_path / "suppliers.jsonl", tmp_path / "clean")
    # The benchmark's own file is left as it is; the copy reads as the exchange would store it.
    original = json.loads((tmp_path / "suppliers.jsonl").read_text().splitlines()[0])
    assert "\x89" in original["past_contracts"][0]["title"]
    assert "Cloudstore  ÛÒ Sprint 1" in json.loads(copy.read_text().splitlines()[0])["past_contracts"][0]["title"]
    assert without_control_characters(tmp_path / "requests.jsonl", tmp_path) == tmp_path / "requests.jsonl"
