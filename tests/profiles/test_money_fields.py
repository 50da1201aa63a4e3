"""Insurance cover and past contract values take money as people type it, like every money field."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from exchange.profiles.models import Insurance, PastContract
from tests.profiles.conftest import Supplier, written

INSURANCE = {"kind": "employers_liability"}
PAST_CONTRACT = {"title": "Resident survey", "buyer_name": "Pendle Borough Council"}


@pytest.mark.parametrize(("typed", "stored"), [("8,000", 8000), ("£8,000", 8000), ("£ 8,000.00", 8000)])
def test_insurance_cover_as_typed(supplier: Supplier, db: Session, typed: str, stored: int) -> None:
    response = supplier.client.post(f"{supplier.base}/insurance", {**INSURANCE, "cover_amount": typed})
    assert response.status_code == 303
    assert db.scalars(select(Insurance.cover_amount)).one() == stored


def test_a_past_contract_value_with_pence_is_rounded_to_the_pound(supplier: Supplier, db: Session) -> None:
    response = supplier.client.post(f"{supplier.base}/past-contracts", {**PAST_CONTRACT, "value": "8000.50"})
    assert response.status_code == 303
    assert db.scalars(select(PastContract.value)).one() == 8001


@pytest.mark.parametrize("path", ["insurance", "past-contracts"])
def test_8k_is_refused_and_nothing_is_written(supplier: Supplier, db: Session, path: str) -> None:
    field, good = ("cover_amount", INSURANCE) if path == "insurance" else ("value", PAST_CONTRACT)
    before = written(db)
    response = supplier.client.post(f"{supplier.base}/{path}", {**good, field: "8k"})
    assert response.status_code == 422 and "must be an amount in numbers, like 8,000" in response.text
    assert 'value="8k"' in response.text and written(db) == before
