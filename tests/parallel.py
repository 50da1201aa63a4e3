"""Many requests at the same moment, each on its own connection and transaction, against a database of its
own that is really committed to (the suite's usual rolled-back transaction would hide every race)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import pytest

from exchange.core.database import Database, settings_of
from exchange.core.errors import DomainError
from exchange.core.settings import Settings
from exchange.wiring import install
from tests.conftest import drop_database, new_database_url, prepare_database
from tests.conftest import test_settings as settings_for


@contextmanager
def own_database(tmp_path_factory: pytest.TempPathFactory, label: str, **settings: Any) -> Iterator[Database]:
    url = new_database_url(tmp_path_factory, label)
    chosen = settings_for(url, **settings)
    engine = prepare_database(url, chosen)
    install()
    try:
        yield Database(engine, chosen)
    finally:
        engine.dispose()
        drop_database(url)


def settings_of_database(database: Database) -> Settings:
    with database.session(write=False) as db:
        return settings_of(db)


@dataclass
class Outcomes:
    done: list[int] = field(default_factory=list)
    refused: list[DomainError] = field(default_factory=list)
    failed: list[BaseException] = field(default_factory=list)


def at_once(how_many: int, attempt: Callable[[int], None]) -> Outcomes:
    """Run attempt(0..how_many-1) in threads released together; a domain refusal is an outcome, anything else
    a failure."""
    start = threading.Barrier(how_many)
    outcomes = Outcomes()

    def run(n: int) -> None:
        start.wait(timeout=20)
        try:
            attempt(n)
            outcomes.done.append(n)
        except DomainError as error:
            outcomes.refused.append(error)
        except BaseException as error:
            outcomes.failed.append(error)

    threads = [threading.Thread(target=run, args=(n,)) for n in range(how_many)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return outcomes
