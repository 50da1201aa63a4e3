"""A session's report as files for the organiser: participants, meetings and outcomes, each a CSV, and all
three as the sheets of one XLSX workbook.

The files say what the report page says to the same reader: why a pair meets comes from ``need_names`` (a
restricted need's title only to those who may see the need), and feedback the reader may not read is left out
(see ``reporting``). Numbers stay numbers; text a spreadsheet would read as a formula is kept as text.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from sqlalchemy.orm import Session

from exchange.core.viewer import Viewer
from exchange.sessions import need_names, reporting
from exchange.sessions.models import SessionParticipant
from exchange.sessions.slots import LONDON

Cell = str | int | float | None
# A cell starting with one of these is a formula to a spreadsheet ("CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV_MEDIA_TYPE = "text/csv; charset=utf-8"
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHEETS = ("participants", "meetings", "outcomes")


@dataclass(frozen=True)
class Sheet:
    name: str
    header: list[str]
    rows: list[list[Cell]]


def _yes(value: bool) -> str:
    return "Yes" if value else "No"


def _when(moment: datetime | None) -> str:
    """London time, as a spreadsheet sorts it; empty when it never happened."""
    return moment.astimezone(LONDON).strftime("%Y-%m-%d %H:%M") if moment is not None else ""


def participants_sheet(report: reporting.Report, people: list[SessionParticipant]) -> Sheet:
    rows_by_id = {row.participant.id: row for row in report.rows}
    header = ["Participant", "Organisation", "Team", "Side", "Attendees", "Registered", "Checked in"]
    header += ["Checked in at", "No-show", "Meetings"]
    rows: list[list[Cell]] = []
    for p in people:
        row = rows_by_id.get(p.id)
        rows.append(
            [
                p.name,
                p.organisation.name,
                p.team,
                p.side.value.capitalize(),
                p.attendees,
                _when(p.created_at),
                _yes(p.checked_in_at is not None),
                _when(p.checked_in_at),
                _yes(bool(row and row.no_show)),
                row.meetings if row else 0,
            ]
        )
    return Sheet("Participants", header, rows)


def meetings_sheet(report: reporting.Report, names: need_names.NeedNames) -> Sheet:
    slots = report.session.slots
    header = ["Time", "Table", "Council side", "Supplier side", "Why they meet", "Status"]
    header += ["Council side's rating", "Supplier side's rating"]
    rows: list[list[Cell]] = [
        [
            f"{slots[line.meeting.slot]['start']} to {slots[line.meeting.slot]['end']}",
            line.meeting.table_number,
            line.council.name,
            line.supplier.name,
            names.reason(line.meeting),
            line.status_words,
            line.council_rating,
            line.supplier_rating,
        ]
        for line in report.meetings
    ]
    return Sheet("Meetings", header, rows)


def outcomes_sheet(report: reporting.Report) -> Sheet:
    header = ["Participant", "Side", "Checked in", "No-show", "Meetings", "Held", "Cancelled", "No-show meetings"]
    header += ["Feedback given", "Average rating given", "Follow-ups recorded"]
    rows: list[list[Cell]] = [
        [
            row.participant.name,
            row.participant.side.value.capitalize(),
            _yes(row.checked_in),
            _yes(row.no_show),
            row.meetings,
            row.held,
            row.cancelled,
            row.no_show_meetings,
            row.feedback_given,
            row.average_given,
            row.follow_ups,
        ]
        for row in report.rows
    ]
    return Sheet("Outcomes", header, rows)


def sheets(db: Session, viewer: Viewer, session_id: int) -> tuple[reporting.Report, dict[str, Sheet]]:
    """The three sheets for the session's organiser (anyone else: 404)."""
    report = reporting.report(db, viewer, session_id)
    people = [row.participant for row in report.rows]
    names = need_names.for_meetings(db, viewer, (line.meeting for line in report.meetings))
    return report, {
        "participants": participants_sheet(report, people),
        "meetings": meetings_sheet(report, names),
        "outcomes": outcomes_sheet(report),
    }


def _safe_text(value: Cell) -> Cell:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def as_csv(sheet: Sheet) -> bytes:
    """UTF-8 with a byte order mark, so that Excel reads names with accents correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([_safe_text(title) for title in sheet.header])
    for row in sheet.rows:
        writer.writerow(["" if value is None else _safe_text(value) for value in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def as_xlsx(all_sheets: list[Sheet], title: str) -> bytes:
    workbook = Workbook()
    default = workbook.active
    assert default is not None
    workbook.remove(default)
    for sheet in all_sheets:
        written = workbook.create_sheet(sheet.name)
        table: list[list[Cell]] = [list(sheet.header), *sheet.rows]
        for line, values in enumerate(table, start=1):
            for column, value in enumerate(values, start=1):
                if isinstance(value, str):
                    value = ILLEGAL_CHARACTERS_RE.sub("", value)
                cell = written.cell(row=line, column=column, value=value)
                if isinstance(value, str):
                    # Never a formula: openpyxl would otherwise store "=..." as one.
                    cell.data_type = "s"
                if line == 1:
                    cell.font = Font(bold=True)
        written.freeze_panes = "A2"
        written.column_dimensions["A"].width = 36
    workbook.properties.title = title
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
