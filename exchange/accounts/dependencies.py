"""FastAPI dependencies: the viewer behind each request, and CSRF protection for every change."""

from __future__ import annotations

from fastapi import Depends, Request
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from exchange.accounts import service, sessions
from exchange.core.errors import CsrfFailed, NotFound, NotSignedIn
from exchange.core.http import UNSAFE_METHODS, client_address, get_db
from exchange.core.security import same_token
from exchange.core.viewer import ANONYMOUS, Viewer

CSRF_EXEMPT_PATHS = frozenset({"/payments/stripe/webhook"})


async def current_viewer(request: Request, db: Session = Depends(get_db)) -> Viewer:
    """Who is asking. Someone signed out costs no database read, so only a signed-in request's viewer is looked up
    in a thread (a synchronous dependency would cost every request that hop)."""
    cached: Viewer | None = getattr(request.state, "viewer", None)
    if cached is not None:
        return cached
    token = request.session.get("sid")
    viewer = ANONYMOUS
    if isinstance(token, str):
        viewer = await run_in_threadpool(_signed_in_viewer, request, db, token)
    request.state.viewer = viewer
    return viewer


def _signed_in_viewer(request: Request, db: Session, token: str) -> Viewer:
    viewer, session = service.viewer_for_session(db, token)
    if session is None:  # ended elsewhere, expired, or the account suspended
        request.session.clear()
    elif request.method in UNSAFE_METHODS:
        sessions.touch(db, session)
    return viewer


async def signed_in_viewer(viewer: Viewer = Depends(current_viewer)) -> Viewer:
    if not viewer.signed_in:
        raise NotSignedIn()
    return viewer


async def admin_viewer(viewer: Viewer = Depends(signed_in_viewer)) -> Viewer:
    """The exchange's administrators only; to everyone else an administration page does not exist."""
    if not viewer.is_admin:
        raise NotFound()
    return viewer


async def verify_csrf(request: Request) -> None:
    """Forms send the token as a field, HTMX and API clients as the X-CSRF-Token header."""
    if request.method not in UNSAFE_METHODS or request.url.path in CSRF_EXEMPT_PATHS:
        return
    expected = request.session.get("csrf")
    given = request.headers.get("X-CSRF-Token")
    if not given and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        form = await request.form()
        value = form.get("csrf_token")
        given = value if isinstance(value, str) else None
    if not same_token(expected, given):
        raise CsrfFailed()


def start_session(request: Request, db: Session, user_id: int) -> None:
    """A fresh session on sign-in (new token, new CSRF token too), so a planted session cannot be reused; the
    one this browser had ends."""
    end_session(request, db)
    token = sessions.start(db, user_id, request.headers.get("user-agent", ""), client_address(request))
    request.session.update({"sid": token})


def end_session(request: Request, db: Session) -> None:
    token = request.session.get("sid")
    if isinstance(token, str):
        sessions.end(db, token)
    request.session.clear()


def session_token(request: Request) -> str | None:
    token = request.session.get("sid")
    return token if isinstance(token, str) else None
