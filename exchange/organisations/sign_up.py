"""Joining the exchange: an account, and for a supplier its organisation (new, or a request to join one)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from exchange.accounts.models import User
from exchange.accounts.schemas import AccountKind, SignUp
from exchange.accounts.service import find_user_by_email, send_verification_email
from exchange.audit import service as audit
from exchange.core.errors import Invalid
from exchange.core.security import hash_password
from exchange.core.settings import Settings
from exchange.organisations import service as organisations
from exchange.organisations.models import OrganisationKind
from exchange.outbox.service import queue_email


class UnknownCouncilDomain(Invalid):
    """A council officer's address on a domain no council has: the page offers to ask for it."""


def sign_up(db: Session, form: SignUp, settings: Settings) -> User | None:
    """Create the account (and its supplier organisation); None when the email already has one.

    Answers that do not depend on the account (the council domain, the organisation to join) are checked
    first, so a refusal never tells whether the address already has an account.
    """
    if (
        form.account_kind is AccountKind.COUNCIL
        and organisations.council_for_domain(db, form.email.rsplit("@", 1)[1]) is None
    ):
        raise UnknownCouncilDomain(
            "Check the answers and try again",
            field_errors={
                "email": "Use your council email address. If it is right, your council's email domain "
                "is not on the exchange yet: ask for it to be added"
            },
        )
    if form.account_kind is AccountKind.SUPPLIER and form.join_organisation_slug:
        organisations.joinable_organisation(db, form.join_organisation_slug)
    existing = find_user_by_email(db, form.email)
    if existing is not None:
        queue_email(
            db,
            existing.email,
            "Someone tried to create an account with your email address",
            "Someone tried to create an Open Innovation Exchange account with this email address, "
            "which already has one.\n\nIf it was you, sign in or reset your password at "
            f"{settings.base_url}/account/password-reset\n\nIf it was not you, you can ignore this email.",
        )
        return None
    user = User(email=form.email, name=form.name, password_hash=hash_password(form.password))
    db.add(user)
    db.flush()
    audit.record(db, user.id, "user.signed_up", "user", user.id, account_kind=form.account_kind.value)
    if form.account_kind is AccountKind.SUPPLIER:
        if form.join_organisation_slug:
            organisations.request_to_join(db, user, form.join_organisation_slug)
        else:
            organisations.create_supplier_organisation(
                db, user, form.organisation_name, OrganisationKind(form.organisation_kind)
            )
    send_verification_email(db, user, settings)
    return user
