"""One closing date: the day proposals close, typed once on the need's dates page, is the day shown on the
need's page, the council's and suppliers' proposal pages, the feed, the procurement API and the OCDS release,
and it is shown as the day that was typed (never the midnight after it)."""

from __future__ import annotations

import html
from datetime import date

from sqlalchemy.orm import Session

from exchange.profiles.completeness import today
from tests.client import Client
from tests.proposals.conftest import World, days, sign_in

CLOSES = date(today().year + 1, 12, 10)
SHOWN = f"10 December {CLOSES.year}"
NOT_SHOWN = f"11 December {CLOSES.year}"


def dates_form(**changes: str) -> dict[str, str]:
    values = {
        "essential_requirements": "Deliver a hot meal every day",
        "criterion_1_name": "Quality",
        "criterion_1_weight": "100",
        "opens_on": f"{days(-1).day}/{days(-1).month}/{days(-1).year}",
        "closes_on": f"10/12/{CLOSES.year}",
        "questions_close_on": f"1/12/{CLOSES.year}",
        **changes,
    }
    return values


def test_the_closing_date_typed_is_the_one_shown_everywhere(
    client: Client, other_client: Client, db: Session, world: World
) -> None:
    sign_in(client, world.officer)
    saved = client.post(f"/needs/{world.need.id}/procurement", dates_form())
    assert saved.status_code == 303, saved.text[:2000]
    need = f"/needs/{world.need.id}"

    readers = {
        "need page (council)": client.get(need).text,
        "proposals (council)": client.get(f"{need}/proposals").text,
        "need page (public)": other_client.get(need).text,
        "feed": other_client.get("/needs.atom").text,
    }
    sign_in(other_client, world.supplier_admin)
    readers["respond (supplier)"] = other_client.get(f"{need}/respond").text

    for name, text in readers.items():
        text = html.unescape(text)
        assert SHOWN in text, name
        assert NOT_SHOWN not in text, name
    procurement = other_client.get(f"/api/v1/needs/{world.need.id}/procurement").json()
    assert procurement["closes_on"] == CLOSES.isoformat()
    release = other_client.get(f"/api/v1/needs/{world.need.id}/ocds").json()
    assert release["tender"]["tenderPeriod"]["endDate"].startswith(f"{CLOSES.isoformat()}T23:59:59")
    assert "deadline" not in other_client.get(f"/api/v1/needs/{world.need.id}").json()
