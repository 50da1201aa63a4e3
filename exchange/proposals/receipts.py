"""Receipts: the supplier's members are told, by notification and email, that its proposal was submitted or
withdrawn, with what was sent and when, so that they hold their own record of it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from exchange.core.templating import UK, format_date, format_pounds
from exchange.needs.models import Need
from exchange.notifications.models import NotificationKind
from exchange.notifications.service import notify
from exchange.organisations import service as organisations
from exchange.organisations.models import Organisation
from exchange.proposals.models import Proposal


def uk_moment(moment: datetime | None) -> str:
    if moment is None:
        return ""
    local = moment.astimezone(UK)
    return f"{format_date(local)} at {local:%H:%M} (UK time)"


def _council(db: Session, need: Need) -> str:
    return db.get_one(Organisation, need.organisation_id).name


def submitted(db: Session, proposal: Proposal, need: Need, closes: str) -> None:
    council = _council(db, need)
    price = format_pounds(proposal.price) + (f" ({proposal.price_note})" if proposal.price_note else "")
    notify(
        db,
        organisations.active_members(db, [proposal.organisation_id]),
        NotificationKind.PROPOSAL_RECEIPT,
        f"Proposal submitted: {need.title}",
        f"{proposal.organisation.name} submitted its proposal for “{need.title}” to {council} on"
        f" {uk_moment(proposal.submitted_at)}. Price: {price}.\n\nIt is locked and sealed: {council} sees it once"
        f" proposals close at the end of {closes}. Until then you can withdraw it, but you cannot then send"
        " another proposal for this need.",
        f"/needs/{need.id}/proposals/{proposal.id}",
    )


def withdrawn(db: Session, proposal: Proposal, need: Need) -> None:
    council = _council(db, need)
    notify(
        db,
        organisations.active_members(db, [proposal.organisation_id]),
        NotificationKind.PROPOSAL_RECEIPT,
        f"Proposal withdrawn: {need.title}",
        f"{proposal.organisation.name} withdrew its proposal for “{need.title}” on"
        f" {uk_moment(proposal.withdrawn_at)}. {council} will not consider it, and your organisation cannot send"
        " another proposal for this need.",
        f"/needs/{need.id}/proposals/{proposal.id}",
    )
