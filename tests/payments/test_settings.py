"""Stripe settings: payments are off unless a key is set, and production refuses unsafe Stripe configuration."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from exchange.core.settings import Settings

# The suite turns password hashing down and runs jobs at once through the environment; production states its
# own values for both.
PRODUCTION = {
    "env": "production",
    "secret_key": "x" * 40,
    "base_url": "https://exchange.example",
    "password_hash_time_cost": 3,
    "password_hash_memory_kib": 65536,
    "queue_url": None,
}


def test_payments_are_off_by_default() -> None:
    assert Settings(env="test").payments_enabled is False
    assert Settings(env="test", stripe_secret_key="sk_test_1").payments_enabled is True


@pytest.mark.parametrize(
    "stripe",
    [
        {"stripe_secret_key": "sk_live_1"},
        {"stripe_secret_key": "sk_test_1", "stripe_webhook_secret": "whsec_1"},
        {"stripe_secret_key": "sk_live_1", "stripe_webhook_secret": "whsec_1", "stripe_api_base": "http://x"},
    ],
)
def test_production_refuses_test_keys_a_missing_webhook_secret_and_a_redirected_api(stripe: dict[str, str]) -> None:
    with pytest.raises(ValidationError):
        Settings(**PRODUCTION, **stripe)  # type: ignore[arg-type]


def test_production_accepts_live_keys_with_a_webhook_secret() -> None:
    settings = Settings(**PRODUCTION, stripe_secret_key="sk_live_1", stripe_webhook_secret="whsec_1")  # type: ignore[arg-type]
    assert settings.payments_enabled
