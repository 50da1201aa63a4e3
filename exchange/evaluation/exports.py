"""The evaluation matrix as a table for the procurement file: CSV and XLSX, one row per supplier.

Columns: the supplier, each criterion's score from each evaluator, each evaluator's weighted total, the
agreed score for each criterion, the agreed weighted total and the rank. Numbers stay numbers (a score not
given is an empty cell), and text that a spreadsheet would read as a formula is kept as text.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from exchange.evaluation.matrix import Matrix

Cell = str | int | float | None
# A cell starting with one of these is a formula to a spreadsheet ("CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV_MEDIA_TYPE = "text/csv; charset=utf-8"
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def header(matrix: Matrix) -> list[str]:
    columns = ["Supplier"]
    columns += [f"{c.name} ({c.weight}%): {e.name}" for c in matrix.criteria for e in matrix.evaluators]
    columns += [f"Weighted total: {e.name}" for e in matrix.evaluators]
    columns += [f"Agreed: {c.name} ({c.weight}%)" for c in matrix.criteria]
    return [*columns, "Agreed weighted total", "Rank"]


def rows(matrix: Matrix) -> list[list[Cell]]:
    table: list[list[Cell]] = []
    for row in matrix.rows:
        cells: list[Cell] = [row.supplier.name]
        cells += [cell.by_evaluator.get(e.id) for cell in row.cells for e in matrix.evaluators]
        cells += [row.evaluator_totals.get(e.id) for e in matrix.evaluators]
        cells += [cell.agreed for cell in row.cells]
        table.append([*cells, row.agreed_total, row.rank])
    return table


def _safe_text(value: Cell) -> Cell:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def as_csv(matrix: Matrix) -> bytes:
    return table_as_csv(header(matrix), rows(matrix))


def table_as_csv(titles: list[str], table: list[list[Cell]]) -> bytes:
    """UTF-8 with a byte order mark, so that Excel reads names with accents correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([_safe_text(title) for title in titles])
    for row in table:
        writer.writerow(["" if value is None else _safe_text(value) for value in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def as_xlsx(matrix: Matrix, title: str) -> bytes:
    return tables_as_xlsx([("Evaluation", header(matrix), rows(matrix))], title)


def tables_as_xlsx(tables: list[tuple[str, list[str], list[list[Cell]]]], title: str) -> bytes:
    """One sheet per table, its titles in bold on a frozen first row."""
    workbook = Workbook()
    first = workbook.active
    assert first is not None
    workbook.remove(first)
    for name, titles, table in tables:
        _fill(workbook.create_sheet(name[:31]), [list(titles), *table])
    workbook.properties.title = title
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _fill(sheet: Any, table: list[list[Cell]]) -> None:
    for line, values in enumerate(table, start=1):
        for column, value in enumerate(values, start=1):
            if isinstance(value, str):
                value = ILLEGAL_CHARACTERS_RE.sub("", value)
            cell = sheet.cell(row=line, column=column, value=value)
            if isinstance(value, str):
                # Never a formula: openpyxl would otherwise store "=..." as one.
                cell.data_type = "s"
            if line == 1:
                cell.font = Font(bold=True)
    sheet.freeze_panes = "B2"
    sheet.column_dimensions["A"].width = 40
