"""Property-based checks of the JSON API against its own OpenAPI schema (schemathesis).

Every read operation, fed generated parameters, must answer as documented: no server errors, documented
status codes, and bodies that match their schemas. Writes are covered by the domain tests, since they need
a signed-in session and a CSRF token.
"""

from __future__ import annotations

from typing import Any

import schemathesis
from hypothesis import HealthCheck, given, settings

from tests import factories


def read_operations(app: Any) -> list[Any]:
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", app)
    operations = [result.ok() for result in schema.include(method="GET").get_all_operations()]
    assert len(operations) >= 7
    return operations


def test_read_operations_follow_the_schema(app: Any, db: Any) -> None:
    owner = factories.user(db)
    supplier = factories.supplier(db, owner)
    factories.pitch(db, owner, supplier)
    factories.offer(db, owner, supplier)
    db.commit()
    operations = read_operations(app)

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
        def check(case: schemathesis.Case) -> None:
            case.call_and_validate()

        check()
