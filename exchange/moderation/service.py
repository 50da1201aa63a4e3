"""Moderation: anyone signed in reports content; moderators (site administrators everywhere, facilitators in
their own groups) approve first posts, hide content with a reason its author is shown, restore what was hidden,
dismiss reports, and administrators suspend accounts. Every action is audited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from exchange.accounts import sessions
from exchange.accounts.models import User
from exchange.audit import service as audit
from exchange.case_studies.models import CaseStudy
from exchange.conversations import service as conversations
from exchange.conversations.models import GroupFacilitator, Post, PostStatus, SubjectKind
from exchange.conversations.subjects import resolve
from exchange.core import events
from exchange.core.errors import Conflict, NotFound
from exchange.core.models import utcnow
from exchange.core.viewer import Viewer
from exchange.listings.events import ListingChanged
from exchange.listings.models import Offer, Pitch
from exchange.moderation.models import ContentKind, Report, ReportStatus
from exchange.needs.events import NeedChanged, NeedStageChanged
from exchange.needs.models import Need
from exchange.notifications import service as notifications
from exchange.notifications.models import NotificationKind


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


# The models of everything but posts, which are found with their authors (see _content).
MODELS: dict[ContentKind, type[CaseStudy] | type[Pitch] | type[Offer] | type[Need]] = {
    ContentKind.CASE_STUDY: CaseStudy,
    ContentKind.PITCH: Pitch,
    ContentKind.OFFER: Offer,
    ContentKind.NEED: Need,
}
HIDDEN_SHOWN = 50
EARLIEST = datetime.min.replace(tzinfo=UTC)


def content_kind_of(kind: str) -> ContentKind:
    """The kind named in a path; any other word is not a page here (404)."""
    try:
        return ContentKind(kind)
    except ValueError:
        raise NotFound("content") from None


def _content(db: Session, kind: ContentKind, content_id: int) -> Any:
    if kind is ContentKind.POST:
        return db.get(Post, content_id, options=[selectinload(Post.author)])
    return db.get(MODELS[kind], content_id)


def reportable(db: Session, viewer: Viewer, kind: str, content_id: int) -> ContentKind:
    """The kind of the content, if the viewer may see it and so report it (404 for anything else)."""
    content_kind = content_kind_of(kind)
    if content_kind is ContentKind.POST:
        post = db.get(Post, content_id)
        if post is None:
            raise NotFound("post")
        subject = resolve(db, viewer, post.subject_kind, post.subject_id)
        if not conversations.shown_to(viewer, subject, post):
            raise NotFound("post")
    else:
        # Pitches, offers, needs and case studies are found through their own domain's access rules.
        resolve(db, viewer, content_kind.value, content_id)
    return content_kind


def report(db: Session, viewer: Viewer, kind: str, content_id: int, reason: str) -> Report:
    """Report something the viewer can see; a second report of the same thing by the same person is refused."""
    content_kind = reportable(db, viewer, kind, content_id)
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


@dataclass(frozen=True)
class HiddenItem:
    kind: ContentKind
    content: Any


def hidden(db: Session, viewer: Viewer) -> list[HiddenItem]:
    """What moderators hid that this moderator may restore, the most recently hidden first (404 for anyone else)."""
    groups = facilitated_groups(db, viewer)
    if not (viewer.is_admin or groups):
        raise NotFound("moderation")
    posts = select(Post).where(Post.status == PostStatus.HIDDEN).options(selectinload(Post.author))
    if not viewer.is_admin:
        posts = posts.where(Post.subject_kind == SubjectKind.GROUP, Post.subject_id.in_(sorted(groups)))
    found = [
        HiddenItem(ContentKind.POST, post)
        for post in db.scalars(posts.order_by(Post.hidden_at.desc(), Post.id.desc()).limit(HIDDEN_SHOWN))
    ]
    if viewer.is_admin:
        for kind, model in MODELS.items():
            rows = db.scalars(
                select(model)
                .where(model.hidden_at.is_not(None))
                .order_by(model.hidden_at.desc(), model.id.desc())
                .limit(HIDDEN_SHOWN)
            )
            found.extend(HiddenItem(kind, row) for row in rows)
    found.sort(key=lambda item: item.content.hidden_at or EARLIEST, reverse=True)
    return found[:HIDDEN_SHOWN]


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


def _moderated(db: Session, viewer: Viewer, kind: ContentKind, content_id: int) -> Any:
    """Content this viewer may hide or restore: facilitators posts in their groups, administrators anything."""
    if kind is ContentKind.POST:
        return _moderated_post(db, viewer, content_id)
    content = _content(db, kind, content_id) if viewer.is_admin else None
    if content is None:
        raise NotFound("content")
    return content


def hide(db: Session, viewer: Viewer, kind: str, content_id: int, reason: str) -> Any:
    """Hide a post, a case study, a pitch, an offer or a need; its author is told why, and sees the reason where it
    was. Facilitators hide posts in their groups; everything else is for site administrators."""
    content_kind = content_kind_of(kind)
    content = _moderated(db, viewer, content_kind, content_id)
    if isinstance(content, Post):
        content.status = PostStatus.HIDDEN
    content.hidden_reason = reason
    content.hidden_at = utcnow()
    if isinstance(content, Post | CaseStudy):
        content.hidden_by_id = viewer.user_id
    _reindex(db, content)
    _resolve_reports(db, viewer, content_kind, content_id, ReportStatus.UPHELD)
    audit.record(db, viewer.user_id, "moderation.hidden", content_kind.value, content_id, reason=reason)
    _tell_author(db, content_kind, content, "A moderator hid something you wrote", f"The reason given: {reason}")
    db.flush()
    return content


def restore(db: Session, viewer: Viewer, kind: str, content_id: int) -> Any:
    """Show again what a moderator (this one or another) hid, everywhere it was before; its author is told.
    The same moderators who may hide it may restore it."""
    content_kind = content_kind_of(kind)
    content = _moderated(db, viewer, content_kind, content_id)
    if content.hidden_at is None and not (isinstance(content, Post) and content.status is PostStatus.HIDDEN):
        raise Conflict("This is not hidden: there is nothing to restore.")
    if isinstance(content, Post):
        content.status = PostStatus.VISIBLE
    content.hidden_reason = ""
    content.hidden_at = None
    if isinstance(content, Post | CaseStudy):
        content.hidden_by_id = None
    _reindex(db, content)
    if isinstance(content, Need):
        # A need hidden before it opened to suppliers was never announced; subscribers hear of it once at most.
        events.record(db, NeedStageChanged(content.id))
    audit.record(db, viewer.user_id, "moderation.restored", content_kind.value, content_id)
    _tell_author(db, content_kind, content, "A moderator restored something you wrote", "It is shown again.")
    db.flush()
    return content


def _reindex(db: Session, content: Any) -> None:
    """A hidden or restored pitch, offer or need leaves or comes back to search, related items and matching at once
    (the indexers leave hidden items out)."""
    db.flush()
    if isinstance(content, Pitch | Offer):
        events.record(db, ListingChanged.of(content))
    elif isinstance(content, Need):
        events.record(db, NeedChanged(content.id))


def _tell_author(db: Session, kind: ContentKind, content: Any, title: str, body: str) -> None:
    author_id = content.author_id if isinstance(content, Post) else content.created_by_id
    author = db.get(User, author_id) if author_id is not None else None
    if author is None:
        return
    if isinstance(content, Post):
        link = f"/conversations/{content.subject_kind.value}/{content.subject_id}#post-{content.id}"
    else:
        link = f"{kind.path}/{content.id}"
    notifications.notify(db, [author], NotificationKind.CONTENT_MODERATED, title, body, link)


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
    content_kind = content_kind_of(kind)
    if content_kind is ContentKind.POST:
        _moderated_post(db, viewer, content_id)
    elif not viewer.is_admin:
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
    sessions.end_all(db, user.id)
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
