"""A worker works on at most a few reads at once; the others wait their turn, and writes never wait for them."""

from __future__ import annotations

import asyncio

import httpx
from starlette.types import Receive, Scope, Send

from exchange.core.read_limit import ReadConcurrencyLimit


class SlowApp:
    """Answers after a pause, counting how many requests it is working on at once."""

    def __init__(self) -> None:
        self.now = 0
        self.most = 0
        self.reads_waiting_when_written: list[int] = []
        self.release = asyncio.Event()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        self.now += 1
        self.most = max(self.most, self.now)
        if scope["method"] == "POST":
            self.release.set()
        else:
            await self.release.wait()
        self.now -= 1
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})


def test_at_most_the_limit_of_reads_run_at_once_and_a_write_passes_the_queue() -> None:
    async def scenario() -> tuple[SlowApp, list[int]]:
        inner = SlowApp()
        transport = httpx.ASGITransport(app=ReadConcurrencyLimit(inner, at_once=3))
        async with httpx.AsyncClient(transport=transport, base_url="http://exchange.test") as client:
            reads = [asyncio.create_task(client.get(f"/search?q={n}")) for n in range(10)]
            await asyncio.sleep(0.05)
            working_before_the_write = inner.now
            # The reads wait for this write, which must not queue behind them.
            write = await asyncio.wait_for(client.post("/pitches/new"), timeout=5)
            answers = await asyncio.wait_for(asyncio.gather(*reads), timeout=5)
        return inner, [working_before_the_write, write.status_code, *(a.status_code for a in answers)]

    inner, (working, written, *read) = asyncio.run(scenario())
    assert working == 3 and inner.most == 4  # three reads, and the write beside them
    assert written == 200 and read == [200] * 10
