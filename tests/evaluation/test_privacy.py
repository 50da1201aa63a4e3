"""Everything about the evaluation is private to the need's council: another council, any supplier (the
proposers too) and anonymous visitors get 404 from every page and endpoint, and nothing is written. After the
outcome each supplier reads its own result only."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from exchange.accounts.models import User
from tests import factories
from tests.client import Client
from tests.evaluation.conftest import Evaluation, award, close_proposals, fully_evaluated, sign_in, written

OUTSIDERS = ["other council", "other supplier", "a proposer", "administrator", "anonymous"]


def outsider(db: Session, ev: Evaluation, who: str) -> User | None:
    if who == "other supplier":
        person = factories.user(db, "pat@elsewhere.example", name="Pat Elsewhere")
        factories.supplier(db, person, name="Elsewhere Ltd")
        return person
    if who == "administrator":
        return factories.admin(db)
    return {"other council": ev.world.other_officer, "a proposer": ev.world.supplier_admin, "anonymous": None}[who]


def council_reads(ev: Evaluation) -> list[str]:
    return [
        ev.path(page="/evaluation"),
        ev.path(page="/evaluation.csv"),
        ev.path(page="/evaluation.xlsx"),
        ev.path(page="/outcome"),
        ev.path(ev.proposal, "/scores"),
        ev.path(ev.proposal, "/moderation"),
        f"/api/v1/needs/{ev.need.id}/evaluation",
    ]


def council_writes(ev: Evaluation) -> list[tuple[str, str, dict | None]]:
    criterion = ev.criteria[0].id
    api = f"/api/v1/needs/{ev.need.id}"
    scores = [{"criterion_id": c.id, "score": 1, "note": "x"} for c in ev.criteria]
    return [
        (
            "form",
            ev.path(ev.proposal, f"/scores/{criterion}"),
            {f"score_{criterion}": "1", f"justification_{criterion}": "x"},
        ),
        ("form", ev.path(page="/evaluation/moderation"), {}),
        ("form", ev.path(ev.proposal, "/moderation"), {"feedback": "x"}),
        ("form", ev.path(page="/outcome"), {"kind": "cancelled"}),
        ("PUT", f"{api}/proposals/{ev.proposal.id}/scores/{criterion}", {"score": 1, "justification": "x"}),
        ("POST", f"{api}/evaluation/moderation", None),
        ("PUT", f"{api}/proposals/{ev.proposal.id}/moderation", {"scores": scores, "feedback": "x"}),
        ("POST", f"{api}/outcome", {"kind": "cancelled"}),
    ]


@pytest.mark.parametrize("who", OUTSIDERS)
@pytest.mark.parametrize("moderated", [False, True], ids=["scoring", "moderation"])
def test_the_evaluation_is_404_to_everyone_outside_the_council(
    client: Client, db: Session, evaluation: Evaluation, who: str, moderated: bool
) -> None:
    ev = evaluation
    if moderated:
        fully_evaluated(db, ev)
    person = outsider(db, ev, who)
    sign_in(client, person)
    before = written(db)

    for path in council_reads(ev):
        response = client.get(path)
        assert response.status_code == 404, path
        assert "Pennine" not in response.text and "Clear and well" not in response.text, path
    for method, path, body in council_writes(ev):
        response = client.post(path, body) if method == "form" else client.api(method, path, body)
        assert response.status_code == 404, (method, path)
    assert client.get(f"/api/v1/needs/{ev.need.id}/outcome").status_code == 404  # nothing recorded yet
    assert client.get(ev.path(ev.proposal, "/outcome")).status_code == 404
    assert written(db) == before


@pytest.mark.parametrize("who", ["other council", "other supplier", "rival", "anonymous"])
def test_after_the_outcome_a_suppliers_result_is_its_own(
    client: Client, db: Session, evaluation: Evaluation, who: str
) -> None:
    ev = evaluation
    fully_evaluated(db, ev)
    close_proposals(db, ev)
    award(db, ev)
    person = ev.world.rival_admin if who == "rival" else outsider(db, ev, who)
    sign_in(client, person)

    assert client.get(ev.path(ev.proposal, "/outcome")).status_code == 404
    own = client.get(f"/api/v1/needs/{ev.need.id}/proposal/outcome")
    if who == "rival":
        assert own.status_code == 200 and own.json()["proposal_id"] == ev.rival_proposal.id
        assert "Strong on welfare checks" not in own.text
    else:
        assert own.status_code in (403, 404) and "welfare" not in own.text
    for path in council_reads(ev):
        assert client.get(path).status_code == 404, path
    # The outcome itself is public, like the need.
    public = client.get(f"/api/v1/needs/{ev.need.id}/outcome").json()
    assert public["organisation_name"] == "Pennine Community Meals" and set(public) == {
        "need_id",
        "kind",
        "organisation_id",
        "organisation_name",
        "value",
        "starts_on",
        "recorded_at",
    }


def test_every_member_of_the_council_may_evaluate(client: Client, db: Session, evaluation: Evaluation) -> None:
    ev = evaluation
    sign_in(client, ev.world.colleague)
    for path in (ev.path(page="/evaluation"), ev.path(page="/outcome"), ev.path(ev.proposal, "/scores")):
        assert client.get(path).status_code == 200, path
    assert "Evaluation" in client.get(ev.path(page="/shortlist")).text
