"""The procurement record of a need, to download: the whole workbook, or one sheet as CSV. 404 to anyone
outside the need's council; the council's other officers are told who may download it."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from fastapi.responses import Response
from sqlalchemy.orm import Session

from exchange.accounts.dependencies import current_viewer
from exchange.core.http import TransactionalRoute, get_db
from exchange.core.ids import PathId
from exchange.core.text import slugify
from exchange.core.viewer import Viewer
from exchange.evaluation import exports, record, service
from exchange.evaluation.service import EvaluationState

router = APIRouter(route_class=TransactionalRoute, prefix="/needs/{need_id}")


def _attachment(state: EvaluationState, body: bytes, media_type: str, suffix: str) -> Response:
    name = f"procurement-record-{state.need.id}-{slugify(state.need.title, 60)}{suffix}"
    headers = {"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "private, no-store"}
    return Response(body, media_type=media_type, headers=headers)


@router.get("/record.xlsx")
def record_workbook(
    need_id: PathId, db: Session = Depends(get_db), viewer: Viewer = Depends(current_viewer)
) -> Response:
    state = service.load(db, viewer, need_id)
    sheets = record.sheets(db, state, viewer)
    body = exports.tables_as_xlsx(
        [(s.title, s.header, s.rows) for s in sheets], f"Procurement record: {state.need.title}"
    )
    return _attachment(state, body, exports.XLSX_MEDIA_TYPE, ".xlsx")


@router.get("/record/{sheet}.csv")
def record_sheet(
    need_id: PathId, sheet: str, db: Session = Depends(get_db), viewer: Viewer = Depends(current_viewer)
) -> Response:
    state = service.load(db, viewer, need_id)
    found = record.sheet(db, state, viewer, sheet)
    return _attachment(
        state, exports.table_as_csv(found.header, found.rows), exports.CSV_MEDIA_TYPE, f"-{found.slug}.csv"
    )
