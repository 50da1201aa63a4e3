"""FastAPI dependencies: the viewer behind each request, and CSRF protection for every change."""

from __future__ import annotations

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from exchange.accounts import service
from exchange.core.errors import CsrfFailed, NotFound, NotSignedIn
from exchange.core.http import UNSAFE_METHODS, get_db
from exchange.core.security import same_token
from exchange.core.viewer import ANONYMOUS, Viewer

CSRF_EXEMPT_PATHS = frozenset({"/payments/stripe/webhook"})


def current_viewer(request: Request, db: Session = Depends(get_db)) -> Viewer:
    cached: Viewer | None = getattr(request.state, "viewer", None)
    if cached is not None:
        return cached
    user_id = request.session.get("user")
    viewer = ANONYMOUS
    if isinstance(user_id, int):
        viewer = service.load_viewer(db, user_id, int(request.session.get("version", 0)))
        if not viewer.signed_in:
            request.session.clear()
    request.state.viewer = viewer
    return viewer


def signed_in_viewer(viewer: Viewer = Depends(current_viewer)) -> Viewer:
    if not viewer.signed_in:
        raise NotSignedIn()
    return viewer


def admin_viewer(viewer: Viewer = Depends(signed_in_viewer)) -> Viewer:
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


def start_session(request: Request, user_id: int, session_version: int) -> None:
    """A fresh session on sign-in (new CSRF token too), so a planted session id cannot be reused."""
    request.session.clear()
    request.session.update({"user": user_id, "version": session_version})
