"""Scoring and moderation of a need's shortlisted proposals, for the need's council only (404 to everyone else).

Only the need's evaluation panel takes part (see panel.py): assigned evaluators who declared no conflict of
interest score, and the assigned moderator moderates. Evaluators score independently: until moderation
starts, each sees only their own scores. Starting moderation fixes the individual scores and shows them all
to the council, whose moderator then agrees one score per proposal and criterion, with a note, and writes the
feedback each supplier reads once the outcome is recorded.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from exchange.audit import service as audit
from exchange.core.errors import Conflict, Invalid, NotFound
from exchange.core.models import utcnow
from exchange.core.templating import format_date
from exchange.core.viewer import Viewer
from exchange.evaluation import matrix, panel
from exchange.evaluation.models import AgreedScore, EvaluationScore, Moderation, NeedOutcome, ProposalFeedback
from exchange.evaluation.panel import Panel
from exchange.evaluation.schemas import ModerationForm, ScoreForm
from exchange.needs.models import Need
from exchange.organisations.models import Organisation
from exchange.proposals import procurement, sealing
from exchange.proposals.models import EvaluationCriterion, Proposal, ProposalStatus
from exchange.shortlists.models import ShortlistEntry


@dataclass
class EvaluationState:
    """Everything about one need's evaluation, loaded in a handful of queries."""

    need: Need
    criteria: list[EvaluationCriterion]
    # Submitted proposals whose suppliers are on the shortlist, in the order they were shortlisted.
    proposals: list[Proposal]
    scores: list[EvaluationScore]
    moderation: Moderation | None
    agreed: dict[tuple[int, int], AgreedScore]
    feedback: dict[int, ProposalFeedback]
    outcome: NeedOutcome | None
    panel: Panel
    # Who is looking: what they may read and do depends on their place on the panel.
    actor_id: int | None
    # While the need's proposals are sealed there is nothing to evaluate: ``proposals`` is empty.
    sealed_message: str | None = None

    @property
    def sealed(self) -> bool:
        return self.sealed_message is not None

    def refuse_while_sealed(self, doing: str) -> None:
        if self.sealed_message is not None:
            raise Conflict(f"{doing} starts once proposals are opened. {self.sealed_message}")

    @property
    def reading_refusal(self) -> str | None:
        """Why the viewer may not read the proposals or their scores (not on the panel, not yet declared)."""
        return self.panel.reading_refusal(self.actor_id)

    def refuse_unless_reader(self) -> None:
        self.panel.refuse(self.reading_refusal, self.actor_id)

    def refuse_unless(self, refusal: str | None) -> None:
        self.panel.refuse(refusal, self.actor_id)

    @property
    def may_score(self) -> bool:
        return self.panel.scoring_refusal(self.actor_id) is None

    @property
    def may_moderate(self) -> bool:
        return self.panel.moderating_refusal(self.actor_id) is None

    @property
    def moderation_started(self) -> bool:
        return self.moderation is not None

    @property
    def why_closed(self) -> str | None:
        """Why nothing about the evaluation can change now; None while it can."""
        if self.outcome is not None:
            return f"The outcome was recorded on {format_date(self.outcome.recorded_at)}: the evaluation is closed"
        if self.need.stage.is_final:
            return f"This need is {self.need.stage.label.lower()}: the evaluation is closed"
        return None

    def proposal(self, proposal_id: int) -> Proposal | None:
        return next((p for p in self.proposals if p.id == proposal_id), None)

    def visible_scores(self, viewer: Viewer) -> list[EvaluationScore]:
        if self.moderation_started:
            return self.scores
        return [score for score in self.scores if score.evaluator_id == viewer.user_id]

    def own_scores(self, viewer: Viewer, proposal_id: int) -> dict[int, EvaluationScore]:
        """Criterion id -> this evaluator's score of the proposal."""
        return {
            s.criterion_id: s for s in self.scores if s.proposal_id == proposal_id and s.evaluator_id == viewer.user_id
        }

    def evaluator_count(self, proposal_id: int) -> int:
        """How many colleagues have scored the proposal (their scores stay hidden until moderation)."""
        return len({s.evaluator_id for s in self.scores if s.proposal_id == proposal_id})

    def matrix(self, viewer: Viewer) -> matrix.Matrix:
        scores = self.visible_scores(viewer)
        evaluators = {s.evaluator_id: matrix.Evaluator(s.evaluator_id, s.evaluator.name) for s in scores}
        return matrix.build(
            [matrix.Criterion(c.id, c.name, c.weight) for c in self.criteria],
            sorted(evaluators.values(), key=lambda e: (e.name.lower(), e.id)),
            [matrix.Supplier(p.id, p.organisation_id, p.organisation.name) for p in self.proposals],
            [matrix.Score(s.proposal_id, s.criterion_id, s.evaluator_id, s.score) for s in scores],
            {key: agreed.score for key, agreed in self.agreed.items()},
        )


def shortlisted_proposals(db: Session, need: Need) -> list[Proposal]:
    return list(
        db.scalars(
            select(Proposal)
            .join(
                ShortlistEntry,
                and_(
                    ShortlistEntry.need_id == Proposal.need_id,
                    ShortlistEntry.organisation_id == Proposal.organisation_id,
                ),
            )
            .where(Proposal.need_id == need.id, Proposal.status == ProposalStatus.SUBMITTED)
            .options(selectinload(Proposal.organisation))
            .order_by(ShortlistEntry.created_at, ShortlistEntry.id)
        )
    )


def supplier_names(db: Session, state: EvaluationState) -> list[str]:
    """Who sent the need's submitted proposals: what the panel declares its interests in, once opened."""
    if state.sealed:
        return []
    return sorted(
        db.scalars(
            select(Organisation.name)
            .join(Proposal, Proposal.organisation_id == Organisation.id)
            .where(Proposal.need_id == state.need.id, Proposal.status == ProposalStatus.SUBMITTED)
            .distinct()
        ),
        key=str.lower,
    )


def load_for(db: Session, need: Need, actor_id: int | None) -> EvaluationState:
    view = procurement.load(db, need)
    opened = sealing.open_for_council(db, view, actor_id)
    proposals = shortlisted_proposals(db, need) if opened else []
    ids = [p.id for p in proposals]
    return EvaluationState(
        need=need,
        criteria=view.criteria,
        proposals=proposals,
        scores=list(
            db.scalars(
                select(EvaluationScore)
                .where(EvaluationScore.proposal_id.in_(ids))
                .options(selectinload(EvaluationScore.evaluator))
                .order_by(EvaluationScore.id)
                .execution_options(populate_existing=True)
            )
        ),
        moderation=db.scalar(select(Moderation).where(Moderation.need_id == need.id)),
        agreed={
            (a.proposal_id, a.criterion_id): a
            for a in db.scalars(
                select(AgreedScore).where(AgreedScore.proposal_id.in_(ids)).execution_options(populate_existing=True)
            )
        },
        feedback={
            f.proposal_id: f
            for f in db.scalars(
                select(ProposalFeedback)
                .where(ProposalFeedback.proposal_id.in_(ids))
                .execution_options(populate_existing=True)
            )
        },
        outcome=db.scalar(select(NeedOutcome).where(NeedOutcome.need_id == need.id)),
        panel=panel.load(db, need),
        actor_id=actor_id,
        sealed_message=None if opened else sealing.sealed_message(view),
    )


def load(db: Session, viewer: Viewer, need_id: int) -> EvaluationState:
    return load_for(db, procurement.council_need(db, viewer, need_id), viewer.user_id)


def shortlisted(db: Session, state: EvaluationState, proposal_id: int) -> Proposal:
    """A shortlisted proposal of the need; another of its submitted proposals is refused with the reason."""
    proposal = state.proposal(proposal_id)
    if proposal is not None:
        state.refuse_unless_reader()
        return proposal
    other = db.get(Proposal, proposal_id, options=[selectinload(Proposal.organisation)])
    if other is None or other.need_id != state.need.id or other.status is ProposalStatus.DRAFT:
        raise NotFound()
    # Before naming the supplier: while sealed, the council may not know whose proposal this is.
    state.refuse_while_sealed("Evaluation")
    state.refuse_unless_reader()
    if other.status is ProposalStatus.WITHDRAWN:
        raise Conflict(f"{other.organisation.name} withdrew its proposal: it cannot be evaluated.")
    raise Conflict(
        f"{other.organisation.name} is not on the shortlist: add it to the shortlist before its proposal is scored."
    )


def criterion_of(state: EvaluationState, criterion_id: int) -> EvaluationCriterion:
    """One of the need's criteria; any other is not found."""
    criterion = next((c for c in state.criteria if c.id == criterion_id), None)
    if criterion is None:
        raise NotFound()
    return criterion


def _upsert(db: Session, model: Any, keys: dict[str, int], values: dict[str, Any]) -> None:
    """Insert the row, or update it where one with these keys exists: in one statement, so that of two
    requests at the same moment neither fails and the last one's values stand."""
    insert = postgresql.insert if db.get_bind().dialect.name == "postgresql" else sqlite.insert
    now = utcnow()
    statement = insert(model).values(**keys, **values, created_at=now, updated_at=now)
    db.execute(statement.on_conflict_do_update(index_elements=list(keys), set_={**values, "updated_at": now}))


# --- Scoring ---


def scorable(db: Session, state: EvaluationState, proposal_id: int) -> Proposal:
    """The shortlisted proposal, if the viewer is one of its cleared evaluators and scores may still change."""
    proposal = shortlisted(db, state, proposal_id)
    state.refuse_unless(state.panel.scoring_refusal(state.actor_id))
    if state.why_closed:
        raise Conflict(f"{state.why_closed}. Your scores were not saved.")
    if state.moderation is not None:
        raise Conflict(
            f"Moderation started on {format_date(state.moderation.started_at)}: each evaluator's scores are now fixed."
            " Your scores were not saved."
        )
    return proposal


def _write_score(
    db: Session, evaluator_id: int, proposal: Proposal, criterion: EvaluationCriterion, form: ScoreForm
) -> dict[str, int]:
    keys = {"proposal_id": proposal.id, "criterion_id": criterion.id, "evaluator_id": evaluator_id}
    _upsert(db, EvaluationScore, keys, {"score": form.score, "justification": form.justification})
    audit.record(
        db, evaluator_id, "evaluation.score_saved", "proposal", proposal.id, criterion_id=criterion.id, score=form.score
    )
    return keys


def save_scores(db: Session, viewer: Viewer, need_id: int, proposal_id: int, forms: dict[int, ScoreForm]) -> None:
    """The viewer's scores of the proposal against every criterion of the need, saved together or not at all."""
    state = load(db, viewer, need_id)
    proposal = scorable(db, state, proposal_id)
    if set(forms) - {c.id for c in state.criteria}:
        raise NotFound()
    missing = {f"score_{c.id}": f"Enter your score for {c.name.lower()}" for c in state.criteria if c.id not in forms}
    if missing:
        raise Invalid("Check the answers and try again", field_errors=missing)
    assert viewer.user_id is not None  # a council member is signed in
    for criterion in state.criteria:
        _write_score(db, viewer.user_id, proposal, criterion, forms[criterion.id])


def save_score(
    db: Session, viewer: Viewer, need_id: int, proposal_id: int, criterion_id: int, form: ScoreForm
) -> EvaluationScore:
    """The viewer's own score of the proposal against the criterion, new or changed."""
    state = load(db, viewer, need_id)
    proposal = scorable(db, state, proposal_id)
    criterion = criterion_of(state, criterion_id)
    assert viewer.user_id is not None  # a council member is signed in
    keys = _write_score(db, viewer.user_id, proposal, criterion, form)
    return db.scalars(
        select(EvaluationScore)
        .filter_by(**keys)
        .options(selectinload(EvaluationScore.evaluator))
        .execution_options(populate_existing=True)
    ).one()


# --- Moderation ---


def start_moderation(db: Session, viewer: Viewer, need_id: int) -> Moderation:
    state = load(db, viewer, need_id)
    if state.why_closed:
        raise Conflict(f"{state.why_closed}.")
    state.refuse_while_sealed("Moderation")
    state.refuse_unless(state.panel.moderating_refusal(viewer.user_id))
    if state.moderation is not None:
        raise Conflict(f"Moderation already started on {format_date(state.moderation.started_at)}.")
    if not state.scores:
        raise Conflict("Nobody has scored a shortlisted proposal yet: score the proposals before moderation starts.")
    moderation = Moderation(need_id=state.need.id, started_by_id=viewer.user_id)
    try:
        # A savepoint: when a colleague started moderation a moment ago, theirs stands.
        with db.begin_nested():
            db.add(moderation)
    except IntegrityError:
        raise Conflict("A colleague has just started moderation.") from None
    audit.record(db, viewer.user_id, "evaluation.moderation_started", "need", state.need.id)
    return moderation


def moderate(db: Session, viewer: Viewer, need_id: int, proposal_id: int, form: ModerationForm) -> None:
    """Record the agreed score for every criterion and the supplier's feedback (again, until the outcome)."""
    state = load(db, viewer, need_id)
    proposal = shortlisted(db, state, proposal_id)
    state.refuse_unless(state.panel.moderating_refusal(viewer.user_id))
    if state.why_closed:
        raise Conflict(f"{state.why_closed}. Nothing was saved.")
    if state.moderation is None:
        raise Conflict("Moderation has not started: evaluators can still change their scores. Start moderation first.")
    given = {score.criterion_id: score for score in form.scores}
    unknown = set(given) - {c.id for c in state.criteria}
    if unknown:
        raise Invalid("Check the answers and try again", field_errors={"scores": "Score only this need's criteria"})
    missing = {
        f"agreed_{c.id}_score": f"Enter the agreed score for {c.name.lower()}"
        for c in state.criteria
        if c.id not in given
    }
    if missing:
        raise Invalid("Check the answers and try again", field_errors=missing)
    for criterion in state.criteria:
        agreed = given[criterion.id]
        _upsert(
            db,
            AgreedScore,
            {"proposal_id": proposal.id, "criterion_id": criterion.id},
            {"score": agreed.score, "note": agreed.note, "moderated_by_id": viewer.user_id},
        )
    _upsert(
        db, ProposalFeedback, {"proposal_id": proposal.id}, {"text": form.feedback, "written_by_id": viewer.user_id}
    )
    audit.record(
        db,
        viewer.user_id,
        "proposal.moderated",
        "proposal",
        proposal.id,
        need_id=state.need.id,
        agreed={c.name: given[c.id].score for c in state.criteria},
    )
