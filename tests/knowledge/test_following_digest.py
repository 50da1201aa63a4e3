"""The daily email of what is new from followed organisations and categories, and `exchange send-digests`
sending it with the saved-search emails through a real SMTP server."""

from __future__ import annotations

from datetime import timedelta
from email.header import decode_header, make_header

from sqlalchemy.orm import Session
from typer.testing import CliRunner

from exchange.core.database import Database
from exchange.core.models import utcnow
from exchange.core.queue import JobContext, use_context
from exchange.core.settings import Settings
from exchange.knowledge import follows, saved_searches
from exchange.knowledge.following_digest import send_following_digests
from exchange.knowledge.models import FollowKind, Frequency
from exchange.knowledge.schemas import SavedSearchForm
from exchange.notifications import service as notifications
from exchange.notifications.models import NotificationKind
from tests import factories
from tests.conftest import Inbox
from tests.knowledge.conftest import World


def test_new_items_from_followed_organisations_and_categories_are_emailed_daily(db: Session, world: World) -> None:
    follower = factories.user(db, "fran@follower.example", name="Fran")
    viewer = factories.viewer(db, follower)
    follows.follow(db, viewer, FollowKind.ORGANISATION, world.supplier.id)
    pitch = factories.pitch(db, world.supplier_admin, world.supplier, title="A brand new pitch")
    private = factories.need(db, world.officer, world.council, title="Council eyes only", visibility="organisation")
    follows.follow(db, factories.viewer(db, world.officer), FollowKind.ORGANISATION, world.council.id)

    run = send_following_digests(db)

    assert run.emails_queued >= 1
    (email,) = factories.emails_to(db, follower.email)
    # The fixture's offer is new today too.
    assert email.subject == "2 new from what you follow" and world.offer.title in email.body_text
    assert "A brand new pitch" in email.body_text and f"/pitches/{pitch.id}\n" in email.body_text
    assert email.unsubscribe_url
    # The council's own officer is not told of the council's own private need.
    assert all(private.title not in m.body_text for m in factories.emails_to(db, world.officer.email))
    # Once a day at most, and nothing new is no email.
    assert send_following_digests(db, now=utcnow() + timedelta(hours=3)).emails_queued == 0
    assert send_following_digests(db, now=utcnow() + timedelta(days=1, hours=1)).emails_queued == 0


def test_switched_off_no_following_email(db: Session, world: World) -> None:
    follower = factories.user(db, "fran@follower.example")
    follows.follow(db, factories.viewer(db, follower), FollowKind.ORGANISATION, world.supplier.id)
    factories.pitch(db, world.supplier_admin, world.supplier)
    notifications.set_email(db, follower.id, NotificationKind.FOLLOWING_DIGEST, False)
    send_following_digests(db)
    assert factories.emails_to(db, follower.email) == []


def test_send_digests_sends_saved_search_and_following_emails(
    db: Session, database: Database, world: World, inbox: tuple[Inbox, int]
) -> None:
    handler, port = inbox
    form = SavedSearchForm(name="All needs", frequency=Frequency.DAILY, query="kind=need")
    saved = saved_searches.create(db, factories.viewer(db, world.officer), form)
    saved.created_at = utcnow() - timedelta(days=2)
    follower = factories.user(db, "fran@follower.example")
    follows.follow(db, factories.viewer(db, follower), FollowKind.ORGANISATION, world.supplier.id)
    factories.pitch(db, world.supplier_admin, world.supplier, title="Fresh pitch")
    db.commit()
    settings = Settings(env="test", smtp_url=f"smtp://127.0.0.1:{port}", secret_key="x" * 40)
    from exchange.cli import app

    # The command's jobs (sending what it queued) run at once here, with these settings.
    token = use_context(JobContext(database, settings))
    try:
        result = CliRunner().invoke(app, ["send-digests"])
    finally:
        token.var.reset(token)

    assert result.exit_code == 0, result.output
    assert "1 saved-search emails queued for 1 saved searches" in result.output
    subjects = {str(make_header(decode_header(m["Subject"]))): m["To"] for m in handler.messages}
    assert subjects.get("1 new result for “All needs”") == world.officer.email
    assert subjects.get("2 new from what you follow") == follower.email
