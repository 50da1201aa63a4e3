"""The evaluation matrix as CSV and XLSX for the procurement file: a header row, one row per supplier, one
column per criterion and evaluator, then the agreed scores, weighted totals and rank; numbers as numbers.
For the council only, once moderation has started."""

from __future__ import annotations

import csv
import io

from openpyxl import load_workbook
from sqlalchemy.orm import Session

from exchange.organisations.models import Organisation
from tests import factories
from tests.client import Client
from tests.evaluation.conftest import Evaluation, fully_evaluated, sign_in


def expected_header(ev: Evaluation) -> list[str]:
    first, second = sorted([ev.world.officer.name, ev.world.colleague.name])
    criteria = ["Technical quality (50%)", "Social value (30%)", "Price (20%)"]
    return [
        "Supplier",
        *[f"{c}: {e}" for c in criteria for e in (first, second)],
        f"Weighted total: {first}",
        f"Weighted total: {second}",
        *[f"Agreed: {c}" for c in criteria],
        "Agreed weighted total",
        "Rank",
    ]


def test_the_matrix_downloads_as_csv(client: Client, db: Session, evaluation: Evaluation) -> None:
    ev = evaluation
    fully_evaluated(db, ev)
    sign_in(client, ev.world.colleague)

    response = client.get(ev.path(page="/evaluation.csv"))

    assert response.status_code == 200 and response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"].startswith(f'attachment; filename="evaluation-{ev.need.id}-')
    assert response.headers["cache-control"] == "private, no-store"
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == expected_header(ev)
    # Officer and colleague gave Pennine 80/60, 70/70 and 60/80; the names sort the evaluators.
    officer_first = sorted([ev.world.officer.name, ev.world.colleague.name])[0] == ev.world.officer.name
    pennine = ["80", "60", "70", "70", "60", "80"] if officer_first else ["60", "80", "70", "70", "80", "60"]
    totals = ["73.0", "67.0"] if officer_first else ["67.0", "73.0"]
    assert rows[1] == ["Pennine Community Meals", *pennine, *totals, "70", "70", "70", "70.0", "1"]
    assert rows[2][0] == "Rival Meals Ltd" and rows[2][-2:] == ["53.5", "2"]
    assert len(rows) == 3


def test_the_matrix_downloads_as_xlsx_with_numbers_as_numbers(
    client: Client, db: Session, evaluation: Evaluation
) -> None:
    ev = evaluation
    fully_evaluated(db, ev)
    sign_in(client, ev.world.officer)

    response = client.get(ev.path(page="/evaluation.xlsx"))

    assert response.status_code == 200
    assert response.headers["content-type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None and sheet.title == "Evaluation"
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == expected_header(ev)
    assert rows[1][0] == "Pennine Community Meals" and rows[1][-2:] == (70, 1)
    assert all(isinstance(value, int | float) for value in rows[1][1:])
    assert rows[2][-2:] == (53.5, 2)


def test_text_that_looks_like_a_formula_stays_text(client: Client, db: Session, evaluation: Evaluation) -> None:
    ev = evaluation
    supplier = db.get_one(Organisation, ev.world.rival.id)
    supplier.name = '=HYPERLINK("http://evil.example","Rival")'
    db.flush()
    fully_evaluated(db, ev)
    sign_in(client, ev.world.officer)

    text = client.get(ev.path(page="/evaluation.csv")).content.decode("utf-8-sig")
    sheet = load_workbook(io.BytesIO(client.get(ev.path(page="/evaluation.xlsx")).content)).active

    assert list(csv.reader(io.StringIO(text)))[2][0] == "'" + supplier.name
    assert sheet is not None and sheet["A3"].value == '=HYPERLINK("http://evil.example","Rival")'
    assert sheet["A3"].data_type == "s"


def test_the_matrix_is_for_the_council_once_moderation_has_started(
    client: Client, db: Session, evaluation: Evaluation
) -> None:
    ev = evaluation
    sign_in(client, ev.world.officer)
    early = client.get(ev.path(page="/evaluation.xlsx"))
    assert early.status_code == 409 and "once moderation has started" in early.text
    fully_evaluated(db, ev)
    client.sign_in(ev.world.other_officer.email, factories.PASSWORD)
    assert client.get(ev.path(page="/evaluation.csv")).status_code == 404
