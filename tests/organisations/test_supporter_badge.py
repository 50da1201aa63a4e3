"""A Council Supporter shows its badge on its own page, from its current subscription only."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.orm import Session

from exchange.core.models import utcnow
from exchange.payments.models import Subscription
from tests import factories
from tests.client import Client


def test_a_council_supporter_shows_its_badge_on_its_page(db: Session, client: Client) -> None:
    council = factories.council(db, "BUN")
    assert "Supporter of the exchange" not in client.get(f"/organisations/{council.slug}").text
    db.add(
        Subscription(
            organisation_id=council.id,
            stripe_subscription_id="sub_supporter",
            plan_key="council_supporter",
            price_lookup_key="council_supporter_yearly",
            status="active",
            current_period_end=utcnow() + timedelta(days=200),
            cancel_at_period_end=False,
        )
    )
    db.flush()
    assert "Supporter of the exchange" in client.get(f"/organisations/{council.slug}").text
