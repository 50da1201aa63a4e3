"""Supplier Plus listings are labelled "Featured" in search (leading their page) and in a need's matches."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy.orm import Session

from exchange.core.models import utcnow
from exchange.payments.models import Subscription
from tests import factories
from tests.client import Client
from tests.matching.test_service import track_record


def _supplier_plus(db: Session, organisation_id: int, status: str = "active") -> None:
    db.add(
        Subscription(
            organisation_id=organisation_id,
            stripe_subscription_id=f"sub_featured_{organisation_id}",
            plan_key="supplier_plus",
            price_lookup_key="supplier_plus_yearly",
            status=status,
            current_period_end=utcnow() + timedelta(days=200),
            cancel_at_period_end=False,
        )
    )
    db.flush()


def _titles(html: str) -> list[str]:
    return re.findall(r'class="exchange-result__title"><a[^>]*>([^<]+)</a>', html)


def test_featured_pitches_lead_their_page_with_a_label(client: Client, db: Session) -> None:
    first_admin, second_admin = factories.user(db), factories.user(db)
    first, second = factories.supplier(db, first_admin), factories.supplier(db, second_admin)
    factories.pitch(db, second_admin, second, title="Otterly older pitch")
    factories.pitch(db, first_admin, first, title="Otterly newest pitch")

    plain = client.get("/search?q=otterly&kind=pitch")
    _supplier_plus(db, second.id)
    featured = client.get("/search?q=otterly&kind=pitch")

    assert "exchange-featured" not in plain.text
    assert _titles(plain.text)[0] == "Otterly newest pitch"
    assert _titles(featured.text)[0] == "Otterly older pitch"
    assert featured.text.count("exchange-featured") == 1
    assert sorted(_titles(plain.text)) == sorted(_titles(featured.text)), "no result is added or dropped"


def test_a_lapsed_plan_is_not_featured(client: Client, db: Session) -> None:
    admin = factories.user(db)
    supplier = factories.supplier(db, admin)
    factories.offer(db, admin, supplier, title="Otterly lapsed offer")
    _supplier_plus(db, supplier.id, status="canceled")

    assert "exchange-featured" not in client.get("/search?q=otterly").text


def test_a_featured_supplier_is_placed_first_in_its_own_panel_without_changing_the_ranking(
    client: Client, db: Session
) -> None:
    officer = factories.officer(db, "BUN")
    need = factories.need(db, officer, factories.council(db, "BUN"), title="Online budget consultation")
    strong = factories.supplier(db, factories.user(db), name="Civic Voice Ltd")
    track_record(db, strong, ("Budget consultation for residents", "Burnley Borough Council"))
    weaker = factories.supplier(db, factories.user(db), name="Budget Helpers Ltd")
    track_record(db, weaker, ("Budget consultation", "Leeds City Council"))
    client.sign_in(officer.email, factories.PASSWORD)
    before = client.get(f"/needs/{need.id}/matches").text

    _supplier_plus(db, weaker.id)
    after = client.get(f"/needs/{need.id}/matches").text

    names = re.compile(r'summary-card__title"><a[^>]*>([^<]+)</a>')
    assert names.findall(before) == names.findall(after)
    assert "Budget Helpers Ltd" in names.findall(after)
    assert re.search(r"Budget Helpers Ltd</a> <strong[^>]*exchange-featured", after)
    assert "exchange-featured" not in before
    # Placed above the ranked list, in a panel that says it is paid for, linking to the supplier's card.
    panel = after.split('class="govuk-inset-text exchange-featured-panel"')[1].split("</aside>")[0]
    assert f'href="#match-{weaker.id}">Budget Helpers Ltd</a>' in panel and "They pay to be featured" in panel
    assert after.index("exchange-featured-panel") < after.index('class="govuk-summary-card exchange-match"')


def test_a_supporting_councils_needs_carry_the_supporter_badge(client: Client, db: Session) -> None:
    officer = factories.officer(db, "BUN")
    council = factories.council(db, "BUN")
    factories.need(db, officer, council, title="Otterly supported need")
    db.add(
        Subscription(
            organisation_id=council.id,
            stripe_subscription_id="sub_supporter",
            plan_key="council_supporter",
            price_lookup_key="council_supporter_yearly",
            status="active",
            current_period_end=utcnow() + timedelta(days=300),
            cancel_at_period_end=False,
        )
    )
    db.flush()

    page = client.get("/search?q=otterly").text
    client.sign_in(officer.email, factories.PASSWORD)
    billing = client.get(f"/billing/{council.id}").text

    assert page.count("exchange-supporter") == 1 and "exchange-featured" not in page
    assert "Council Supporter" in billing and "supports the exchange" in billing
