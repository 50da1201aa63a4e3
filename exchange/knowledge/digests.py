"""The saved-search emails (``exchange send-digests``, run daily): each search daily or weekly, as chosen.

A search is emailed when its time has come and it found items created since its last email (or since it
was saved); nothing new, no email, but the clock still moves on. The user's email settings decide: the
"saved searches" kind switched off (in settings or from an email's unsubscribe link) stops them all.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from exchange.accounts.models import User
from exchange.accounts.service import load_viewer
from exchange.core.models import utcnow
from exchange.knowledge import saved_searches
from exchange.knowledge.models import SavedSearch
from exchange.notifications import service as notifications
from exchange.notifications.models import NotificationKind
from exchange.outbox.service import queue_email
from exchange.reference import service as reference
from exchange.search.schemas import Hit

KIND = NotificationKind.SAVED_SEARCH_DIGEST
KIND_NAMES = {"need": "Need", "pitch": "Pitch", "offer": "Offer"}


def _body(saved: SavedSearch, described: str, hits: list[Hit], base_url: str) -> str:
    lines = [f"New results for your saved search “{saved.name}” ({described}):"]
    for hit in hits[: saved_searches.SHOWN_IN_EMAIL]:
        lines.append(f"\n- {KIND_NAMES[hit.kind]}: {hit.title} ({hit.organisation_name})")
        lines.append(f"  {hit.summary}")
        lines.append(f"  {base_url}{hit.url}")
    more = len(hits) - saved_searches.SHOWN_IN_EMAIL
    if more > 0:
        lines.append(f"\nAnd {more} more.")
    lines.append(f"\nAll results of this search: {base_url}/search?{saved.query}")
    lines.append(f"Change or delete your saved searches: {base_url}/saved-searches")
    return "\n".join(lines)


def send_saved_search_digests(db: Session, now: datetime | None = None) -> saved_searches.DigestRun:
    now = now or utcnow()
    searches = list(db.scalars(select(SavedSearch).order_by(SavedSearch.user_id, SavedSearch.id)))
    by_user: dict[int, list[SavedSearch]] = defaultdict(list)
    for saved in searches:
        if saved_searches.is_due(saved, now):
            by_user[saved.user_id].append(saved)
    emailed = notifications.users_emailed(db, by_user, KIND)
    categories = {c.id: c.label for c in reference.top_categories(db)}
    regions = {r.id: r.name for r in reference.regions(db)}
    base_url = notifications.base_url(db)
    queued = 0
    for user_id, due in by_user.items():
        user = db.get(User, user_id)
        sinces = {saved.id: saved.last_sent_at or saved.created_at for saved in due}
        # The clock moves on even when nothing is sent, so switching emails back on does not send a backlog.
        for saved in due:
            saved.last_sent_at = now
        if user is None or user_id not in emailed or user.email_verified_at is None:
            continue
        viewer = load_viewer(db, user.id)
        for saved in due:
            hits = saved_searches.created_since(db, saved_searches.newest(db, viewer, saved), sinces[saved.id])
            if not hits:
                continue
            described = saved_searches.describe(saved_searches.parse(saved.query), categories, regions)
            text, unsubscribe = notifications.email_text(
                db, user, KIND, _body(saved, described, hits, base_url), f"/search?{saved.query}"
            )
            count = f"{len(hits)} new result" + ("" if len(hits) == 1 else "s")
            queue_email(db, user.email, f"{count} for “{saved.name}”", text, unsubscribe_url=unsubscribe)
            queued += 1
    db.flush()
    return saved_searches.DigestRun(len(searches), queued)
