"""The administrators' view of background work: the queue, its workers, and what was set aside."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from exchange.accounts.dependencies import admin_viewer
from exchange.audit import service as audit
from exchange.core.errors import NotFound
from exchange.core.http import TransactionalRoute, get_db
from exchange.core.ids import PathId
from exchange.core.queue import HEARTBEAT_PREFIX, huey
from exchange.core.templating import flash, render
from exchange.core.viewer import Viewer
from exchange.jobs import service as jobs
from exchange.outbox import service as outbox

router = APIRouter(route_class=TransactionalRoute, prefix="/admin/jobs")


@dataclass(frozen=True)
class QueueState:
    kind: str
    waiting: int
    scheduled: int
    # Worker processes that said they were alive, and how many seconds ago.
    workers: list[tuple[str, int]]


def queue_state(kind: str) -> QueueState:
    if huey.immediate:
        return QueueState(kind, 0, 0, [])
    now = time.time()
    beats = [
        (key[len(HEARTBEAT_PREFIX) :], int(now - float(huey.serializer.deserialize(value))))
        for key, value in huey.storage.result_items().items()
        if key.startswith(HEARTBEAT_PREFIX)
    ]
    return QueueState(kind, huey.pending_count(), huey.scheduled_count(), sorted(beats, key=lambda b: b[1]))


@router.get("", response_class=HTMLResponse)
def jobs_page(request: Request, db: Session = Depends(get_db), viewer: Viewer = Depends(admin_viewer)) -> HTMLResponse:
    settings = request.app.state.settings
    context = {
        "page_title": "Background jobs",
        "queue": queue_state(settings.queue_kind),
        "dead_after": settings.worker_dead_after_seconds,
        "failed_jobs": jobs.set_aside(db),
        "failed_emails": outbox.set_aside(db),
    }
    return render(request, "admin/jobs.html", context)


def _done(
    request: Request,
    db: Session,
    viewer: Viewer,
    done: bool,
    action: str,
    entity: tuple[str, int],
    said: str,
    **data: Any,
) -> Response:
    """After an administrator's action on something set aside: 404 if it was not there, else audit and say so."""
    if not done:
        raise NotFound()
    audit.record(db, viewer.user_id, action, *entity, **data)
    flash(request, said)
    return RedirectResponse("/admin/jobs", status_code=303)


@router.post("/{failed_job_id}/retry")
def retry_job(
    request: Request, failed_job_id: PathId, db: Session = Depends(get_db), viewer: Viewer = Depends(admin_viewer)
) -> Response:
    failed = jobs.retry(db, failed_job_id)
    if failed is None:
        raise NotFound()
    said = f"The job {failed.short_name} is queued again."
    return _done(request, db, viewer, True, "job.retried", ("failed_job", failed_job_id), said, task=failed.task)


@router.post("/{failed_job_id}/drop")
def drop_job(
    request: Request, failed_job_id: PathId, db: Session = Depends(get_db), viewer: Viewer = Depends(admin_viewer)
) -> Response:
    done = jobs.drop(db, failed_job_id)
    return _done(request, db, viewer, done, "job.dropped", ("failed_job", failed_job_id), "The job is dropped.")


@router.post("/emails/{message_id}/retry")
def retry_email(
    request: Request, message_id: PathId, db: Session = Depends(get_db), viewer: Viewer = Depends(admin_viewer)
) -> Response:
    done = outbox.retry(db, message_id)
    said = "The email will be sent again."
    return _done(request, db, viewer, done, "email.retried", ("outbox_message", message_id), said)


@router.post("/emails/{message_id}/drop")
def drop_email(
    request: Request, message_id: PathId, db: Session = Depends(get_db), viewer: Viewer = Depends(admin_viewer)
) -> Response:
    done = outbox.drop(db, message_id)
    return _done(request, db, viewer, done, "email.dropped", ("outbox_message", message_id), "The email is dropped.")
