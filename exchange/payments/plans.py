"""The plans on offer, read from configuration (``plans.toml`` or ``EXCHANGE_PLANS_FILE``), never from code."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from sqlalchemy.orm import Session

from exchange.core.database import settings_of

DEFAULT_PLANS_FILE = Path(__file__).with_name("plans.toml")
INTERVAL_LABELS = {"month": "per month", "year": "per year"}


class PlanConfigError(ValueError):
    """The plans file is malformed: refuse to start rather than charge for the wrong thing."""


@dataclass(frozen=True)
class Price:
    lookup_key: str
    interval: str
    amount_pence: int

    @property
    def label(self) -> str:
        pounds = self.amount_pence / 100
        amount = f"£{pounds:,.0f}" if self.amount_pence % 100 == 0 else f"£{pounds:,.2f}"
        return f"{amount} {INTERVAL_LABELS.get(self.interval, 'per ' + self.interval)}"


@dataclass(frozen=True)
class Plan:
    key: str
    name: str
    summary: str
    organisation_kinds: frozenset[str] = frozenset()
    features: frozenset[str] = frozenset()
    benefits: tuple[str, ...] = ()
    limits: dict[str, int] = field(default_factory=dict)
    prices: tuple[Price, ...] = ()

    def price(self, lookup_key: str) -> Price | None:
        return next((p for p in self.prices if p.lookup_key == lookup_key), None)

    def available_to(self, organisation_kind: str) -> bool:
        return organisation_kind in self.organisation_kinds


@dataclass(frozen=True)
class Catalogue:
    free: Plan
    plans: dict[str, Plan]

    def by_lookup_key(self, lookup_key: str) -> Plan | None:
        return next((plan for plan in self.plans.values() if plan.price(lookup_key)), None)

    def for_kind(self, organisation_kind: str) -> list[Plan]:
        return [plan for plan in self.plans.values() if plan.available_to(organisation_kind)]

    def plan_offering(self, limit_name: str) -> Plan | None:
        """The plan that raises a free limit, to name it where the limit is reached."""
        return next((plan for plan in self.plans.values() if limit_name in plan.limits), None)


def _int_map(raw: object, where: str) -> dict[str, int]:
    if not isinstance(raw, dict) or not all(isinstance(v, int) and v >= 0 for v in raw.values()):
        raise PlanConfigError(f"{where}: limits must be whole numbers of 0 or more")
    return {str(k): int(v) for k, v in raw.items()}


def _plan(key: str, raw: dict[str, object]) -> Plan:
    prices = []
    for item in raw.get("prices", []):  # type: ignore[attr-defined]
        if not isinstance(item, dict) or not isinstance(item.get("lookup_key"), str):
            raise PlanConfigError(f"plans.{key}: each price needs a lookup_key")
        if item.get("interval") not in INTERVAL_LABELS or not isinstance(item.get("amount_pence"), int):
            raise PlanConfigError(f"plans.{key}: each price needs interval month|year and amount_pence")
        prices.append(Price(item["lookup_key"], item["interval"], item["amount_pence"]))
    name, summary = raw.get("name"), raw.get("summary", "")
    if not isinstance(name, str) or not isinstance(summary, str):
        raise PlanConfigError(f"plans.{key}: name and summary must be text")
    return Plan(
        key=key,
        name=name,
        summary=summary,
        organisation_kinds=frozenset(str(k) for k in raw.get("for", [])),  # type: ignore[attr-defined]
        features=frozenset(str(f) for f in raw.get("features", [])),  # type: ignore[attr-defined]
        benefits=tuple(str(b) for b in raw.get("benefits", [])),  # type: ignore[attr-defined]
        limits=_int_map(raw.get("limits", {}), f"plans.{key}"),
        prices=tuple(prices),
    )


def parse(text: str) -> Catalogue:
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise PlanConfigError(f"plans file: {error}") from None
    free = _plan("free", raw.get("free", {}) | {"name": raw.get("free", {}).get("name", "Free")})
    plans = {key: _plan(key, value) for key, value in raw.get("plans", {}).items()}
    keys = [price.lookup_key for plan in plans.values() for price in plan.prices]
    if len(keys) != len(set(keys)):
        raise PlanConfigError("plans file: each price lookup_key may belong to one plan only")
    return Catalogue(free=free, plans=plans)


@lru_cache(maxsize=4)
def _load(path: Path) -> Catalogue:
    return parse(path.read_text(encoding="utf-8"))


def catalogue(db: Session) -> Catalogue:
    """The plans of this exchange: the unit of work's settings name the file (parsed once per file)."""
    return _load(settings_of(db).plans_file or DEFAULT_PLANS_FILE)
