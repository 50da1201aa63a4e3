"""The accessibility statement, privacy notice, cookies and contact pages: there, linked from every page, true."""

from __future__ import annotations

import pytest

from exchange.core.security import SESSION_COOKIE
from tests.client import Client

PAGES = {
    "/accessibility": "Accessibility statement",
    "/privacy": "Privacy notice",
    "/cookies": "Cookies",
    "/contact": "Contact and feedback",
    "/contact/council-domain": "Ask for your council's email domain",
}


@pytest.mark.parametrize(("path", "heading"), PAGES.items())
def test_each_page_is_there(client: Client, path: str, heading: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    assert f">{heading}</h1>" in response.text


def test_the_footer_links_to_them_from_every_page(client: Client) -> None:
    footer = client.get("/").text.split('<footer class="govuk-footer">', 1)[1]
    for path in ("/accessibility", "/privacy", "/cookies", "/contact"):
        assert f'href="{path}"' in footer


def test_the_cookies_page_names_the_only_cookie_the_exchange_sets(client: Client) -> None:
    response = client.get("/cookies")
    assert set(response.cookies.keys()) == {SESSION_COOKIE}
    assert f"<code>{SESSION_COOKIE}</code>" in response.text
    assert "14 days after your last visit" in response.text
