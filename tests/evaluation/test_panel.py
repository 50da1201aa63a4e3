"""The evaluation panel: the need's owner assigns evaluators and a moderator (audited, each told); each declares
their interests before reading any proposal; a declared conflict takes them off the evaluation; officers not on
the panel neither read, score nor moderate; other organisations still get 404."""

from __future__ import annotations

import html

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from exchange.accounts.models import User
from exchange.core.errors import Conflict, NotAllowed
from exchange.evaluation import panel, service
from exchange.evaluation.models import EvaluationScore, PanelMember
from exchange.evaluation.schemas import DeclarationForm, PanelForm, ScoreForm
from exchange.notifications.models import Notification, NotificationKind
from tests import factories
from tests.client import Client
from tests.evaluation.conftest import Evaluation, assign, declare, score, sign_in, start_moderation, written


def newcomer(db: Session, ev: Evaluation) -> User:
    """A new officer of the council, put on the panel as an evaluator but not yet declared."""
    person = factories.officer(db, "BUN")
    assign(db, ev.world, [ev.world.officer, ev.world.colleague, person], ev.world.officer)
    return person


def content_paths(ev: Evaluation) -> list[str]:
    return [
        f"/needs/{ev.need.id}/proposals",
        ev.path(ev.proposal),
        f"/api/v1/needs/{ev.need.id}/proposals",
        f"/api/v1/needs/{ev.need.id}/evaluation",
        ev.path(ev.proposal, "/scores"),
    ]


def test_the_owner_assigns_the_panel_and_each_new_member_is_told(
    client: Client, db: Session, evaluation: Evaluation
) -> None:
    ev = evaluation
    person = factories.officer(db, "BUN")
    sign_in(client, ev.world.officer)

    response = client.post(
        ev.path(page="/evaluation/panel"),
        {"evaluator_ids": [str(ev.world.officer.id), str(person.id)], "moderator_id": str(person.id)},
    )

    assert response.status_code == 303
    members = {m.user_id: (m.is_evaluator, m.is_moderator) for m in db.scalars(select(PanelMember))}
    assert members == {ev.world.officer.id: (True, False), person.id: (True, True)}
    assert factories.audit_events(db, "need", ev.need.id, "evaluation.panel_member_removed")[0].data == {
        "user_id": ev.world.colleague.id
    }
    told = db.scalars(select(Notification).where(Notification.user_id == person.id)).one()
    assert told.kind == NotificationKind.EVALUATION_ASSIGNED and "evaluator and moderator" in told.title
    assert factories.emails_to(db, person.email)
    page = html.unescape(client.get(ev.path(page="/evaluation")).text)
    assert person.name in page and "Evaluator and moderator" in page and "Not declared yet" in page


def test_only_the_owner_or_a_council_admin_assigns(client: Client, db: Session, evaluation: Evaluation) -> None:
    ev = evaluation
    sign_in(client, ev.world.colleague)
    before = written(db)

    response = client.post(
        ev.path(page="/evaluation/panel"),
        {"evaluator_ids": [str(ev.world.colleague.id)], "moderator_id": str(ev.world.colleague.id)},
    )

    assert response.status_code == 403 and "Only the need's owner" in html.unescape(response.text)
    assert written(db) == before
    sign_in(client, ev.world.other_officer)
    assert client.post(ev.path(page="/evaluation/panel"), {"moderator_id": "1"}).status_code == 404


@pytest.mark.parametrize(
    ("form", "field", "message"),
    [
        ({"moderator_id": "OFFICER"}, "evaluator_ids", "Choose at least one evaluator"),
        ({"evaluator_ids": ["OFFICER"]}, "moderator_id", "Choose the moderator"),
        ({"evaluator_ids": ["OTHER"], "moderator_id": "OFFICER"}, "evaluator_ids", "Choose officers of"),
        ({"evaluator_ids": ["nobody"], "moderator_id": "OFFICER"}, "evaluator_ids", "Choose the evaluators from"),
    ],
)
def test_a_bad_panel_is_refused_with_the_message_and_nothing_changes(
    client: Client, db: Session, evaluation: Evaluation, form: dict, field: str, message: str
) -> None:
    ev = evaluation
    ids = {"OFFICER": str(ev.world.officer.id), "OTHER": str(ev.world.other_officer.id)}
    data = {
        key: [ids.get(v, v) for v in value] if isinstance(value, list) else ids.get(value, value)
        for key, value in form.items()
    }
    sign_in(client, ev.world.officer)
    before = written(db)

    response = client.post(ev.path(page="/evaluation/panel"), data)

    assert response.status_code == 422
    text = html.unescape(response.text)
    assert f'href="#{field}"' in text and message in text
    assert written(db) == before


def test_an_evaluator_who_has_scored_stays_on_the_panel(db: Session, evaluation: Evaluation) -> None:
    ev = evaluation
    score(db, ev, ev.world.colleague, ev.proposal, [60, 60, 60])
    with pytest.raises(Exception, match="has scored already"):
        assign(db, ev.world, [ev.world.officer], ev.world.officer)


def test_before_declaring_an_evaluator_reads_no_proposal_and_is_told_to_declare(
    client: Client, db: Session, evaluation: Evaluation
) -> None:
    ev = evaluation
    person = newcomer(db, ev)
    sign_in(client, person)

    for path in content_paths(ev):
        response = client.get(path)
        assert response.status_code == 403, path
        assert "Declare whether you have a conflict of interest" in html.unescape(response.text), path
        assert "We cook locally" not in response.text and "90,000" not in response.text
    refused = client.get(ev.path(ev.proposal)).text
    assert f'href="/needs/{ev.need.id}/evaluation#declaration">Declare your interests</a>' in refused
    page = html.unescape(client.get(ev.path(page="/evaluation")).text)
    assert "Declare your interests" in page and "Pennine Community Meals" in page and "Rival Meals Ltd" in page
    assert "Score<span" not in page

    declared = client.post(ev.path(page="/evaluation/declaration"), {"has_conflict": "no"})

    assert declared.status_code == 303
    assert client.get(ev.path(ev.proposal)).status_code == 200
    assert client.get(ev.path(ev.proposal, "/scores")).status_code == 200
    [audit] = factories.audit_events(db, "need", ev.need.id, "evaluation.interests_declared")[-1:]
    assert audit.actor_user_id == person.id and audit.data["conflict"] is False
    assert "No conflict" in client.get(ev.path(page="/evaluation")).text


def test_a_declared_conflict_takes_the_evaluator_off_the_evaluation(
    client: Client, db: Session, evaluation: Evaluation
) -> None:
    ev = evaluation
    person = newcomer(db, ev)
    sign_in(client, person)

    missing = client.post(ev.path(page="/evaluation/declaration"), {"has_conflict": "yes"})
    unchosen = client.post(ev.path(page="/evaluation/declaration"), {})
    assert missing.status_code == unchosen.status_code == 422
    assert "Describe the conflict of interest" in missing.text
    assert "Choose whether you have a conflict of interest" in unchosen.text
    response = client.post(
        ev.path(page="/evaluation/declaration"),
        {"has_conflict": "yes", "description": "My sister runs Rival Meals Ltd."},
    )

    assert response.status_code == 303
    scoring = client.post(ev.path(ev.proposal, "/scores"), {f"score_{ev.criteria[0].id}": "90"})
    assert scoring.status_code == 403 and "declared a conflict of interest" in scoring.text
    assert client.get(ev.path(ev.proposal)).status_code == 403
    assert factories.count(db, EvaluationScore) == 0
    again = client.post(ev.path(page="/evaluation/declaration"), {"has_conflict": "no"})
    assert again.status_code == 409
    sign_in(client, ev.world.officer)
    page = html.unescape(client.get(ev.path(page="/evaluation")).text)
    assert "Conflict declared" in page and "My sister runs Rival Meals Ltd." in page


def test_an_officer_not_on_the_panel_neither_reads_nor_scores(
    client: Client, db: Session, evaluation: Evaluation
) -> None:
    ev = evaluation
    outsider = factories.officer(db, "BUN")
    sign_in(client, outsider)
    before = written(db)

    for path in content_paths(ev):
        response = client.get(path)
        assert response.status_code == 403, path
        assert "Only the officers assigned to evaluate this need" in html.unescape(response.text)
    assert client.get(ev.path(page="/evaluation.csv")).status_code == 403
    scoring = client.post(ev.path(ev.proposal, "/scores"), {f"score_{ev.criteria[0].id}": "90"})
    declaring = client.post(ev.path(page="/evaluation/declaration"), {"has_conflict": "no"})
    moderating = client.post(ev.path(page="/evaluation/moderation"))

    assert scoring.status_code == declaring.status_code == moderating.status_code == 403
    assert written(db) == before
    page = client.get(ev.path(page="/evaluation"))
    assert page.status_code == 200 and "Only the officers assigned" in html.unescape(page.text)


def test_only_the_moderator_moderates(client: Client, db: Session, evaluation: Evaluation) -> None:
    ev = evaluation
    score(db, ev, ev.world.colleague, ev.proposal, [60, 60, 60])
    sign_in(client, ev.world.colleague)  # an evaluator, not the moderator
    early = client.post(ev.path(page="/evaluation/moderation"))
    assert early.status_code == 403 and "you are not the moderator" in html.unescape(early.text)
    assert "Start moderation" not in client.get(ev.path(page="/evaluation")).text
    start_moderation(db, ev)  # by the moderator
    form = client.get(ev.path(ev.proposal, "/moderation"))
    agreed = client.post(ev.path(ev.proposal, "/moderation"), {"feedback": "Good."})
    api = client.api("PUT", f"/api/v1/needs/{ev.need.id}/proposals/{ev.proposal.id}/moderation", {})

    assert form.status_code == agreed.status_code == 403
    assert api.status_code in (403, 422)
    page = client.get(ev.path(page="/evaluation")).text
    assert "Moderate<span" not in page


def test_the_moderator_is_not_an_evaluator_unless_assigned_one(db: Session, evaluation: Evaluation) -> None:
    ev = evaluation
    moderator = factories.officer(db, "BUN")
    assign(db, ev.world, [ev.world.colleague], moderator)
    declare(db, ev.world, moderator)
    viewer = factories.viewer(db, moderator)
    form = ScoreForm(score=1, justification="x")

    with pytest.raises(NotAllowed, match="Only the evaluators assigned"):
        service.save_score(db, viewer, ev.need.id, ev.proposal.id, ev.criteria[0].id, form)
    assert panel.load(db, ev.need).moderator.user_id == moderator.id  # type: ignore[union-attr]


def test_declaring_waits_for_the_proposals_to_open(db: Session, evaluation: Evaluation) -> None:
    ev = evaluation
    person = newcomer(db, ev)
    with pytest.raises(Conflict, match="once proposals are opened"):
        panel.declare(db, factories.viewer(db, person), ev.need, "Sealed.", DeclarationForm(has_conflict=False))
    with pytest.raises(NotAllowed):  # not the owner, not an admin
        form = PanelForm(evaluator_ids=[person.id], moderator_id=person.id)
        panel.assign(db, factories.viewer(db, person), ev.need, form)


def test_the_api_assigns_the_panel_and_takes_declarations(client: Client, db: Session, evaluation: Evaluation) -> None:
    ev = evaluation
    person = factories.officer(db, "BUN")
    url = f"/api/v1/needs/{ev.need.id}/evaluation"
    sign_in(client, ev.world.officer)

    bad = client.api("PUT", f"{url}/panel", {"evaluator_ids": [], "moderator_id": person.id})
    assigned = client.api("PUT", f"{url}/panel", {"evaluator_ids": [person.id], "moderator_id": ev.world.officer.id})

    assert bad.status_code == 422 and "evaluator_ids" in bad.json()["errors"]
    assert assigned.status_code == 200
    members = {m["user_id"]: m for m in assigned.json()["members"]}
    assert set(members) == {person.id, ev.world.officer.id}
    assert members[person.id]["evaluator"] and members[person.id]["declared_at"] is None
    sign_in(client, person)
    assert client.get(f"{url}").status_code == 403
    undescribed = client.api("POST", f"{url}/declaration", {"has_conflict": True})
    declared = client.api("POST", f"{url}/declaration", {"has_conflict": False})
    assert undescribed.status_code == 422 and "description" in undescribed.json()["errors"]
    assert declared.status_code == 200
    assert client.get(f"{url}").status_code == 200
    sign_in(client, ev.world.other_officer)
    assert client.get(f"{url}/panel").status_code == 404
    body = {"evaluator_ids": [ev.world.other_officer.id], "moderator_id": ev.world.other_officer.id}
    assert client.api("PUT", f"{url}/panel", body).status_code == 404
    assert client.api("POST", f"{url}/declaration", {"has_conflict": False}).status_code == 404


def test_the_panel_is_fixed_once_moderation_starts(db: Session, evaluation: Evaluation) -> None:
    ev = evaluation
    score(db, ev, ev.world.colleague, ev.proposal, [60, 60, 60])
    start_moderation(db, ev)
    with pytest.raises(Conflict, match="Moderation has started"):
        assign(db, ev.world, [ev.world.officer, ev.world.colleague], ev.world.colleague)
