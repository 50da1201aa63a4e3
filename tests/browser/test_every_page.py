"""Every page each role can reach works on a phone and on a desktop: a breadth-first crawl of the demo exchange.

For each role (a visitor, a supplier, a council officer who also organises the demo session, an administrator)
the crawl follows same-origin links from the home page and the dashboard. Every link found must answer below
400; each route template (``/needs/12`` and ``/needs/13`` are one page) is opened once per role and checked at
1280 px and 390 px: nothing scrolls sideways (scrollWidth <= clientWidth), axe-core finds no WCAG 2.2 AA
violation (at 390 px, where layouts are most cramped) and the console shows no error. All the problems are
collected and reported together, so that one run shows every page that needs work.

To stay quick (about 200 pages and 700 links): a linked page's HTML, fetched to check the link, also names the
kinds of page it leads to, so another need's proposals are found without opening that need in the browser;
and axe runs on a page without parameters (the about page, the search page) for the visitor only.
Pages no role's links lead to in the demo data are not visited (a closed group, a conversation, the pages of
a proposal in draft, the review of sealed proposals).
"""

from __future__ import annotations

import json
import re
import time
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from html import unescape
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from playwright.sync_api import Browser, Error, Page, expect
from sqlalchemy import select
from starlette.routing import compile_path

from exchange.needs.models import Need
from tests.browser.conftest import ConsoleLog, LiveServer, assert_accessible
from tests.browser.test_supplier_profile_journey import sign_in
from tests.conftest import PROJECT_ROOT
from tests.security.routes import all_routes

WIDTHS = (1280, 390)
# Links the crawl must not follow: they sign out, change something, answer with a file or data, or are
# one-time tokens. Their status is still checked, except for the ones that would change something.
CHANGES_STATE = re.compile(r"/sign-out|/logout|/unsubscribe|/verify-email/|/password-reset/.|/billing/success")
NOT_A_PAGE = re.compile(r"\.(csv|xlsx|ics|json|atom)$|^/api/|^/assets/|^/healthz|^/readyz|^/docs")

# Where the crawl starts, besides the home page.
DASHBOARD = "/dashboard"
# Each link's address made absolute; read from the attribute, since an SVG link's ``href`` property is an object.
LINK_TARGETS = "links => links.map(a => new URL(a.getAttribute('href'), document.baseURI).href)"
HREF = re.compile(r'<a\b[^>]*\bhref="([^"#][^"]*)"')
# Pages without parameters that axe has passed for the visitor (the visitor's crawl runs first); see needs_axe.
PUBLIC_PAGES_CHECKED_WITH_AXE: set[str] = set()


def _organiser_of_the_demo_session() -> str:
    sessions = json.loads((PROJECT_ROOT / "seed_data" / "demo_sessions.json").read_text())["sessions"]
    return str(sessions[0]["organiser"])


def _roles() -> list[tuple[str, str | None]]:
    """(role names, email); a person who holds two roles is crawled once for both."""
    people: dict[str | None, list[str]] = {}
    for role, email in [
        ("visitor", None),
        ("supplier", "founder@civicvoice.example"),
        ("officer", "officer@burnley.example.gov.uk"),
        ("organiser", _organiser_of_the_demo_session()),
        ("administrator", "admin@exchange.example"),
    ]:
        people.setdefault(email, []).append(role)
    return [(" and ".join(roles), email) for email, roles in people.items()]


ROLES = _roles()


def _evaluations_to_open_first(live_server: LiveServer, email: str | None) -> list[str]:
    """Pages to open before the crawl reaches another page of the same kind. Each kind is opened once, and the
    first need the dashboard lists has no evaluation yet: the officer's evaluated demo need shows the scores,
    and leads to the moderation and scoring pages."""
    procurements = json.loads((PROJECT_ROOT / "seed_data" / "demo_proposals.json").read_text())["procurements"]
    titles = [row["need"] for row in procurements if email and row.get("evaluation", {}).get("shortlisted_by") == email]
    with live_server.database.session(write=False) as db:
        ids = db.scalars(select(Need.id).where(Need.title.in_(titles))).all()
    return [f"/needs/{need_id}/evaluation" for need_id in ids]


@dataclass
class RouteMap:
    """Maps a path to the route pattern it is served by, so each kind of page is visited once."""

    patterns: list[tuple[re.Pattern[str], str]]

    @classmethod
    def of(cls, live_server: LiveServer) -> RouteMap:
        templates = sorted({path for method, path in all_routes(live_server.app) if method == "GET"})
        return cls([(compile_path(template)[0], template) for template in templates])

    def template(self, path: str) -> str | None:
        # A literal route (/needs/new) wins over a pattern that also matches it (/needs/{need_id}).
        matching = [template for pattern, template in self.patterns if pattern.match(path)]
        return min(matching, key=lambda template: template.count("{"), default=None)


# The element that pokes out of the page, to say what to fix: the outermost one wider than the window.
OVERFLOW = """() => {
  const root = document.documentElement;
  if (root.scrollWidth <= root.clientWidth) return null;
  const limit = root.clientWidth + 1;
  const name = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
    (typeof el.className === 'string' && el.className ? '.' + el.className.trim().split(/\\s+/).join('.') : '');
  const right = (el) => el.getBoundingClientRect().right;
  // Inside a region that scrolls (or clips) sideways, a wide element does not widen the page.
  // (Not an absolutely positioned one, such as visually hidden text: it escapes a region that is not positioned.)
  const contained = (el) => {
    if (['absolute', 'fixed'].includes(getComputedStyle(el).position)) return false;
    for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
      if (getComputedStyle(up).overflowX !== 'visible') return true;
    }
    return false;
  };
  const wide = [...document.body.querySelectorAll('*')].filter(el => right(el) > limit && !contained(el));
  const outermost = wide.filter(el => !wide.includes(el.parentElement));
  const culprits = (outermost.length ? outermost : wide).sort((a, b) => right(b) - right(a));
  return {
    scrollWidth: root.scrollWidth,
    clientWidth: root.clientWidth,
    culprits: culprits.slice(0, 4).map(el => name(el) + ' to ' + Math.round(right(el)) + 'px'),
  };
}"""


@dataclass
class Crawl:
    live_server: LiveServer
    routes: RouteMap
    page: Page
    role: str
    email: str | None
    problems: list[str] = field(default_factory=list)
    visited: set[str] = field(default_factory=set)
    checked: dict[str, int] = field(default_factory=dict)
    seconds_on_links: float = 0.0
    seconds_on_axe: float = 0.0

    queue: deque[str] = field(default_factory=deque)

    def run(self, starts: Iterable[str]) -> int:
        self.queue.extend(starts)
        pages = 0
        while self.queue:
            path = self.queue.popleft()
            template = self.routes.template(urlsplit(path).path)
            if template is None or template in self.visited:
                continue
            self.visited.add(template)
            links = self.visit(path, template)
            if links is None:
                continue
            pages += 1
            for link in links:
                self.check_link(link, found_on=path)
                self.follow(link)
        return pages

    def follow(self, link: str) -> None:
        link_path = urlsplit(link).path
        if NOT_A_PAGE.search(link_path) or CHANGES_STATE.search(link_path):
            return
        if self.routes.template(link_path) not in self.visited:
            self.queue.append(link)

    def visit(self, path: str, template: str) -> list[str] | None:
        log = ConsoleLog()
        page = self.page

        def on_page_error(error: Error) -> None:
            log.page_errors.append(str(error))

        page.on("console", log._on_console)
        page.on("pageerror", on_page_error)
        try:
            page.set_viewport_size({"width": WIDTHS[0], "height": 900})
            response = page.goto(path)
            status = response.status if response else 0
            if status >= 400:
                self.problems.append(f"{path}: answered {status}")
                return None
            final = urlsplit(page.url).path
            if final != urlsplit(path).path and (template := self.routes.template(final)):
                self.visited.add(template)
            for width in WIDTHS:
                page.set_viewport_size({"width": width, "height": 900})
                overflow = page.evaluate(OVERFLOW)
                if overflow:
                    self.problems.append(
                        f"{path} at {width}px scrolls sideways ({overflow['scrollWidth']} > "
                        f"{overflow['clientWidth']}): {', '.join(overflow['culprits'])}"
                    )
            if self.needs_axe(template):
                started = time.monotonic()
                try:
                    assert_accessible(page)
                except AssertionError as violation:
                    self.problems.append(f"{path} at {WIDTHS[-1]}px: {violation}")
                self.seconds_on_axe += time.monotonic() - started
            links: list[str] = page.eval_on_selector_all("a[href]", LINK_TARGETS)
        finally:
            page.remove_listener("console", log._on_console)
            page.remove_listener("pageerror", on_page_error)
        errors = log.errors + log.page_errors
        if errors:
            self.problems.append(f"{path}: console errors: {'; '.join(errors)}")
        return sorted({self.own(link) for link in links} - {None})  # type: ignore[arg-type]

    def needs_axe(self, template: str) -> bool:
        """axe runs once on a page with no parameters that the visitor also sees (the about page, the search
        page): signed in, only the header differs, and the header is checked on every other page. A page about
        one thing (a need, an organisation) is checked for each role: what it shows depends on who looks."""
        if "{" in template:
            return True
        if self.email is None:
            PUBLIC_PAGES_CHECKED_WITH_AXE.add(template)
            return True
        return template not in PUBLIC_PAGES_CHECKED_WITH_AXE

    def own(self, href: str) -> str | None:
        """The same-origin path and query of a link, or None for other sites, mailto: and the like."""
        url, _ = urldefrag(href)
        if not url.startswith(self.live_server.url + "/") and url != self.live_server.url:
            return None
        parts = urlsplit(url)
        return parts.path + (f"?{parts.query}" if parts.query else "")

    def harvest(self, html: str) -> None:
        """Pages a linked page leads to that the crawl has not opened yet. Only the first need (say) is opened,
        but another need may link to pages the first does not (its proposals, the form to respond)."""
        for href in HREF.findall(html):
            link = self.own(urljoin(self.live_server.url + "/", unescape(href)))
            if link and self.routes.template(urlsplit(link).path) not in self.visited:
                self.follow(link)

    def check_link(self, link: str, found_on: str) -> None:
        if link in self.checked or CHANGES_STATE.search(urlsplit(link).path):
            return
        if self.routes.template(urlsplit(link).path) is None and not urlsplit(link).path.startswith("/assets/"):
            self.checked[link] = 404
        else:
            started = time.monotonic()
            response = self.page.request.get(link, max_redirects=5)
            self.checked[link] = response.status
            if response.ok and response.headers.get("content-type", "").startswith("text/html"):
                self.harvest(response.text())
            self.seconds_on_links += time.monotonic() - started
        if self.checked[link] >= 400:
            self.problems.append(f"{found_on}: broken link {link} ({self.checked[link]})")


@pytest.mark.browser
@pytest.mark.parametrize(("role", "email"), ROLES, ids=[role.replace(" ", "-") for role, _ in ROLES])
def test_every_page_fits_a_phone_and_passes_axe(
    browser: Browser, live_server: LiveServer, role: str, email: str | None
) -> None:
    started = time.monotonic()
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    try:
        if email:
            sign_in(page, email)
        crawl = Crawl(live_server, RouteMap.of(live_server), page, role, email)
        # The dashboard first: it leads to the role's own pages.
        pages = crawl.run([DASHBOARD, *_evaluations_to_open_first(live_server, email), "/"])
    finally:
        context.close()
    seconds = time.monotonic() - started
    print(
        f"\n{role}: {pages} pages, {len(crawl.checked)} links checked in {seconds:.1f}s "
        f"(axe {crawl.seconds_on_axe:.1f}s, links {crawl.seconds_on_links:.1f}s)"
    )
    print("\n".join(sorted(crawl.visited)))
    assert not crawl.problems, f"{len(crawl.problems)} problem(s) for the {role}:\n" + "\n".join(crawl.problems)


@pytest.mark.browser
def test_on_a_phone_the_search_filters_fold_behind_a_button(page: Page, console: ConsoleLog) -> None:
    """The GOV.UK filter pattern: results first, the filters one press away, and open while a live search
    replaces them; on a wide screen the filters are always there and the button is not."""
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto("/search")
    toggle = page.get_by_role("button", name="Filter", exact=True)
    filters = page.locator("#search-filters")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(filters).to_be_hidden()
    expect(page.locator(".exchange-result").first).to_be_in_viewport()

    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    with page.expect_response(lambda r: "/search?" in r.url and r.request.headers.get("hx-request") == "true"):
        filters.get_by_role("checkbox").first.check()
    expect(filters.get_by_role("checkbox").first).to_be_checked()
    expect(filters).to_be_visible()
    assert_accessible(page)

    page.set_viewport_size({"width": 1280, "height": 800})
    expect(toggle).to_be_hidden()
    expect(filters).to_be_visible()
