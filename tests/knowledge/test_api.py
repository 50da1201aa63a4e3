"""The knowledge JSON API: trends, endorsements, follows and saved searches; bad input answers 422 with field
errors and writes nothing; other people's things answer 404."""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, given, settings
from sqlalchemy.orm import Session

from exchange.knowledge.models import Endorsement, Follow, SavedSearch
from tests import factories
from tests.client import Client
from tests.knowledge.conftest import World, sign_in, written


def test_trends_as_json(client: Client, db: Session, world: World) -> None:
    body = client.get("/api/v1/trends").json()
    assert len(body["by_region"]) == 12 and len(body["per_month"]) == 12
    assert set(body["by_region"][0]["counts"]) == {
        "idea",
        "early_market_engagement",
        "open_for_proposals",
        "decided",
        "pitch",
        "offer",
    }
    assert body["per_month"][-1]["needs"] >= 1


def test_endorse_and_withdraw_through_the_api(client: Client, other_client: Client, db: Session, world: World) -> None:
    sign_in(client, world.officer)
    before = written(db)
    bad = client.api(
        "POST",
        "/api/v1/endorsements",
        {"kind": "organisation", "item_id": world.supplier.id, "council_id": world.council.id, "statement": ""},
    )
    assert bad.status_code == 422 and "statement" in bad.json()["errors"]
    assert written(db) == before

    created = client.api(
        "POST",
        "/api/v1/endorsements",
        {"kind": "offer", "item_id": world.offer.id, "council_id": world.council.id, "statement": "Reliable."},
    )
    assert created.status_code == 201, created.text
    body = created.json()
    assert (body["supplier_id"], body["endorser"], body["kind"]) == (world.supplier.id, world.council.name, "offer")
    listed = other_client.get(f"/api/v1/endorsements/offer/{world.offer.id}").json()
    assert [e["statement"] for e in listed] == ["Reliable."]

    sign_in(other_client, world.supplier_admin)
    assert other_client.api("DELETE", f"/api/v1/endorsements/{body['id']}").status_code == 404
    assert client.api("DELETE", f"/api/v1/endorsements/{body['id']}").status_code == 204
    assert factories.count(db, Endorsement) == 0


def test_follow_and_save_searches_through_the_api(
    client: Client, other_client: Client, db: Session, world: World
) -> None:
    sign_in(client, world.officer)
    assert client.api("PUT", f"/api/v1/follows/organisation/{world.supplier.id}").status_code == 204
    assert client.get("/api/v1/follows").json() == [
        {
            "kind": "organisation",
            "id": world.supplier.id,
            "title": world.supplier.name,
            "url": f"/organisations/{world.supplier.slug}",
        }
    ]
    assert client.api("DELETE", f"/api/v1/follows/organisation/{world.supplier.id}").status_code == 204
    assert factories.count(db, Follow) == 0
    assert client.api("PUT", "/api/v1/follows/planet/1").status_code == 404

    before = written(db)
    bad = client.api("POST", "/api/v1/saved-searches", {"name": "Needs", "frequency": "hourly", "query": "kind=need"})
    assert bad.status_code == 422 and "frequency" in bad.json()["errors"]
    assert written(db) == before
    created = client.api(
        "POST", "/api/v1/saved-searches", {"name": "Needs", "frequency": "weekly", "query": "kind=need"}
    )
    assert created.status_code == 201 and created.json()["feed_url"].startswith("/saved-searches/feed/")

    sign_in(other_client, world.supplier_admin)
    assert other_client.get("/api/v1/saved-searches").json() == []
    assert other_client.api("DELETE", f"/api/v1/saved-searches/{created.json()['id']}").status_code == 404
    assert client.api("DELETE", f"/api/v1/saved-searches/{created.json()['id']}").status_code == 204
    assert factories.count(db, SavedSearch) == 0


def test_the_read_operations_follow_the_schema(app: object, db: Session, world: World) -> None:
    db.commit()
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", app)
    selected = schema.include(method="GET", path_regex="^/api/v1/(trends|endorsements|follows|saved-searches)")
    operations = [result.ok() for result in selected.get_all_operations()]
    assert len(operations) == 4

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck))
        def check(case: schemathesis.Case) -> None:
            case.call_and_validate()

        check()
