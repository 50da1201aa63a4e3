"""The council sets a need's requirements, weighted criteria and dates on a page; they are published on the
need. Bad input is refused with a clear message and writes nothing; nobody else can reach the page."""

from __future__ import annotations

import html
from datetime import date
from typing import Any

import pytest
from sqlalchemy.orm import Session

from exchange.core.errors import Invalid
from exchange.needs import service as needs
from exchange.needs.models import NeedStage
from exchange.needs.schemas import NeedForm
from exchange.proposals import procurement
from exchange.proposals.models import EvaluationCriterion, Requirement
from tests import factories
from tests.client import Client
from tests.proposals.conftest import (
    World,
    days,
    set_dates,
    set_up_procurement,
    sign_in,
    submitted_proposal,
    written,
)

GOOD: dict[str, Any] = {
    "essential_requirements": "Deliver a hot meal every day\r\n\r\nCheck on each resident's welfare\r\n",
    "nice_to_have_requirements": "Offer a frozen meal",
    "criterion_1_name": "Technical quality",
    "criterion_1_weight": "50",
    "criterion_2_name": "Social value",
    "criterion_2_weight": "30%",
    "criterion_3_name": "Price",
    "criterion_3_weight": "20",
    "shortlist_size": "4",
}
# Relative to today, so that the dates stay in the future: proposals open in 30 days, questions close in 51
# and proposals in 58.
OPENS, QUESTIONS_CLOSE, CLOSES = days(30), days(51), days(58)


def on(field: str, day: Any = None, month: Any = None, year: Any = None) -> dict[str, Any]:
    """A GOV.UK date input's three fields as the browser sends them (None leaves a field out)."""
    return {f"{field}-day": day, f"{field}-month": month, f"{field}-year": year}


def date_input(field: str, value: date) -> dict[str, Any]:
    return on(field, str(value.day), str(value.month), str(value.year))


GOOD.update(
    date_input("opens_on", OPENS) | date_input("closes_on", CLOSES) | date_input("questions_close_on", QUESTIONS_CLOSE)
)


def long_date(value: date) -> str:
    return f"{value.day} {value:%B %Y}"


def test_the_officer_sets_requirements_criteria_and_dates_and_they_are_published(
    client: Client, other_client: Client, db: Session, world: World
) -> None:
    needs.update(
        db,
        factories.viewer(db, world.officer),
        world.need.id,
        NeedForm(
            title=world.need.title,
            summary=world.need.summary,
            problem_statement=world.need.problem_statement,
            required_certifications=["cyber_essentials"],
        ),
    )
    sign_in(client, world.officer)
    page = client.get(f"/needs/{world.need.id}/procurement")
    assert page.status_code == 200 and "Requirements, criteria and dates" in page.text
    assert f'href="/needs/{world.need.id}/procurement"' in client.get(f"/needs/{world.need.id}").text

    response = client.post(f"/needs/{world.need.id}/procurement", GOOD)

    assert response.status_code == 303, response.text
    view = procurement.load(db, world.need)
    assert [r.text for r in view.essential] == ["Deliver a hot meal every day", "Check on each resident's welfare"]
    assert [(c.name, c.weight) for c in view.criteria] == [
        ("Technical quality", 50),
        ("Social value", 30),
        ("Price", 20),
    ]
    assert (view.shortlist_size, view.opens_on, view.closes_on) == (4, OPENS, CLOSES)
    assert view.questions_close_on == QUESTIONS_CLOSE
    assert factories.audit_events(db, "need", world.need.id, "need.procurement_updated")

    public = html.unescape(other_client.get(f"/needs/{world.need.id}").text)
    for text in ("Deliver a hot meal every day", "Offer a frozen meal", "Social value", "30%", long_date(CLOSES)):
        assert text in public, text
    assert long_date(QUESTIONS_CLOSE) in public and "Up to 4" in public
    assert "Cyber Essentials (or Cyber Essentials Plus)" in public


def test_editing_keeps_the_requirements_that_did_not_change(client: Client, db: Session, world: World) -> None:
    kept = procurement.load(db, world.need).essential[1]
    sign_in(client, world.officer)
    response = client.post(
        f"/needs/{world.need.id}/procurement",
        {**GOOD, "essential_requirements": f"A new first requirement\n{kept.text}"},
    )
    assert response.status_code == 303
    essential = procurement.load(db, world.need).essential
    assert [r.text for r in essential] == ["A new first requirement", kept.text]
    assert essential[1].id == kept.id and essential[1].position == 2


TOO_LONG = "x" * 301
BAD_INPUT = [
    ({"criterion_3_weight": "10"}, "criteria", "The weights must add up to 100%: they add up to 90%"),
    ({"criterion_3_weight": "40"}, "criteria", "they add up to 120%"),
    ({"criterion_3_name": None}, "criterion_3_name", "Enter the name of criterion 3"),
    ({"criterion_2_weight": "a lot"}, "criterion_2_weight", "Enter the weight of criterion 2 as a whole number"),
    ({"criterion_2_weight": "0"}, "criterion_2_weight", "from 1 to 100"),
    ({"criterion_2_name": "Price"}, "criteria", "Give each criterion a different name"),
    (date_input("closes_on", days(29)), "closes_on", "must be after the date they open"),
    (date_input("closes_on", OPENS), "closes_on", "must be after the date they open"),
    (on("closes_on"), "closes_on", "Enter the date proposals close"),
    (on("closes_on", "31", "2", str(CLOSES.year)), "closes_on", "The date proposals close must be a real date"),
    (on("closes_on", "29", None, str(CLOSES.year)), "closes_on", "The date proposals close must include a month"),
    (on("closes_on", "29", "3", "27"), "closes_on", "must have a year with 4 numbers"),
    (on("closes_on", "29th", "March", "2027"), "closes_on", "must be a real date, in numbers"),
    (date_input("questions_close_on", days(59)), "questions_close_on", "must be before the date proposals close"),
    (date_input("questions_close_on", CLOSES), "questions_close_on", "must be before the date proposals close"),
    (
        on("opens_on", "1", "1", "2019") | on("closes_on", "1", "1", "2020") | on("questions_close_on"),
        "closes_on",
        "must be in the future",
    ),
    (
        on("opens_on", "1", "1", "2019") | on("questions_close_on", "1", "1", "2020"),
        "questions_close_on",
        "must be in the future",
    ),
    ({"essential_requirements": f"Fine\n{TOO_LONG}"}, "essential_requirements", "Essential requirement 2 must be 300"),
    ({"nice_to_have_requirements": "\n".join(f"R{n}" for n in range(21))}, "nice_to_have_requirements", "up to 20"),
    ({"shortlist_size": "0"}, "shortlist_size", "must be 1 or more"),
    ({"shortlist_size": "lots"}, "shortlist_size", "must be a whole number"),
]


@pytest.mark.parametrize(
    ("changes", "field", "message"), BAD_INPUT, ids=[b[1] + str(i) for i, b in enumerate(BAD_INPUT)]
)
def test_bad_settings_are_refused_with_the_message_and_nothing_is_written(
    client: Client, db: Session, world: World, changes: dict[str, Any], field: str, message: str
) -> None:
    sign_in(client, world.officer)
    before = written(db)
    data = {key: value for key, value in {**GOOD, **changes}.items() if value is not None}

    response = client.post(f"/needs/{world.need.id}/procurement", data)

    assert response.status_code == 422
    text = html.unescape(response.text)
    assert "govuk-error-summary" in text and "<title>Error: " in text
    assert f'href="#{field}"' in text and (f'id="{field}-error"' in text or f'id="{field}-date-error"' in text)
    assert message in text
    assert written(db) == before
    assert 'value="Technical quality"' in text  # what was typed is kept
    for name, typed in changes.items():  # and the date fields as typed, too
        if name.endswith(("-day", "-month", "-year")) and typed:
            assert f'name="{name}" type="text" value="{typed}"' in text, name


def test_requirements_and_criteria_are_fixed_once_a_proposal_is_submitted(
    client: Client, db: Session, world: World
) -> None:
    submitted_proposal(db, world)
    sign_in(client, world.officer)
    page = client.get(f"/needs/{world.need.id}/procurement")
    assert "can no longer change" in page.text and 'name="essential_requirements"' not in page.text

    response = client.post(
        f"/needs/{world.need.id}/procurement", date_input("opens_on", days(-7)) | date_input("closes_on", days(40))
    )

    assert response.status_code == 303
    view = procurement.load(db, world.need)
    assert view.closes_on == days(40) and len(view.essential) == 2 and len(view.criteria) == 3


def test_the_service_refuses_changed_requirements_once_a_proposal_is_submitted(db: Session, world: World) -> None:
    submitted_proposal(db, world)
    before = written(db)
    with pytest.raises(Invalid) as refused:
        set_up_procurement(db, world.officer, world.need, essential_requirements=["Something else"])
    assert "essential_requirements" in refused.value.field_errors
    assert written(db) == before


@pytest.mark.parametrize("who", ["other council", "supplier", "anonymous", "colleague of a final need"])
def test_the_settings_page_is_404_to_everyone_but_the_council(
    client: Client, db: Session, world: World, who: str
) -> None:
    person = {
        "other council": world.other_officer,
        "supplier": world.supplier_admin,
        "anonymous": None,
        "colleague of a final need": world.colleague,
    }[who]
    if who == "colleague of a final need":
        needs.change_stage(db, factories.viewer(db, world.officer), world.need.id, NeedStage.CANCELLED)
    sign_in(client, person)
    before = written(db)
    # The council itself is told why a cancelled need cannot change; everyone else learns nothing.
    expected = 409 if who == "colleague of a final need" else 404
    assert client.get(f"/needs/{world.need.id}/procurement").status_code == expected
    assert client.post(f"/needs/{world.need.id}/procurement", GOOD).status_code == expected
    assert written(db) == before
    assert factories.count(db, Requirement, Requirement.text == "Offer a frozen meal") == 0
    assert factories.count(db, EvaluationCriterion) == 3


def test_dates_tell_suppliers_whether_proposals_are_open(db: Session, world: World) -> None:
    assert procurement.load(db, world.need).open_for_proposals
    set_dates(db, world.need, opens_on=days(2), closes_on=days(9))
    assert procurement.load(db, world.need).why_closed.startswith("Proposals open on")  # type: ignore[union-attr]
    set_dates(db, world.need, opens_on=days(-9), closes_on=days(-1))
    assert "Proposals closed on" in (procurement.load(db, world.need).why_closed or "")
    set_dates(db, world.need, closes_on=days(0))
    assert procurement.load(db, world.need).open_for_proposals  # open until the end of the closing day
