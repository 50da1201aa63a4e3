"""What the queue promises, with real worker processes on a SQLite queue file and on Redis: a job whose
worker is killed mid-job runs again, once, on the next worker; a poison email is set aside while the rest
are delivered; a failing job is retried by the queue without anything new arriving."""

from __future__ import annotations

import random
import re

import pytest
from sqlalchemy import func, select

from exchange.accounts.models import User
from exchange.audit.models import AuditEvent
from exchange.jobs.models import FailedJob
from exchange.outbox.models import OutboxMessage
from exchange.outbox.service import queue_email
from exchange.payments import webhooks
from exchange.payments.models import Subscription, WebhookEvent, WebhookStatus
from exchange.sessions import planner, schedule_runs, service
from exchange.sessions.models import (
    MatchmakingSession,
    RunStage,
    ScheduleRun,
    SessionParticipant,
    SessionPreference,
    SessionStatus,
    Side,
    WishLevel,
)
from exchange.sessions.schemas import SessionForm
from tests import factories
from tests.client import Client
from tests.conftest import RefusingInbox, free_port, wait_for
from tests.localstripe import STRIPE_KEY, WEBHOOK_SECRET, LocalStripe
from tests.payments.conftest import event
from tests.queue.conftest import Queue, forwarding
from tests.sessions.conftest import session_values


def _large_session(queue: Queue, people: int) -> tuple[int, int]:
    """A session with ``people`` participants, half each side, each wishing to meet a few of the other side."""
    chance = random.Random(7)
    with queue.database.transaction() as db:
        organiser = factories.officer(db, "BUN")
        council = factories.council(db, "BUN")
        viewer = factories.viewer(db, organiser)
        form = SessionForm.model_validate(session_values(tables="40"))
        session = service.create(db, viewer, council.id, form)
        service.change_status(db, viewer, session.id, SessionStatus.OPEN)
        participants = []
        for n in range(people):
            organisation = factories.supplier(db, name=f"Participant {n}")
            participants.append(
                SessionParticipant(
                    session_id=session.id,
                    organisation_id=organisation.id,
                    registered_by_id=organiser.id,
                    side=Side.COUNCIL if n % 2 else Side.SUPPLIER,
                    max_meetings=6,
                )
            )
        db.add_all(participants)
        db.flush()
        councils = [p for p in participants if p.side is Side.COUNCIL]
        suppliers = [p for p in participants if p.side is Side.SUPPLIER]
        for person in councils:
            for target in chance.sample(suppliers, 5):
                db.add(
                    SessionPreference(
                        session_id=session.id, participant_id=person.id, target_id=target.id, level=WishLevel.LIKE
                    )
                )
        return session.id, organiser.id


def _stage(queue: Queue, run_id: int) -> RunStage:
    with queue.database.session(write=False) as db:
        run = db.get(ScheduleRun, run_id)
        assert run is not None
        return run.stage


def test_a_job_whose_worker_is_killed_mid_job_runs_again_once(job_queue: Queue) -> None:
    session_id, organiser_id = _large_session(job_queue, 400)
    with job_queue.enqueues(), job_queue.database.transaction() as db:
        organiser = factories.viewer(db, db.get_one(User, organiser_id))
        run = schedule_runs.request(db, organiser, session_id, keep_all=False)
        run.solve_seconds = 4.0
        run_id = run.id
    worker = job_queue.start_worker()
    wait_for(lambda: _stage(job_queue, run_id) is RunStage.SOLVING, "the solver to start", limit=60)
    job_queue.kill(worker)  # kill -9, mid-solve: nothing was written, the lease names a dead process

    assert _stage(job_queue, run_id) is RunStage.SOLVING
    job_queue.start_worker()
    wait_for(lambda: _stage(job_queue, run_id) is RunStage.DONE, "the run to finish on the new worker", limit=60)
    with job_queue.database.session(write=False) as db:
        generated = db.scalar(
            select(func.count()).where(
                AuditEvent.action == "session.schedule_generated", AuditEvent.entity_id == session_id
            )
        )
        assert generated == 1  # made once, by the second worker
        meetings = planner.live_meetings(db, session_id)
        session = db.get_one(MatchmakingSession, session_id)
        assert meetings and session.schedule_figures is not None
        assert session.schedule_figures["meetings"] == len(meetings)


def _outbox(queue: Queue) -> list[OutboxMessage]:
    with queue.database.session(write=False) as db:
        return list(db.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def test_a_poison_email_is_set_aside_while_the_next_hundred_are_delivered(
    job_queue: Queue, refusing_inbox: tuple[RefusingInbox, int]
) -> None:
    handler, port = refusing_inbox
    job_queue.env["EXCHANGE_SMTP_URL"] = f"smtp://127.0.0.1:{port}"
    job_queue.start_worker()
    with job_queue.enqueues(), job_queue.database.transaction() as db:
        queue_email(db, "refused@example.org", "Poison", "The server refuses this one every time.")
        for n in range(100):
            queue_email(db, f"person{n}@example.org", f"Message {n}", "Body")

    wait_for(lambda: len(handler.messages) == 100, "the hundred emails", limit=60)
    poison = wait_for(
        lambda: _outbox(job_queue)[0].failed_at and _outbox(job_queue)[0], "the poison set aside", limit=60
    )
    assert poison.attempts == job_queue.settings.email_attempts and "550" in (poison.last_error or "")
    assert sorted(m["To"] for m in handler.messages) == sorted(f"person{n}@example.org" for n in range(100))
    assert all(m.sent_at is not None and m.attempts == 1 for m in _outbox(job_queue)[1:])


def _stripe_event(queue: Queue) -> WebhookEvent:
    with queue.database.session(write=False) as db:
        return db.scalars(select(WebhookEvent)).one()


def test_a_stripe_event_whose_first_processing_fails_is_processed_by_a_retry(
    job_queue: Queue, localstripe: LocalStripe
) -> None:
    # The worker reaches Stripe through a port where nothing listens yet: Stripe is down at first.
    stripe_port = free_port()
    job_queue.env.update(
        {
            "EXCHANGE_STRIPE_SECRET_KEY": STRIPE_KEY,
            "EXCHANGE_STRIPE_WEBHOOK_SECRET": WEBHOOK_SECRET,
            "EXCHANGE_STRIPE_API_BASE": f"http://127.0.0.1:{stripe_port}",
            # Tries enough that a busy machine cannot use them all up before Stripe is back (the back-off doubles
            # from 0.3 s: about a minute in all). Each try fails at once, without the SDK's own waits and retries.
            "EXCHANGE_JOB_RETRIES": "8",
            "EXCHANGE_STRIPE_NETWORK_RETRIES": "0",
        }
    )
    with job_queue.database.transaction() as db:
        organisation_id = factories.supplier(db, factories.user(db)).id
    subscription_id = localstripe.subscribe(
        localstripe.customer(organisation_id), "supplier_plus_monthly", organisation_id
    )
    data = localstripe.client().v1.subscriptions.retrieve(subscription_id).to_dict()
    job_queue.start_worker()
    with job_queue.enqueues(), job_queue.database.transaction() as db:
        webhooks.record(db, event("evt_retried", "customer.subscription.created", data))

    first = wait_for(
        lambda: (row := _stripe_event(job_queue)).status is WebhookStatus.FAILED and row,
        what="the first failure",
        limit=60,
    )
    assert first.attempts >= 1 and first.last_error
    with forwarding(stripe_port, localstripe.url):  # Stripe is back; no new event arrives
        done = wait_for(
            lambda: (row := _stripe_event(job_queue)).status is WebhookStatus.PROCESSED and row,
            what="the retry",
            limit=90,
        )
    assert done.attempts >= 2
    with job_queue.database.session(write=False) as db:
        subscription = db.scalar(select(Subscription).where(Subscription.stripe_subscription_id == subscription_id))
        assert subscription is not None and subscription.organisation_id == organisation_id
        assert db.scalars(select(FailedJob)).all() == []


# The broker does not change what the web side does; the 2,000-participant run is made once, on the queue file.
@pytest.mark.parametrize("job_queue", ["sqlite"], indirect=True)
def test_a_2000_participant_schedule_is_solved_by_the_worker_while_the_organisers_page_shows_progress(
    job_queue: Queue,
) -> None:
    from exchange.app import create_app

    session_id, organiser_id = _large_session(job_queue, 2000)
    with job_queue.database.session(write=False) as db:
        organiser_email = db.get_one(User, organiser_id).email
    with Client(create_app(job_queue.settings, job_queue.database)) as client, job_queue.enqueues():
        client.sign_in(organiser_email, factories.PASSWORD)
        asked = client.post(f"/sessions/{session_id}/schedule/generate", {})
        twice = client.post(f"/sessions/{session_id}/schedule/generate", {})

        # The request only asked: nothing is solved until a worker takes the job.
        assert asked.status_code == 303 and twice.headers["location"] == asked.headers["location"]
        progress_url = asked.headers["location"]
        run_id = int(progress_url.rsplit("/", 1)[1])
        assert _stage(job_queue, run_id) is RunStage.QUEUED
        waiting = client.get(progress_url)
        assert waiting.status_code == 200 and "Waiting for a worker" in waiting.text

        job_queue.start_worker()
        shown: list[str] = []

        def poll() -> bool:
            answer = client.get(progress_url, headers={"HX-Request": "true"})
            if answer.status_code == 204:
                assert answer.headers["HX-Redirect"] == f"/sessions/{session_id}/schedule"
                return True
            assert answer.status_code == 200, answer.text[:300]
            current = re.search(r'role="status">\s*([^<(…]+)', answer.text)
            if current:
                shown.append(current.group(1).strip())
            return False

        wait_for(poll, "the schedule to be made", limit=120)

    # While the worker solved, the page answered each poll with the step under way.
    assert "Finding the best schedule" in shown
    with job_queue.database.session(write=False) as db:
        session = db.get_one(MatchmakingSession, session_id)
        runs = db.scalars(select(ScheduleRun).where(ScheduleRun.session_id == session_id)).all()
        assert [r.stage for r in runs] == [RunStage.DONE], "two clicks, one run"
        assert session.schedule_figures is not None and session.schedule_figures["meetings"] > 0
