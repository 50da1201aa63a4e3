"""The weekly opportunities email: only for users who switch it on, only new matching needs, at most weekly."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy.orm import Session

from exchange.core.models import utcnow
from exchange.matching.digest import send_digests
from exchange.notifications import service as notifications
from exchange.notifications.models import NotificationKind
from exchange.profiles.completeness import today
from exchange.proposals.models import NeedProcurement
from tests import factories
from tests.matching.test_service import track_record


def test_a_subscriber_gets_new_matching_needs_once_a_week_and_others_get_nothing(db: Session) -> None:
    founder = factories.user(db, "founder@civic.example")
    supplier = factories.supplier(db, founder, name="Civic Voice Ltd")
    track_record(db, supplier, ("Budget consultation for residents", "Burnley Borough Council"))
    bystander = factories.user(db, "bystander@other.example")
    track_record(db, factories.supplier(db, bystander), ("Budget consultation", "Leeds City Council"))
    notifications.set_email(db, founder.id, NotificationKind.OPPORTUNITY_DIGEST, True)
    officer = factories.officer(db, "BUN")
    need = factories.need(db, officer, factories.council(db, "BUN"), title="Online budget consultation")
    closes = date(today().year + 1, 12, 10)
    db.add(NeedProcurement(need_id=need.id, opens_on=today(), closes_on=closes))
    db.flush()

    run = send_digests(db)
    assert (run.users_considered, run.emails_queued) == (1, 1)
    [email] = factories.emails_to(db, "founder@civic.example")
    assert email.subject == "1 new need that matches you"
    assert "Online budget consultation (Burnley Borough Council)" in email.body_text
    assert f"match, closes 10 December {closes.year}" in email.body_text  # the need's one closing date
    assert "Has worked for Burnley Borough Council before (1 contract, self-declared)" in email.body_text
    assert "/notifications/unsubscribe?token=" in email.body_text and email.unsubscribe_url
    assert factories.emails_to(db, "bystander@other.example") == []

    # The same week: nothing more, even with a new need.
    factories.need(db, officer, factories.council(db, "BUN"), title="Budget consultation for young people")
    assert send_digests(db).emails_queued == 0
    # A week later: only what is new since the last digest.
    later = send_digests(db, now=utcnow() + timedelta(days=7, minutes=1))
    assert later.emails_queued == 1
    newest = factories.emails_to(db, "founder@civic.example")[-1]
    assert "Budget consultation for young people" in newest.body_text
    assert "Online budget consultation (" not in newest.body_text


def test_no_email_when_nothing_new_matches(db: Session) -> None:
    founder = factories.user(db, "founder@quiet.example")
    supplier = factories.supplier(db, founder)
    track_record(db, supplier, ("Road resurfacing", "Leeds City Council"))
    notifications.set_email(db, founder.id, NotificationKind.OPPORTUNITY_DIGEST, True)
    assert send_digests(db).emails_queued == 0
    assert factories.emails_to(db, "founder@quiet.example") == []
