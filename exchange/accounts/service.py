"""Accounts: sign up, verify email, sign in with throttling, reset password, and who the viewer is.

Messages never reveal whether an email address has an account (no enumeration): sign-up and
password reset answer the same way either way and tell the owner of the address by email.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload

from exchange.accounts import sessions
from exchange.accounts.events import EmailVerified
from exchange.accounts.models import Member, MemberRole, MemberStatus, SignInAttempt, User, UserSession
from exchange.accounts.schemas import SignIn
from exchange.audit import service as audit
from exchange.core import events, rate_limits
from exchange.core.database import take_turns_on
from exchange.core.errors import Invalid, TooManyRequests
from exchange.core.models import utcnow
from exchange.core.rate_limits import Limit
from exchange.core.security import hash_password, make_token, read_token, verify_password
from exchange.core.settings import Settings
from exchange.core.viewer import ANONYMOUS, Viewer
from exchange.outbox.models import OutboxMessage
from exchange.outbox.service import queue_email

VERIFY_EMAIL_MAX_AGE = 7 * 24 * 3600
VERIFY_EMAIL_SUBJECT = "Confirm your email address"
# At most this many confirmation emails to one address in the window: enough for a lost email or two, never a
# way to flood someone's inbox.
VERIFY_EMAIL_LIMIT = 3
VERIFY_EMAIL_WINDOW = timedelta(hours=1)
PASSWORD_RESET_MAX_AGE = 3600


class SignInFailed(Invalid):
    """Wrong email or password: the attempt row written before raising must still be committed."""


def get_user(db: Session, viewer: Viewer) -> User:
    return db.get_one(User, viewer.user_id)


def find_user_by_email(db: Session, email: str) -> User | None:
    return db.scalar(select(User).where(User.email == email.lower()))


def send_verification_email(db: Session, user: User, settings: Settings) -> None:
    token = make_token("verify-email", {"user": user.id, "email": user.email})
    queue_email(
        db,
        user.email,
        VERIFY_EMAIL_SUBJECT,
        f"Hello {user.name},\n\nConfirm your email address to finish setting up your Open Innovation "
        f"Exchange account:\n\n{settings.base_url}/account/verify-email/{token}\n\n"
        "The link works for 7 days. If you did not sign up, you can ignore this email.",
    )


def resend_verification_email(db: Session, email: str, settings: Settings) -> bool:
    """A new confirmation link for an account still waiting for one, within the limit; whether it was sent.

    Callers answer anonymous visitors the same whatever this returns, so that nobody learns whether an
    address has an account.
    """
    user = find_user_by_email(db, email)
    if user is None or user.is_verified or user.suspended_at is not None:
        return False
    # Parallel requests for one account count its emails one after another.
    take_turns_on(db, User.id, user.id)
    recent = db.scalar(
        select(func.count()).where(
            OutboxMessage.to_address == user.email,
            OutboxMessage.subject == VERIFY_EMAIL_SUBJECT,
            OutboxMessage.created_at >= utcnow() - VERIFY_EMAIL_WINDOW,
        )
    )
    if (recent or 0) >= VERIFY_EMAIL_LIMIT:
        return False
    send_verification_email(db, user, settings)
    return True


def verify_email(db: Session, token: str) -> tuple[User | None, bool]:
    """The link's user, and whether this use confirmed the address (only the first use does)."""
    payload = read_token("verify-email", token, VERIFY_EMAIL_MAX_AGE)
    if payload is None:
        return None, False
    user = db.get(User, payload.get("user"))
    if user is None or user.email != payload.get("email"):
        return None, False
    if user.email_verified_at is not None:
        return user, False
    user.email_verified_at = utcnow()
    audit.record(db, user.id, "user.email_verified", "user", user.id)
    events.record(db, EmailVerified(user.id))
    return user, True


def sign_in_limits(settings: Settings) -> tuple[Limit, Limit]:
    """Failed sign-ins allowed per email address, and (more, as offices share one) per network address."""
    window = timedelta(minutes=settings.login_window_minutes)
    return (
        Limit("sign-in-email", settings.login_max_failures, window),
        Limit("sign-in-address", settings.login_max_failures * 4, window),
    )


def sign_in(db: Session, form: SignIn, ip_address: str, settings: Settings) -> User:
    by_email, by_address = sign_in_limits(settings)
    # Each attempt takes a place under both limits before its password is checked, and gives it back if the
    # password was right: only failures count, and parallel guesses cannot all slip under the limit.
    tickets = rate_limits.take_all(db, [(by_email, form.email), (by_address, ip_address)])
    if tickets is None:
        raise TooManyRequests(
            f"Too many failed attempts. Wait {settings.login_window_minutes} minutes, or reset your password."
        )
    # Counted for everyone to see before the slow password check, so the check holds no lock meanwhile.
    db.commit()
    user = find_user_by_email(db, form.email)
    succeeded = verify_password(user.password_hash if user else None, form.password)
    db.add(
        SignInAttempt(email=form.email, ip_address=ip_address, succeeded=succeeded, user_id=user.id if user else None)
    )
    if not succeeded or user is None:
        # The caller keeps this failed attempt (commit_despite_error) though the request fails.
        raise SignInFailed(
            "Enter a correct email address and password",
            field_errors={"email": "The email address or password is not right"},
        )
    for ticket in tickets:
        rate_limits.give_back(db, ticket)
    if user.suspended_at is not None:
        # Only said to whoever knows the password, so it tells nobody else that the account exists.
        raise SignInFailed(
            "This account is suspended", field_errors={"email": "This account is suspended: contact the administrators"}
        )
    user.last_sign_in_at = utcnow()
    return user


def request_password_reset(db: Session, email: str, settings: Settings) -> None:
    user = find_user_by_email(db, email)
    if user is None:
        return
    token = make_token("password-reset", {"user": user.id, "version": user.session_version})
    queue_email(
        db,
        user.email,
        "Reset your password",
        f"Hello {user.name},\n\nReset your Open Innovation Exchange password here:\n\n"
        f"{settings.base_url}/account/password-reset/{token}\n\n"
        "The link works for one hour and only once. If you did not ask for it, you can ignore this email.",
    )


def user_for_reset_token(db: Session, token: str) -> User | None:
    payload = read_token("password-reset", token, PASSWORD_RESET_MAX_AGE)
    if payload is None:
        return None
    user = db.get(User, payload.get("user"))
    # The version changes when the password does, so a used link stops working.
    if user is None or user.session_version != payload.get("version"):
        return None
    return user


def reset_password(db: Session, user: User, password: str) -> None:
    _set_password(db, user, password)
    # Whoever holds the reset link holds the mailbox, so the address is verified too.
    if user.email_verified_at is None:
        user.email_verified_at = utcnow()
        events.record(db, EmailVerified(user.id))
    audit.record(db, user.id, "user.password_reset", "user", user.id)


def change_password(db: Session, viewer: Viewer, current: str, new: str, this_session: str) -> None:
    """The signed-in user's new password; every other session of the account ends (this one goes on)."""
    user = get_user(db, viewer)
    if not verify_password(user.password_hash, current):
        raise Invalid(
            "Your current password is not right",
            field_errors={"current_password": "Your current password is not right"},
        )
    _set_password(db, user, new, keep_session=this_session)
    audit.record(db, user.id, "user.password_changed", "user", user.id)


def _set_password(db: Session, user: User, password: str, keep_session: str | None = None) -> None:
    user.password_hash = hash_password(password)
    # A reset link carries the version, so a used link stops working; sessions end with the old password.
    user.session_version += 1
    sessions.end_all(db, user.id, except_token=keep_session)


def load_viewer(db: Session, user_id: int) -> Viewer:
    """The user as a viewer (anonymous if the account is gone or suspended), e.g. for a digest's reader."""
    user = db.scalars(select(User).where(User.id == user_id).options(_with_memberships())).unique().one_or_none()
    return as_viewer(user)


def viewer_for_session(db: Session, token: str) -> tuple[Viewer, UserSession | None]:
    """Who a session token signs in, with the live session and the memberships: one query, on every request."""
    row = (
        db.execute(
            select(User, UserSession)
            .join(UserSession, UserSession.user_id == User.id)
            .where(
                UserSession.token_hash == sessions.token_hash(token),
                UserSession.started_at > sessions.started_after(),
            )
            .options(_with_memberships())
        )
        .unique()
        .one_or_none()
    )
    if row is None:
        return ANONYMOUS, None
    viewer = as_viewer(row[0])
    return viewer, row[1] if viewer.signed_in else None


def _with_memberships() -> Any:
    # Built per query, not at import: building it configures the mappers, which need every model imported.
    # Joined, not a query each: a person belongs to a handful of organisations, and this runs on every request.
    return joinedload(User.memberships).joinedload(Member.organisation)


def as_viewer(user: User | None) -> Viewer:
    if user is None or user.suspended_at is not None:
        return ANONYMOUS
    active = [m for m in user.memberships if m.status is MemberStatus.ACTIVE]
    return Viewer(
        user_id=user.id,
        name=user.name,
        email=user.email,
        is_admin=user.is_admin,
        email_verified=user.is_verified,
        organisation_ids=frozenset(m.organisation_id for m in active),
        admin_of=frozenset(m.organisation_id for m in active if m.role is MemberRole.ADMIN),
        public_sector_verified=user.is_verified
        and any(m.organisation.is_public_sector and m.organisation.verified for m in active),
    )


def create_admin(db: Session, email: str, name: str, password: str) -> User:
    user = find_user_by_email(db, email)
    if user is None:
        user = User(email=email.lower(), name=name, password_hash=hash_password(password))
        db.add(user)
    user.is_admin = True
    user.email_verified_at = user.email_verified_at or utcnow()
    db.flush()
    audit.record(db, None, "user.made_admin", "user", user.id)
    return user
