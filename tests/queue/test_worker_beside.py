"""The worker the demo starts beside itself ends when the demo ends, even when the demo is killed outright
(a signal it cannot handle skips its own clean-up)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import PROJECT_ROOT, wait_for
from tests.queue.conftest import WORKER_ENV

STARTER = """
import os, signal
from exchange.cli import start_worker_beside
worker = start_worker_beside()
print("worker", worker.pid, flush=True)
os.kill(os.getpid(), signal.SIGKILL)
"""


def ended(pid: int) -> bool:
    """Gone, or a zombie nobody has collected yet (it runs no more)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1][0]
    except (FileNotFoundError, IndexError):
        return True
    return state in ("Z", "X")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the parent-death signal is Linux's")
def test_a_killed_demo_takes_its_worker_with_it(tmp_path: Path) -> None:
    environment = {
        **os.environ,
        **WORKER_ENV,
        "EXCHANGE_DATABASE_URL": f"sqlite:///{tmp_path / 'exchange.db'}",
        "EXCHANGE_QUEUE_FILE": str(tmp_path / "queue.db"),
    }
    environment.pop("EXCHANGE_QUEUE_URL", None)  # the queue file, as the demo uses
    starter = subprocess.run(
        [sys.executable, "-c", STARTER], env=environment, cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=60
    )
    assert starter.returncode == -signal.SIGKILL
    worker = next(int(line.split()[1]) for line in starter.stdout.splitlines() if line.startswith("worker "))
    try:
        wait_for(lambda: ended(worker), "the worker to end with the process that started it", limit=30)
    finally:
        if not ended(worker):
            os.kill(worker, signal.SIGKILL)
