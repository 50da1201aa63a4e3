"""One place that turns errors into responses: JSON for the API, a GOV.UK-style page or fragment for HTML."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException as StarletteHTTPException

from exchange.core.database import is_busy
from exchange.core.errors import Busy, DomainError, NotSignedIn
from exchange.core.forms import FieldError, rule_broken
from exchange.core.middleware import security_headers
from exchange.core.templating import is_htmx, render
from exchange.core.text_policy import TextRefused

log = logging.getLogger("exchange.errors")

TITLES = {
    400: "Something went wrong",
    401: "You need to sign in",
    403: "You cannot do that",
    404: "Page not found",
    405: "Page not found",
    409: "That cannot be done now",
    422: "There is a problem",
    429: "Too many attempts",
    500: "Sorry, there is a problem with the service",
    503: "The service is busy",
}


def wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def error_response(
    request: Request,
    status: int,
    message: str,
    field_errors: dict[str, str] | None = None,
    link: tuple[str, str] | None = None,
) -> Response:
    if wants_json(request):
        body: dict[str, object] = {"detail": message}
        if field_errors:
            body["errors"] = field_errors
        return JSONResponse(body, status_code=status)
    template = "errors/_fragment.html" if is_htmx(request) else "errors/page.html"
    context = {"title": TITLES.get(status, "Something went wrong"), "message": message, "status": status, "link": link}
    response = render(request, template, context, status_code=status)
    if is_htmx(request):
        # Show the message where the form is, whatever the form targeted.
        response.headers["HX-Retarget"] = "#htmx-messages"
        response.headers["HX-Reswap"] = "innerHTML"
    return response


def busy_response(request: Request, error: Busy) -> Response:
    response = error_response(request, error.status_code, error.message)
    response.headers["Retry-After"] = str(error.retry_after_seconds)
    return response


def _field_error(item: dict[str, Any]) -> tuple[str, str]:
    """The field an API validation error is about; a cross-field check names its field with FieldError."""
    original = (item.get("ctx") or {}).get("error")
    if isinstance(original, (FieldError, TextRefused)):
        return original.field, original.message
    parts = [str(part) for part in item["loc"] if part not in ("body", "query", "path")]
    field = ".".join(parts) or "request"
    named = next((part for part in reversed(parts) if not part.isdigit()), "request").replace("_", " ")
    return field, rule_broken(item, f"the {named}", f"The {named}")


def install(app: FastAPI) -> None:
    @app.exception_handler(NotSignedIn)
    async def not_signed_in(request: Request, error: NotSignedIn) -> Response:
        if wants_json(request):
            return error_response(request, 401, error.message)
        if is_htmx(request):
            return Response(status_code=204, headers={"HX-Redirect": f"/account/sign-in?next={request.url.path}"})
        return RedirectResponse(f"/account/sign-in?next={request.url.path}", status_code=303)

    @app.exception_handler(DomainError)
    async def domain_error(request: Request, error: DomainError) -> Response:
        return error_response(request, error.status_code, error.message, error.field_errors, error.link)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, error: RequestValidationError) -> Response:
        fields = dict(_field_error(item) for item in error.errors())
        if not wants_json(request) and any(item["loc"][:1] == ("path",) for item in error.errors()):
            return error_response(request, 404, "Not found")
        return error_response(request, 422, "The request is not valid", fields)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> Response:
        status = 404 if error.status_code == 405 and not wants_json(request) else error.status_code
        message = "Not found" if status == 404 else str(error.detail)
        response = error_response(request, status, message)
        if status == 405 and error.headers:  # Allow: the methods the address does take
            response.headers.update(error.headers)
        return response

    @app.exception_handler(Busy)
    async def busy(request: Request, error: Busy) -> Response:
        return busy_response(request, error)

    @app.exception_handler(DBAPIError)
    async def database_error(request: Request, error: DBAPIError) -> Response:
        # The request's transaction is rolled back already: a busy database changed nothing, so "try again".
        if is_busy(error):
            log.warning("database busy on %s %s: %s", request.method, request.url.path, error.orig)
            return busy_response(request, Busy())
        return await unexpected(request, error)

    @app.exception_handler(PoolTimeout)
    async def no_connection(request: Request, error: PoolTimeout) -> Response:
        log.warning("no database connection free for %s %s", request.method, request.url.path)
        return busy_response(request, Busy())

    @app.exception_handler(Exception)
    async def unexpected(request: Request, error: Exception) -> Response:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        response = error_response(request, 500, "Try again later.")
        # Starlette sends this response from its outermost middleware, outside SecurityHeadersMiddleware.
        nonce = request.scope.get("state", {}).get("csp_nonce", "")
        for name, value in security_headers(nonce, request.app.state.settings.secure_cookies):
            response.headers.setdefault(name.decode(), value.decode())
        return response
