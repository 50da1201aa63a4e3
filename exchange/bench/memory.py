"""Resident memory of a server and its worker processes, read from /proc (Linux), for the benchmark's report."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

PROC = Path("/proc")


@dataclass(frozen=True)
class ProcessMemory:
    pid: int
    command: str
    rss_mib: float


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for task in (PROC / str(pid) / "task").glob("*"):
        try:
            found.extend(int(child) for child in (task / "children").read_text().split())
        except OSError:
            continue
    return found


def _memory(pid: int) -> ProcessMemory | None:
    try:
        status = (PROC / str(pid) / "status").read_text()
        command = (PROC / str(pid) / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace").strip()
    except OSError:
        return None
    for line in status.splitlines():
        if line.startswith("VmRSS:"):
            return ProcessMemory(pid, command, int(line.split()[1]) / 1024)
    return None


def process_tree_memory(pid: int) -> list[ProcessMemory]:
    """The process and all its descendants (uvicorn's supervisor and its workers), in the order found."""
    pending, seen = [pid], []
    while pending:
        current = pending.pop(0)
        seen.append(current)
        pending.extend(_children(current))
    return [memory for memory in map(_memory, seen) if memory is not None]
