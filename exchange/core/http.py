"""Request plumbing: one database transaction per request, committed in one place after the handler.

The route class below is the only place that commits for HTTP requests. A handler that returns an
error response (status 400 or more) or raises has its transaction rolled back, so bad input changes
nothing. The jobs a request's domain events call for are enqueued by the commit itself (core.events), and
jobs that run at once (``EXCHANGE_QUEUE_URL=immediate``) use this application's database.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Coroutine
from contextvars import ContextVar
from typing import Any

from fastapi import Request, Response
from fastapi.routing import APIRoute
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.types import Scope

from exchange.core import afterwards
from exchange.core.database import Database, carry_settings
from exchange.core.queue import JobContext, use_context

UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})

# Kept in the ASGI scope: one request's session, its keep-on-error flag and what waits for its end.
_SESSION = "exchange.db_session"
_KEEP_ON_ERROR = "exchange.commit_despite_error"
_AFTERWARDS = "exchange.afterwards"


def client_address(request: Request) -> str:
    """The client's network address (a trusted proxy's X-Forwarded-For has named it already, see app.py)."""
    return request.client.host if request.client else "unknown"


def get_database(request: Request) -> Database:
    database: Database = request.app.state.database
    return database


async def get_db(request: Request) -> Session:
    """The request's session as a dependency. Asynchronous because making a session does no I/O (it connects on
    first use, in the handler's thread): a synchronous dependency would cost every request a hop to a thread."""
    return request_session(request)


def request_session(request: Request) -> Session:
    """The request's session, opened on first use; writing requests take SQLite's write lock up front."""
    session: Session | None = request.scope.get(_SESSION)
    if session is None:
        session = get_database(request).session(write=request.method in UNSAFE_METHODS)
        carry_settings(session, request.app.state.settings)
        request.scope[_SESSION] = session
    return session


def commit_despite_error(request: Request) -> None:
    """Keep this request's writes although it answers with an error (e.g. a failed sign-in attempt)."""
    request.scope[_KEEP_ON_ERROR] = True


def _finish(session: Session, commit: bool) -> None:
    try:
        if commit:
            session.commit()
        else:
            session.rollback()
    finally:
        session.close()


def _finish_then_afterwards(session: Session | None, commit: bool, pending: list[afterwards.Work]) -> None:
    if session is not None:
        _finish(session, commit)
    afterwards.run(pending)


# The request being handled, for a handler's own thread (worker threads run in a copy of the caller's context).
_scope: ContextVar[Scope | None] = ContextVar("exchange_request_scope", default=None)


def _finishing_in_its_thread(endpoint: Callable[..., Any]) -> Callable[..., Any]:
    """A synchronous handler that returns a whole response (a page, a redirect) commits or rolls back in its own
    thread, as soon as it returns: one hop to a thread per request instead of two. Anything else (the API's
    models, serialised after the handler returns) is finished by the route, after serialising."""

    @functools.wraps(endpoint)
    def run(*args: Any, **kwargs: Any) -> Any:
        result = endpoint(*args, **kwargs)
        scope = _scope.get()
        if isinstance(result, Response) and scope is not None:
            session = scope.pop(_SESSION, None)
            if session is not None:
                _finish(session, result.status_code < 400 or scope.get(_KEEP_ON_ERROR, False))
            afterwards.run(scope.get(_AFTERWARDS, []))
        return result

    return run


class TransactionalRoute(APIRoute):
    def __init__(self, path: str, endpoint: Callable[..., Any], **options: Any) -> None:
        if not inspect.iscoroutinefunction(endpoint):
            endpoint = _finishing_in_its_thread(endpoint)
        super().__init__(path, endpoint, **options)

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def handle(request: Request) -> Response:
            state = request.app.state
            use_context(JobContext(state.database, state.settings))
            _scope.set(request.scope)
            pending = request.scope[_AFTERWARDS] = afterwards.begin()
            try:
                response = await handler(request)
            except BaseException:
                session = request.scope.pop(_SESSION, None)
                if session is not None:
                    await run_in_threadpool(_finish, session, request.scope.get(_KEEP_ON_ERROR, False))
                raise
            session = request.scope.pop(_SESSION, None)
            committed = response.status_code < 400 or request.scope.get(_KEEP_ON_ERROR, False)
            if session is not None or pending:
                await run_in_threadpool(_finish_then_afterwards, session, committed, pending)
            return response

        return handle
