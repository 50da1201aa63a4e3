"""API documentation: Swagger UI served from the exchange's own assets, under its own CSP nonce."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from exchange.core.templating import render

router = APIRouter()


@router.get("/docs", response_class=HTMLResponse)
def api_docs(request: Request) -> HTMLResponse:
    return render(request, "docs/swagger.html", {"openapi_url": request.app.openapi_url})
