"""The JSON Lines import: suppliers with their track record, needs under buyers found or created by name."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from exchange.core.viewer import ANONYMOUS
from exchange.needs.models import Need, NeedStage, Visibility
from exchange.organisations.models import Organisation, OrganisationKind
from exchange.profiles.models import PastContract, SupplierProfile
from exchange.reference.models import Region
from exchange.search import service as search
from exchange.search.models import SearchDocument
from exchange.search.schemas import SearchQuery
from exchange.seeding.importer import ImportError_, ImportResult, import_needs, import_suppliers, looks_like_council

DATA = Path(__file__).parent / "data"
SUPPLIERS = DATA / "suppliers.jsonl"
NEEDS = DATA / "needs.jsonl"


def _lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _write(path: Path, rows: list[dict[str, Any]]) -> Path:
    path.write_text("\n".join(json.dumps(row) for row in rows) + "\n", encoding="utf-8")
    return path


def _counts(db: Session) -> tuple[int, ...]:
    return tuple(
        db.scalar(select(func.count()).select_from(model)) or 0
        for model in (Organisation, SupplierProfile, PastContract, Need, SearchDocument)
    )


def test_suppliers_become_unverified_organisations_with_profiles_and_past_contracts(db: Session) -> None:
    rows = _lines(SUPPLIERS)
    result = import_suppliers(db, SUPPLIERS)

    assert result.count == len(rows) == len(result.ids)
    first = db.get_one(Organisation, result.ids["s00001"])
    assert (first.name, first.kind, first.verified) == ("247Time Limited", OrganisationKind.SUPPLIER, False)
    profile = db.scalars(select(SupplierProfile).where(SupplierProfile.organisation_id == first.id)).one()
    assert (profile.size, profile.regions, profile.external_id) == ("sme", [], "s00001")
    contracts = db.scalars(
        select(PastContract).where(PastContract.organisation_id == first.id).order_by(PastContract.id)
    ).all()
    assert [c.value for c in contracts] == [988, 3358, 732, 2688]
    assert contracts[0].buyer_name == "Heart of England NHS Foundation Trust"
    assert contracts[0].categories == ["G-Cloud lot 3"]
    total = sum(len(row["past_contracts"]) for row in rows)
    assert (
        db.scalar(
            select(func.count()).select_from(PastContract).where(PastContract.organisation_id.in_(result.ids.values()))
        )
        == total
    )


def test_supplier_slugs_stay_unique_when_names_repeat(db: Session, tmp_path: Path) -> None:
    row = {"id": "a", "name": "Same Name Ltd", "size": "small", "regions": ["North East England", "Offsite"]}
    path = _write(tmp_path / "s.jsonl", [row, {**row, "id": "b"}])
    result = import_suppliers(db, path)
    slugs = {db.get_one(Organisation, i).slug for i in result.ids.values()}
    assert slugs == {"same-name-ltd", "same-name-ltd-2"}
    north_east = db.scalars(select(Region.id).where(Region.name == "North East")).one()
    assert db.get_one(Organisation, result.ids["a"]).region_id == north_east


def test_needs_are_open_public_and_belong_to_buyers_found_or_created(db: Session) -> None:
    result = import_needs(db, NEEDS)
    assert result.count == 15

    need = db.get_one(Need, result.ids["r00001"])
    assert (need.title, need.stage, need.visibility, need.budget_max) == (
        "VoIP Options Analysis",
        NeedStage.OPEN_FOR_PROPOSALS,
        Visibility.PUBLIC,
        10500,
    )
    assert need.tags == ["g-cloud lot 4"]
    assert need.problem_statement == "VoIP Options Analysis."
    assert db.get_one(Organisation, need.organisation_id).kind is OrganisationKind.PUBLIC_BODY
    # Two needs from the Cabinet Office: one buyer organisation.
    cabinet_office = {db.get_one(Need, result.ids[i]).organisation_id for i in ("r00000", "r00010")}
    assert len(cabinet_office) == 1
    poole = db.get_one(Organisation, db.get_one(Need, result.ids["r00007"]).organisation_id)
    assert (poole.name, poole.kind, poole.verified) == ("Borough of Poole Council", OrganisationKind.COUNCIL, True)


def test_a_buyer_with_an_existing_name_is_reused(db: Session, tmp_path: Path) -> None:
    council = db.scalars(select(Organisation).where(Organisation.local_authority_code.is_not(None))).first()
    assert council is not None
    row = {"id": "x", "title": "Digital budget consultation", "description": "", "buyer": council.name}
    result = import_needs(db, _write(tmp_path / "n.jsonl", [row, {**row, "id": "y", "buyer": council.name.upper()}]))
    assert {db.get_one(Need, i).organisation_id for i in result.ids.values()} == {council.id}


def test_imported_needs_are_found_by_search(db: Session) -> None:
    result = import_needs(db, NEEDS)
    found = search.search(db, ANONYMOUS, SearchQuery(q="VoIP", kind=("need",)))
    assert [hit.item_id for hit in found.hits] == [result.ids["r00001"]]
    found = search.search(db, ANONYMOUS, SearchQuery(q="consultancy"))
    assert {hit.item_id for hit in found.hits} >= {result.ids["r00007"], result.ids["r00008"]}


@pytest.mark.parametrize(("importer", "source"), [(import_suppliers, SUPPLIERS), (import_needs, NEEDS)])
def test_a_line_missing_a_field_imports_nothing_and_is_named(
    db: Session, tmp_path: Path, importer: Callable[[Session, Path], ImportResult], source: Path
) -> None:
    rows = _lines(source)
    rows[6].pop("name" if source == SUPPLIERS else "title")
    before = _counts(db)
    with pytest.raises(ImportError_) as raised:
        importer(db, _write(tmp_path / "bad.jsonl", rows))
    field = "name" if source == SUPPLIERS else "title"
    assert str(raised.value) == f"line 7: {field}: Field required"
    assert _counts(db) == before


def test_invalid_json_imports_nothing_and_is_named(db: Session, tmp_path: Path) -> None:
    lines = SUPPLIERS.read_text(encoding="utf-8").splitlines()
    lines[11] = lines[11][:-5]
    path = tmp_path / "broken.jsonl"
    path.write_text("\n".join(lines), encoding="utf-8")
    before = _counts(db)
    with pytest.raises(ImportError_, match=r"^line 12: invalid JSON"):
        import_suppliers(db, path)
    assert _counts(db) == before


def test_every_bad_line_is_listed(db: Session, tmp_path: Path) -> None:
    rows = _lines(NEEDS)
    rows[2]["budget"] = "a lot"
    rows[4]["id"] = rows[0]["id"]
    with pytest.raises(ImportError_) as raised:
        import_needs(db, _write(tmp_path / "bad.jsonl", rows))
    assert raised.value.errors == [
        "line 3: budget: Input should be a valid number, unable to parse string as a number",
        "line 5: id: 'r00000' is already used on line 1",
    ]


@pytest.mark.parametrize(
    ("field", "raw", "message"),
    [
        ("budget", "1e30", "line 2: budget: Input should be less than or equal to 1000000000"),
        ("budget", "Infinity", "line 2: budget: Input should be a finite number"),
        ("budget", "NaN", "line 2: budget: Input should be a finite number"),
        ("title", '"Road\\u0000 gritting"', "line 2: title: Remove the control characters from this answer"),
        ("buyer", '"Leeds \\u202eCity"', "line 2: buyer: Remove the hidden characters that change the direction"),
    ],
)
def test_numbers_beyond_reason_and_hidden_characters_name_their_line(
    db: Session, tmp_path: Path, field: str, raw: str, message: str
) -> None:
    lines = NEEDS.read_text(encoding="utf-8").splitlines()[:3]
    row = json.loads(lines[1])
    row[field] = "__placeholder__"
    lines[1] = json.dumps(row).replace('"__placeholder__"', raw)
    path = tmp_path / "odd.jsonl"
    path.write_text("\n".join(lines), encoding="utf-8")
    before = _counts(db)

    with pytest.raises(ImportError_) as raised:
        import_needs(db, path)

    assert raised.value.errors[0].startswith(message)
    assert _counts(db) == before


def test_a_past_contract_worth_more_than_any_budget_is_named(db: Session, tmp_path: Path) -> None:
    rows = _lines(SUPPLIERS)[:2]
    rows[1]["past_contracts"] = [{"title": "Street sweeping", "value": 1e30}]
    with pytest.raises(ImportError_, match=r"^line 2: past_contracts\.0\.value: Input should be less than or equal"):
        import_suppliers(db, _write(tmp_path / "big.jsonl", rows))


def test_an_empty_file_is_refused(db: Session, tmp_path: Path) -> None:
    path = tmp_path / "empty.jsonl"
    path.write_text("\n\n", encoding="utf-8")
    with pytest.raises(ImportError_, match="no lines"):
        import_needs(db, path)


@pytest.mark.parametrize(
    ("name", "council"),
    [
        ("Hackney Council", True),
        ("London Borough of Hounslow Council", True),
        ("Aberdeenshire", True),
        ("British Council", False),
        ("Natural Environment Research Council", False),
        ("Cabinet Office", False),
    ],
)
def test_which_buyers_are_councils(name: str, council: bool) -> None:
    assert looks_like_council(name, {"aberdeenshire"}) is council
