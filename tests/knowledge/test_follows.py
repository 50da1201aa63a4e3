"""Following: from an item's page, in place with HTMX or as a plain form; only what one may see; the list of
what one follows; and followers of a need told when a clarification question about it is answered."""

from __future__ import annotations

import html

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from exchange.knowledge import follows
from exchange.knowledge.models import Follow, FollowKind
from exchange.needs import service as needs
from exchange.needs.models import NeedStage, Visibility
from exchange.notifications.models import Notification, NotificationKind
from exchange.proposals import clarifications
from exchange.proposals.schemas import AnswerForm, QuestionForm
from exchange.reference.models import Category
from tests import factories
from tests.client import Client
from tests.knowledge.conftest import HOSTILE, World, htmx, sign_in, written
from tests.proposals.conftest import set_up_procurement


def test_following_an_organisation_from_its_page_without_javascript(client: Client, db: Session, world: World) -> None:
    sign_in(client, world.officer)
    page = client.get(f"/organisations/{world.supplier.slug}").text
    assert f'action="/follows/organisation/{world.supplier.id}"' in page

    response = client.post(
        f"/follows/organisation/{world.supplier.id}", {"next": f"/organisations/{world.supplier.slug}"}
    )

    assert response.status_code == 303 and response.headers["location"] == f"/organisations/{world.supplier.slug}"
    follow = db.scalars(select(Follow)).one()
    assert (follow.user_id, follow.target_kind, follow.target_id) == (
        world.officer.id,
        "organisation",
        world.supplier.id,
    )
    assert factories.audit_events(db, "follow", follow.id, "follow.created")
    page = client.get(f"/organisations/{world.supplier.slug}").text
    assert "You follow this organisation." in page and "1 person follows this organisation." in page
    # Following twice changes nothing.
    client.post(f"/follows/organisation/{world.supplier.id}")
    assert factories.count(db, Follow) == 1

    response = client.post(f"/follows/organisation/{world.supplier.id}/remove", {"next": "//evil.example/"})
    assert response.status_code == 303 and response.headers["location"] == "/following"
    assert factories.count(db, Follow) == 0
    assert factories.audit_events(db, "follow", follow.id, "follow.removed")


def test_the_follow_button_toggles_in_place_with_htmx(client: Client, db: Session, world: World) -> None:
    sign_in(client, world.supplier_admin)
    url = f"/follows/need/{world.need.id}"

    followed = htmx(client, url, {"next": f"/needs/{world.need.id}"})

    assert followed.status_code == 200 and "<html" not in followed.text
    assert f'id="follow-need-{world.need.id}"' in followed.text and 'aria-pressed="true"' in followed.text
    assert f'hx-post="{url}/remove"' in followed.text
    unfollowed = htmx(client, f"{url}/remove", {"next": f"/needs/{world.need.id}"})
    assert 'aria-pressed="false"' in unfollowed.text and factories.count(db, Follow) == 0


def test_what_one_may_not_see_cannot_be_followed(client: Client, db: Session, world: World) -> None:
    private = factories.need(db, world.officer, world.council, visibility="organisation")
    sign_in(client, world.supplier_admin)
    before = written(db)
    for url in (
        f"/follows/need/{private.id}",
        "/follows/need/999999",
        "/follows/planet/1",
        "/follows/case_study/1",
        "/follows/organisation/999999",
    ):
        assert client.post(url).status_code == 404, url
    assert written(db) == before
    sign_in(client, None)
    assert client.post(f"/follows/organisation/{world.supplier.id}").status_code == 303
    assert written(db) == before


def test_the_following_page_lists_what_one_follows_safely(client: Client, db: Session, world: World) -> None:
    owner = factories.user(db)
    hostile = factories.pitch(db, owner, factories.supplier(db, owner), title=HOSTILE)
    viewer = factories.viewer(db, world.officer)
    follows.follow(db, viewer, FollowKind.PITCH, hostile.id)
    follows.follow(db, viewer, FollowKind.OFFER, world.offer.id)
    follows.follow(db, viewer, FollowKind.ORGANISATION, world.supplier.id)
    housing = db.scalars(select(Category).where(Category.parent_id.is_(None))).first()
    assert housing is not None
    follows.follow(db, viewer, FollowKind.CATEGORY, housing.id)
    sign_in(client, world.officer)

    page = client.get("/following").text

    assert HOSTILE not in page and "&lt;script&gt;" in page
    for title in (world.offer.title, world.supplier.name, housing.label):
        assert title in html.unescape(page)
    assert f'href="/pitches/{hostile.id}"' in page and f'href="/search?category={housing.id}"' in page
    sign_in(client, world.supplier_admin)
    assert world.supplier.name not in client.get("/following").text


def test_followers_of_a_need_are_told_when_a_clarification_is_answered(db: Session, world: World) -> None:
    officer_viewer = factories.viewer(db, world.officer)
    needs.change_stage(db, officer_viewer, world.need.id, NeedStage.OPEN_FOR_PROPOSALS)
    set_up_procurement(db, world.officer, world.need)
    follower = factories.user(db, "fran@follower.example", name="Fran Follower")
    quiet = factories.user(db, "quiet@follower.example", name="Quiet Person")
    follows.follow(db, factories.viewer(db, follower), FollowKind.NEED, world.need.id)
    asker = factories.user(db, "asker@supplier.example")
    factories.supplier(db, asker)
    question = clarifications.ask(db, factories.viewer(db, asker), world.need.id, QuestionForm(question="Paper too?"))

    clarifications.answer(db, officer_viewer, world.need.id, question.id, AnswerForm(answer="Yes, paper too."))

    answered = select(Notification).where(Notification.kind == NotificationKind.CLARIFICATION_ANSWERED)
    told = {notification.user_id for notification in db.scalars(answered)}
    assert follower.id in told and asker.id in told and quiet.id not in told
    assert any("Paper too?" in m.body_text for m in factories.emails_to(db, follower.email))


def test_followers_of_a_need_no_longer_public_are_not_told(db: Session, world: World) -> None:
    follower = factories.user(db, "fran@follower.example")
    follows.follow(db, factories.viewer(db, follower), FollowKind.NEED, world.need.id)
    world.need.visibility = Visibility.ORGANISATION
    db.flush()
    assert list(db.scalars(follows.need_followers(db, world.need.id))) == []


def test_a_category_is_followed_from_the_search_page_through_a_page_of_its_own(
    client: Client, db: Session, world: World
) -> None:
    category = db.scalars(select(Category).where(Category.parent_id.is_(None))).first()
    assert category is not None
    sign_in(client, world.officer)
    assert f'href="/follows/category/{category.id}"' in client.get(f"/search?category={category.id}").text

    page = client.get(f"/follows/category/{category.id}")

    assert page.status_code == 200 and f'action="/follows/category/{category.id}"' in page.text
    response = client.post(f"/follows/category/{category.id}", {"next": f"/search?category={category.id}"})
    assert response.status_code == 303 and response.headers["location"] == f"/search?category={category.id}"
    assert follows.is_following(db, world.officer.id, FollowKind.CATEGORY, category.id)
    assert client.get("/follows/category/999999").status_code == 404


def test_every_followable_page_has_its_follow_button(client: Client, db: Session, world: World) -> None:
    pitch = factories.pitch(db, world.supplier_admin, world.supplier)
    sign_in(client, world.officer)
    for page, action in (
        (f"/needs/{world.need.id}", f"/follows/need/{world.need.id}"),
        (f"/pitches/{pitch.id}", f"/follows/pitch/{pitch.id}"),
        (f"/offers/{world.offer.id}", f"/follows/offer/{world.offer.id}"),
        (f"/organisations/{world.council.slug}", f"/follows/organisation/{world.council.id}"),
    ):
        assert f'action="{action}"' in client.get(page).text, page
    sign_in(client, None)
    assert "Sign in to follow this need" in client.get(f"/needs/{world.need.id}").text


def test_published_case_studies_can_be_followed_and_drafts_cannot(client: Client, db: Session, world: World) -> None:
    models = pytest.importorskip("exchange.case_studies.models")

    def case_study(status: str) -> int:
        row = models.CaseStudy(
            organisation_id=world.council.id,
            title=f"How we ran a {status} consultation",
            summary="What we did.",
            problem="Few responses.",
            outcomes="Three times as many.",
            status=models.CaseStudyStatus(status),
        )
        db.add(row)
        db.flush()
        return int(row.id)

    published, draft = case_study("published"), case_study("draft")
    sign_in(client, world.supplier_admin)
    assert client.post(f"/follows/case_study/{draft}").status_code == 404
    assert client.post(f"/follows/case_study/{published}", {"next": f"/case-studies/{published}"}).status_code == 303
    page = client.get("/following").text
    assert "How we ran a published consultation" in page and f'href="/case-studies/{published}"' in page
