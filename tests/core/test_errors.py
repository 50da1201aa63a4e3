"""Errors answer plainly: JSON on the API, a GOV.UK-style page for HTML, never a stack trace."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.orm import Session

from exchange.core.database import Database
from exchange.core.settings import Settings
from tests import factories
from tests.client import Client

SECRET_DETAIL = "secret-internal-detail-0xDEADBEEF"


def assert_plain_json(response: httpx.Response, status: int) -> dict[str, object]:
    assert response.status_code == status
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert isinstance(body.get("detail"), str)
    assert "Traceback" not in response.text and 'File "' not in response.text
    return body


def test_an_unknown_api_path_answers_json_404(client: Client) -> None:
    assert_plain_json(client.get("/api/v1/no-such-thing"), 404)


def test_a_missing_item_answers_json_404(client: Client) -> None:
    for path in ("/api/v1/pitches/999999", "/api/v1/offers/999999", "/api/v1/needs/999999"):
        assert_plain_json(client.get(path), 404)


def test_a_bad_query_answers_json_422_with_field_errors(client: Client) -> None:
    body = assert_plain_json(client.get("/api/v1/search?page=abc&per_page=1000"), 422)

    errors = body["errors"]
    assert isinstance(errors, dict) and {"page", "per_page"} <= set(errors)


def test_a_nul_character_in_the_address_is_refused_before_any_database_sees_it(client: Client) -> None:
    # PostgreSQL refuses NUL in text mid-query (it was a 500 on /api/v1/organisations?q=%00).
    for path in ("/api/v1/organisations?kind=council&q=%00", "/api/v1/search?q=a%00b", "/organisations?q=%00"):
        response = client.get(path)
        assert response.status_code == 422, path
        assert "NUL" in response.text


def test_a_body_that_is_not_json_answers_json_422(client: Client, db: Session) -> None:
    person = factories.user(db)
    client.sign_in(person.email, factories.PASSWORD)

    response = client.request(
        "POST",
        "/api/v1/pitches",
        content=b"{not json",
        headers={"X-CSRF-Token": client.csrf_token(), "content-type": "application/json"},
    )

    assert_plain_json(response, 422)


def test_an_api_write_while_signed_out_answers_json_401(client: Client) -> None:
    assert_plain_json(client.api("POST", "/api/v1/pitches", {"title": "x"}), 401)


def test_a_wrong_method_on_the_api_answers_json_405_saying_what_is_allowed(client: Client) -> None:
    response = client.api("DELETE", "/api/v1/search")

    assert_plain_json(response, 405)
    assert response.headers["Allow"] == "GET"


def test_a_missing_page_is_a_friendly_404_page(client: Client) -> None:
    for path in ("/no-such-page", "/needs/999999", "/needs/not-a-number", "/pitches/999999"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert response.headers["content-type"].startswith("text/html")
        assert "Page not found" in response.text


@pytest.fixture
def failing_app(settings: Settings, database: Database) -> FastAPI:
    """The real application with two routes that fail unexpectedly."""
    from exchange.app import create_app

    app = create_app(settings, database)

    def explode() -> None:
        raise RuntimeError(SECRET_DETAIL)

    app.add_api_route("/explode", explode, include_in_schema=False)
    app.add_api_route("/api/v1/explode", explode, include_in_schema=False)
    return app


class ResponseOnErrorClient(Client):
    """Like the test client, but it takes the 500 response a browser would get instead of re-raising the error."""

    def __enter__(self) -> ResponseOnErrorClient:
        super().__enter__()
        assert self.portal is not None and self.http is not None
        self.portal.call(self.http.aclose)
        self.http = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=self.app, raise_app_exceptions=False, client=("127.0.0.1", 50000)),
            base_url="http://testserver",
        )
        return self


@pytest.fixture
def failing_client(failing_app: FastAPI) -> Iterator[Client]:
    with ResponseOnErrorClient(failing_app) as client:
        yield client


def test_an_unexpected_error_renders_a_500_page_without_the_traceback(failing_client: Client) -> None:
    response = failing_client.get("/explode")

    assert response.status_code == 500
    assert response.headers["content-type"].startswith("text/html")
    assert "Sorry, there is a problem with the service" in response.text
    assert SECRET_DETAIL not in response.text
    assert "Traceback" not in response.text and "RuntimeError" not in response.text


def test_the_500_page_carries_the_security_headers(failing_client: Client) -> None:
    response = failing_client.get("/explode")

    assert response.status_code == 500
    assert "script-src 'self' 'nonce-" in response.headers.get("content-security-policy", "")
    assert response.headers.get("x-frame-options") == "DENY"
    assert response.headers.get("x-content-type-options") == "nosniff"


def test_an_unexpected_api_error_is_json_without_the_traceback(failing_client: Client) -> None:
    response = failing_client.get("/api/v1/explode")

    body = assert_plain_json(response, 500)
    assert SECRET_DETAIL not in response.text
    assert "RuntimeError" not in str(body)
