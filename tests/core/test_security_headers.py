"""Security headers on every page, a strict CSP with a fresh nonce, and a locked-down session cookie."""

from __future__ import annotations

import re

import pytest
from sqlalchemy.orm import Session

from tests import factories
from tests.client import Client

NONCE = re.compile(r"script-src 'self' 'nonce-([A-Za-z0-9_-]{16,})'")


@pytest.mark.parametrize("path", ["/", "/search", "/account/sign-in", "/organisations", "/docs", "/no-such-page"])
def test_pages_carry_the_security_headers(client: Client, path: str) -> None:
    response = client.get(path)

    policy = response.headers["content-security-policy"]
    assert NONCE.search(policy)
    assert "default-src 'self'" in policy
    assert "object-src 'none'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "strict-origin-when-cross-origin"


def test_the_api_carries_them_too(client: Client) -> None:
    response = client.get("/api/v1/search")

    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"


def test_each_response_has_its_own_nonce(client: Client) -> None:
    first = NONCE.search(client.get("/").headers["content-security-policy"])
    second = NONCE.search(client.get("/").headers["content-security-policy"])

    assert first and second and first.group(1) != second.group(1)


def test_inline_scripts_on_a_page_carry_that_pages_nonce(client: Client) -> None:
    response = client.get("/docs")
    match = NONCE.search(response.headers["content-security-policy"])
    assert match
    inline = re.findall(r"<script(?![^>]*\ssrc=)[^>]*>", response.text)
    assert inline
    for tag in inline:
        assert f'nonce="{match.group(1)}"' in tag, tag


def test_the_session_cookie_is_http_only_and_same_site_lax(client: Client) -> None:
    response = client.get("/account/sign-in")

    cookie = response.headers["set-cookie"]
    assert cookie.startswith("exchange_session=")
    flags = [part.strip().lower() for part in cookie.split(";")]
    assert "httponly" in flags
    assert "samesite=lax" in flags


def test_the_signed_in_session_cookie_is_http_only_and_same_site_lax(client: Client, db: Session) -> None:
    person = factories.user(db)

    response = client.sign_in(person.email, factories.PASSWORD)

    flags = [part.strip().lower() for part in response.headers["set-cookie"].split(";")]
    assert "httponly" in flags and "samesite=lax" in flags


def test_the_session_cookie_is_signed(client: Client) -> None:
    client.get("/")
    assert client.http is not None
    client.http.cookies.set("exchange_session", "eyJ1c2VyIjogMX0=.forged.signature", domain="testserver")

    response = client.get("/dashboard")

    assert response.status_code == 303
