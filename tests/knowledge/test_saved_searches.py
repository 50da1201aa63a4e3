"""Saved searches: saved from the search page with their facets, private to their owner, with an Atom feed of
public results, and a daily or weekly email of new results through the outbox, the email settings and a real
SMTP server."""

from __future__ import annotations

import html
from datetime import timedelta
from email.header import decode_header, make_header
from xml.etree import ElementTree as ET

from sqlalchemy import select
from sqlalchemy.orm import Session

from exchange.core.models import utcnow
from exchange.knowledge import saved_searches
from exchange.knowledge.digests import send_saved_search_digests
from exchange.knowledge.models import Frequency, SavedSearch
from exchange.knowledge.schemas import SavedSearchForm
from exchange.notifications import service as notifications
from exchange.notifications.models import NotificationKind
from exchange.reference.models import Category
from tests import factories
from tests.client import Client
from tests.conftest import Inbox
from tests.knowledge.conftest import HOSTILE, World, sign_in, written

ATOM = "{http://www.w3.org/2005/Atom}"


def housing(db: Session) -> Category:
    found = db.scalars(select(Category).where(Category.parent_id.is_(None), Category.label.startswith("Housing")))
    return found.one()


def saved(
    db: Session, world: World, query: str, frequency: Frequency = Frequency.DAILY, days_ago: int = 2
) -> SavedSearch:
    form = SavedSearchForm(name="Housing needs", frequency=frequency, query=query)
    search = saved_searches.create(db, factories.viewer(db, world.officer), form)
    search.created_at = utcnow() - timedelta(days=days_ago)
    db.flush()
    return search


def test_saving_a_search_keeps_its_words_and_facets(client: Client, db: Session, world: World) -> None:
    category = housing(db)
    sign_in(client, world.officer)
    search_page = client.get(f"/search?kind=need&category={category.id}&q=damp")
    assert f'href="/saved-searches/new?kind=need&amp;category={category.id}&amp;q=damp"' in search_page.text

    form = client.get(f"/saved-searches/new?kind=need&category={category.id}&q=damp")
    assert form.status_code == 200 and "Needs: “damp”" in html.unescape(form.text)
    response = client.post(
        "/saved-searches/new",
        {"name": "Damp in homes", "frequency": "daily", "query": f"kind=need&category={category.id}&q=damp&page=3"},
    )

    assert response.status_code == 303 and response.headers["location"] == "/saved-searches"
    search = db.scalars(select(SavedSearch)).one()
    assert (search.user_id, search.name, search.frequency) == (world.officer.id, "Damp in homes", Frequency.DAILY)
    assert search.query == f"q=damp&kind=need&category={category.id}"
    assert factories.audit_events(db, "saved_search", search.id, "saved_search.created")
    listed = client.get("/saved-searches").text
    assert "Damp in homes" in listed and f'href="/search?q=damp&amp;kind=need&amp;category={category.id}"' in listed


def test_bad_input_gets_an_error_summary_and_nothing_is_saved(client: Client, db: Session, world: World) -> None:
    sign_in(client, world.officer)
    before = written(db)
    for data, message in (
        ({"name": "", "frequency": "daily"}, "Enter a name for this search"),
        ({"name": "x" * 121, "frequency": "daily"}, "120 characters or fewer"),
        ({"name": "Fine", "frequency": "hourly"}, "Choose how often to email you"),
    ):
        response = client.post("/saved-searches/new", {"query": "kind=need", **data})
        assert response.status_code == 422 and "govuk-error-summary" in response.text
        assert message in response.text
    assert written(db) == before


def test_saved_searches_are_private_to_their_owner(client: Client, db: Session, world: World) -> None:
    search = saved(db, world, "kind=need")
    sign_in(client, world.supplier_admin)
    before = written(db)
    assert search.name not in client.get("/saved-searches").text
    assert client.post(f"/saved-searches/{search.id}/delete").status_code == 404
    assert client.post(f"/saved-searches/{search.id}/frequency", {"frequency": "weekly"}).status_code == 404
    assert written(db) == before

    sign_in(client, world.officer)
    assert client.post(f"/saved-searches/{search.id}/frequency", {"frequency": "weekly"}).status_code == 303
    db.refresh(search)
    assert search.frequency is Frequency.WEEKLY
    assert client.post(f"/saved-searches/{search.id}/delete").status_code == 303
    assert factories.count(db, SavedSearch) == 0
    assert factories.audit_events(db, "saved_search", search.id, "saved_search.deleted")


def test_a_hostile_name_is_shown_as_text(client: Client, db: Session, world: World) -> None:
    form = SavedSearchForm(name=HOSTILE, frequency=Frequency.DAILY, query="kind=need")
    saved_searches.create(db, factories.viewer(db, world.officer), form)
    sign_in(client, world.officer)
    page = client.get("/saved-searches").text
    assert HOSTILE not in page and "&lt;script&gt;" in page


def test_the_atom_feed_holds_the_public_results_only(client: Client, db: Session, world: World) -> None:
    category = housing(db)
    public = factories.need(db, world.officer, world.council, title="Damp homes", category_id=category.id)
    factories.need(
        db, world.officer, world.council, title="Secret damp", category_id=category.id, visibility="public_sector"
    )
    search = saved(db, world, f"kind=need&category={category.id}")

    response = client.get(f"/saved-searches/feed/{search.feed_token}.atom")

    assert response.status_code == 200 and response.headers["content-type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    titles = [entry.findtext(f"{ATOM}title") for entry in feed.iter(f"{ATOM}entry")]
    assert titles == ["Damp homes"]
    assert feed.find(f"{ATOM}entry/{ATOM}link").get("href") == f"http://testserver/needs/{public.id}"  # type: ignore[union-attr]
    assert client.get("/saved-searches/feed/not-a-token.atom").status_code == 404


def test_the_daily_digest_emails_new_results_once(db: Session, world: World) -> None:
    category = housing(db)
    old = factories.need(db, world.officer, world.council, title="Old damp need", category_id=category.id)
    old.created_at = utcnow() - timedelta(days=5)
    search = saved(db, world, f"kind=need&category={category.id}")
    fresh = factories.need(db, world.officer, world.council, title="New damp need", category_id=category.id)
    factories.need(db, world.officer, world.council, title="Roads need")

    run = send_saved_search_digests(db)

    assert run.emails_queued == 1
    (email,) = factories.emails_to(db, world.officer.email)
    assert email.subject == "1 new result for “Housing needs”"
    assert "New damp need" in email.body_text and f"/needs/{fresh.id}\n" in email.body_text
    assert "Old damp need" not in email.body_text and "Roads need" not in email.body_text
    assert email.unsubscribe_url and "/notifications/unsubscribe?token=" in email.unsubscribe_url
    assert search.last_sent_at is not None
    assert send_saved_search_digests(db, now=utcnow() + timedelta(hours=2)).emails_queued == 0
    # A day later, nothing new: no email, but the clock moves on.
    assert send_saved_search_digests(db, now=utcnow() + timedelta(days=1, hours=1)).emails_queued == 0
    assert len(factories.emails_to(db, world.officer.email)) == 1


def test_a_weekly_search_waits_a_week(db: Session, world: World) -> None:
    search = saved(db, world, "kind=need", Frequency.WEEKLY, days_ago=2)
    factories.need(db, world.officer, world.council, title="New need")
    assert send_saved_search_digests(db).emails_queued == 0 and search.last_sent_at is None
    assert send_saved_search_digests(db, now=utcnow() + timedelta(days=5)).emails_queued == 1


def test_switched_off_in_the_settings_or_by_unsubscribing_no_email_is_sent(
    client: Client, db: Session, world: World
) -> None:
    saved(db, world, "kind=need")
    factories.need(db, world.officer, world.council, title="New need")
    token = notifications.unsubscribe_token(world.officer.id, NotificationKind.SAVED_SEARCH_DIGEST)
    assert client.post("/notifications/unsubscribe", {"token": token}).status_code == 200

    assert send_saved_search_digests(db).emails_queued == 0
    assert factories.emails_to(db, world.officer.email) == []

    sign_in(client, world.officer)
    settings = client.get("/account/notifications").text
    assert "New results for your saved searches" in settings


def test_the_digest_arrives_through_smtp(db: Session, world: World, delivered: Inbox) -> None:
    saved(db, world, "kind=need")
    factories.need(db, world.officer, world.council, title="A brand new need")
    send_saved_search_digests(db)
    db.commit()  # the email job runs after the commit that queued the digest

    (message,) = [m for m in delivered.messages if m["To"] == world.officer.email]
    # Both the fixture's need and this one are new since the search was saved.
    assert str(make_header(decode_header(message["Subject"]))) == "2 new results for “Housing needs”"
    body = message.get_payload(decode=True).decode()  # type: ignore[union-attr]
    assert "A brand new need" in body and world.need.title in body
    assert "/notifications/unsubscribe?token=" in message["List-Unsubscribe"]
