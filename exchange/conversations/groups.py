"""Closed groups: spaces where only verified council and public-body members read and write, each with
facilitators who moderate it and can appoint more facilitators."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from exchange.accounts.models import User
from exchange.accounts.service import load_viewer
from exchange.audit import service as audit
from exchange.conversations.models import Group, GroupFacilitator
from exchange.conversations.schemas import GroupForm
from exchange.conversations.subjects import can_enter_groups, group
from exchange.core.errors import Invalid, NotFound
from exchange.core.text import slugify
from exchange.core.viewer import Viewer


def listed(db: Session, viewer: Viewer) -> list[Group]:
    if not can_enter_groups(viewer):
        return []
    return list(db.scalars(select(Group).order_by(Group.name)))


def by_slug(db: Session, viewer: Viewer, slug: str) -> Group:
    found = db.scalar(select(Group).where(Group.slug == slug))
    if found is None:
        raise NotFound("group")
    return group(db, viewer, found.id)


def create(db: Session, viewer: Viewer, form: GroupForm) -> Group:
    """A verified public-sector member starts a group and is its first facilitator."""
    if not can_enter_groups(viewer):
        raise NotFound("group")
    base = slugify(form.name, 100) or "group"
    slug, n = base, 1
    while db.scalar(select(Group.id).where(Group.slug == slug)) is not None:
        n += 1
        slug = f"{base}-{n}"
    assert viewer.user_id is not None
    created = Group(slug=slug, name=form.name, description=form.description, created_by_id=viewer.user_id)
    db.add(created)
    db.flush()
    db.add(GroupFacilitator(group_id=created.id, user_id=viewer.user_id))
    audit.record(db, viewer.user_id, "group.created", "group", created.id, name=created.name)
    db.flush()
    return created


def facilitators(db: Session, group_id: int) -> list[GroupFacilitator]:
    query = (
        select(GroupFacilitator)
        .where(GroupFacilitator.group_id == group_id)
        .options(selectinload(GroupFacilitator.user))
        .order_by(GroupFacilitator.id)
    )
    return list(db.scalars(query))


def is_facilitator(db: Session, viewer: Viewer, group_id: int) -> bool:
    return viewer.is_admin or any(f.user_id == viewer.user_id for f in facilitators(db, group_id))


def facilitated(db: Session, viewer: Viewer, slug: str) -> Group:
    """A group this viewer facilitates (or any, for an administrator); to anyone else it is not there."""
    found = by_slug(db, viewer, slug)
    if not is_facilitator(db, viewer, found.id):
        raise NotFound("group")
    return found


def add_facilitator(db: Session, viewer: Viewer, slug: str, email: str) -> GroupFacilitator:
    """Facilitators appoint others, who must themselves be verified public-sector members."""
    found = facilitated(db, viewer, slug)
    user = db.scalar(select(User).where(User.email == email.strip().lower()))
    candidate = load_viewer(db, user.id) if user is not None else None
    if candidate is None or not candidate.public_sector_verified:
        raise Invalid(
            "Check the answers and try again",
            field_errors={"email": "Enter the email address of a verified council or public-body member"},
        )
    assert user is not None
    if any(f.user_id == user.id for f in facilitators(db, found.id)):
        raise Invalid(
            "Check the answers and try again", field_errors={"email": f"{user.name} is already a facilitator"}
        )
    row = GroupFacilitator(group_id=found.id, user_id=user.id)
    row.user = user
    db.add(row)
    audit.record(db, viewer.user_id, "group.facilitator_added", "group", found.id, user=user.id)
    db.flush()
    return row
