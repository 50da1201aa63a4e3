"""Sealed proposals: until a need's proposals are opened, its council knows only how many arrived.

Proposals open when the closing date has passed (the end of ``closes_on`` in UK time) or when the council
closes proposals early, giving its reason. Opening is recorded once, with an audit row, by whichever comes
first: the council's first look after the deadline, or the early close. Every reader of proposals on the
council's side (pages, fragments, the API, evaluation, exports, the dashboard, outcomes) asks here, so that
no route can show a sealed proposal's content, price or supplier.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from sqlalchemy import ColumnElement, Select, exists, func, or_, select, update
from sqlalchemy.orm import Session, selectinload

from exchange.audit import service as audit
from exchange.core.errors import Conflict, Invalid
from exchange.core.models import utcnow
from exchange.core.templating import format_date
from exchange.core.viewer import Viewer
from exchange.needs import service as needs
from exchange.needs.models import Need, NeedStage
from exchange.profiles.completeness import today as uk_today
from exchange.proposals import procurement
from exchange.proposals.models import NeedProcurement, Proposal, ProposalStatus
from exchange.proposals.procurement import ProcurementView

REASON_LIMIT = 500

# Which of the council may read opened proposals is the evaluation's rule (its assigned panel, once each has
# declared any conflict of interest). Proposals may not import what is built on them, so the evaluation
# registers its check here; a check raises a domain error to refuse the reader.
ReaderCheck = Callable[[Session, Need, int | None], None]
reader_checks: list[ReaderCheck] = []


def proposals_are_open(settings: NeedProcurement | None, today: date) -> bool:
    """Whether the council may read the need's proposals: opened already, or the closing date has passed."""
    if settings is None:
        return False
    if settings.opened_at is not None or settings.closed_early_at is not None:
        return True
    return settings.closes_on is not None and today > settings.closes_on


def opened_condition(today: date) -> ColumnElement[bool]:
    """``proposals_are_open`` in SQL, for a query over proposals of many needs (``Proposal.need_id``)."""
    return exists().where(
        NeedProcurement.need_id == Proposal.need_id,
        or_(
            NeedProcurement.opened_at.is_not(None),
            NeedProcurement.closed_early_at.is_not(None),
            NeedProcurement.closes_on < today,
        ),
    )


def sealed_message(view: ProcurementView) -> str:
    """What the council is told instead of the proposals while they are sealed."""
    if view.closes_on is None:
        return "Proposals stay sealed until they close: set the closing date, or close proposals early."
    return (
        f"Proposals are sealed until they close at the end of {format_date(view.closes_on)}: until then you see"
        " only how many have arrived."
    )


def received_count(db: Session, need_id: int) -> int:
    """How many submitted proposals the need has: all the council may know while they are sealed."""
    return (
        db.scalar(select(func.count()).where(Proposal.need_id == need_id, Proposal.status == ProposalStatus.SUBMITTED))
        or 0
    )


def open_for_council(db: Session, view: ProcurementView, actor_id: int | None = None) -> bool:
    """Whether the council may read the proposals now; the first time they may, the opening is recorded."""
    settings = view.settings
    if not proposals_are_open(settings, view.today):
        return False
    assert settings is not None
    if settings.opened_at is None:
        # Conditional, so that of two first looks at the same moment only one records the opening.
        opened = db.execute(
            update(NeedProcurement)
            .where(NeedProcurement.id == settings.id, NeedProcurement.opened_at.is_(None))
            .values(opened_at=utcnow())
        )
        db.refresh(settings)
        if opened.rowcount == 1:  # type: ignore[attr-defined]
            audit.record(
                db,
                actor_id,
                "proposals.opened",
                "need",
                view.need.id,
                received=received_count(db, view.need.id),
                closed_early=settings.closed_early_at is not None,
            )
    return True


def open_for_reader(db: Session, view: ProcurementView, actor_id: int | None) -> bool:
    """``open_for_council``, for a member about to read the proposals' content: the registered checks may
    refuse them (an assigned evaluator who has not declared their interests, say)."""
    if not open_for_council(db, view, actor_id):
        return False
    for check in reader_checks:
        check(db, view.need, actor_id)
    return True


def open_all_due(db: Session, council_ids: set[int], actor_id: int | None) -> None:
    """Record the opening of every need of these councils whose closing date has passed, before a screen that
    gathers proposals across needs (the dashboard) shows them."""
    due = db.scalars(
        select(Need)
        .join(NeedProcurement, NeedProcurement.need_id == Need.id)
        .where(
            Need.organisation_id.in_(council_ids),
            NeedProcurement.opened_at.is_(None),
            NeedProcurement.closes_on < uk_today(),
        )
        .order_by(Need.id)
    )
    for need in list(due):
        open_for_council(db, procurement.load(db, need), actor_id)


def submitted_query(need_id: int) -> Select[Proposal]:
    return (
        select(Proposal)
        .where(Proposal.need_id == need_id, Proposal.status == ProposalStatus.SUBMITTED)
        .options(selectinload(Proposal.answers), selectinload(Proposal.organisation))
    )


def readable_submitted(db: Session, view: ProcurementView, actor_id: int | None) -> list[Proposal]:
    """The need's submitted proposals as its council may read them: none while they are sealed."""
    if not open_for_council(db, view, actor_id):
        return []
    return list(db.scalars(submitted_query(view.need.id).order_by(Proposal.submitted_at, Proposal.id)))


def close_early(db: Session, viewer: Viewer, need_id: int, reason: str) -> ProcurementView:
    """Stop taking proposals before the closing date and open them, with the council's reason (audited)."""
    # ``get`` first, so that the need in the session has its organisation loaded for the page.
    need = needs.get(db, viewer, need_id)
    needs.get_editable(db, viewer, need_id)
    view = procurement.load(db, need)
    reason = reason.strip()
    if need.stage is not NeedStage.OPEN_FOR_PROPOSALS or view.settings is None or not view.before_close:
        raise Conflict("Only a need still taking proposals can close them early. Nothing has changed.")
    message = ""
    if not reason:
        message = "Enter why proposals are closing early"
    elif len(reason) > REASON_LIMIT:
        message = f"The reason must be {REASON_LIMIT} characters or fewer"
    if message:
        raise Invalid(message, field_errors={"reason": message})
    settings = view.settings
    settings.closed_early_at = utcnow()
    settings.closed_early_reason = reason
    db.flush()
    audit.record(db, viewer.user_id, "proposals.closed_early", "need", need.id, reason=settings.closed_early_reason)
    needs.change_stage(db, viewer, need.id, NeedStage.CLOSED)
    open_for_council(db, view, viewer.user_id)
    return procurement.load(db, need)
