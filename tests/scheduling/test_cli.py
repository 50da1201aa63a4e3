"""`exchange schedule solve` on files, and `exchange bench schedule` on small sessions."""

from __future__ import annotations

import json
from pathlib import Path

from rich.console import Console
from typer.testing import CliRunner

from exchange.bench.schedule import run
from exchange.cli import app
from exchange.scheduling import metrics
from exchange.scheduling.generate import generate
from exchange.scheduling.model import Schedule, instance_to_dict, parse_instance, parse_schedule


def test_schedule_solve_writes_a_valid_schedule_and_prints_its_figures(tmp_path: Path) -> None:
    instance = generate(60, slots=6, table_share=0.25, seed=2)
    source, out = tmp_path / "session.json", tmp_path / "schedule.json"
    source.write_text(json.dumps(instance_to_dict(instance)))
    result = CliRunner().invoke(app, ["schedule", "solve", str(source), "--out", str(out), "--seconds", "1"])
    assert result.exit_code == 0, result.output
    for words in ("value", "upper bound", "gap", "with a wish but no meeting", "idle gaps", "time"):
        assert words in result.output
    written = json.loads(out.read_text())
    assert set(written) == {"meetings", "value", "upper_bound"}
    schedule = Schedule(parse_schedule(written), written["value"], written["upper_bound"])
    assert metrics.check(parse_instance(instance_to_dict(instance)), schedule) == []
    assert written["value"] <= written["upper_bound"]


def test_schedule_solve_refuses_a_malformed_instance_naming_the_problem(tmp_path: Path) -> None:
    source, out = tmp_path / "session.json", tmp_path / "schedule.json"
    source.write_text(
        json.dumps(
            {
                "slots": ["09:00"],
                "tables": 1,
                "participants": [{"id": "p1", "side": "council", "organisation": "o1"}],
                "wishes": [{"from": "p1", "to": "ghost", "level": "must"}],
            }
        )
    )
    result = CliRunner().invoke(app, ["schedule", "solve", str(source), "--out", str(out)])
    assert result.exit_code == 1
    assert "unknown participant 'ghost'" in result.output
    assert not out.exists()

    source.write_text("{not json")
    result = CliRunner().invoke(app, ["schedule", "solve", str(source), "--out", str(out)])
    assert result.exit_code == 1 and "not valid JSON" in result.output


def test_bench_schedule_compares_the_solver_with_greedy_on_the_same_sessions() -> None:
    console = Console(record=True, width=200)
    rows = run([40, 80], slots=6, seed=5, seconds=1, console=console)
    assert len(rows) == 4
    for row in rows:
        assert row.solver_broken == 0 and row.greedy_broken == 0
        assert row.solver.upper_bound is not None and row.solver.value >= 0.98 * row.solver.upper_bound
        assert row.solver.value >= row.greedy.value
        assert row.greedy.upper_bound == row.solver.upper_bound
    text = console.export_text()
    assert "solver" in text and "greedy" in text and "idle gaps" in text


def test_bench_schedule_command_refuses_bad_sizes() -> None:
    result = CliRunner().invoke(app, ["bench", "schedule", "--sizes", "ten"])
    assert result.exit_code != 0 and "--sizes" in result.output
