"""Moderation: anyone signed in reports content; moderators (site administrators everywhere, facilitators in
their own groups) approve first posts, hide content with a reason its author is shown, dismiss reports, and
administrators suspend accounts. Every action is audited."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from exchange.accounts.models import User
from exchange.audit import service as audit
from exchange.case_studies.models import CaseStudy
from exchange.conversations import service as conversations
from exchange.conversations.models import GroupFacilitator, Post, PostStatus, SubjectKind
from exchange.conversations.subjects import resolve
from exchange.core.errors import Conflict, NotFound
from exchange.core.models import utcnow
from exchange.core.viewer import Viewer
from exchange.listings import service as listings
from exchange.listings.models import Offer, Pitch
from exchange.matching import documents
from exchange.moderation.models import ContentKind, Report, ReportStatus
from exchange.notifications import service as notifications
from exchange.notifications.models import NotificationKind
from exchange.search import indexer


def facilitated_groups(db: Session, viewer: Viewer) -> set[int]:
    if viewer.user_id is None:
        return set()
    return set(db.scalars(select(GroupFacilitator.group_id).where(GroupFacilitator.user_id == viewer.user_id)))


def is_moderator(db: Session, viewer: Viewer) -> bool:
    return viewer.is_admin or bool(facilitated_groups(db, viewer))


def _may_moderate_post(db: Session, viewer: Viewer, post: Post, groups: set[int] | None = None) -> bool:
    if viewer.is_admin:
        return True
    groups = facilitated_groups(db, viewer) if groups is None else groups
    return post.subject_kind is SubjectKind.GROUP and post.subject_id in groups


LISTINGS: dict[ContentKind, type[Pitch] | type[Offer]] = {ContentKind.PITCH: Pitch, ContentKind.OFFER: Offer}


def _content(db: Session, kind: ContentKind, content_id: int) -> Any:
    if kind is ContentKind.POST:
        return db.get(Post, content_id, options=[selectinload(Post.author)])
    if kind in LISTINGS:
        return db.get(LISTINGS[kind], content_id)
    return db.get(CaseStudy, content_id)


def report(db: Session, viewer: Viewer, kind: str, content_id: int, reason: str) -> Report:
    """Report something the viewer can see; a second report of the same thing by the same person is refused."""
    try:
        content_kind = ContentKind(kind)
    except ValueError:
        raise NotFound("content") from None
    if content_kind is ContentKind.POST:
        post = db.get(Post, content_id)
        if post is None:
            raise NotFound("post")
        subject = resolve(db, viewer, post.subject_kind, post.subject_id)
        if not conversations.shown_to(viewer, subject, post):
            raise NotFound("post")
    elif content_kind in LISTINGS:
        listings.get(db, viewer, LISTINGS[content_kind], content_id)
    else:
        resolve(db, viewer, SubjectKind.CASE_STUDY, content_id)
    assert viewer.user_id is not None
    row = Report(content_kind=content_kind, content_id=content_id, reporter_id=viewer.user_id, reason=reason)
    try:
        with db.begin_nested():
            db.add(row)
            db.flush()
    except IntegrityError:
        raise Conflict("You have already reported this. A moderator will look at it.") from None
    audit.record(db, viewer.user_id, "moderation.reported", content_kind.value, content_id, report=row.id)
    return row


@dataclass(frozen=True)
class QueueItem:
    kind: ContentKind
    content: Any
    reports: list[Report]
    pending: bool


def queue(db: Session, viewer: Viewer) -> list[QueueItem]:
    """Open reports and posts waiting for approval that this moderator may act on (404 for anyone else)."""
    groups = facilitated_groups(db, viewer)
    if not (viewer.is_admin or groups):
        raise NotFound("moderation")
    reports = list(db.scalars(select(Report).where(Report.status == ReportStatus.OPEN).order_by(Report.created_at)))
    grouped: dict[tuple[ContentKind, int], list[Report]] = {}
    for row in reports:
        grouped.setdefault((row.content_kind, row.content_id), []).append(row)
    pending = db.scalars(select(Post).where(Post.status == PostStatus.PENDING).options(selectinload(Post.author)))
    items = [QueueItem(ContentKind.POST, post, grouped.pop((ContentKind.POST, post.id), []), True) for post in pending]
    for (kind, content_id), rows in grouped.items():
        content = _content(db, kind, content_id)
        if content is not None:
            items.append(QueueItem(kind, content, rows, False))
    return [item for item in items if _may_act(db, viewer, item, groups)]


def _may_act(db: Session, viewer: Viewer, item: QueueItem, groups: set[int]) -> bool:
    if item.kind is ContentKind.POST:
        return _may_moderate_post(db, viewer, item.content, groups)
    return viewer.is_admin


def _resolve_reports(db: Session, viewer: Viewer, kind: ContentKind, content_id: int, status: ReportStatus) -> None:
    for row in db.scalars(
        select(Report).where(
            Report.content_kind == kind, Report.content_id == content_id, Report.status == ReportStatus.OPEN
        )
    ):
        row.status = status
        row.resolved_by_id = viewer.user_id
        row.resolved_at = utcnow()


def _moderated_post(db: Session, viewer: Viewer, post_id: int) -> Post:
    post = db.get(Post, post_id, options=[selectinload(Post.author)])
    if post is None or not _may_moderate_post(db, viewer, post):
        raise NotFound("post")
    return post


def hide(db: Session, viewer: Viewer, kind: str, content_id: int, reason: str) -> Any:
    """Hide a post, a case study, a pitch or an offer; its author is told why, and sees the reason where it was.
    Facilitators hide posts in their groups; everything else is for site administrators."""
    content_kind = ContentKind(kind) if kind in {k.value for k in ContentKind} else None
    content: Any
    if content_kind is ContentKind.POST:
        content = _moderated_post(db, viewer, content_id)
        author_id = content.author_id
        content.status = PostStatus.HIDDEN
    elif content_kind is not None and viewer.is_admin:
        content = _content(db, content_kind, content_id)
        if content is None:
            raise NotFound("content")
        author_id = content.created_by_id
    else:
        raise NotFound("content")
    content.hidden_reason = reason
    content.hidden_at = utcnow()
    if isinstance(content, Pitch | Offer):
        _take_listing_down(db, content)
    else:
        content.hidden_by_id = viewer.user_id
    _resolve_reports(db, viewer, content_kind, content_id, ReportStatus.UPHELD)
    audit.record(db, viewer.user_id, "moderation.hidden", content_kind.value, content_id, reason=reason)
    author = db.get(User, author_id)
    if author is not None:
        notifications.notify(
            db,
            [author],
            NotificationKind.CONTENT_MODERATED,
            "A moderator hid something you wrote",
            f"The reason given: {reason}",
            "",
        )
    db.flush()
    return content


def _take_listing_down(db: Session, listing: Pitch | Offer) -> None:
    """A hidden pitch or offer leaves search, related items and matching at once."""
    if isinstance(listing, Pitch):
        indexer.index_pitch(db, listing)
    else:
        indexer.index_offer(db, listing)
    documents.refresh_supplier(db, listing.organisation_id)


def approve(db: Session, viewer: Viewer, post_id: int) -> Post:
    post = _moderated_post(db, viewer, post_id)
    if post.status is not PostStatus.PENDING:
        raise Conflict("This post is not waiting for approval.")
    post.status = PostStatus.VISIBLE
    audit.record(db, viewer.user_id, "moderation.approved", "post", post.id)
    subject = resolve(db, viewer, post.subject_kind, post.subject_id)
    conversations.tell_about(db, subject, post)
    db.flush()
    return post


def dismiss(db: Session, viewer: Viewer, kind: str, content_id: int) -> None:
    """The reports were unfounded: the content stays as it is."""
    content_kind = ContentKind(kind) if kind in {k.value for k in ContentKind} else None
    if content_kind is ContentKind.POST:
        _moderated_post(db, viewer, content_id)
    elif content_kind is None or not viewer.is_admin:
        raise NotFound("content")
    _resolve_reports(db, viewer, content_kind, content_id, ReportStatus.DISMISSED)
    audit.record(db, viewer.user_id, "moderation.dismissed", content_kind.value, content_id)
    db.flush()


def suspend(db: Session, viewer: Viewer, user_id: int, reason: str) -> User:
    """Administrators only: the account cannot sign in any more and its open sessions end."""
    user = db.get(User, user_id)
    if not viewer.is_admin or user is None:
        raise NotFound("user")
    if user.is_admin:
        raise Conflict("An administrator cannot be suspended here.")
    user.suspended_at = utcnow()
    user.suspended_reason = reason
    user.session_version += 1
    audit.record(db, viewer.user_id, "moderation.suspended", "user", user.id, reason=reason)
    db.flush()
    return user


def reinstate(db: Session, viewer: Viewer, user_id: int) -> User:
    user = db.get(User, user_id)
    if not viewer.is_admin or user is None:
        raise NotFound("user")
    user.suspended_at = None
    user.suspended_reason = ""
    audit.record(db, viewer.user_id, "moderation.reinstated", "user", user.id)
    db.flush()
    return user
