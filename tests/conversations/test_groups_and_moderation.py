"""Closed groups for the verified public sector (404 to everyone else), reports, the moderation queue, hiding
with a reason the author sees, approving first posts, and suspending accounts; every action audited."""

from __future__ import annotations

import pytest

from exchange.accounts.models import User
from exchange.conversations import groups, membership, service
from exchange.conversations.models import PostStatus
from exchange.conversations.schemas import GroupForm
from exchange.core.errors import Conflict, Invalid, NotFound
from exchange.moderation import service as moderation
from exchange.moderation.models import Report, ReportStatus
from exchange.notifications.models import Notification
from tests import factories
from tests.client import Client
from tests.conversations.conftest import People


def _group(people: People):  # type: ignore[no-untyped-def]
    return groups.create(
        people.db, people.viewer(people.officer), GroupForm(name="Safeguarding leads", description="Sharing practice")
    )


def test_only_the_verified_public_sector_sees_a_group(people: People) -> None:
    group = _group(people)
    service.ask(people.db, people.viewer(people.officer), "group", group.id, "How do you handle referrals?")
    other_officer = factories.officer(people.db, "PEN")
    membership.invite(people.db, people.viewer(people.officer), group.slug, other_officer.email)
    membership.request_to_join(people.db, people.viewer(other_officer), group.slug)
    assert len(service.thread(people.db, people.viewer(other_officer), "group", group.id).entries) == 1
    for outsider in (people.founder, people.newcomer):
        with pytest.raises(NotFound):
            service.thread(people.db, people.viewer(outsider), "group", group.id)
        with pytest.raises(NotFound):
            service.ask(people.db, people.viewer(outsider), "group", group.id, "Let me in")
        assert groups.listed(people.db, people.viewer(outsider)) == []


@pytest.mark.parametrize("who", ["anonymous", "supplier", "newcomer"])
def test_group_pages_are_404_to_outsiders(people: People, client: Client, who: str) -> None:
    group = _group(people)
    if who != "anonymous":
        person = people.founder if who == "supplier" else people.newcomer
        client.sign_in(person.email, factories.PASSWORD)
    assert client.get(f"/groups/{group.slug}").status_code == 404
    assert client.get(f"/conversations/group/{group.id}").status_code == 404
    page = client.get("/groups")
    assert page.status_code == 200 and "Safeguarding leads" not in page.text


def test_facilitators_appoint_only_verified_public_sector_members(people: People) -> None:
    group = _group(people)
    with pytest.raises(Invalid):
        groups.add_facilitator(people.db, people.viewer(people.officer), group.slug, people.founder.email)
    colleague = factories.officer(people.db, "PEN")
    groups.add_facilitator(people.db, people.viewer(people.officer), group.slug, colleague.email)
    assert groups.is_facilitator(people.db, people.viewer(colleague), group.id)
    with pytest.raises(NotFound):
        groups.add_facilitator(
            people.db, people.viewer(factories.officer(people.db, "LDS")), group.slug, colleague.email
        )


def test_a_report_reaches_the_queue_and_hiding_tells_the_author_why(people: People) -> None:
    question = service.ask(people.db, people.viewer(people.officer), "pitch", people.pitch.id, "Rude remark")
    moderation.report(people.db, people.viewer(people.founder), "post", question.id, "Abusive")
    with pytest.raises(Conflict):
        moderation.report(people.db, people.viewer(people.founder), "post", question.id, "Abusive again")
    with pytest.raises(NotFound):
        moderation.queue(people.db, people.viewer(people.founder))
    (item,) = moderation.queue(people.db, people.viewer(people.admin))
    assert item.content.id == question.id and [r.reason for r in item.reports] == ["Abusive"]
    moderation.hide(people.db, people.viewer(people.admin), "post", question.id, "Personal abuse is not allowed")
    assert question.status is PostStatus.HIDDEN
    assert people.db.query(Report).one().status is ReportStatus.UPHELD
    note = people.db.query(Notification).filter_by(user_id=people.officer.id, kind="content_moderated").one()
    assert "Personal abuse is not allowed" in note.body
    assert [e.action for e in factories.audit_events(people.db, "post", question.id)][-1] == "moderation.hidden"
    assert moderation.queue(people.db, people.viewer(people.admin)) == []


def test_facilitators_moderate_their_own_group_only(people: People) -> None:
    group = _group(people)
    in_group = service.ask(people.db, people.viewer(people.officer), "group", group.id, "Off topic")
    on_pitch = service.ask(people.db, people.viewer(people.officer), "pitch", people.pitch.id, "Question")
    facilitator = people.viewer(people.officer)
    moderation.hide(people.db, facilitator, "post", in_group.id, "Off topic for this group")
    with pytest.raises(NotFound):
        moderation.hide(people.db, facilitator, "post", on_pitch.id, "No")


def test_approving_a_first_post_makes_it_public(people: People) -> None:
    post = service.ask(people.db, people.viewer(people.newcomer), "pitch", people.pitch.id, "Is there a trial?")
    (item,) = moderation.queue(people.db, people.viewer(people.admin))
    assert item.pending
    moderation.approve(people.db, people.viewer(people.admin), post.id)
    assert post.status is PostStatus.VISIBLE
    # Once approved, the account's later posts go up at once.
    later = service.ask(people.db, people.viewer(people.newcomer), "pitch", people.pitch.id, "And a price list?")
    assert later.status is PostStatus.VISIBLE


def test_a_suspended_account_cannot_sign_in_and_its_sessions_end(people: People, client: Client) -> None:
    client.sign_in(people.newcomer.email, factories.PASSWORD)
    assert client.get("/dashboard").status_code == 200
    moderation.suspend(people.db, people.viewer(people.admin), people.newcomer.id, "Spam")
    assert client.get("/dashboard").status_code in (401, 303)
    refused = client.post("/account/sign-in", {"email": people.newcomer.email, "password": factories.PASSWORD})
    assert refused.status_code != 303 and "suspended" in refused.text
    with pytest.raises(NotFound):
        moderation.suspend(people.db, people.viewer(people.officer), people.founder.id, "No")
    assert people.db.get(User, people.founder.id).suspended_at is None


def test_the_queue_page_and_bad_input(people: People, client: Client) -> None:
    question = service.ask(people.db, people.viewer(people.officer), "pitch", people.pitch.id, "Spam spam")
    client.sign_in(people.founder.email, factories.PASSWORD)
    bad = client.post(f"/moderation/report/post/{question.id}", {"reason": ""})
    assert bad.status_code == 422 and "govuk-error-summary" in bad.text
    assert factories.count(people.db, Report) == 0
    assert client.post(f"/moderation/report/post/{question.id}", {"reason": "It is spam"}).status_code == 303
    assert client.get("/moderation").status_code == 404
    admin = Client(client.app)
    with admin:
        admin.sign_in(people.admin.email, factories.PASSWORD)
        page = admin.get("/moderation")
        assert page.status_code == 200 and "It is spam" in page.text
        no_reason = admin.post(f"/moderation/post/{question.id}/hide", {"reason": ""})
        assert no_reason.status_code == 422
        assert people.db.get(type(question), question.id).status is PostStatus.VISIBLE
        assert admin.post(f"/moderation/post/{question.id}/hide", {"reason": "Spam is not allowed"}).status_code == 303
    people.db.expire_all()
    assert people.db.get(type(question), question.id).status is PostStatus.HIDDEN
    page = client.get(f"/pitches/{people.pitch.id}")
    assert "hidden by a moderator" in page.text and "Spam spam" not in page.text


def test_a_reported_pitch_hidden_by_an_administrator_leaves_search(people: People, client: Client) -> None:
    from exchange.search.models import SearchDocument

    moderation.report(people.db, people.viewer(people.officer), "pitch", people.pitch.id, "Spam link")
    with pytest.raises(NotFound):
        moderation.hide(people.db, people.viewer(people.officer), "pitch", people.pitch.id, "No")
    assert people.db.query(SearchDocument).filter_by(kind="pitch", item_id=people.pitch.id).count() == 1
    moderation.hide(people.db, people.viewer(people.admin), "pitch", people.pitch.id, "Advertising unrelated goods")
    assert people.db.query(SearchDocument).filter_by(kind="pitch", item_id=people.pitch.id).count() == 0
    assert client.get(f"/pitches/{people.pitch.id}").status_code == 404
    client.sign_in(people.founder.email, factories.PASSWORD)
    own = client.get(f"/pitches/{people.pitch.id}")
    assert own.status_code == 200 and "Advertising unrelated goods" in own.text
    # Withdrawing and publishing again does not bring it back.
    client.post(f"/pitches/{people.pitch.id}/status", {"status": "withdrawn"})
    client.post(f"/pitches/{people.pitch.id}/status", {"status": "published"})
    assert people.db.query(SearchDocument).filter_by(kind="pitch", item_id=people.pitch.id).count() == 0
