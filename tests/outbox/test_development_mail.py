"""/dev/mail shows what the exchange wrote, only in development; links in email use the address served."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from sqlalchemy.orm import Session

from exchange.cli import use_served_address_in_development
from exchange.core.settings import get_settings
from exchange.outbox.service import queue_email
from tests.client import Client


@pytest.fixture
def development(app: FastAPI) -> FastAPI:
    app.state.settings = app.state.settings.model_copy(update={"env": "development"})
    return app


def test_the_page_does_not_exist_outside_development(client: Client, app: FastAPI, db: Session) -> None:
    queue_email(db, "someone@example.org", "A private email", "A link that signs in: http://testserver/x")
    db.flush()
    for env in ("test", "production"):
        app.state.settings = app.state.settings.model_copy(update={"env": env})
        response = client.get("/dev/mail")
        assert response.status_code == 404, env
        assert "A private email" not in response.text


def test_development_lists_what_was_sent_newest_first_with_its_links(
    client: Client, development: FastAPI, db: Session
) -> None:
    client.post(
        "/account/sign-up",
        {
            "name": "Dev Person",
            "email": "dev@widgets.example",
            "password": "a long enough password",
            "account_kind": "supplier",
            "organisation_name": "Dev Widgets Ltd",
            "organisation_kind": "supplier",
        },
    )
    queue_email(db, "later@example.org", "Later <b>news</b>", "Body with <script>alert(1)</script>")
    db.flush()

    page = client.get("/dev/mail")

    assert page.status_code == 200
    text = page.text
    assert text.index("Later &lt;b&gt;news&lt;/b&gt;") < text.index("Confirm your email address")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text and "<script>alert" not in text
    assert 'href="http://testserver/account/verify-email/' in text
    assert "dev@widgets.example" in text


@pytest.fixture
def fresh_settings(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    """Settings read afresh from an environment without EXCHANGE_BASE_URL, put back as they were after."""
    # Set first so that monkeypatch remembers the variable's absence too: the code under test sets it directly.
    monkeypatch.setenv("EXCHANGE_BASE_URL", "")
    monkeypatch.delenv("EXCHANGE_BASE_URL")
    monkeypatch.setenv("EXCHANGE_ENV", "development")
    get_settings.cache_clear()
    yield monkeypatch
    get_settings.cache_clear()


def test_served_on_another_port_links_point_there(fresh_settings: pytest.MonkeyPatch) -> None:
    use_served_address_in_development("0.0.0.0", 8123)
    assert get_settings().base_url == "http://127.0.0.1:8123"


def test_a_base_url_that_was_set_is_kept(fresh_settings: pytest.MonkeyPatch) -> None:
    fresh_settings.setenv("EXCHANGE_BASE_URL", "https://exchange.example.org")
    get_settings.cache_clear()
    use_served_address_in_development("127.0.0.1", 8123)
    assert get_settings().base_url == "https://exchange.example.org"
