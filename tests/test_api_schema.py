"""Property-based checks of the JSON API against its own OpenAPI schema (schemathesis).

Every operation, fed generated parameters and bodies, must answer as documented: no server errors,
documented status codes, and bodies that match their schemas. Reads are checked signed out; every operation,
writes included, signed in as a supplier and as a council officer (with their session and CSRF token), each
with data of their own to find.
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import positive_data_acceptance

from tests import factories
from tests.client import SESSION_COOKIE, Client

# Every check but one: a request the schema allows may still break a rule across fields or a business rule (a
# value range given backwards, a need for a council one does not belong to) and get a documented 422.
BUSINESS_RULES = [positive_data_acceptance]


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
            case.call_and_validate(excluded_checks=BUSINESS_RULES)

        check()


@pytest.mark.parametrize("role", ["supplier", "officer"])
def test_every_operation_signed_in_follows_the_schema(app: Any, db: Any, role: str) -> None:
    owner = factories.user(db)
    supplier = factories.supplier(db, owner)
    factories.pitch(db, owner, supplier)
    factories.offer(db, owner, supplier)
    officer = factories.officer(db)
    factories.need(db, officer, factories.council(db))
    db.commit()
    person = owner if role == "supplier" else officer
    with Client(app) as browser:
        browser.sign_in(person.email, factories.PASSWORD)
        assert browser.http is not None
        token = browser.csrf_token()  # may fetch a page, which renews the cookie: read the cookie after
        credentials = {"Cookie": f"{SESSION_COOKIE}={browser.http.cookies[SESSION_COOKIE]}", "X-CSRF-Token": token}
        schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", app)
        operations = [result.ok() for result in schema.get_all_operations()]
        assert len([op for op in operations if op.method.upper() != "GET"]) >= 20

        for operation in operations:

            @given(case=operation.as_strategy())
            @settings(max_examples=6, deadline=None, suppress_health_check=list(HealthCheck), database=None)
            def check(case: schemathesis.Case) -> None:
                case.call_and_validate(headers=credentials, excluded_checks=BUSINESS_RULES)

            check()
