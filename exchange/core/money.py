"""Amounts of money as people type them: "8,000", "£8,000", "8000", "8000.50", "£ 8,000.00".

One parser for every money field (offer prices, need budgets, insurance cover, proposal prices, contract
values...), so that what one form accepts every form accepts. It refuses what would be a guess ("8k"), a
negative amount and fractions of a penny, with a plain message. The exchange keeps amounts in whole pounds:
pence are rounded to the nearest pound (50p up).
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal
from typing import Annotated

from pydantic import BeforeValidator
from pydantic_core import PydanticCustomError

# The kind of validation error a refused amount is: exchange.core.forms.rule_broken puts the field's label first.
MONEY_ERROR = "money_format"
# Digits in groups of three after commas (8,000,000), or plain (8000000); then up to 2 decimal places.
AMOUNT = re.compile(r"^(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$")


class MoneyRefused(ValueError):
    """What is wrong with an amount, in the exchange's words."""


def parse_money(text: str) -> Decimal:
    """The amount in pounds, or MoneyRefused saying what is wrong."""
    given = "".join(text.split())  # "£ 8 000" is "£8000"
    if given.startswith("-") or given.startswith("£-") or given.startswith("-£"):
        raise MoneyRefused("must be £0 or more")
    given = given.removeprefix("£")
    if not given:
        raise MoneyRefused("must be an amount, like 8,000 or 8000.50")
    match = AMOUNT.match(given)
    if match is None:
        raise MoneyRefused("must be an amount in numbers, like 8,000 or 8000.50")
    if match.group(3) and len(match.group(3)) > 3:
        raise MoneyRefused("must have no more than 2 numbers after the decimal point, like 8000.50")
    return Decimal(given.replace(",", ""))


def whole_pounds(amount: Decimal) -> int:
    return int(amount.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _as_pounds(value: object) -> object:
    """A typed amount as whole pounds; numbers (the API) and anything else go on to Pydantic as they are."""
    if not isinstance(value, str):
        return value
    try:
        return whole_pounds(parse_money(value))
    except MoneyRefused as refused:
        raise PydanticCustomError(MONEY_ERROR, "The amount {reason}", {"reason": str(refused)}) from None


# Whole pounds, typed as people type money; the field's own bounds (ge=0, le=...) still apply.
Pounds = Annotated[int, BeforeValidator(_as_pounds)]
