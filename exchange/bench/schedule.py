"""``exchange bench schedule``: the scheduler against the greedy baseline on generated sessions.

For each size, two sessions from ``scheduling.generate`` (tables for a quarter and for a half of everyone meeting
at once), each solved by the greedy baseline and by the solver in the same run. Both schedules are checked
against every rule; the table shows, for each, the time, the value and its gap to the solver's proven upper bound,
the participants with a wish left with no meeting, and the idle gaps; and whether the integer program for small
restricted sessions ran (``scheduling.exact``).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from rich.console import Console

from exchange.scheduling import greedy, metrics, solver
from exchange.scheduling.generate import generate
from exchange.scheduling.model import Instance

TABLE_SHARES = (0.25, 0.5)


@dataclass(frozen=True)
class Row:
    participants: int
    tables: int
    wishers: int
    solver_seconds: float
    solver: metrics.Figures
    solver_broken: int
    greedy_seconds: float
    greedy: metrics.Figures
    greedy_broken: int
    # What the integer program for small restricted sessions did ("not needed": the heuristic met the bound).
    exact: str


def measure(instance: Instance, seconds: float, seed: int = 0) -> Row:
    started = time.perf_counter()
    baseline = greedy.solve(instance)
    greedy_seconds = time.perf_counter() - started
    started = time.perf_counter()
    result = solver.solve(instance, seconds=seconds, seed=seed)
    solver_seconds = time.perf_counter() - started
    # The baseline is judged against the same proven bound.
    baseline.upper_bound = result.upper_bound
    wishers = len({w.source for w in instance.wishes if w.level != "no"})
    return Row(
        participants=len(instance.participants),
        tables=instance.tables,
        wishers=wishers,
        solver_seconds=solver_seconds,
        solver=metrics.measure(instance, result),
        solver_broken=len(metrics.check(instance, result)),
        greedy_seconds=greedy_seconds,
        greedy=metrics.measure(instance, baseline),
        greedy_broken=len(metrics.check(instance, baseline)),
        exact=result.stats.get("exact", "not needed"),
    )


def _line(who: str, seconds: float, figures: metrics.Figures, broken: int) -> str:
    gap = figures.gap_percent
    return (
        f"  {who}  {seconds:6.2f}s  {figures.meetings:5d} meetings  value {figures.value:9.1f}  "
        f"bound {figures.upper_bound or 0:9.1f} (gap {gap or 0:5.2f}%)  wish but no meeting {figures.no_meeting:4d}  "
        f"idle gaps {figures.idle_gaps:5d}  rules broken {broken}"
    )


def _ratio(mine: int, theirs: int) -> str:
    return "-" if theirs == 0 else f"{mine / theirs:.2f}"


def run(sizes: list[int], slots: int, seed: int, seconds: float, console: Console) -> list[Row]:
    console.print(f"solver time limit {seconds:g}s, {slots} slots, seed {seed}", highlight=False, soft_wrap=True)
    rows: list[Row] = []
    for size in sizes:
        for share in TABLE_SHARES:
            instance = generate(size, slots=slots, table_share=share, seed=seed)
            row = measure(instance, seconds, seed)
            rows.append(row)
            console.print(
                f"{size} participants, {instance.tables} tables ({share:.0%} of everyone meeting at once), "
                f"{row.wishers} made a wish",
                highlight=False,
                soft_wrap=True,
            )
            console.print(
                _line("solver", row.solver_seconds, row.solver, row.solver_broken), highlight=False, soft_wrap=True
            )
            console.print(
                _line("greedy", row.greedy_seconds, row.greedy, row.greedy_broken), highlight=False, soft_wrap=True
            )
            console.print(
                f"  solver / greedy: wish but no meeting {_ratio(row.solver.no_meeting, row.greedy.no_meeting)}, "
                f"idle gaps {_ratio(row.solver.idle_gaps, row.greedy.idle_gaps)}; integer program: {row.exact}",
                highlight=False,
                soft_wrap=True,
            )
    return rows
