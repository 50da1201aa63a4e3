"""Public questions and answers, discussions on needs, "I have this question too", first posts waiting for a
moderator, the hourly limit, and stored text that never becomes HTML."""

from __future__ import annotations

import pytest

from exchange.conversations import service
from exchange.conversations.models import Post, PostStatus
from exchange.core.errors import Conflict, NotAllowed, NotFound, TooManyRequests
from exchange.needs.models import NeedStage, Visibility
from exchange.notifications.models import Notification
from tests import factories
from tests.client import Client
from tests.conversations.conftest import People

HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def test_a_question_is_answered_in_public_by_the_supplier(people: People) -> None:
    question = service.ask(people.db, people.viewer(people.officer), "pitch", people.pitch.id, "Does it work offline?")
    assert question.status is PostStatus.VISIBLE
    assert (
        factories.count(
            people.db, Notification, Notification.user_id == people.founder.id, Notification.kind == "question_asked"
        )
        == 1
    )
    answer = service.reply(people.db, people.viewer(people.founder), question.id, "Yes, it syncs later.")
    assert answer.organisation_id == people.supplier.id
    assert (
        factories.count(
            people.db, Notification, Notification.user_id == people.officer.id, Notification.kind == "question_answered"
        )
        == 1
    )
    thread = service.thread(people.db, factories.viewer(people.db, factories.user(people.db)), "pitch", people.pitch.id)
    assert [e.post.body for e in thread.entries] == ["Does it work offline?"]
    assert [r.body for r in thread.entries[0].replies] == ["Yes, it syncs later."]


def test_only_the_supplier_answers_its_questions(people: People) -> None:
    question = service.ask(
        people.db, people.viewer(people.officer), "offer", people.offer.id, "What does it cost per user?"
    )
    with pytest.raises(NotAllowed):
        service.reply(people.db, people.viewer(people.officer), question.id, "I think it is free")


def test_others_say_they_have_the_question_too(people: People) -> None:
    question = service.ask(people.db, people.viewer(people.officer), "pitch", people.pitch.id, "Is it accessible?")
    other = factories.officer(people.db, "PEN")
    _, count, on = service.toggle_support(people.db, people.viewer(other), question.id)
    assert (count, on) == (1, True)
    _, count, on = service.toggle_support(people.db, people.viewer(other), question.id)
    assert (count, on) == (0, False)
    service.toggle_support(people.db, people.viewer(other), question.id)
    answer = service.reply(people.db, people.viewer(people.founder), question.id, "WCAG 2.2 AA")
    assert answer.status is PostStatus.VISIBLE
    # Whoever has the question too hears the answer.
    assert (
        factories.count(
            people.db, Notification, Notification.user_id == other.id, Notification.kind == "question_answered"
        )
        == 1
    )


def test_discussion_on_a_need_is_open_only_at_early_market_engagement(people: People) -> None:
    idea = service.ask(
        people.db, people.viewer(people.founder), "need", people.need.id, "Have you tried a text service?"
    )
    reply = service.reply(people.db, people.viewer(people.officer), idea.id, "Not yet: tell us more")
    assert reply.organisation_id == people.council.id
    people.need.stage = NeedStage.OPEN_FOR_PROPOSALS
    with pytest.raises(Conflict):
        service.ask(people.db, people.viewer(people.founder), "need", people.need.id, "Another idea")


def test_a_private_needs_discussion_is_private(people: People) -> None:
    people.need.visibility = Visibility.ORGANISATION
    with pytest.raises(NotFound):
        service.thread(people.db, people.viewer(people.founder), "need", people.need.id)
    with pytest.raises(NotFound):
        service.ask(people.db, people.viewer(people.founder), "need", people.need.id, "Hello")


def test_a_first_post_by_a_new_unverified_account_waits_for_a_moderator(people: People) -> None:
    post = service.ask(people.db, people.viewer(people.newcomer), "pitch", people.pitch.id, "Buy cheap watches")
    assert post.status is PostStatus.PENDING
    assert factories.count(people.db, Notification, Notification.kind == "question_asked") == 0
    stranger = factories.viewer(people.db, factories.user(people.db))
    assert service.thread(people.db, stranger, "pitch", people.pitch.id).entries == []
    assert [
        e.post.id for e in service.thread(people.db, people.viewer(people.newcomer), "pitch", people.pitch.id).entries
    ] == [post.id]
    assert [
        e.post.id for e in service.thread(people.db, people.viewer(people.admin), "pitch", people.pitch.id).entries
    ] == [post.id]


def test_an_unconfirmed_email_cannot_post(people: People) -> None:
    unconfirmed = factories.user(people.db, verified=False)
    with pytest.raises(NotAllowed):
        service.ask(people.db, people.viewer(unconfirmed), "pitch", people.pitch.id, "Hello")


def test_posting_is_limited_per_hour(people: People) -> None:
    for n in range(service.POSTS_PER_HOUR):
        service.ask(people.db, people.viewer(people.officer), "pitch", people.pitch.id, f"Question {n}")
    with pytest.raises(TooManyRequests):
        service.ask(people.db, people.viewer(people.officer), "pitch", people.pitch.id, "One too many")
    assert factories.count(people.db, Post) == service.POSTS_PER_HOUR


def test_posts_are_rendered_as_text_never_html(people: People, client: Client) -> None:
    service.ask(people.db, people.viewer(people.officer), "pitch", people.pitch.id, HOSTILE)
    page = client.get(f"/pitches/{people.pitch.id}")
    assert page.status_code == 200
    assert "<script>alert" not in page.text and "<img src=x" not in page.text
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page.text


def test_asking_from_the_page_with_bad_input_writes_nothing(people: People, client: Client) -> None:
    client.sign_in(people.officer.email, factories.PASSWORD)
    empty = client.post(f"/conversations/pitch/{people.pitch.id}/posts", {"body": "   "})
    assert empty.status_code == 422 and "Enter your message" in empty.text
    long = client.post(f"/conversations/pitch/{people.pitch.id}/posts", {"body": "x" * 2001})
    assert long.status_code == 422 and "2,000 characters or fewer" in long.text
    assert client.post(f"/conversations/nonsense/{people.pitch.id}/posts", {"body": "Hi"}).status_code == 404
    assert factories.count(people.db, Post) == 0
    asked = client.post(f"/conversations/pitch/{people.pitch.id}/posts", {"body": "Can we see a demo?"})
    assert asked.status_code == 303 and asked.headers["location"].startswith(f"/pitches/{people.pitch.id}#post-")
    page = client.get(f"/pitches/{people.pitch.id}")
    assert "Can we see a demo?" in page.text and "Questions and answers" in page.text


def test_support_toggles_in_place(people: People, client: Client) -> None:
    question = service.ask(people.db, people.viewer(people.officer), "pitch", people.pitch.id, "Any references?")
    other = factories.officer(people.db, "PEN")
    client.sign_in(other.email, factories.PASSWORD)
    fragment = client.post(f"/conversations/posts/{question.id}/support", headers={"HX-Request": "true"})
    assert fragment.status_code == 200 and "1 person has this question too" in fragment.text
    assert "<html" not in fragment.text


def test_the_suppliers_dashboard_lists_questions_still_to_answer(people: People, client: Client) -> None:
    question = service.ask(people.db, people.viewer(people.officer), "offer", people.offer.id, "Is training included?")
    client.sign_in(people.founder.email, factories.PASSWORD)
    dashboard = client.get("/dashboard").text
    assert "Is training included?" in dashboard
    assert f'href="/offers/{people.offer.id}#post-{question.id}"' in dashboard
    service.reply(people.db, people.viewer(people.founder), question.id, "Yes, two sessions.")
    assert "Is training included?" not in client.get("/dashboard").text
