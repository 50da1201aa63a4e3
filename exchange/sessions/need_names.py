"""How a need is named in a session, for one viewer: its title and the words of its match only to people who
may see the need (the needs domain decides who may), and to anyone else words that say nothing about it.

Every session page, fragment, file and message that mentions a need gets its words from here, never from the
need itself: a restricted (public-sector-only) need answers 404 to suppliers, so its title must not reach them
through a session either."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from exchange.core.viewer import Viewer
from exchange.needs import service as needs
from exchange.needs.models import Need
from exchange.organisations.models import Organisation
from exchange.sessions.models import SessionMeeting
from exchange.sessions.preferences import Suggestion

# What a suggestion says to someone who may not see the need it came from.
SUGGESTED_UNNAMED = "Suggested by the exchange"


class NeedNames:
    """The needs one viewer may name, loaded once for a page (no query per meeting)."""

    def __init__(self, viewer: Viewer, needs_seen: Iterable[Need]) -> None:
        self.viewer = viewer
        self._titles = {need.id: need.title for need in needs_seen if needs.can_see(viewer, need)}

    def title(self, need_id: int | None) -> str | None:
        """The need's title if this viewer may see the need, otherwise None."""
        return self._titles.get(need_id) if need_id is not None else None

    def _suggested(self, need_id: int | None, detail: str) -> str:
        title = self.title(need_id)
        return f"Suggested for “{title}”: {detail}" if title is not None and detail else SUGGESTED_UNNAMED

    def reason(self, meeting: SessionMeeting) -> str:
        """Why the pair meets, as this viewer may read it."""
        if meeting.need_id is None and not meeting.need_detail:
            return meeting.reason
        return self._suggested(meeting.need_id, meeting.need_detail)

    def suggestion(self, suggestion: Suggestion) -> str:
        return self._suggested(suggestion.need_id, suggestion.detail)


def load(db: Session, viewer: Viewer, need_ids: Iterable[int | None]) -> NeedNames:
    ids = {need_id for need_id in need_ids if need_id is not None}
    found: list[Need] = list(db.scalars(select(Need).where(Need.id.in_(ids)))) if ids else []
    return NeedNames(viewer, found)


def for_meetings(db: Session, viewer: Viewer, meetings: Iterable[SessionMeeting]) -> NeedNames:
    return load(db, viewer, (m.need_id for m in meetings))


def for_suggestions(db: Session, viewer: Viewer, suggestions: Iterable[Suggestion]) -> NeedNames:
    return load(db, viewer, (s.need_id for s in suggestions))


def viewer_of_organisation(organisation: Organisation) -> Viewer:
    """Who reads what is sent to an organisation rather than shown to a signed-in person (a calendar feed): its
    members, with the rights of a verified public body only if it is one."""
    return Viewer(
        organisation_ids=frozenset({organisation.id}),
        public_sector_verified=organisation.is_public_sector and organisation.verified,
    )
