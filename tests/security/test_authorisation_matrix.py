"""Every route the application serves, tried as each role: signed out, the council and the supplier that own
the demo's things, another council, another supplier, the administrator.

A private route answers its owners, sends the signed-out to sign in (or 401/404), and refuses everyone else
with 403 or 404, changing nothing. Each request runs in a savepoint that is rolled back, so every role meets
the same world. The routes are read from the application: one missing from audiences.py fails the test.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import DateTime, func, select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from exchange.models import Base
from tests.client import SESSION_COOKIE, Client
from tests.security.audiences import AUDIENCES
from tests.security.routes import all_routes, fill
from tests.security.world import DEMO_PASSWORD, EMAILS, World, build

ROLES = ["anonymous", *EMAILS]
WRITES = {"POST", "PUT", "PATCH", "DELETE"}
# The routes are tried in this many tests, which test processes can share.
PARTS = 3


def audiences() -> dict[tuple[str, str], list[str]]:
    table: dict[tuple[str, str], list[str]] = {}
    for line in AUDIENCES.strip().splitlines():
        method, path, *audience = line.split()
        table[(method, path)] = audience
    return table


@pytest.fixture
def world(db: Session) -> World:
    built = build(db)
    db.commit()
    return built


@pytest.fixture
def browsers(app: FastAPI, world: World) -> Iterator[dict[str, Client]]:
    clients: dict[str, Client] = {}
    try:
        for role in ROLES:
            client = Client(app).__enter__()
            clients[role] = client
            if role != "anonymous":
                client.sign_in(EMAILS[role], DEMO_PASSWORD)
            client.csrf_token()
        yield clients
    finally:
        for client in clients.values():
            client.__exit__(None, None, None)


def fingerprint(connection: Connection) -> tuple[object, ...]:
    """Rows per table and each table's latest change: what a refused request must leave as it was."""
    parts = []
    for table in Base.metadata.sorted_tables:
        parts.append(select(func.count()).select_from(table).scalar_subquery())
        changed = [column for column in table.columns if column.name == "updated_at"]
        if changed and isinstance(changed[0].type, DateTime):
            parts.append(select(func.max(changed[0])).scalar_subquery())
    return tuple(connection.execute(select(*parts)).one())


def send(client: Client, method: str, url: str) -> httpx.Response:
    if method == "GET":
        return client.get(url)
    if url.startswith("/api/"):
        return client.api(method, url, {})
    return client.post(url, {})


def sent_to_sign_in(response: httpx.Response) -> bool:
    if response.status_code in (401, 404):
        return True
    return response.status_code == 303 and response.headers["location"].startswith("/account/sign-in")


def test_every_route_is_classified(app: FastAPI) -> None:
    served = set(all_routes(app))
    listed = set(audiences())
    assert sorted(served - listed) == [], "classify these routes in tests/security/audiences.py"
    assert sorted(listed - served) == [], "these routes are gone: take them out of tests/security/audiences.py"


@pytest.mark.parametrize("part", range(PARTS))
def test_each_role_gets_only_what_it_may(
    app: FastAPI, world: World, connection: Connection, browsers: dict[str, Client], part: int
) -> None:
    problems: list[str] = []
    served = set(all_routes(app))
    routes = sorted(audiences().items(), key=lambda item: (item[0][1], item[0][0]))
    for (method, path), audience in routes[part::PARTS]:
        if (method, path) not in served:
            continue
        url = fill(path, world)
        allowed = {role.rstrip("?") for role in audience}
        may_miss = {role.rstrip("?") for role in audience if role.endswith("?")}
        for role, client in browsers.items():
            cookie = client.http.cookies.get(SESSION_COOKIE) if client.http else None
            outsider = role != "anonymous" and role not in allowed and audience not in (["public"], ["user"])
            watch = outsider and method in WRITES
            savepoint = connection.begin_nested()
            try:
                before = fingerprint(connection) if watch else None
                response = send(client, method, url)
                unchanged = not watch or fingerprint(connection) == before
            finally:
                savepoint.rollback()
                # Sign-out and the like change the cookie: every request starts from the role's own session.
                assert client.http is not None
                client.http.cookies.clear()
                if cookie:
                    client.http.cookies.set(SESSION_COOKIE, cookie)
            status = response.status_code
            where = f"{method} {path} as {role}: {status}"
            if status >= 500:
                problems.append(f"{where} (server error)")
            elif audience == ["public"]:
                continue
            elif role == "anonymous":
                if not sent_to_sign_in(response):
                    problems.append(f"{where} (the signed-out must sign in first)")
            elif audience == ["user"] or role in allowed:
                if status == 404 and role not in may_miss and audience != ["user"]:
                    problems.append(f"{where} (its owner cannot reach it)")
            elif method in WRITES:
                if status not in (403, 404, 409, 422) or not unchanged:
                    problems.append(f"{where} (someone else's: must be refused and change nothing)")
            elif status not in (403, 404):
                problems.append(f"{where} (someone else's: must be 403 or 404)")
    assert not problems, "\n".join(problems)
