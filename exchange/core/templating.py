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
    environment.globals["page_header"] = PageHeader(environment)
    # For date hints ("For example, 29 1 2027"): an example in the past would read as a date to copy.
    environment.globals["example_year"] = lambda: datetime.now(UK).year + 1
    return environment


# The menu items, and which paths (or, on the search page, which one kind searched for) each stands for.
MENU_PATHS = {"Needs": "/needs", "Pitches": "/pitches", "Offers": "/offers", "Sessions": "/sessions"}
MENU_PATHS |= {"Case studies": "/case-studies", "Trends": "/trends"}
MENU_KINDS = {"need": "Needs", "pitch": "Pitches", "offer": "Offers"}
CSRF_PLACEHOLDER = "\x00csrf\x00"  # never in a rendered page: text with control characters is refused on input


def active_menu_item(current_path: str, searched_kind: str) -> str:
    if searched_kind in MENU_KINDS:
        return MENU_KINDS[searched_kind]
    if current_path == "/search":
        return "Search"
    return next((item for item, path in MENU_PATHS.items() if current_path.startswith(path)), "")


class PageHeader:
    """Every page's header, rendered once per signed-in state and active menu item (the GOV.UK navigation macro is
    a good part of a small page's render time); only the sign-out form's CSRF token differs between viewers."""

    def __init__(self, environment: Environment) -> None:
        self.environment = environment
        self.rendered: dict[tuple[bool, str], str] = {}

    def __call__(self, signed_in: bool, current_path: str, searched_kind: str, csrf_token: str) -> Markup:
        key = (signed_in, active_menu_item(current_path, searched_kind))
        html = self.rendered.get(key)
        if html is None or self.environment.auto_reload:
            template = self.environment.get_template("_layout/_header.html")
            html = template.render(signed_in=key[0], active=key[1], csrf_token=CSRF_PLACEHOLDER)
            self.rendered[key] = html
        return Markup(html.replace(CSRF_PLACEHOLDER, str(escape(csrf_token))))


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
    return HTMLResponse(_render_text(request, template, context), status_code=status_code, headers=headers)


def render_shared_fragment(request: Request, template: str, context: dict[str, Any]) -> Markup:
    """A fragment many viewers share, rendered to be cached and placed in a page (``{{ fragment }}``). It gets no
    CSRF token, CSP nonce or flashes (a cached copy would hand one request's to the next); what else it reads of
    the request and viewer belongs in its cache key."""
    environment: Environment = request.app.state.templates
    viewer: Viewer = getattr(request.state, "viewer", ANONYMOUS)
    full_context = {"request": request, "viewer": viewer, "current_path": request.url.path, **context}
    return Markup(environment.get_template(template).render(full_context))


def _render_text(request: Request, template: str, context: dict[str, Any] | None) -> str:
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
    return environment.get_template(template).render(full_context)


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
