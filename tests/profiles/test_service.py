"""What the matching module asks of profiles, for hundreds of suppliers at once: one query each."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.orm import Session

from exchange.organisations.models import Organisation
from exchange.profiles import service
from exchange.profiles.completeness import SECTIONS, facts, missing
from exchange.profiles.models import SupplierProfile
from tests import factories


@contextmanager
def counting_queries(db: Session) -> Iterator[list[str]]:
    statements: list[str] = []
    engine = db.get_bind()

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


@pytest.fixture
def suppliers(db: Session) -> list[Organisation]:
    return [factories.supplier(db, factories.user(db)) for _ in range(3)]


def test_certifications_held_are_the_current_named_ones(db: Session, suppliers: list[Organisation]) -> None:
    first, second, third = suppliers
    factories.certification(db, first, "cyber_essentials")
    factories.certification(db, first, "cyber_essentials_plus", expires_in_days=0)  # valid to the end of today
    factories.certification(db, first, "iso_27001", expires_in_days=-1)
    factories.certification(db, first, "other", name="ISO 14001")
    factories.certification(db, second, "iso_9001")
    factories.certification(db, second, "iso_9001")
    db.flush()

    with counting_queries(db) as statements:
        held = service.certifications_held(db, [first.id, second.id, third.id, 2_000_000])

    assert held == {
        first.id: {"cyber_essentials", "cyber_essentials_plus"},
        second.id: {"iso_9001"},
        third.id: set(),
        2_000_000: set(),
    }
    assert len(statements) == 1
    assert service.certifications_held(db, []) == {}


def test_completeness_counts_complete_sections_for_many_suppliers_in_one_query(
    db: Session, suppliers: list[Organisation]
) -> None:
    full, partial, empty = suppliers
    factories.complete_profile(db, full)
    factories.certification(db, partial)
    factories.insurance(db, partial, "employers_liability")
    factories.insurance(db, partial, "public_liability")
    db.flush()

    with counting_queries(db) as statements:
        shares = service.completeness(db, [full.id, partial.id, empty.id])

    assert shares == {full.id: 1.0, partial.id: pytest.approx(2 / len(SECTIONS)), empty.id: 0.0}
    assert len(statements) == 1


def test_completeness_of_hundreds_of_suppliers_is_still_one_query(db: Session) -> None:
    organisations = [factories.supplier(db) for _ in range(300)]

    with counting_queries(db) as statements:
        shares = service.completeness(db, [o.id for o in organisations])

    assert len(shares) == 300 and set(shares.values()) == {0.0}
    assert len(statements) == 1


def test_expired_items_make_their_section_incomplete(db: Session, suppliers: list[Organisation]) -> None:
    organisation = suppliers[0]
    factories.complete_profile(db, organisation)
    factories.certification(db, organisation, "iso_9001", expires_in_days=-30)
    factories.insurance(db, organisation, "professional_indemnity", expires_on=factories.profile_today())
    db.flush()
    assert service.completeness(db, [organisation.id])[organisation.id] == pytest.approx(6 / 7)

    gaps = missing(facts(db, [organisation.id])[organisation.id])
    assert gaps["certifications"] == ["1 expired certificate to renew or remove"]
    assert gaps["insurance"] == []  # insurance that ends today is still in force


def test_identity_asks_for_the_register_its_legal_form_implies(db: Session, suppliers: list[Organisation]) -> None:
    organisation = suppliers[0]
    factories.complete_profile(db, organisation)
    profile = db.query(SupplierProfile).filter_by(organisation_id=organisation.id).one()
    profile.companies_house_number = None
    profile.size = "sme"  # as some imports give it: no size band
    db.flush()

    gaps = missing(facts(db, [organisation.id])[organisation.id])

    assert gaps["identity"] == ["size", "Companies House number"]


def test_imported_suppliers_keep_working_with_their_sparse_profiles(db: Session, tmp_path: Any) -> None:
    from exchange.seeding.importer import import_suppliers

    lines = tmp_path / "suppliers.jsonl"
    lines.write_text(
        '{"id": "s1", "name": "Imported Ltd", "size": "sme", "past_contracts": [{"title": "Roads", "buyer": "Kent"}]}\n'
    )
    result = import_suppliers(db, lines)
    organisation_id = result.ids["s1"]

    assert service.completeness(db, [organisation_id]) == {organisation_id: pytest.approx(1 / 7)}
    view = service.load(db, db.get_one(Organisation, organisation_id))
    assert view.profile is not None and view.profile.legal_name is None
    assert [c.title for c in view.past_contracts] == ["Roads"] and view.past_contracts[0].outcome is None
