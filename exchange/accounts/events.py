"""What happens to accounts, for the packages built on them to act on."""

from __future__ import annotations

from dataclasses import dataclass

from exchange.core.events import DomainEvent


@dataclass(frozen=True)
class EmailVerified(DomainEvent):
    """A user's email address was confirmed (by its link, or by resetting the password through it)."""

    user_id: int
