"""Importing suppliers (with their track record) and needs from JSON Lines files, all-or-nothing.

Every line is validated before anything is written, so a bad line is named and nothing changes. The
rows are then written with bulk inserts in batches: tens of thousands of suppliers take seconds, not
the minutes that one ORM object at a time would. The format is described in ../shared/bench/README.md.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from sqlalchemy import func, select
from sqlalchemy.orm import Session

import exchange.models  # noqa: F401  (every mapper must be known before the first query)
from exchange.core.models import utcnow
from exchange.core.text import slugify, split_tags
from exchange.core.text_policy import TextRefused, UserInput
from exchange.matching.documents import Contract, add_suppliers, document_values
from exchange.needs.models import Need, NeedStage, Visibility
from exchange.organisations.models import Organisation, OrganisationKind
from exchange.profiles.models import PastContract, SupplierProfile
from exchange.reference.models import Region
from exchange.search.indexer import BulkIndexer
from exchange.seeding.bulk import insert_rows, insert_rows_returning_ids

BATCH_SIZE = 2000
MAX_ERRORS_SHOWN = 5
# Needs keep budgets in an Integer column; the need form accepts up to the same amount.
MAX_BUDGET = 1_000_000_000


class ImportError_(ValueError):
    """A file that cannot be imported; ``errors`` lists each problem as "line N: field: message"."""

    def __init__(self, errors: list[str]) -> None:
        self.errors = errors
        shown = "; ".join(errors[:MAX_ERRORS_SHOWN])
        more = len(errors) - MAX_ERRORS_SHOWN
        super().__init__(shown + (f" (and {more} more)" if more > 0 else ""))


@dataclass
class ImportResult:
    count: int = 0
    # The file's "id" of each imported item -> its new id here (for benchmarks that refer back).
    ids: dict[str, int] = field(default_factory=dict)


class PastContractLine(UserInput):
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True, allow_inf_nan=False)

    title: str = Field(min_length=1)
    description: str = ""
    buyer: str = ""
    categories: list[str] = Field(default_factory=list)
    value: float | None = Field(default=None, ge=-MAX_BUDGET, le=MAX_BUDGET)  # credit notes are negative
    awarded_on: date | None = None

    @field_validator("description", "buyer", mode="before")
    @classmethod
    def null_as_blank(cls, value: object) -> object:
        return "" if value is None else value


class SupplierLine(UserInput):
    model_config = ConfigDict(
        extra="ignore", str_strip_whitespace=True, coerce_numbers_to_str=True, allow_inf_nan=False
    )

    id: str | None = Field(default=None, max_length=100)
    name: str = Field(min_length=1)
    size: Literal["micro", "small", "medium", "large", "sme"] | None = None
    regions: list[str] = Field(default_factory=list)
    past_contracts: list[PastContractLine] = Field(default_factory=list)

    @field_validator("size", mode="before")
    @classmethod
    def lower_case_size(cls, value: object) -> object:
        return (value.strip().lower() or None) if isinstance(value, str) else value


class NeedLine(UserInput):
    model_config = ConfigDict(
        extra="ignore", str_strip_whitespace=True, coerce_numbers_to_str=True, allow_inf_nan=False
    )

    id: str | None = Field(default=None, max_length=100)
    title: str = Field(min_length=1)
    description: str = ""
    buyer: str = Field(min_length=1)
    sector: str | None = None
    region: str | None = None
    categories: list[str] = Field(default_factory=list)
    budget: float | None = Field(default=None, le=MAX_BUDGET)

    @field_validator("description", mode="before")
    @classmethod
    def null_as_blank(cls, value: object) -> object:
        return "" if value is None else value


Line = TypeVar("Line", bound=BaseModel)


def read_lines(path: Path, model: type[Line]) -> list[tuple[int, Line]]:
    """Every non-blank line validated, with its line number; raises ImportError_ naming each bad line."""
    rows: list[tuple[int, Line]] = []
    errors: list[str] = []
    ids: dict[str, int] = {}
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise ImportError_([f"cannot read {path}: {error}"]) from None
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = model.model_validate_json(line)
        except ValidationError as error:
            errors.extend(f"line {number}: {_describe(item)}" for item in error.errors())
            continue
        external_id = getattr(row, "id", None)
        if external_id is not None:
            if external_id in ids:
                errors.append(f"line {number}: id: {external_id!r} is already used on line {ids[external_id]}")
            ids[external_id] = number
        rows.append((number, row))
    if errors:
        raise ImportError_(errors)
    if not rows:
        raise ImportError_([f"{path.name} has no lines to import"])
    return rows


def _describe(item: Any) -> str:
    if item["type"] == "json_invalid":
        return f"invalid JSON ({item.get('ctx', {}).get('error', item['msg'])})"
    refused = (item.get("ctx") or {}).get("error")
    if isinstance(refused, TextRefused):
        return f"{refused.field}: {refused.message}"
    location = ".".join(str(part) for part in item["loc"])
    message = str(item["msg"]).removeprefix("Value error, ")
    return f"{location}: {message}" if location else message


def _batches(items: list[Any], size: int = BATCH_SIZE) -> Iterator[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _clip(text: str, length: int) -> str:
    """Fit a column, cutting at a word boundary where possible and saying so with an ellipsis."""
    if len(text) <= length:
        return text
    cut = text[: length - 1].rsplit(" ", 1)[0] if " " in text[: length - 1] else text[: length - 1]
    return cut.rstrip(" ,.;:-") + "…"


def _pounds(value: float | None) -> int | None:
    return None if value is None else round(value)


def _region_key(name: str) -> str:
    # Data sets say "North East England" where the seeded region is "North East".
    return re.sub(r"\s+england$", "", " ".join(name.lower().split()))


def _region_ids(db: Session) -> dict[str, int]:
    return {_region_key(name): region_id for region_id, name in db.execute(select(Region.id, Region.name))}


class _Slugs:
    """Unique organisation slugs, checked in memory: one query for all instead of one per supplier."""

    def __init__(self, db: Session) -> None:
        self.taken = set(db.scalars(select(Organisation.slug)))

    def new(self, name: str) -> str:
        base = slugify(name, 200)
        slug, n = base, 2
        while slug in self.taken:
            slug, n = f"{base}-{n}", n + 1
        self.taken.add(slug)
        return slug


def import_suppliers(db: Session, path: Path) -> ImportResult:
    """Each line becomes a supplier organisation (unverified) with its profile and past contracts."""
    lines = read_lines(path, SupplierLine)
    regions = _region_ids(db)
    slugs = _Slugs(db)
    result = ImportResult()
    now = utcnow()
    documents: list[dict[str, Any]] = []
    for batch in _batches(lines):
        organisations = []
        for _, line in batch:
            known = [regions[key] for key in map(_region_key, line.regions) if key in regions]
            organisations.append(
                {
                    "kind": OrganisationKind.SUPPLIER,
                    "name": _clip(line.name, 200),
                    "slug": slugs.new(line.name),
                    "region_id": known[0] if known else None,
                    "description": "",
                    "verified": False,
                    "created_at": now,
                    "updated_at": now,
                }
            )
        organisation_ids = insert_rows_returning_ids(db, Organisation, organisations)
        profiles: list[dict[str, Any]] = []
        contracts: list[dict[str, Any]] = []
        for organisation_id, (_, line) in zip(organisation_ids, batch, strict=True):
            profiles.append(
                {
                    "organisation_id": organisation_id,
                    "size": line.size,
                    "regions": line.regions,
                    "external_id": line.id,
                    "created_at": now,
                    "updated_at": now,
                }
            )
            contracts.extend(_contract_row(organisation_id, contract) for contract in line.past_contracts)
            evidence = [
                Contract(
                    row["title"],
                    row["description"],
                    row["buyer_name"],
                    row["categories"],
                    row["value"],
                    row["awarded_on"],
                )
                for row in contracts[len(contracts) - len(line.past_contracts) :]
            ]
            documents.append(document_values(organisation_id, _clip(line.name, 200), "", evidence))
            if line.id is not None:
                result.ids[line.id] = organisation_id
        insert_rows(db, SupplierProfile, profiles)
        for contract_batch in _batches(contracts):
            insert_rows(db, PastContract, contract_batch)
        result.count += len(batch)
    add_suppliers(db, documents)
    db.flush()
    return result


def _contract(row: dict[str, Any]) -> Contract:
    return Contract(
        row["title"], row["description"], row["buyer_name"], row["categories"], row["value"], row["awarded_on"]
    )


def _contract_row(organisation_id: int, contract: PastContractLine) -> dict[str, Any]:
    return {
        "organisation_id": organisation_id,
        "title": _clip(contract.title, 300),
        "description": contract.description,
        "buyer_name": _clip(contract.buyer, 300),
        "categories": contract.categories,
        "value": _pounds(contract.value),
        "awarded_on": contract.awarded_on,
    }


# Words that make a buyer a council, except for national bodies that happen to be called "Council".
COUNCIL_WORDS = re.compile(r"\b(council|borough)\b", re.IGNORECASE)
NOT_LOCAL_COUNCILS = re.compile(
    r"\b(research|arts|funding|british|sports?|medical|nursing|privy|design|crafts|science|trade) council",
    re.IGNORECASE,
)


def looks_like_council(name: str, council_slugs: set[str]) -> bool:
    if COUNCIL_WORDS.search(name) and not NOT_LOCAL_COUNCILS.search(name):
        return True
    return slugify(name, 200) in council_slugs


class _Buyers:
    """Buyer organisations by name: existing ones found by exact (then case-insensitive) name, others created."""

    def __init__(self, db: Session, names: set[str], slugs: _Slugs) -> None:
        self.db = db
        self.slugs = slugs
        self.ids: dict[str, int] = {}
        lowered = {name.lower() for name in names}
        candidates = [
            (organisation_id, name)
            for batch in _batches(sorted(lowered), 500)
            for organisation_id, name in db.execute(
                select(Organisation.id, Organisation.name)
                .where(func.lower(Organisation.name).in_(batch))
                .order_by(Organisation.id)
            )
        ]
        exact = {name: organisation_id for organisation_id, name in reversed(candidates)}
        folded = {name.lower(): organisation_id for organisation_id, name in reversed(candidates)}
        for name in names:
            found = exact.get(name) or folded.get(name.lower())
            if found is not None:
                self.ids[name] = found
        self.council_slugs = set(
            db.scalars(select(Organisation.slug).where(Organisation.kind == OrganisationKind.COUNCIL))
        )

    def create_missing(self, lines: list[NeedLine], regions: dict[str, int]) -> None:
        rows: list[dict[str, Any]] = []
        names: list[str] = []
        seen: set[str] = set()
        now = utcnow()
        for line in lines:
            if line.buyer in self.ids or line.buyer in seen:
                continue
            seen.add(line.buyer)
            kind = OrganisationKind.COUNCIL if looks_like_council(line.buyer, self.council_slugs) else None
            names.append(line.buyer)
            rows.append(
                {
                    "kind": kind or OrganisationKind.PUBLIC_BODY,
                    "name": _clip(line.buyer, 200),
                    "slug": self.slugs.new(line.buyer),
                    "region_id": regions.get(_region_key(line.region or "")),
                    "description": f"Buyer of: {line.sector}." if line.sector else "",
                    "verified": True,
                    "created_at": now,
                    "updated_at": now,
                }
            )
        for name_batch, row_batch in zip(_batches(names), _batches(rows), strict=True):
            self.ids.update(zip(name_batch, insert_rows_returning_ids(self.db, Organisation, row_batch), strict=True))


def problem_statement(line: NeedLine) -> str:
    """The description when there is a real one, else what was published: the title (and any short note).

    Nothing is made up to fill it out: invented words would be matched as if the buyer had written them.
    """
    if len(line.description) >= 20:
        return line.description
    return " ".join(part.rstrip(".") + "." for part in (line.title, line.description) if part)


def import_needs(db: Session, path: Path) -> ImportResult:
    """Each line becomes a public need, open for proposals, of a buyer organisation found or created by name."""
    lines = [line for _, line in read_lines(path, NeedLine)]
    regions = _region_ids(db)
    buyers = _Buyers(db, {line.buyer for line in lines}, _Slugs(db))
    buyers.create_missing(lines, regions)
    indexer = BulkIndexer(db)
    result = ImportResult()
    now = utcnow()
    for batch in _batches(lines):
        rows = [_need_row(line, buyers.ids[line.buyer], regions, now) for line in batch]
        need_ids = insert_rows_returning_ids(db, Need, rows)
        for need_id, row, line in zip(need_ids, rows, batch, strict=True):
            indexer.add_need({**row, "id": need_id})
            if line.id is not None:
                result.ids[line.id] = need_id
        result.count += len(batch)
    indexer.flush()
    db.flush()
    return result


def _need_row(line: NeedLine, organisation_id: int, regions: dict[str, int], now: Any) -> dict[str, Any]:
    # Spend returns record refunds as negative amounts: they say nothing about the budget.
    budget = _pounds(line.budget) if line.budget is not None and line.budget >= 0 else None
    return {
        "organisation_id": organisation_id,
        "title": _clip(line.title, 200),
        "summary": _clip(line.description or line.title, 400),
        "problem_statement": problem_statement(line),
        "users": "",
        "tried_so_far": "",
        "stage": NeedStage.OPEN_FOR_PROPOSALS,
        "visibility": Visibility.PUBLIC,
        "budget_min": None,
        "budget_max": budget,
        "category_id": None,
        "region_id": regions.get(_region_key(line.region)) if line.region else None,
        "tags": split_tags(line.categories),
        "created_by_id": None,
        "created_at": now,
        "updated_at": now,
    }
