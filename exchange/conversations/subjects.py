"""What a conversation is about, and who may take part in it: the pitch, offer, need, case study or closed group,
found through its own domain's access rules (so a private need's discussion is as private as the need)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from exchange.case_studies import service as case_studies
from exchange.conversations.models import Group, GroupFacilitator, GroupMembership, MembershipStatus, SubjectKind
from exchange.core.errors import NotFound
from exchange.core.viewer import Viewer
from exchange.listings import service as listings
from exchange.listings.models import Offer, Pitch
from exchange.needs import service as needs
from exchange.needs.models import NeedStage


@dataclass(frozen=True)
class Subject:
    kind: SubjectKind
    id: int
    title: str
    url: str
    # The organisation whose members answer in public (None for a closed group).
    owner_id: int | None
    # Whether new top-level posts are taken now, and what they are called.
    open: bool
    noun: str
    # Replies: only the owner's members (answers to questions), or anyone who may post (discussions).
    owners_reply_only: bool
    facilitator_ids: frozenset[int] = frozenset()


def _pitch(db: Session, viewer: Viewer, subject_id: int) -> Subject:
    pitch = listings.get(db, viewer, Pitch, subject_id)
    return Subject(
        SubjectKind.PITCH, pitch.id, pitch.title, f"/pitches/{pitch.id}", pitch.organisation_id, True, "question", True
    )


def _offer(db: Session, viewer: Viewer, subject_id: int) -> Subject:
    offer = listings.get(db, viewer, Offer, subject_id)
    return Subject(
        SubjectKind.OFFER, offer.id, offer.title, f"/offers/{offer.id}", offer.organisation_id, True, "question", True
    )


def _need(db: Session, viewer: Viewer, subject_id: int) -> Subject:
    need = needs.get(db, viewer, subject_id)
    engaging = need.stage is NeedStage.EARLY_MARKET_ENGAGEMENT
    return Subject(
        SubjectKind.NEED, need.id, need.title, f"/needs/{need.id}", need.organisation_id, engaging, "idea", False
    )


def _case_study(db: Session, viewer: Viewer, subject_id: int) -> Subject:
    study = case_studies.get(db, viewer, subject_id)
    url = f"/case-studies/{study.id}"
    # Questions go to the authors of a published case study; a draft or a hidden one takes none.
    asking = study.is_published and not study.is_hidden
    return Subject(SubjectKind.CASE_STUDY, study.id, study.title, url, study.organisation_id, asking, "question", True)


def can_enter_groups(viewer: Viewer) -> bool:
    return viewer.public_sector_verified or viewer.is_admin


def group(db: Session, viewer: Viewer, group_id: int) -> Group:
    """A closed group exists only for the verified public sector: to anyone else it is not there."""
    found = db.get(Group, group_id)
    if found is None or not can_enter_groups(viewer):
        raise NotFound("group")
    return found


def facilitators(db: Session, group_id: int) -> frozenset[int]:
    query = select(GroupFacilitator.user_id).where(GroupFacilitator.group_id == group_id)
    return frozenset(db.scalars(query))


def can_read_group(db: Session, viewer: Viewer, group_id: int) -> bool:
    """A group's conversation is for its members, its facilitators and administrators."""
    if viewer.is_admin:
        return True
    if viewer.user_id is None or not can_enter_groups(viewer):
        return False
    if viewer.user_id in facilitators(db, group_id):
        return True
    status = db.scalar(
        select(GroupMembership.status).where(
            GroupMembership.group_id == group_id, GroupMembership.user_id == viewer.user_id
        )
    )
    return status is MembershipStatus.MEMBER


def _group(db: Session, viewer: Viewer, subject_id: int) -> Subject:
    found = group(db, viewer, subject_id)
    # Other officers see the group's name and may ask to join; what is said in it stays with its members.
    if not can_read_group(db, viewer, found.id):
        raise NotFound("group")
    return Subject(
        SubjectKind.GROUP,
        found.id,
        found.name,
        f"/groups/{found.slug}",
        None,
        True,
        "discussion",
        False,
        facilitators(db, found.id),
    )


RESOLVERS: dict[SubjectKind, Callable[[Session, Viewer, int], Subject]] = {
    SubjectKind.PITCH: _pitch,
    SubjectKind.OFFER: _offer,
    SubjectKind.NEED: _need,
    SubjectKind.CASE_STUDY: _case_study,
    SubjectKind.GROUP: _group,
}


def resolve(db: Session, viewer: Viewer, kind: str, subject_id: int) -> Subject:
    try:
        subject_kind = SubjectKind(kind)
    except ValueError:
        raise NotFound("conversation") from None
    return RESOLVERS[subject_kind](db, viewer, subject_id)
