"""Settings refuse what is unsafe in production, whatever the environment around them says."""

from __future__ import annotations

from typing import Any

import pytest

from exchange.core.settings import Settings

# The suite turns password hashing down and runs jobs at once through the environment; production states its
# own values for both.
SAFE = {"password_hash_time_cost": 3, "password_hash_memory_kib": 65536, "queue_url": None}


def production(**changes: Any) -> Settings:
    return Settings(
        **{"env": "production", "secret_key": "s" * 40, "base_url": "https://exchange.example", **SAFE, **changes}
    )


def test_production_refuses_the_development_secret_and_plain_http() -> None:
    with pytest.raises(ValueError, match="EXCHANGE_SECRET_KEY"):
        Settings(env="production", base_url="https://exchange.example", **SAFE)
    with pytest.raises(ValueError, match="https"):
        production(base_url="http://exchange.example")
    assert production().secure_cookies


def test_production_refuses_weak_password_hashing() -> None:
    with pytest.raises(ValueError, match="Password hashing"):
        production(password_hash_memory_kib=1024)
    with pytest.raises(ValueError, match="Password hashing"):
        production(password_hash_time_cost=1)


def test_production_refuses_running_jobs_inside_web_requests() -> None:
    with pytest.raises(ValueError, match="immediate is for tests"):
        production(queue_url="immediate")
    assert production(queue_url="redis://127.0.0.1:6379/0").queue_kind == "redis"
    assert production().queue_kind == "sqlite"


def test_an_unknown_queue_address_is_refused_at_start() -> None:
    with pytest.raises(ValueError, match="EXCHANGE_QUEUE_URL"):
        Settings(queue_url="amqp://127.0.0.1")
