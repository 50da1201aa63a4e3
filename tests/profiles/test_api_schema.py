"""The profile export follows its own OpenAPI schema for any identifier (schemathesis), whoever asks."""

from __future__ import annotations

from typing import Any

import schemathesis
from hypothesis import HealthCheck, given, settings
from sqlalchemy.orm import Session

from tests import factories


def test_the_profile_export_follows_the_schema(app: Any, db: Session) -> None:
    supplier = factories.supplier(db, factories.user(db))
    factories.complete_profile(db, supplier, factories.council(db, "BUN"))
    factories.certification(db, supplier, "other", expires_in_days=-1, name="ISO 14001")
    db.commit()
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", app)
    [operation] = [
        result.ok()
        for result in schema.include(
            method="GET", path="/api/v1/organisations/{organisation_id}/profile"
        ).get_all_operations()
    ]

    @given(case=operation.as_strategy())
    @settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
    def check(case: schemathesis.Case) -> None:
        case.call_and_validate()

    check()
    response = operation.Case(path_parameters={"organisation_id": supplier.id}).call()
    assert response.status_code == 200 and response.json()["certifications"][0]["expired"] is True
