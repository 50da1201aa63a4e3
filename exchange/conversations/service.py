"""The rules for public questions and discussions: who may post where, first posts of new accounts waiting
for approval, a limit on posts per hour, "I have this question too", and who is told."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from exchange.accounts.models import Member, MemberStatus, User
from exchange.audit import service as audit
from exchange.conversations.models import Post, PostStatus, PostSupport, SubjectKind
from exchange.conversations.subjects import Subject, resolve
from exchange.core.database import take_turns_on
from exchange.core.errors import Conflict, NotAllowed, NotFound, TooManyRequests
from exchange.core.models import utcnow
from exchange.core.viewer import Viewer
from exchange.notifications import service as notifications
from exchange.notifications.models import NotificationKind
from exchange.organisations.models import Organisation
from exchange.organisations.service import active_members

# A person posts a handful of times in an hour; more is a script or a flood.
POSTS_PER_HOUR = 10


@dataclass
class Entry:
    post: Post
    replies: list[Post] = field(default_factory=list)
    supporters: int = 0
    supported_by_viewer: bool = False


@dataclass
class Thread:
    subject: Subject
    entries: list[Entry]
    can_post: bool
    can_reply: bool
    is_moderator: bool


def is_moderator(viewer: Viewer, subject: Subject) -> bool:
    return viewer.is_admin or (viewer.user_id is not None and viewer.user_id in subject.facilitator_ids)


def shown_to(viewer: Viewer, subject: Subject, post: Post) -> bool:
    """Pending posts only to their author and the moderators; hidden ones stay as a placeholder for all."""
    if post.status is PostStatus.PENDING:
        return post.author_id == viewer.user_id or is_moderator(viewer, subject)
    return True


def may_post(viewer: Viewer) -> bool:
    return viewer.signed_in and viewer.email_verified


def may_reply(viewer: Viewer, subject: Subject) -> bool:
    if not may_post(viewer):
        return False
    if subject.owners_reply_only:
        return subject.owner_id is not None and viewer.is_member(subject.owner_id)
    return True


def thread(db: Session, viewer: Viewer, kind: SubjectKind | str, subject_id: int) -> Thread:
    subject = resolve(db, viewer, kind, subject_id)
    posts = list(
        db.scalars(
            select(Post)
            .where(Post.subject_kind == subject.kind, Post.subject_id == subject.id)
            .options(selectinload(Post.author))
            .order_by(Post.created_at, Post.id)
        )
    )
    posts = [p for p in posts if shown_to(viewer, subject, p)]
    top = [p for p in posts if p.parent_id is None]
    counts = _supporters(db, [p.id for p in top])
    mine = _supported_by(db, viewer, [p.id for p in top])
    entries = {p.id: Entry(p, [], counts.get(p.id, 0), p.id in mine) for p in top}
    for post in posts:
        if post.parent_id in entries:
            entries[post.parent_id].replies.append(post)
    ordered = (
        sorted(entries.values(), key=lambda e: (-e.supporters, -e.post.id))
        if subject.noun == "question"
        else list(entries.values())
    )
    return Thread(
        subject, ordered, may_post(viewer) and subject.open, may_reply(viewer, subject), is_moderator(viewer, subject)
    )


def _supporters(db: Session, post_ids: list[int]) -> dict[int, int]:
    if not post_ids:
        return {}
    query = (
        select(PostSupport.post_id, func.count()).where(PostSupport.post_id.in_(post_ids)).group_by(PostSupport.post_id)
    )
    return {post_id: count for post_id, count in db.execute(query)}


def _supported_by(db: Session, viewer: Viewer, post_ids: list[int]) -> set[int]:
    if not post_ids or viewer.user_id is None:
        return set()
    query = select(PostSupport.post_id).where(PostSupport.post_id.in_(post_ids), PostSupport.user_id == viewer.user_id)
    return set(db.scalars(query))


def _check_rate(db: Session, viewer: Viewer) -> None:
    assert viewer.user_id is not None
    # Parallel posts by one person count each other: they take turns on the person's row.
    take_turns_on(db, User.id, viewer.user_id)
    since = utcnow() - timedelta(hours=1)
    recent = db.scalar(select(func.count()).where(Post.author_id == viewer.user_id, Post.created_at >= since)) or 0
    if recent >= POSTS_PER_HOUR:
        raise TooManyRequests(f"You have posted {recent} times in the last hour, the most allowed. Try again later.")


def _is_established(db: Session, viewer: Viewer) -> bool:
    """A member of a verified organisation, or someone whose posts were approved before, posts at once."""
    verified_member = db.scalar(
        select(func.count())
        .select_from(Member)
        .join(Organisation, Organisation.id == Member.organisation_id)
        .where(Member.user_id == viewer.user_id, Member.status == MemberStatus.ACTIVE, Organisation.verified.is_(True))
    )
    if verified_member:
        return True
    approved = db.scalar(
        select(func.count()).where(Post.author_id == viewer.user_id, Post.status == PostStatus.VISIBLE)
    )
    return bool(approved)


def _new_post(db: Session, viewer: Viewer, subject: Subject, body: str, parent: Post | None) -> Post:
    if not may_post(viewer):
        raise NotAllowed("Confirm your email address before you post.")
    _check_rate(db, viewer)
    assert viewer.user_id is not None
    official = subject.owner_id if subject.owner_id is not None and viewer.is_member(subject.owner_id) else None
    status = PostStatus.VISIBLE if _is_established(db, viewer) else PostStatus.PENDING
    post = Post(
        subject_kind=subject.kind,
        subject_id=subject.id,
        parent_id=parent.id if parent else None,
        author_id=viewer.user_id,
        organisation_id=official,
        body=body,
        status=status,
    )
    db.add(post)
    db.flush()
    audit.record(
        db, viewer.user_id, "post.created", "post", post.id, subject=f"{subject.kind}:{subject.id}", status=status
    )
    if status is PostStatus.VISIBLE:
        tell_about(db, subject, post)
    return post


def ask(db: Session, viewer: Viewer, kind: str, subject_id: int, body: str) -> Post:
    """A new question (or idea, or discussion) on a subject."""
    subject = resolve(db, viewer, kind, subject_id)
    if not subject.open:
        raise Conflict(f"This {subject.kind.replace('_', ' ')} is not taking new {subject.noun}s now.")
    return _new_post(db, viewer, subject, body, None)


def top_level_post(db: Session, viewer: Viewer, post_id: int) -> tuple[Post, Subject]:
    post = db.get(Post, post_id)
    if post is None or post.parent_id is not None:
        raise NotFound("post")
    subject = resolve(db, viewer, post.subject_kind, post.subject_id)
    if not shown_to(viewer, subject, post) or post.status is PostStatus.HIDDEN:
        raise NotFound("post")
    return post, subject


def reply(db: Session, viewer: Viewer, post_id: int, body: str) -> Post:
    parent, subject = top_level_post(db, viewer, post_id)
    if not may_reply(viewer, subject):
        raise NotAllowed(
            "Only the organisation that published this can answer its questions."
            if subject.owners_reply_only
            else "Confirm your email address before you post."
        )
    return _new_post(db, viewer, subject, body, parent)


def toggle_support(db: Session, viewer: Viewer, post_id: int) -> tuple[Post, int, bool]:
    """ "I have this question too", or not any more: the question, how many have it, and whether the viewer does."""
    post, subject = top_level_post(db, viewer, post_id)
    if not may_post(viewer) or subject.noun != "question":
        raise NotAllowed("Sign in with a confirmed email address to say you have this question too.")
    assert viewer.user_id is not None
    existing = db.scalar(
        select(PostSupport).where(PostSupport.post_id == post.id, PostSupport.user_id == viewer.user_id)
    )
    if existing is None:
        db.add(PostSupport(post_id=post.id, user_id=viewer.user_id))
    else:
        db.delete(existing)
    db.flush()
    return post, _supporters(db, [post.id]).get(post.id, 0), existing is None


def tell_about(db: Session, subject: Subject, post: Post) -> None:
    """A new question tells the owner's members; an answer tells whoever asked and who has the question too."""
    if post.parent_id is None and subject.owner_id is not None and subject.noun == "question":
        notifications.notify(
            db,
            [u for u in active_members(db, {subject.owner_id}) if u.id != post.author_id],
            NotificationKind.QUESTION_ASKED,
            f"A new question about {subject.title}",
            f"Someone asked: “{post.body[:300]}”. Answer it in public on the page.",
            f"{subject.url}#post-{post.id}",
        )
    elif post.parent_id is not None:
        parent = db.get_one(Post, post.parent_id)
        supporters = db.scalars(select(PostSupport.user_id).where(PostSupport.post_id == parent.id))
        ids = ({parent.author_id} | set(supporters)) - {post.author_id}
        users = list(db.scalars(select(User).where(User.id.in_(ids)))) if ids else []
        notifications.notify(
            db,
            users,
            NotificationKind.QUESTION_ANSWERED,
            f"A reply on {subject.title}",
            f"“{post.body[:300]}”",
            f"{subject.url}#post-{parent.id}",
        )


def unanswered_for(db: Session, organisation_ids: set[int]) -> list[Post]:
    """Visible questions on these organisations' pitches and offers that nobody from them has answered yet."""
    if not organisation_ids:
        return []
    from exchange.listings.models import Offer, Pitch

    answered = select(Post.parent_id).where(Post.parent_id.is_not(None), Post.organisation_id.in_(organisation_ids))
    owned = (
        (Post.subject_kind == SubjectKind.PITCH)
        & Post.subject_id.in_(select(Pitch.id).where(Pitch.organisation_id.in_(organisation_ids)))
    ) | (
        (Post.subject_kind == SubjectKind.OFFER)
        & Post.subject_id.in_(select(Offer.id).where(Offer.organisation_id.in_(organisation_ids)))
    )
    query = (
        select(Post)
        .where(Post.parent_id.is_(None), Post.status == PostStatus.VISIBLE, owned, Post.id.not_in(answered))
        .order_by(Post.created_at.desc())
        .limit(20)
    )
    return list(db.scalars(query))
