"""Identifiers as the outside world may send them: positive and within the database's integer range."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path
from pydantic import Field

MAX_ID = 2_147_483_647

# A row id in a body or query string.
DbId = Annotated[int, Field(ge=1, le=MAX_ID)]
# A row id in the path: out of range is simply not found.
PathId = Annotated[int, Path(ge=1, le=MAX_ID)]


def plain_number(value: object, most: int) -> int | None:
    """A whole number written with the digits 0-9 only, from 0 to most (str.isdigit() would take "²")."""
    text = str(value if value is not None else "").strip()
    if not text or len(text) > len(str(most)) or not all("0" <= c <= "9" for c in text):
        return None
    number = int(text)
    return number if number <= most else None
