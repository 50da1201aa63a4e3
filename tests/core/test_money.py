"""One parser for every money field: amounts as people type them are taken, guesses and negatives refused."""

from __future__ import annotations

from decimal import Decimal

import pytest
from pydantic import BaseModel

from exchange.core.errors import Invalid
from exchange.core.forms import FormSchema, validate
from exchange.core.money import MoneyRefused, Pounds, parse_money, whole_pounds


@pytest.mark.parametrize(
    ("typed", "amount"),
    [
        ("8,000", Decimal("8000")),
        ("£8,000", Decimal("8000")),
        ("8000", Decimal("8000")),
        ("8000.50", Decimal("8000.50")),
        ("£ 8,000.00", Decimal("8000.00")),
        (" 1,250,000 ", Decimal("1250000")),
        ("0", Decimal("0")),
        ("£0.5", Decimal("0.5")),
    ],
)
def test_amounts_as_people_type_them(typed: str, amount: Decimal) -> None:
    assert parse_money(typed) == amount


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("8k", "in numbers"),
        ("eight thousand", "in numbers"),
        ("-8000", "£0 or more"),
        ("£-8,000", "£0 or more"),
        ("8000.505", "no more than 2 numbers after the decimal point"),
        ("8,00", "in numbers"),
        ("8,000,00", "in numbers"),
        ("8.000.00", "in numbers"),
        ("£", "must be an amount"),
        ("1e6", "in numbers"),
    ],
)
def test_what_would_be_a_guess_is_refused(typed: str, message: str) -> None:
    with pytest.raises(MoneyRefused, match=message):
        parse_money(typed)


def test_pence_are_rounded_to_the_nearest_pound() -> None:
    assert [whole_pounds(Decimal(v)) for v in ("8000.49", "8000.50", "8000.00")] == [8000, 8001, 8000]


class Priced(FormSchema):
    price: Pounds | None = None


def test_a_form_says_the_rule_about_its_own_field() -> None:
    assert validate(Priced, {"price": "£8,000"}).price == 8000
    with pytest.raises(Invalid) as refused:
        validate(Priced, {"price": "8k"}, {"price": "the price"})
    assert refused.value.field_errors == {"price": "The price must be an amount in numbers, like 8,000 or 8000.50"}


def test_the_api_sends_numbers_which_pass_through() -> None:
    class Body(BaseModel):
        price: Pounds

    assert Body.model_validate({"price": 8000}).price == 8000
