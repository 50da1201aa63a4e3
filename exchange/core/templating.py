"""Jinja2 with the project's templates and the GOV.UK Frontend macros, and how pages are rendered."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PackageLoader, PrefixLoader, select_autoescape
from markupsafe import Markup, escape

from exchange.core.dates import last_day_before
from exchange.core.security import new_csrf_token
from exchange.core.settings import Settings
from exchange.core.viewer import ANONYMOUS, Viewer

UK = ZoneInfo("Europe/London")


def make_environment(settings: Settings) -> Environment:
    environment = Environment(
        loader=ChoiceLoader(
            [
                FileSystemLoader(str(settings.templates_dir)),
                PrefixLoader({"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja")}),
            ]
        ),
        autoescape=select_autoescape(["html", "xml"]),
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=settings.env == "development"
        if settings.template_auto_reload is None
        else settings.template_auto_reload,
    )
    environment.filters.update(
        {
            "pounds": format_pounds,
            "date_uk": format_date,
            "time_uk": format_time,
            "closing_day": format_closing_day,
            "paragraphs": paragraphs,
            "zip": lambda left, right: list(zip(left, right, strict=False)),
            "error_link": lambda item: {"text": item[1], "href": f"#{item[0]}"},
        }
    )
    environment.globals["service_name"] = "Open Innovation Exchange"
    # For date hints ("For example, 29 1 2027"): an example in the past would read as a date to copy.
    environment.globals["example_year"] = lambda: datetime.now(UK).year + 1
    return environment


def format_pounds(amount: int | None) -> str:
    return "" if amount is None else f"£{amount:,}"


def format_date(value: date | datetime | None) -> str:
    """The day in the UK: a moment late at night in UTC may already be the next day in London."""
    if value is None:
        return ""
    if isinstance(value, datetime) and value.tzinfo is not None:
        value = value.astimezone(UK)
    return f"{value.day} {value:%B %Y}"


def format_time(value: datetime | None) -> str:
    """A moment as people in the UK read it: "3 December 2026 at 9:05am" in UK time."""
    if value is None:
        return ""
    local = value.astimezone(UK)
    hour = local.hour % 12 or 12
    return f"{format_date(local)} at {hour}:{local:%M}{'am' if local.hour < 12 else 'pm'}"


def format_closing_day(value: datetime | None) -> str:
    """A deadline stored as the moment a day ends (midnight after it, UK time), shown as the day typed."""
    if value is None:
        return ""
    return format_date(last_day_before(value))


def paragraphs(text: str | None) -> Markup:
    """Plain user text as escaped paragraphs: user input never becomes HTML."""
    blocks = [block.strip() for block in (text or "").split("\n\n") if block.strip()]
    return Markup("".join(f'<p class="govuk-body exchange-prose">{escape(block)}</p>' for block in blocks))


def csrf_token(request: Request) -> str:
    if "session" not in request.scope:  # an error page rendered outside the session middleware
        return ""
    token = request.session.get("csrf")
    if not token:
        token = new_csrf_token()
        request.session["csrf"] = token
    return str(token)


def pop_flashes(request: Request) -> list[str]:
    if "session" not in request.scope:
        return []
    return list(request.session.pop("flash", []) or [])


def flash(request: Request, message: str) -> None:
    request.session["flash"] = [*request.session.get("flash", []), message]


def is_htmx(request: Request) -> bool:
    return request.headers.get("HX-Request") == "true" and request.headers.get("HX-History-Restore-Request") != "true"


# What every whole page shows whatever its view (e.g. a failed payment's banner): packages built on the domains
# register a function of the request and viewer, and render() passes what it returns to the page's template.
# Fragments (templates named "_x.html") are not whole pages and get none.
PageFacts = Callable[[Request, Viewer], dict[str, Any]]


def add_page_facts(app: Any, facts: PageFacts) -> None:
    app.state.page_facts = [*getattr(app.state, "page_facts", []), facts]


def _page_facts(request: Request, template: str, viewer: Viewer) -> dict[str, Any]:
    if template.rsplit("/", 1)[-1].startswith("_"):
        return {}
    found: dict[str, Any] = {}
    for facts in getattr(request.app.state, "page_facts", ()):
        found.update(facts(request, viewer))
    return found


def render(
    request: Request,
    template: str,
    context: dict[str, Any] | None = None,
    status_code: int = 200,
    headers: dict[str, str] | None = None,
) -> HTMLResponse:
    environment: Environment = request.app.state.templates
    viewer: Viewer = getattr(request.state, "viewer", ANONYMOUS)
    full_context = {
        "request": request,
        "viewer": viewer,
        "csrf_token": csrf_token(request),
        "cspNonce": request.scope.get("state", {}).get("csp_nonce", ""),
        "flashes": pop_flashes(request),
        "current_path": request.url.path,
        **_page_facts(request, template, viewer),
        **(context or {}),
    }
    html = environment.get_template(template).render(full_context)
    return HTMLResponse(html, status_code=status_code, headers=headers)


def render_page_or_fragment(
    request: Request,
    page: str,
    fragment: str,
    context: dict[str, Any],
    status_code: int = 200,
) -> HTMLResponse:
    """HTMX requests get the fragment, every other request the whole page; caches must keep both apart."""
    template = fragment if is_htmx(request) else page
    return render(request, template, context, status_code=status_code, headers={"Vary": "HX-Request"})
