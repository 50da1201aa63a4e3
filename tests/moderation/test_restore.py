"""Moderators restore what was hidden, from the moderation page's "Hidden content": administrators anything,
facilitators posts in their own groups. Restoring puts pitches, offers and needs back into search and matching,
tells the author and is audited; anyone else gets 404, and what is not hidden cannot be restored."""

from __future__ import annotations

import pytest

from exchange.case_studies import service as case_studies
from exchange.case_studies.schemas import CaseStudyForm
from exchange.conversations import groups, membership
from exchange.conversations import service as conversations
from exchange.conversations.models import PostStatus
from exchange.conversations.schemas import GroupForm
from exchange.core.errors import Conflict, NotFound
from exchange.matching.models import SupplierDocument
from exchange.moderation import service as moderation
from exchange.moderation.models import ContentKind
from exchange.notifications.models import Notification
from tests import factories
from tests.client import Client
from tests.moderation.conftest import HOSTILE, NEED_TITLE, Scene, indexed, sign_in


def notes_to(scene: Scene, user_id: int) -> list[str]:
    rows = scene.db.query(Notification).filter_by(user_id=user_id, kind="content_moderated").order_by(Notification.id)
    return [row.title for row in rows]


def restored_events(scene: Scene, kind: str, item_id: int) -> list[object]:
    return factories.audit_events(scene.db, kind, item_id, "moderation.restored")


def test_restoring_a_need_brings_it_back_everywhere(scene: Scene, client: Client) -> None:
    need_id = scene.need.id
    moderation.hide(scene.db, scene.viewer(scene.admin), "need", need_id, "Advertising, not a need")
    assert not indexed(scene.db, "need", need_id)

    sign_in(client, scene.admin)
    page = client.get("/moderation")
    assert "Hidden content" in page.text and NEED_TITLE in page.text and "Advertising, not a need" in page.text
    assert f'action="/moderation/need/{need_id}/restore"' in page.text
    assert client.post(f"/moderation/need/{need_id}/restore").status_code == 303
    assert "Nothing is hidden." in client.get("/moderation").text

    scene.db.expire_all()
    assert scene.need.hidden_at is None and scene.need.hidden_reason == ""
    assert indexed(scene.db, "need", need_id)
    assert len(restored_events(scene, "need", need_id)) == 1
    assert notes_to(scene, scene.officer.id)[-1] == "A moderator restored something you wrote"

    sign_in(client, None)
    assert client.get(f"/needs/{need_id}").status_code == 200
    assert NEED_TITLE in client.get("/search?q=pothole").text
    assert NEED_TITLE in client.get("/needs.atom").text
    assert client.get(f"/api/v1/needs/{need_id}/ocds").status_code == 200


@pytest.mark.parametrize("kind", ["pitch", "offer"])
def test_restoring_a_listing_puts_it_back_in_search_and_matching(scene: Scene, kind: str) -> None:
    listing = scene.pitch if kind == "pitch" else scene.offer
    admin = scene.viewer(scene.admin)

    def evidence() -> str:
        scene.db.expire_all()
        return scene.db.get_one(SupplierDocument, scene.supplier.id).body

    moderation.hide(scene.db, admin, kind, listing.id, "Advertising unrelated goods")
    assert not indexed(scene.db, kind, listing.id) and listing.title not in evidence()
    moderation.restore(scene.db, admin, kind, listing.id)
    assert indexed(scene.db, kind, listing.id) and listing.title in evidence()
    assert listing.is_public and listing.hidden_reason == ""
    assert len(restored_events(scene, kind, listing.id)) == 1
    assert notes_to(scene, scene.founder.id)[-1] == "A moderator restored something you wrote"


def test_restoring_a_case_study_shows_it_again(scene: Scene, client: Client) -> None:
    author = scene.viewer(scene.officer)
    form = CaseStudyForm(
        title="Residents mapped every pothole",
        summary="A reporting tool for rural lanes, with paper forms in parish halls.",
        problem="Potholes on lanes without pavements went unreported for months.",
        outcomes="Four times as many reports, fixed within a fortnight on average.",
        steps=["Agree the lanes", "Run the tool"],
    )
    study = case_studies.create(scene.db, author, scene.council.id, form)
    case_studies.publish(scene.db, author, study.id)
    moderation.hide(scene.db, scene.viewer(scene.admin), "case_study", study.id, "It names a resident")
    assert client.get(f"/case-studies/{study.id}").status_code == 404

    moderation.restore(scene.db, scene.viewer(scene.admin), "case_study", study.id)
    assert study.hidden_at is None and study.hidden_by_id is None and study.hidden_reason == ""
    assert client.get(f"/case-studies/{study.id}").status_code == 200
    assert len(restored_events(scene, "case_study", study.id)) == 1


def test_facilitators_restore_posts_in_their_own_groups_only(scene: Scene) -> None:
    facilitator = scene.viewer(scene.officer)
    group = groups.create(scene.db, facilitator, GroupForm(name="Highways leads", description="Roads"))
    membership.invite(scene.db, facilitator, group.slug, scene.other_officer.email)
    membership.request_to_join(scene.db, scene.viewer(scene.other_officer), group.slug)
    in_group = conversations.ask(scene.db, scene.viewer(scene.other_officer), "group", group.id, "Off topic")
    on_pitch = conversations.ask(scene.db, scene.viewer(scene.other_officer), "pitch", scene.pitch.id, "Rude")
    moderation.hide(scene.db, facilitator, "post", in_group.id, "Off topic for this group")
    admin = scene.viewer(scene.admin)
    moderation.hide(scene.db, admin, "post", on_pitch.id, "Personal abuse")
    moderation.hide(scene.db, admin, "need", scene.need.id, "Advertising, not a need")

    assert [(i.kind, i.content.id) for i in moderation.hidden(scene.db, facilitator)] == [
        (ContentKind.POST, in_group.id)
    ]
    assert len(moderation.hidden(scene.db, admin)) == 3
    for kind, item_id in (("post", on_pitch.id), ("need", scene.need.id)):
        with pytest.raises(NotFound):
            moderation.restore(scene.db, facilitator, kind, item_id)
    moderation.restore(scene.db, facilitator, "post", in_group.id)
    assert in_group.status is PostStatus.VISIBLE and in_group.hidden_at is None and in_group.hidden_by_id is None
    assert on_pitch.status is PostStatus.HIDDEN and scene.need.hidden_at is not None
    assert notes_to(scene, scene.other_officer.id)[-1] == "A moderator restored something you wrote"


def test_people_who_are_not_moderators_cannot_restore(scene: Scene, client: Client) -> None:
    moderation.hide(scene.db, scene.viewer(scene.admin), "need", scene.need.id, "Advertising, not a need")
    for person in (scene.officer, scene.other_officer, scene.founder):
        with pytest.raises(NotFound):
            moderation.restore(scene.db, scene.viewer(person), "need", scene.need.id)
        with pytest.raises(NotFound):
            moderation.hidden(scene.db, scene.viewer(person))
        sign_in(client, person)
        assert client.post(f"/moderation/need/{scene.need.id}/restore").status_code == 404
        assert client.get("/moderation").status_code == 404
    sign_in(client, None)
    anonymous = client.post(f"/moderation/need/{scene.need.id}/restore")
    assert anonymous.status_code == 303 and anonymous.headers["location"].startswith("/account/sign-in")
    scene.db.expire_all()
    assert scene.need.hidden_at is not None and not indexed(scene.db, "need", scene.need.id)
    assert restored_events(scene, "need", scene.need.id) == []


def test_what_is_not_hidden_cannot_be_restored(scene: Scene, client: Client) -> None:
    with pytest.raises(Conflict):
        moderation.restore(scene.db, scene.viewer(scene.admin), "need", scene.need.id)
    sign_in(client, scene.admin)
    refused = client.post(f"/moderation/need/{scene.need.id}/restore")
    assert refused.status_code == 409 and "not hidden" in refused.text
    assert client.post(f"/moderation/idea/{scene.need.id}/restore").status_code == 404
    assert client.post("/moderation/need/999999/restore").status_code == 404
    assert restored_events(scene, "need", scene.need.id) == []
    assert notes_to(scene, scene.officer.id) == []


def test_the_hidden_list_shows_a_hostile_reason_as_text(scene: Scene, client: Client) -> None:
    moderation.hide(scene.db, scene.viewer(scene.admin), "pitch", scene.pitch.id, HOSTILE)
    sign_in(client, scene.admin)
    page = client.get("/moderation").text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and HOSTILE not in page
