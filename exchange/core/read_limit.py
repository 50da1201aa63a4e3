"""At most a few reading requests are worked on at once in a worker; the others wait their turn, in order.

A worker is one Python process: its request handlers share one interpreter lock. Thirty-two pages rendered
at once in thirty-two threads take turns at that lock every few milliseconds, and each finishes late, after
paying for all the switching; a few at a time finish sooner, one after another, and the worker serves more of
them. Only reads wait here: a writing request may hold SQLite's write lock or a row lock, which a read never
waits for, so no request here ever waits for one that waits for it.
"""

from __future__ import annotations

import asyncio
import weakref

from starlette.types import ASGIApp, Receive, Scope, Send

READING_METHODS = frozenset({"GET", "HEAD"})


class ReadConcurrencyLimit:
    def __init__(self, app: ASGIApp, at_once: int) -> None:
        self.app = app
        self.at_once = at_once
        # One per event loop: a semaphore belongs to the loop it first waited in (the test suite runs several).
        self._turns: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore] = (
            weakref.WeakKeyDictionary()
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") not in READING_METHODS:
            await self.app(scope, receive, send)
            return
        loop = asyncio.get_running_loop()
        turns = self._turns.get(loop)
        if turns is None:
            turns = self._turns[loop] = asyncio.Semaphore(self.at_once)
        async with turns:
            await self.app(scope, receive, send)
