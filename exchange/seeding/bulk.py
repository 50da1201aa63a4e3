"""Bulk inserts for imports and generated data.

Core inserts on the model's table, not ORM bulk inserts: the ORM splits a batch wherever the pattern of
None values changes from one row to the next (optional region, category, price...), turning a batch of
thousands of rows into hundreds of statements. Core sends each batch as one multi-row statement. Every
row of a batch must therefore have the same keys, and nothing fills in Python-side defaults for keys
that are present, so rows give every column they need.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session


def insert_rows(db: Session, model: Any, rows: list[dict[str, Any]]) -> None:
    if rows:
        db.execute(insert(model.__table__), rows)


def insert_rows_returning_ids(db: Session, model: Any, rows: list[dict[str, Any]]) -> list[int]:
    """Insert a batch and return the new ids in the order of ``rows``."""
    if not rows:
        return []
    table = model.__table__
    return list(db.scalars(insert(table).returning(table.c.id, sort_by_parameter_order=True), rows))
