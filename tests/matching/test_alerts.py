"""Early alerts (Supplier Plus): a need that opens to suppliers is emailed at once to the well-matching
subscribers' members, once; suppliers without the plan wait for the weekly digest."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy.orm import Session

from exchange.core.models import utcnow
from exchange.matching.documents import refresh_supplier
from exchange.needs import service as needs
from exchange.needs.models import NeedStage
from exchange.notifications.models import Notification
from exchange.payments.models import Subscription
from exchange.profiles.completeness import today
from exchange.proposals.models import NeedProcurement
from tests import factories


def _subscribe(db: Session, organisation_id: int) -> None:
    db.add(
        Subscription(
            organisation_id=organisation_id,
            stripe_subscription_id=f"sub_alerts_{organisation_id}",
            plan_key="supplier_plus",
            price_lookup_key="supplier_plus_monthly",
            status="active",
            current_period_end=utcnow() + timedelta(days=20),
            cancel_at_period_end=False,
        )
    )
    db.flush()


def _alerts(db: Session, user_id: int) -> list[Notification]:
    return list(db.query(Notification).filter_by(user_id=user_id, kind="opportunity_alert"))


def test_subscribers_that_match_hear_at_once_and_only_once(db: Session) -> None:
    plus_founder, free_founder = factories.user(db), factories.user(db)
    plus = factories.supplier(db, plus_founder, name="Budget Sims Ltd")
    free = factories.supplier(db, free_founder, name="Budget Tools Ltd")
    for founder, organisation in ((plus_founder, plus), (free_founder, free)):
        factories.pitch(db, founder, organisation, title="Online budget consultation simulator for councils")
        refresh_supplier(db, organisation.id)
    _subscribe(db, plus.id)
    officer = factories.officer(db, "BUN")
    need = factories.need(db, officer, factories.council(db, "BUN"), title="Online budget consultation simulator")
    assert _alerts(db, plus_founder.id) == []  # still an idea: nothing to act on yet
    closes = date(today().year + 1, 12, 10)
    db.add(NeedProcurement(need_id=need.id, opens_on=today(), closes_on=closes))
    needs.change_stage(db, factories.viewer(db, officer), need.id, NeedStage.EARLY_MARKET_ENGAGEMENT)
    assert _alerts(db, plus_founder.id) == []  # the alert job runs once the change is committed
    db.commit()
    (alert,) = _alerts(db, plus_founder.id)
    assert "Online budget consultation simulator" in alert.title and "% match" in alert.body
    assert f"Proposals close at the end of 10 December {closes.year}." in alert.body
    assert _alerts(db, free_founder.id) == []
    needs.change_stage(db, factories.viewer(db, officer), need.id, NeedStage.OPEN_FOR_PROPOSALS)
    db.commit()
    assert len(_alerts(db, plus_founder.id)) == 1
