"""Passwords (Argon2), signed single-purpose tokens, and CSRF tokens."""

from __future__ import annotations

import hmac
import secrets
from functools import cache
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from exchange.core.settings import get_settings

MIN_PASSWORD_LENGTH = 10
# The one cookie the exchange sets (the cookies page describes it): a signed session, kept this long after
# the last visit.
SESSION_COOKIE = "exchange_session"
SESSION_MAX_AGE_DAYS = 14


@cache
def _hasher(time_cost: int, memory_kib: int, parallelism: int) -> tuple[PasswordHasher, str]:
    """The hasher for these Argon2 parameters, and a hash to verify against when the email is unknown (so
    both paths cost the same: no enumeration by timing)."""
    hasher = PasswordHasher(time_cost=time_cost, memory_cost=memory_kib, parallelism=parallelism)
    return hasher, hasher.hash("not-a-real-password")


def _current() -> tuple[PasswordHasher, str]:
    settings = get_settings()
    return _hasher(
        settings.password_hash_time_cost, settings.password_hash_memory_kib, settings.password_hash_parallelism
    )


def hash_password(password: str) -> str:
    return _current()[0].hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Whether the password is right; the parameters are read from the hash, so older hashes keep working."""
    hasher, dummy = _current()
    try:
        return hasher.verify(password_hash or dummy, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(get_settings().secret_key, salt=f"exchange.{purpose}")


def make_token(purpose: str, payload: dict[str, Any]) -> str:
    return _serializer(purpose).dumps(payload)


def read_token(purpose: str, token: str, max_age_seconds: int) -> dict[str, Any] | None:
    try:
        payload = _serializer(purpose).loads(token, max_age=max_age_seconds)
    except (BadSignature, SignatureExpired):
        return None
    return payload if isinstance(payload, dict) else None


def new_csrf_token() -> str:
    return secrets.token_urlsafe(32)


def same_token(expected: str | None, given: str | None) -> bool:
    return bool(expected) and bool(given) and hmac.compare_digest(str(expected), str(given))
