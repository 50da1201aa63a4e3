"""Membership of closed groups: facilitators invite officers, officers ask to join, facilitators approve or
decline; each step audited and told to the person it concerns. Facilitators and administrators need no row.

Doing a step twice changes nothing and tells nobody twice; accepting an invitation and approving a request
meet in the middle (asking to join a group that invited you joins it; inviting someone who asked admits them).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from exchange.accounts.models import User
from exchange.accounts.service import load_viewer
from exchange.audit import service as audit
from exchange.conversations.groups import by_slug, facilitated, facilitators, is_facilitator
from exchange.conversations.models import Group, GroupFacilitator, GroupMembership, MembershipStatus
from exchange.core.errors import Conflict, Invalid, NotFound
from exchange.core.viewer import Viewer
from exchange.notifications.models import NotificationKind
from exchange.notifications.service import notify


def membership(db: Session, group_id: int, user_id: int | None) -> GroupMembership | None:
    if user_id is None:
        return None
    return db.scalar(
        select(GroupMembership).where(GroupMembership.group_id == group_id, GroupMembership.user_id == user_id)
    )


def with_status(db: Session, group_id: int, status: MembershipStatus) -> list[GroupMembership]:
    query = (
        select(GroupMembership)
        .where(GroupMembership.group_id == group_id, GroupMembership.status == status)
        .options(selectinload(GroupMembership.user))
        .order_by(GroupMembership.created_at, GroupMembership.id)
    )
    return list(db.scalars(query))


def statuses(db: Session, viewer: Viewer, group_ids: list[int]) -> dict[int, str]:
    """Group id -> where the viewer stands ("facilitator", "member", "requested", "invited"), for the list."""
    if viewer.user_id is None or not group_ids:
        return {}
    found = {
        group_id: status.value
        for group_id, status in db.execute(
            select(GroupMembership.group_id, GroupMembership.status).where(
                GroupMembership.user_id == viewer.user_id, GroupMembership.group_id.in_(group_ids)
            )
        )
    }
    facilitating = db.scalars(
        select(GroupFacilitator.group_id).where(
            GroupFacilitator.user_id == viewer.user_id, GroupFacilitator.group_id.in_(group_ids)
        )
    )
    found.update({group_id: "facilitator" for group_id in facilitating})
    return found


def _link(group: Group) -> str:
    return f"/groups/{group.slug}"


def _admit(db: Session, row: GroupMembership, by_user_id: int | None) -> None:
    row.status = MembershipStatus.MEMBER
    row.decided_by_id = by_user_id
    db.flush()


def _add(db: Session, group: Group, user_id: int, status: MembershipStatus, by_user_id: int | None) -> bool:
    """A new row; False when one appeared at the same moment (another tab), so the caller tells nobody."""
    try:
        with db.begin_nested():
            db.add(GroupMembership(group_id=group.id, user_id=user_id, status=status, decided_by_id=by_user_id))
            db.flush()
    except IntegrityError:
        return False
    return True


def request_to_join(db: Session, viewer: Viewer, slug: str) -> MembershipStatus:
    """An officer asks to join (or accepts an invitation): the facilitators hear of a new request."""
    group = by_slug(db, viewer, slug)
    assert viewer.user_id is not None
    if is_facilitator(db, viewer, group.id):
        raise Conflict("You can read and write in this group already: you facilitate it (or administer the exchange).")
    row = membership(db, group.id, viewer.user_id)
    if row is not None and row.status is MembershipStatus.INVITED:
        _admit(db, row, viewer.user_id)
        audit.record(db, viewer.user_id, "group.invitation_accepted", "group", group.id)
        return MembershipStatus.MEMBER
    if row is not None:
        return row.status
    if _add(db, group, viewer.user_id, MembershipStatus.REQUESTED, None):
        audit.record(db, viewer.user_id, "group.join_requested", "group", group.id)
        asker = db.get_one(User, viewer.user_id)
        notify(
            db,
            [f.user for f in facilitators(db, group.id) if f.user_id != viewer.user_id],
            NotificationKind.GROUP_MEMBERSHIP,
            f"{asker.name} asks to join {group.name}"[:300],
            f"{asker.name} ({asker.email}) asks to join the closed group {group.name}. Approve or decline the "
            "request on the group's page.",
            _link(group) + "#join-requests",
        )
    return MembershipStatus.REQUESTED


def invite(db: Session, viewer: Viewer, slug: str, email: str) -> tuple[User, MembershipStatus]:
    """A facilitator invites a verified officer by email address (someone who asked to join is admitted)."""
    group = facilitated(db, viewer, slug)
    user = db.scalar(select(User).where(User.email == email.strip().lower()))
    candidate = load_viewer(db, user.id) if user is not None else None
    if user is None or candidate is None or not candidate.public_sector_verified:
        raise Invalid(
            "Check the answers and try again",
            field_errors={"email": "Enter the email address of a verified council or public-body member"},
        )
    if is_facilitator(db, candidate, group.id):
        raise Invalid("Check the answers and try again", field_errors={"email": f"{user.name} facilitates this group"})
    row = membership(db, group.id, user.id)
    if row is not None and row.status is MembershipStatus.REQUESTED:
        decide(db, viewer, slug, user.id, approve=True)
        return user, MembershipStatus.MEMBER
    if row is not None:
        return user, row.status  # already invited or a member: nothing new to say
    if _add(db, group, user.id, MembershipStatus.INVITED, viewer.user_id):
        audit.record(db, viewer.user_id, "group.member_invited", "group", group.id, user=user.id)
        notify(
            db,
            [user],
            NotificationKind.GROUP_MEMBERSHIP,
            f"You are invited to the closed group {group.name}"[:300],
            f"A facilitator invited you to {group.name}, a closed group of the verified public sector. "
            "Accept the invitation on the group's page to read and write in it.",
            _link(group),
        )
    return user, MembershipStatus.INVITED


def decide(db: Session, viewer: Viewer, slug: str, user_id: int, approve: bool) -> User:
    """A facilitator approves or declines a request to join; the person who asked is told either way."""
    group = facilitated(db, viewer, slug)
    row = membership(db, group.id, user_id)
    if row is None or row.status is not MembershipStatus.REQUESTED:
        raise NotFound("request to join")
    person = db.get_one(User, user_id)
    if approve:
        _admit(db, row, viewer.user_id)
        title, body = (
            f"You have joined {group.name}",
            f"A facilitator approved your request: you can now read and write in the closed group {group.name}.",
        )
    else:
        db.delete(row)
        db.flush()
        title, body = (
            f"Your request to join {group.name} was declined",
            f"A facilitator of {group.name} declined your request to join. You may ask again later.",
        )
    action = "group.join_approved" if approve else "group.join_declined"
    audit.record(db, viewer.user_id, action, "group", group.id, user=user_id)
    notify(db, [person], NotificationKind.GROUP_MEMBERSHIP, title[:300], body, _link(group))
    return person
