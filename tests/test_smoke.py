"""The main pages answer, and the schema and reference data are in place."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from exchange.organisations.models import Organisation
from exchange.reference.models import Category, Region
from tests.client import Client


def test_reference_data_is_seeded(db: Session) -> None:
    assert db.scalar(select(func.count()).select_from(Region)) == 12
    assert db.scalar(select(func.count()).select_from(Category)) == 113
    assert db.scalar(select(func.count()).select_from(Organisation)) >= 397


def test_public_pages_answer(client: Client) -> None:
    for path in ["/", "/search", "/organisations", "/about", "/account/sign-in", "/account/sign-up", "/docs"]:
        response = client.get(path)
        assert response.status_code == 200, path
        assert "Open Innovation Exchange" in response.text


def test_healthz(client: Client) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    assert client.get("/readyz").json()["status"] == "ok"
