"""Sign-in limits hold when the attempts come all at once, each on its own connection and transaction as
parallel requests would (on PostgreSQL a count-then-insert let 31 of 40 through a limit of 5)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import func, select

from exchange.accounts import service
from exchange.accounts.schemas import SignIn
from exchange.core.database import Database, settings_of
from exchange.core.errors import TooManyRequests
from exchange.core.rate_limits import RateLimitHits
from tests import factories
from tests.parallel import at_once, own_database, settings_of_database

AT_ONCE = 40


@pytest.fixture
def database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    with own_database(tmp_path_factory, "sign-in") as database:
        with database.transaction() as db:
            factories.user(db, "target@supplier.example")
        yield database


def attempt(database: Database, email: str, password: str, address: str) -> None:
    with database.transaction() as db:  # as the sign-in request's unit of work
        service.sign_in(db, SignIn(email=email, password=password), address, settings_of(db))


def test_parallel_wrong_passwords_for_one_account_get_five_checks(database: Database) -> None:
    settings = settings_of_database(database)

    outcomes = at_once(
        AT_ONCE, lambda n: attempt(database, "target@supplier.example", f"guess number {n}", f"198.51.100.{n}")
    )

    assert outcomes.failed == []
    checked = [error for error in outcomes.refused if not isinstance(error, TooManyRequests)]
    throttled = [error for error in outcomes.refused if isinstance(error, TooManyRequests)]
    assert len(checked) == settings.login_max_failures
    assert len(throttled) == AT_ONCE - settings.login_max_failures
    with database.session(write=False) as db:
        counted = db.scalar(select(func.sum(RateLimitHits.hits)).where(RateLimitHits.key.startswith("sign-in-email:")))
    assert counted == settings.login_max_failures


def test_parallel_guesses_from_one_address_at_many_accounts_are_limited_too(database: Database) -> None:
    settings = settings_of_database(database)
    per_address = settings.login_max_failures * 4

    outcomes = at_once(
        AT_ONCE, lambda n: attempt(database, f"person{n}@supplier.example", "a wrong guess", "203.0.113.9")
    )

    assert outcomes.failed == []
    checked = [error for error in outcomes.refused if not isinstance(error, TooManyRequests)]
    assert len(checked) == per_address
    assert len(outcomes.refused) == AT_ONCE


def test_a_right_password_gives_its_place_back_so_only_failures_count(database: Database) -> None:
    settings = settings_of_database(database)
    allowed = settings.login_max_failures

    # As many at once as the limit allows, so none is turned away: the right ones get in.
    outcomes = at_once(
        allowed,
        lambda n: attempt(
            database, "target@supplier.example", factories.PASSWORD if n % 2 == 0 else "a wrong guess", f"192.0.2.{n}"
        ),
    )

    assert outcomes.failed == []
    right = len(range(0, allowed, 2))
    assert len(outcomes.done) == right
    with database.session(write=False) as db:
        counted = db.scalar(select(func.sum(RateLimitHits.hits)).where(RateLimitHits.key.startswith("sign-in-email:")))
    assert counted == allowed - right
    # The places the right passwords gave back are there for wrong ones, then the limit holds.
    for n in range(right):
        with pytest.raises(service.SignInFailed):
            attempt(database, "target@supplier.example", "another wrong guess", f"192.0.2.{50 + n}")
    with pytest.raises(TooManyRequests):
        attempt(database, "target@supplier.example", factories.PASSWORD, "192.0.2.99")
