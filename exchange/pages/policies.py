"""The pages every public service has: accessibility statement, privacy notice and cookies."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from exchange.accounts.dependencies import current_viewer
from exchange.core.http import TransactionalRoute
from exchange.core.security import SESSION_COOKIE, SESSION_MAX_AGE_DAYS
from exchange.core.templating import render
from exchange.core.viewer import Viewer

router = APIRouter(route_class=TransactionalRoute)


@router.get("/accessibility", response_class=HTMLResponse)
def accessibility(request: Request, viewer: Viewer = Depends(current_viewer)) -> HTMLResponse:
    return render(request, "policies/accessibility.html", {"page_title": "Accessibility statement"})


@router.get("/privacy", response_class=HTMLResponse)
def privacy(request: Request, viewer: Viewer = Depends(current_viewer)) -> HTMLResponse:
    return render(request, "policies/privacy.html", {"page_title": "Privacy notice"})


@router.get("/cookies", response_class=HTMLResponse)
def cookies(request: Request, viewer: Viewer = Depends(current_viewer)) -> HTMLResponse:
    context = {
        "page_title": "Cookies",
        "session_cookie": SESSION_COOKIE,
        "session_days": SESSION_MAX_AGE_DAYS,
        "secure": request.app.state.settings.secure_cookies,
    }
    return render(request, "policies/cookies.html", context)
