"""Real worker processes (``exchange worker``) on each queue the exchange runs on: a SQLite file, and the
Redis server at 127.0.0.1:6379 (started by .ci/run; unreachable Redis fails these tests, never skips them).

Each test has its own committed database (SQLite file or a fresh PostgreSQL database, as the suite runs) and
its own queue, so the worker, a separate process, sees what the test wrote. Jobs the test's own commits
name go to that queue instead of running at once (see ``Queue.enqueues``).
"""

from __future__ import annotations

import os
import signal
import socket
import socketserver
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import pytest
import redis

from exchange.core import events, queue
from exchange.core.database import Database
from exchange.core.settings import Settings
from exchange.wiring import install
from tests.conftest import PROJECT_ROOT, TEST_SECRET, drop_database, new_database_url, prepare_database

REDIS_URL = "redis://127.0.0.1:6379"
# Short waits so that retries, back-off and dead-worker checks happen within a test.
WORKER_ENV = {
    "EXCHANGE_ENV": "test",
    "EXCHANGE_SECRET_KEY": TEST_SECRET,
    "EXCHANGE_BASE_URL": "http://testserver",
    "EXCHANGE_JOB_RETRIES": "3",
    "EXCHANGE_JOB_RETRY_DELAY_SECONDS": "0.3",
    "EXCHANGE_EMAIL_ATTEMPTS": "3",
    "EXCHANGE_EMAIL_RETRY_DELAY_SECONDS": "0.3",
    "EXCHANGE_WORKER_HEARTBEAT_SECONDS": "0.5",
    "EXCHANGE_WORKER_DEAD_AFTER_SECONDS": "3",
}


@dataclass
class Queue:
    kind: str
    settings: Settings
    database: Database
    env: dict[str, str]
    workers: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.huey = queue.make_huey(self.settings)

    def start_worker(self, workers: int = 2) -> subprocess.Popen[bytes]:
        process = subprocess.Popen(
            [sys.executable, "-m", "exchange", "worker", "--workers", str(workers)],
            cwd=PROJECT_ROOT,
            env={**os.environ, **self.env},
            stdout=subprocess.DEVNULL,
            stderr=None,  # the worker's log lines show in pytest's report when a test fails
        )
        self.workers.append(process)
        return process

    def kill(self, process: subprocess.Popen[bytes]) -> None:
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)

    def put(self, named: events.Job) -> None:
        """Enqueue as the web process would, with the worker's retries and their delay (a task carries both in its
        message; this process's own defaults are for jobs it runs at once)."""
        task_class = queue.huey._registry.string_to_task(named.task)
        task = task_class(
            args=named.args, retries=self.settings.job_retries, retry_delay=self.settings.job_retry_delay_seconds
        )
        self.huey.storage.enqueue(queue.huey.serialize_task(task), task.priority)

    @contextmanager
    def enqueues(self) -> Iterator[None]:
        """Jobs named by commits in this block go to this queue, for the worker."""
        events.set_enqueue(self.put)
        try:
            yield
        finally:
            events.set_enqueue(queue.enqueue)

    def stop(self) -> None:
        for process in self.workers:
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()


def _redis_db() -> int:
    # pytest-xdist workers gw0, gw1... each take their own Redis database, so parallel tests never meet.
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    return 15 - int(worker.removeprefix("gw") or 0) % 15


@pytest.fixture(params=["sqlite", "redis"])
def job_queue(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Queue]:
    install()  # this process's commits name jobs as the web process's do
    database_url = new_database_url(tmp_path_factory, "queue")
    engine = prepare_database(database_url)
    env = {**WORKER_ENV, "EXCHANGE_DATABASE_URL": database_url}
    if request.param == "redis":
        url = f"{REDIS_URL}/{_redis_db()}"
        redis.Redis.from_url(url).flushdb()  # raises if Redis cannot be reached: never skipped
        env["EXCHANGE_QUEUE_URL"] = url
    else:
        env["EXCHANGE_QUEUE_FILE"] = str(tmp_path_factory.mktemp("queue") / "queue.db")
        env["EXCHANGE_QUEUE_URL"] = ""
    values: dict[str, Any] = {key.removeprefix("EXCHANGE_").lower(): value for key, value in env.items()}
    settings = Settings(**{**values, "queue_url": values["queue_url"] or None})
    job_queue = Queue(request.param, settings, Database(engine, settings), env)
    try:
        yield job_queue
    finally:
        job_queue.stop()
        engine.dispose()
        drop_database(database_url)


@contextmanager
def forwarding(port: int, to_url: str) -> Iterator[None]:
    """Listen on ``port`` and pass each connection through to ``to_url``: a service that was unreachable
    (nothing listened on the port) comes back."""
    target = urlsplit(to_url)

    class Pipe(socketserver.BaseRequestHandler):
        def handle(self) -> None:
            with socket.create_connection((target.hostname, target.port)) as upstream:
                done = threading.Event()

                def pump(source: socket.socket, sink: socket.socket) -> None:
                    try:
                        while chunk := source.recv(65536):
                            sink.sendall(chunk)
                    except OSError:
                        pass
                    done.set()

                threading.Thread(target=pump, args=(upstream, self.request), daemon=True).start()
                pump(self.request, upstream)
                done.wait(30)

    socketserver.ThreadingTCPServer.allow_reuse_address = True
    with socketserver.ThreadingTCPServer(("127.0.0.1", port), Pipe) as server:
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            yield
        finally:
            server.shutdown()
