"""Reporting a need, and an administrator hiding it: out of sight for everyone but its council, who see why; out
of search, the feed and the published data. Only administrators hide needs; bad input changes nothing."""

from __future__ import annotations

import pytest

from exchange.core.errors import Conflict, NotFound
from exchange.moderation import service as moderation
from exchange.moderation.models import ContentKind, Report, ReportStatus
from exchange.needs.models import Visibility
from exchange.notifications.models import Notification
from tests import factories
from tests.client import Client
from tests.moderation.conftest import HOSTILE, NEED_TITLE, Scene, indexed, sign_in

REPORT_LINK = "Report this need"


def moderated_notes(scene: Scene) -> list[Notification]:
    return list(scene.db.query(Notification).filter_by(user_id=scene.officer.id, kind="content_moderated"))


def test_anyone_who_can_see_a_need_reports_it_once(scene: Scene) -> None:
    reporter = scene.viewer(scene.other_officer)
    row = moderation.report(scene.db, reporter, "need", scene.need.id, "It advertises a product")
    assert row.content_kind is ContentKind.NEED and row.status is ReportStatus.OPEN
    with pytest.raises(Conflict):
        moderation.report(scene.db, reporter, "need", scene.need.id, "Still advertising")
    assert factories.count(scene.db, Report) == 1
    assert len(factories.audit_events(scene.db, "need", scene.need.id, "moderation.reported")) == 1
    (item,) = moderation.queue(scene.db, scene.viewer(scene.admin))
    assert item.kind is ContentKind.NEED and item.content.id == scene.need.id


def test_the_need_page_offers_reporting_to_signed_in_people_outside_its_council(scene: Scene, client: Client) -> None:
    page = f"/needs/{scene.need.id}"
    assert REPORT_LINK not in client.get(page).text
    sign_in(client, scene.officer)
    assert REPORT_LINK not in client.get(page).text

    sign_in(client, scene.other_officer)
    assert f'href="/moderation/report/need/{scene.need.id}"' in client.get(page).text
    form = client.get(f"/moderation/report/need/{scene.need.id}")
    assert form.status_code == 200 and REPORT_LINK in form.text
    sent = client.post(f"/moderation/report/need/{scene.need.id}", {"reason": "It advertises a product"})
    assert sent.status_code == 303
    again = client.post(f"/moderation/report/need/{scene.need.id}", {"reason": "Still advertising"})
    assert again.status_code == 409 and "already reported" in again.text
    assert factories.count(scene.db, Report) == 1


def test_a_need_the_viewer_cannot_see_cannot_be_reported(scene: Scene, client: Client) -> None:
    private = factories.need(
        scene.db, scene.officer, scene.council, visibility=Visibility.ORGANISATION, title="Internal restructure"
    )
    with pytest.raises(NotFound):
        moderation.report(scene.db, scene.viewer(scene.other_officer), "need", private.id, "Spam")
    sign_in(client, scene.other_officer)
    assert client.get(f"/moderation/report/need/{private.id}").status_code == 404
    for reason in ("Spam", ""):
        assert client.post(f"/moderation/report/need/{private.id}", {"reason": reason}).status_code == 404
    assert client.post("/moderation/report/need/999999", {"reason": "Spam"}).status_code == 404
    assert factories.count(scene.db, Report) == 0


def test_reporting_a_need_asks_the_anonymous_to_sign_in(scene: Scene, client: Client) -> None:
    for response in (
        client.get(f"/moderation/report/need/{scene.need.id}"),
        client.post(f"/moderation/report/need/{scene.need.id}", {"reason": "Spam"}),
    ):
        assert response.status_code == 303 and response.headers["location"].startswith("/account/sign-in")
    api = client.request("POST", f"/moderation/report/need/{scene.need.id}", headers={"Accept": "application/json"})
    assert api.status_code in (401, 403)
    assert factories.count(scene.db, Report) == 0


def test_a_hidden_need_is_seen_only_by_its_council_and_the_administrators(scene: Scene, client: Client) -> None:
    need_id = scene.need.id
    assert indexed(scene.db, "need", need_id) and NEED_TITLE in client.get("/needs.atom").text
    assert NEED_TITLE in client.get("/search?q=pothole").text
    assert client.get(f"/api/v1/needs/{need_id}/ocds").status_code == 200
    moderation.report(scene.db, scene.viewer(scene.other_officer), "need", need_id, "It advertises a product")

    sign_in(client, scene.admin)
    queue = client.get("/moderation")
    assert "Reported need" in queue.text and NEED_TITLE in queue.text
    assert client.post(f"/moderation/need/{need_id}/hide", {"reason": "Advertising, not a need"}).status_code == 303

    scene.db.expire_all()
    assert scene.need.hidden_at is not None and scene.need.hidden_reason == "Advertising, not a need"
    assert scene.db.query(Report).one().status is ReportStatus.UPHELD
    (note,) = moderated_notes(scene)
    assert "Advertising, not a need" in note.body and note.link == f"/needs/{need_id}"
    assert len(factories.audit_events(scene.db, "need", need_id, "moderation.hidden")) == 1
    assert client.get(f"/needs/{need_id}").status_code == 200

    for person in (None, scene.other_officer, scene.founder):
        sign_in(client, person)
        assert client.get(f"/needs/{need_id}").status_code == 404, person
        assert client.get(f"/api/v1/needs/{need_id}").status_code == 404, person
        assert NEED_TITLE not in client.get("/search?q=pothole").text
        assert NEED_TITLE not in client.get("/api/v1/needs?q=pothole").text
    assert not indexed(scene.db, "need", need_id)
    assert NEED_TITLE not in client.get("/needs.atom").text
    assert client.get(f"/api/v1/needs/{need_id}/ocds").status_code == 404
    assert NEED_TITLE not in client.get("/api/v1/ocds/releases").text

    sign_in(client, scene.officer)
    own = client.get(f"/needs/{need_id}")
    assert own.status_code == 200 and "hidden by the exchange's moderators" in own.text
    assert "Advertising, not a need" in own.text and "hidden by a moderator" in own.text
    assert "reported" not in own.text
    assert client.get(f"/api/v1/needs/{need_id}").status_code == 200


def test_changing_a_hidden_need_does_not_bring_it_back(scene: Scene) -> None:
    from exchange.needs import service as needs
    from exchange.needs.models import NeedStage

    moderation.hide(scene.db, scene.viewer(scene.admin), "need", scene.need.id, "Advertising, not a need")
    needs.change_stage(scene.db, scene.viewer(scene.officer), scene.need.id, NeedStage.CLOSED)
    assert not indexed(scene.db, "need", scene.need.id)


def test_only_administrators_hide_needs(scene: Scene, client: Client) -> None:
    for person in (scene.officer, scene.other_officer, scene.founder):
        with pytest.raises(NotFound):
            moderation.hide(scene.db, scene.viewer(person), "need", scene.need.id, "Not allowed")
        sign_in(client, person)
        refused = client.post(f"/moderation/need/{scene.need.id}/hide", {"reason": "Not allowed"})
        assert refused.status_code == 404, person
    scene.db.expire_all()
    assert scene.need.hidden_at is None and indexed(scene.db, "need", scene.need.id)
    assert moderated_notes(scene) == []


def test_a_hostile_reason_is_shown_as_text(scene: Scene, client: Client) -> None:
    moderation.hide(scene.db, scene.viewer(scene.admin), "need", scene.need.id, HOSTILE)
    pages = [
        (scene.officer, f"/needs/{scene.need.id}"),
        (scene.admin, f"/needs/{scene.need.id}"),
        (scene.admin, "/moderation"),
    ]
    for person, page in pages:
        sign_in(client, person)
        text = client.get(page).text
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text and HOSTILE not in text, page


@pytest.mark.parametrize(
    ("path", "reason", "status", "message"),
    [
        ("/moderation/need/{id}/hide", "", 422, "Enter the reason"),
        ("/moderation/need/{id}/hide", "x" * 501, 422, "500 characters"),
        ("/moderation/idea/{id}/hide", "A fine reason", 404, "Page not found"),
        ("/moderation/idea/{id}/hide", "", 404, "Page not found"),
    ],
)
def test_bad_input_is_refused_and_changes_nothing(
    scene: Scene, client: Client, path: str, reason: str, status: int, message: str
) -> None:
    moderation.report(scene.db, scene.viewer(scene.other_officer), "need", scene.need.id, "It advertises a product")
    sign_in(client, scene.admin)
    refused = client.post(path.format(id=scene.need.id), {"reason": reason})
    assert refused.status_code == status and message in refused.text
    if status == 422:
        assert "govuk-error-summary" in refused.text
    scene.db.expire_all()
    assert scene.need.hidden_at is None and indexed(scene.db, "need", scene.need.id)
    assert scene.db.query(Report).one().status is ReportStatus.OPEN
    assert factories.audit_events(scene.db, "need", scene.need.id, "moderation.hidden") == []
    assert moderated_notes(scene) == []


@pytest.mark.parametrize(("reason", "message"), [("", "Enter"), ("x" * 501, "500 characters")])
def test_a_report_without_a_proper_reason_is_refused(scene: Scene, client: Client, reason: str, message: str) -> None:
    sign_in(client, scene.other_officer)
    refused = client.post(f"/moderation/report/need/{scene.need.id}", {"reason": reason})
    assert refused.status_code == 422 and "govuk-error-summary" in refused.text and message in refused.text
    assert factories.count(scene.db, Report) == 0
