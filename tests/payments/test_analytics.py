"""Profile analytics: views counted on public pages, the weekly chart as SVG with its table, for Supplier Plus."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy.orm import Session

from exchange.core.models import utcnow
from exchange.pages import supplier_analytics
from exchange.payments import analytics
from exchange.payments.chart import Series, bar_chart
from exchange.payments.models import Subscription
from exchange.proposals.models import ProposalInvitation
from tests import factories
from tests.client import Client
from tests.payments.conftest import Supplier


def _supplier_plus(db: Session, organisation_id: int) -> None:
    db.add(
        Subscription(
            organisation_id=organisation_id,
            stripe_subscription_id=f"sub_analytics_{organisation_id}",
            plan_key="supplier_plus",
            price_lookup_key="supplier_plus_monthly",
            status="active",
            current_period_end=utcnow() + timedelta(days=20),
            cancel_at_period_end=False,
        )
    )
    db.flush()


def test_views_of_public_pages_count_but_not_the_suppliers_own(
    client: Client, other_client: Client, db: Session, supplier_admin: Supplier
) -> None:
    pitch = factories.pitch(db, supplier_admin.admin, supplier_admin.organisation)

    assert other_client.get(f"/pitches/{pitch.id}").status_code == 200
    assert other_client.get(f"/organisations/{supplier_admin.organisation.slug}").status_code == 200
    assert other_client.get("/pitches/999999").status_code == 404
    client.sign_in(supplier_admin.admin.email, factories.PASSWORD)
    assert client.get(f"/pitches/{pitch.id}").status_code == 200

    assert analytics.total_views(db, supplier_admin.organisation.id) == 2


def test_supplier_plus_sees_the_weekly_chart_and_its_numbers(
    client: Client, other_client: Client, db: Session, supplier_admin: Supplier
) -> None:
    organisation = supplier_admin.organisation
    officer = factories.officer(db)
    need = factories.need(db, officer, factories.council(db))
    db.add(ProposalInvitation(need_id=need.id, organisation_id=organisation.id))
    db.flush()
    offer = factories.offer(db, supplier_admin.admin, organisation)
    other_client.get(f"/offers/{offer.id}")
    client.sign_in(supplier_admin.admin.email, factories.PASSWORD)

    free = client.get(f"/billing/{organisation.id}/analytics")
    _supplier_plus(db, organisation.id)
    page = client.get(f"/billing/{organisation.id}/analytics")

    assert free.status_code == 200 and "<svg" not in free.text and "subscriptions are not available" in free.text
    assert page.status_code == 200
    assert re.search(r'<svg class="exchange-chart"[^>]*role="img"', page.text)
    rows = re.findall(r'<th scope="row" class="govuk-table__header">[^<]+</th>((?:\s*<td[^>]*>\d+</td>){3})', page.text)
    assert len(rows) == supplier_analytics.WEEKS
    this_week = [int(n) for n in re.findall(r">(\d+)</td>", rows[-1])]
    assert this_week[0] == 1 and this_week[2] == 1


def test_another_organisations_analytics_are_not_found(client: Client, db: Session, supplier_admin: Supplier) -> None:
    outsider = factories.user(db)
    factories.supplier(db, outsider)
    client.sign_in(outsider.email, factories.PASSWORD)

    assert client.get(f"/billing/{supplier_admin.organisation.id}/analytics").status_code == 404


def test_the_chart_escapes_its_text_and_scales_to_the_largest_value() -> None:
    svg = bar_chart("<b>title</b>", ["1 Jan", "8 Jan"], [Series("Views & more", [3, 17])])

    assert "<b>" not in svg and "&lt;b&gt;title&lt;/b&gt;" in svg
    assert "Views &amp; more" in svg
    assert ">20</text>" in svg  # the top of the scale: the largest value rounded up


def test_views_are_added_up_in_memory_and_written_in_one_batch(db: Session, supplier_admin: Supplier) -> None:
    pitch = factories.pitch(db, supplier_admin.admin, supplier_admin.organisation)
    slug, own = supplier_admin.organisation.slug, (supplier_admin.organisation.id,)
    tally = analytics.ViewTally(every_seconds=3600)
    for seen in [("pitches", str(pitch.id), ())] * 3 + [("organisations", slug, ()), ("pitches", str(pitch.id), own)]:
        assert tally.add(seen) is None  # nothing written per view
    assert analytics.total_views(db, supplier_admin.organisation.id) == 0

    batch = tally.take()
    assert sorted(batch) == sorted(
        [(("pitches", str(pitch.id), ()), 3), (("organisations", slug, ()), 1), (("pitches", str(pitch.id), own), 1)]
    )
    assert tally.take() == []
    # The supplier's own look does not count; a page that is gone counts for nobody.
    gone = (("pitches", "999999", ()), 2)
    assert analytics.record_views(db, [*batch, gone], utcnow().date()) == 4
    assert analytics.total_views(db, supplier_admin.organisation.id) == 4
