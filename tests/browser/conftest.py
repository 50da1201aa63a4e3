"""Browser tests: the exchange served by uvicorn on its own database, driven by Debian's Chromium.

The live server's database is separate from the per-test transactional one (the browser's requests
cannot see a test's uncommitted transaction); it is migrated, seeded with the reference and demo data,
and dropped at the end of the run. It works on SQLite and, with EXCHANGE_TEST_DATABASE_URL, PostgreSQL.

Chromium comes from $EXCHANGE_CHROMIUM, /usr/bin/chromium or /usr/lib/chromium/chromium (Playwright
cannot download its own browsers here). Without one the browser tests are skipped, except when CI=true,
where a missing browser fails the run.
"""

from __future__ import annotations

import os
import re
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any, NoReturn

import httpx
import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from playwright.sync_api import ConsoleMessage, Error, Page, expect
from sqlalchemy import select
from sqlalchemy.orm import Session

from exchange.core.database import Database
from exchange.core.settings import Settings
from exchange.outbox.models import OutboxMessage
from exchange.profiles.completeness import today
from exchange.proposals.models import NeedProcurement
from exchange.seeding.demo import load_demo
from exchange.wiring import install
from tests.conftest import (
    PROJECT_ROOT,
    TEST_SECRET,
    drop_database,
    new_database_url,
    prepare_database,
    transaction_with_jobs,
)

CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/lib/chromium/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
AXE_PATH = PROJECT_ROOT / "node_modules" / "axe-core" / "axe.min.js"
# axe is served to the page under the page's own origin by the live server (see _inject_axe).
AXE_FOLDER = "/__browser-tests__"
AXE_ROUTE = f"{AXE_FOLDER}/{AXE_PATH.name}"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21aa", "wcag22aa"]
# Screenshots for people to look at, taken only when asked for (EXCHANGE_BROWSER_SHOTS=folder): a full-page
# screenshot costs a few hundred milliseconds, and nobody looks at the hundred a CI run would take.
SHOTS_DIR = Path(os.environ["EXCHANGE_BROWSER_SHOTS"]) if os.environ.get("EXCHANGE_BROWSER_SHOTS") else None
SERVER_START_TIMEOUT = 30.0


def _missing(reason: str) -> NoReturn:
    """Skip, except in CI, where something the browser tests need must not go quietly missing."""
    if os.environ.get("CI", "").strip().lower() == "true":
        pytest.fail(f"{reason} (CI=true: the browser tests must run)", pytrace=False)
    pytest.skip(reason)


def find_chromium() -> str | None:
    configured = os.environ.get("EXCHANGE_CHROMIUM", "").strip()
    candidates = (configured,) if configured else CHROMIUM_CANDIDATES
    for candidate in candidates:
        if os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
    return None


@pytest.fixture(scope="session")
def browser_type_launch_args() -> dict[str, Any]:
    """Overrides pytest-playwright's fixture: launch Debian's Chromium, not a downloaded one."""
    executable = find_chromium()
    if executable is None:
        configured = os.environ.get("EXCHANGE_CHROMIUM", "").strip()
        where = (
            f"EXCHANGE_CHROMIUM={configured} is not an executable"
            if configured
            else ("no Chromium at " + " or ".join(CHROMIUM_CANDIDATES))
        )
        _missing(f"{where}: install Debian's chromium or set EXCHANGE_CHROMIUM")
    return {"executable_path": executable, "args": CHROMIUM_ARGS}


# The live server


@dataclass
class LiveServer:
    url: str
    app: FastAPI
    database: Database
    database_url: str
    _server: uvicorn.Server = field(repr=False)
    _thread: threading.Thread = field(repr=False)

    def transaction(self) -> AbstractContextManager[Session]:
        """A committed transaction on the server's database; the jobs it names run there too."""
        return transaction_with_jobs(self.database, self.app.state.settings)

    def latest_email(self, to_address: str) -> OutboxMessage:
        """The newest message queued for this address (sent or not)."""
        with self.database.session(write=False) as db:
            message = db.scalars(
                select(OutboxMessage)
                .where(OutboxMessage.to_address == to_address.lower())
                .order_by(OutboxMessage.id.desc())
                .limit(1)
            ).first()
        assert message is not None, f"no email to {to_address} in the outbox"
        return message

    def link_in_latest_email(self, to_address: str, path: str) -> str:
        """The first link in the newest email to this address whose path starts with ``path``."""
        body = self.latest_email(to_address).body_text
        match = re.search(rf"{re.escape(self.url)}{re.escape(path)}\S+", body)
        assert match, f"no {path} link in the latest email to {to_address}:\n{body}"
        return match.group(0)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_until_up(url: str, thread: threading.Thread) -> None:
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    last_error: Exception | None = None
    while time.monotonic() < deadline:
        if not thread.is_alive():
            pytest.fail("the live server stopped while starting (see the log above)", pytrace=False)
        try:
            if httpx.get(f"{url}/healthz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError as error:
            last_error = error
        time.sleep(0.05)
    pytest.fail(f"the live server did not answer {url}/healthz within {SERVER_START_TIMEOUT}s: {last_error}")


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    from exchange.app import create_app

    database_url = new_database_url(tmp_path_factory, "browser")
    try:
        engine = prepare_database(database_url)
        port = _free_port()
        url = f"http://127.0.0.1:{port}"
        settings = Settings(env="test", database_url=database_url, secret_key=TEST_SECRET, base_url=url)
        database = Database(engine, settings)
        install()  # the listeners that index what the demo data records
        with transaction_with_jobs(database, settings) as db:
            load_demo(db, PROJECT_ROOT / "seed_data")
        engine.dispose()

        app = create_app(settings)
        # Only the browser tests' server serves axe-core (see _inject_axe); check_dir=False: without npm ci
        # the tests that need it say so.
        app.mount(AXE_FOLDER, StaticFiles(directory=AXE_PATH.parent, check_dir=False))
        server = uvicorn.Server(uvicorn.Config(app=app, host="127.0.0.1", port=port, log_level="warning"))
        thread = threading.Thread(target=server.run, name="live-server", daemon=True)
        thread.start()
        try:
            _wait_until_up(url, thread)
            yield LiveServer(url, app, app.state.database, database_url, server, thread)
        finally:
            server.should_exit = True
            thread.join(timeout=15)
            app.state.database.engine.dispose()
    finally:
        drop_database(database_url)


@pytest.fixture(scope="session")
def base_url(live_server: LiveServer) -> str:
    """Overrides pytest-playwright's ``base_url``: every page opens relative to the live server."""
    return live_server.url


# Accessibility


def _inject_axe(page: Page) -> None:
    """Load axe-core into the page without weakening the page's Content-Security-Policy.

    ``page.add_script_tag(path=...)`` inlines the file's text, which the exchange's CSP (script-src 'self'
    plus a nonce) blocks. So the script tag points at a same-origin URL that the live server answers with the
    installed file (see ``live_server``). Not a Playwright route: routing turns the browser's HTTP cache off,
    and every page would fetch every stylesheet, script and font again.
    """
    if not AXE_PATH.is_file():
        _missing(f"axe-core is not installed at {AXE_PATH}: run npm ci")
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(url=AXE_ROUTE)


def format_violations(violations: list[dict[str, Any]]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation.get('impact')}): {violation['help']}")
        lines.append(f"  {violation.get('helpUrl', '')}")
        for node in violation["nodes"]:
            summary = " ".join((node.get("failureSummary") or "").split())
            lines.append(f"    at {node['target']}: {summary[:300]}")
    return "\n".join(lines)


def assert_accessible(page: Page) -> None:
    """Run axe-core (WCAG 2.0/2.1/2.2 A and AA rules) on the page as it is now; fail on any violation."""
    # As it is once settled: results dim while an HTMX request is in flight.
    expect(page.locator(".htmx-request")).to_have_count(0)
    _inject_axe(page)
    # resultTypes: only violations are reported in full; axe skips collecting every node that passed.
    results = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})", WCAG_TAGS
    )
    violations = results["violations"]
    assert not violations, f"{len(violations)} axe violation(s) on {page.url}:\n{format_violations(violations)}"


# Console: Content-Security-Policy reports and uncaught script errors


@dataclass
class ConsoleLog:
    errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)

    def watch(self, page: Page) -> Page:
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.page_errors.append(f"{page.url}: {error}"))
        return page

    def _on_console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.errors.append(f"{message.location.get('url', '')}: {message.text}")

    @property
    def csp_errors(self) -> list[str]:
        return [text for text in self.errors if "content security policy" in text.lower()]

    def assert_clean(self) -> None:
        assert not self.csp_errors, "Content-Security-Policy errors:\n" + "\n".join(self.csp_errors)
        assert not self.page_errors, "uncaught script errors:\n" + "\n".join(self.page_errors)


@pytest.fixture
def console(page: Page) -> Iterator[ConsoleLog]:
    """The console errors of the test's page; fails the test on any CSP report or uncaught error."""
    log = ConsoleLog()
    log.watch(page)
    yield log
    log.assert_clean()


# Screenshots


def screenshot(page: Page, name: str) -> Path | None:
    """A full-page screenshot in $EXCHANGE_BROWSER_SHOTS to look at, when that is set."""
    if SHOTS_DIR is None:
        return None
    SHOTS_DIR.mkdir(parents=True, exist_ok=True)
    path = SHOTS_DIR / f"{name}.png"
    try:
        # caret="initial": hiding the caret leaves empty style="" attributes on inputs, which HTMX's
        # history snapshot later re-parses into CSP reports that no real visitor would cause.
        page.screenshot(path=str(path), full_page=True, caret="initial")
    except Error as error:  # a screenshot is for people to look at; never the reason a test fails
        print(f"could not save {path}: {error}")
    return path


@contextmanager
def proposals_closed(live_server: LiveServer, need_id: int) -> Iterator[None]:
    """Time passes: the need's proposals closed yesterday, so its council may open them. Afterwards they close
    a month from now and are sealed again, as the demo data loads them, for the tests that come next."""

    def move(closes_on: date, opened: bool) -> None:
        with live_server.database.transaction() as db:
            settings = db.scalars(select(NeedProcurement).where(NeedProcurement.need_id == need_id)).one()
            settings.closes_on = closes_on
            if not opened:
                settings.opened_at = None

    with live_server.database.transaction() as db:
        was = db.scalars(select(NeedProcurement.closes_on).where(NeedProcurement.need_id == need_id)).one()
    move(today() - timedelta(days=1), opened=True)
    try:
        yield
    finally:
        move(was or today() + timedelta(days=30), opened=False)


def fill_date(page: Page, legend: str, value: date) -> None:
    """Type a date into the GOV.UK date input (day, month and year fields) whose legend is ``legend``."""
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(str(value.day))
    group.get_by_label("Month").fill(str(value.month))
    group.get_by_label("Year").fill(str(value.year))
