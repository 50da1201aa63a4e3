"""Following: a user keeps an eye on an organisation, a need, a pitch, an offer, a category or a case study.

A follow is a (kind, id) pair, so a new kind of target (case studies) needs a name and a way to find its
title, not a migration. Only what the user may see can be followed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, false, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from exchange.audit import service as audit
from exchange.case_studies.models import CaseStudy, CaseStudyStatus
from exchange.core.errors import NotFound
from exchange.core.viewer import Viewer
from exchange.knowledge.models import Follow, FollowKind
from exchange.listings import service as listings
from exchange.listings.models import ListingStatus, Offer, Pitch
from exchange.needs import service as needs
from exchange.needs.models import Need
from exchange.organisations.models import Organisation
from exchange.reference.models import Category

KINDS = frozenset(kind.value for kind in FollowKind)
KIND_NOUNS = {
    FollowKind.ORGANISATION: "organisation",
    FollowKind.NEED: "need",
    FollowKind.PITCH: "pitch",
    FollowKind.OFFER: "offer",
    FollowKind.CATEGORY: "category",
    FollowKind.CASE_STUDY: "case study",
}


@dataclass(frozen=True)
class Followed:
    kind: FollowKind
    target_id: int
    title: str
    url: str

    @property
    def noun(self) -> str:
        return KIND_NOUNS[self.kind]


def parse_kind(kind: str) -> FollowKind:
    try:
        return FollowKind(kind)
    except ValueError:
        raise NotFound() from None


def target(db: Session, viewer: Viewer, kind: FollowKind, target_id: int) -> Followed:
    """The target as the viewer may see it; anything they may not see does not exist for them."""
    if kind is FollowKind.ORGANISATION:
        organisation = db.get(Organisation, target_id)
        if organisation is None:
            raise NotFound()
        return Followed(kind, target_id, organisation.name, f"/organisations/{organisation.slug}")
    if kind is FollowKind.NEED:
        need = needs.get(db, viewer, target_id)
        return Followed(kind, target_id, need.title, f"/needs/{need.id}")
    if kind in (FollowKind.PITCH, FollowKind.OFFER):
        model = Pitch if kind is FollowKind.PITCH else Offer
        listing = listings.get(db, viewer, model, target_id)
        return Followed(kind, target_id, listing.title, f"/{'pitches' if model is Pitch else 'offers'}/{listing.id}")
    if kind is FollowKind.CATEGORY:
        category = db.get(Category, target_id)
        if category is None:
            raise NotFound()
        return Followed(kind, target_id, category.label, f"/search?category={category.parent_id or category.id}")
    found = db.get(CaseStudy, target_id)
    # Only published case studies can be followed: a draft is its authors' alone, a hidden one moderated away.
    if found is None or found.status is not CaseStudyStatus.PUBLISHED or found.hidden_at is not None:
        raise NotFound()
    return Followed(kind, target_id, found.title, f"/case-studies/{target_id}")


def is_following(db: Session, user_id: int | None, kind: FollowKind, target_id: int) -> bool:
    if user_id is None:
        return False
    query = select(Follow.id).where(
        Follow.user_id == user_id, Follow.target_kind == kind.value, Follow.target_id == target_id
    )
    return db.scalar(query) is not None


def follower_count(db: Session, kind: FollowKind, target_id: int) -> int:
    query = select(func.count()).where(Follow.target_kind == kind.value, Follow.target_id == target_id)
    return db.scalar(query) or 0


def follow(db: Session, viewer: Viewer, kind: FollowKind, target_id: int) -> Followed:
    """Follow (following twice changes nothing)."""
    assert viewer.user_id is not None
    followed = target(db, viewer, kind, target_id)
    if is_following(db, viewer.user_id, kind, target_id):
        return followed
    try:
        with db.begin_nested():
            row = Follow(user_id=viewer.user_id, target_kind=kind.value, target_id=target_id)
            db.add(row)
            db.flush()
    except IntegrityError:  # the same follow from another tab at the same moment
        return followed
    audit.record(db, viewer.user_id, "follow.created", "follow", row.id, kind=kind.value, target_id=target_id)
    return followed


def unfollow(db: Session, viewer: Viewer, kind: FollowKind, target_id: int) -> None:
    row = db.scalar(
        select(Follow).where(
            Follow.user_id == viewer.user_id, Follow.target_kind == kind.value, Follow.target_id == target_id
        )
    )
    if row is None:
        return
    audit.record(db, viewer.user_id, "follow.removed", "follow", row.id, kind=kind.value, target_id=target_id)
    db.delete(row)
    db.flush()


def _titles(db: Session, kind: FollowKind, ids: list[int]) -> dict[int, tuple[str, str]]:
    """Target id -> (title, url) for one kind, in one query."""
    queries: dict[FollowKind, tuple[Any, Callable[[Any], str]]] = {
        FollowKind.ORGANISATION: (
            select(Organisation.id, Organisation.name, Organisation.slug),
            lambda row: f"/organisations/{row[2]}",
        ),
        FollowKind.NEED: (select(Need.id, Need.title).where(Need.hidden_at.is_(None)), lambda row: f"/needs/{row[0]}"),
        FollowKind.PITCH: (
            select(Pitch.id, Pitch.title).where(Pitch.status == ListingStatus.PUBLISHED, Pitch.hidden_at.is_(None)),
            lambda row: f"/pitches/{row[0]}",
        ),
        FollowKind.OFFER: (
            select(Offer.id, Offer.title).where(Offer.status == ListingStatus.PUBLISHED, Offer.hidden_at.is_(None)),
            lambda row: f"/offers/{row[0]}",
        ),
        FollowKind.CATEGORY: (
            select(Category.id, Category.label, Category.parent_id),
            lambda row: f"/search?category={row[2] or row[0]}",
        ),
    }
    queries[FollowKind.CASE_STUDY] = (
        select(CaseStudy.id, CaseStudy.title).where(
            CaseStudy.status == CaseStudyStatus.PUBLISHED, CaseStudy.hidden_at.is_(None)
        ),
        lambda row: f"/case-studies/{row[0]}",
    )
    if kind not in queries:
        return {}
    query, url = queries[kind]
    column = query.selected_columns[0]
    return {row[0]: (row[1], url(row)) for row in db.execute(query.where(column.in_(ids)))}


def follows_of(db: Session, user_id: int) -> list[Followed]:
    """What the user follows, newest first, with titles read in one query per kind."""
    rows = list(db.scalars(select(Follow).where(Follow.user_id == user_id).order_by(Follow.id.desc())))
    by_kind: dict[FollowKind, list[int]] = defaultdict(list)
    for row in rows:
        if row.target_kind in KINDS:
            by_kind[FollowKind(row.target_kind)].append(row.target_id)
    titles = {kind: _titles(db, kind, ids) for kind, ids in by_kind.items()}
    found = []
    for row in rows:
        kind = FollowKind(row.target_kind) if row.target_kind in KINDS else None
        if kind is not None and row.target_id in titles[kind]:
            title, url = titles[kind][row.target_id]
            found.append(Followed(kind, row.target_id, title, url))
    return found


def followers_of(kind: FollowKind, target_id: int) -> Select[Any]:
    """The ids of the users following the target, as a subquery for notifications."""
    return select(Follow.user_id).where(Follow.target_kind == kind.value, Follow.target_id == target_id)


def need_followers(db: Session, need_id: int) -> Select[Any]:
    """The followers to tell about a need's news: none unless the need is open to everyone, so nothing leaks to a
    follower who could see it once but not since its council narrowed who may, or a moderator hid it."""
    shown = db.scalar(select(Need.id).where(Need.id == need_id, Need.open_to_everyone))
    query = followers_of(FollowKind.NEED, need_id)
    return query if shown is not None else query.where(false())
