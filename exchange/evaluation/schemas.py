"""What the evaluation and outcome forms and the JSON API accept and return."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, Field, field_validator, model_validator

from exchange.core.forms import FieldError, FormSchema
from exchange.core.ids import DbId
from exchange.evaluation.models import OutcomeKind
from exchange.profiles.schemas import Pounds, uk_date
from exchange.proposals.schemas import MAX_CRITERIA, MAX_PRICE, browser_text

JUSTIFICATION_LIMIT = 2_000
NOTE_LIMIT = 2_000
FEEDBACK_LIMIT = 5_000
CONFLICT_LIMIT = 2_000
MAX_PANEL = 30

PANEL_LABELS = {"evaluator_ids": "the evaluators", "moderator_id": "the moderator"}
DECLARATION_LABELS = {
    "has_conflict": "whether you have a conflict of interest",
    "description": "the description of the conflict",
}
SCORE_LABELS = {"score": "the score", "justification": "the justification for the score"}
OUTCOME_LABELS = {
    "kind": "what happened",
    "organisation_id": "the supplier the contract is awarded to",
    "value": "the value of the contract in pounds",
    "starts_on": "the start date",
}

Score = Annotated[int, Field(ge=0, le=100, description="A whole number from 0 to 100.")]


class ScoreForm(FormSchema):
    """One evaluator's score of one proposal against one criterion."""

    score: Score
    justification: Annotated[str, browser_text(JUSTIFICATION_LIMIT, "The justification")] = Field(min_length=1)


class PanelForm(FormSchema):
    """Who evaluates a need's proposals and who moderates: officers of the need's council."""

    evaluator_ids: list[DbId] = Field(default_factory=list, max_length=MAX_PANEL)
    moderator_id: DbId | None = None

    @model_validator(mode="after")
    def evaluators_and_a_moderator(self) -> PanelForm:
        if not self.evaluator_ids:
            raise FieldError("evaluator_ids", "Choose at least one evaluator")
        if self.moderator_id is None:
            raise FieldError("moderator_id", "Choose the moderator")
        self.evaluator_ids = list(dict.fromkeys(self.evaluator_ids))
        return self


class DeclarationForm(FormSchema):
    """An assigned officer's declaration of interests in the suppliers whose proposals they would read."""

    has_conflict: bool
    description: Annotated[str, browser_text(CONFLICT_LIMIT, "The description of the conflict")] = ""

    @model_validator(mode="after")
    def conflict_described(self) -> DeclarationForm:
        if self.has_conflict and not self.description:
            raise FieldError("description", "Describe the conflict of interest: which supplier, and how")
        if not self.has_conflict:
            self.description = ""
        return self


class AgreedScoreIn(FormSchema):
    criterion_id: DbId
    score: Score
    note: Annotated[str, browser_text(NOTE_LIMIT, "The moderation note")] = Field(min_length=1)


class ModerationForm(FormSchema):
    """The agreed score for every criterion of the need, and the feedback the supplier will read."""

    scores: list[AgreedScoreIn] = Field(max_length=MAX_CRITERIA)
    feedback: Annotated[str, browser_text(FEEDBACK_LIMIT, "The feedback")] = Field(min_length=1)

    @field_validator("scores")
    @classmethod
    def each_criterion_once(cls, scores: list[AgreedScoreIn]) -> list[AgreedScoreIn]:
        ids = [score.criterion_id for score in scores]
        if len(set(ids)) != len(ids):
            raise ValueError("Give one agreed score for each criterion")
        return scores


class OutcomeForm(FormSchema):
    kind: OutcomeKind
    organisation_id: DbId | None = None
    value: Pounds | None = Field(default=None, ge=0, le=MAX_PRICE)
    starts_on: Annotated[date | None, uk_date("the start date")] = None

    @model_validator(mode="after")
    def award_details(self) -> OutcomeForm:
        """An award names its supplier, value and start date; the other outcomes have none of them."""
        if self.kind is not OutcomeKind.AWARDED:
            self.organisation_id = self.value = self.starts_on = None
            return self
        if self.organisation_id is None:
            raise FieldError("organisation_id", "Choose the supplier you awarded the contract to")
        if self.value is None:
            raise FieldError("value", "Enter the value of the contract in pounds")
        if self.starts_on is None:
            raise FieldError("starts_on", "Enter the date the contract starts")
        return self


# --- What the API returns ---


class ScoreOut(BaseModel):
    proposal_id: int
    criterion_id: int
    evaluator_id: int
    evaluator_name: str
    score: int
    justification: str
    updated_at: datetime


class CriterionOut(BaseModel):
    id: int
    name: str
    weight: int


class EvaluatorOut(BaseModel):
    id: int
    name: str


class CriterionResultOut(BaseModel):
    criterion_id: int
    scores: dict[int, int] = Field(description="Evaluator id -> score.")
    lowest: int | None
    highest: int | None
    agreed: int | None
    agreed_note: str | None


class ProposalResultOut(BaseModel):
    proposal_id: int
    organisation_id: int
    organisation_name: str
    criteria: list[CriterionResultOut]
    evaluator_totals: dict[int, float | None] = Field(description="Evaluator id -> weighted total out of 100.")
    agreed_total: float | None
    rank: int | None
    feedback: str | None


class EvaluationOut(BaseModel):
    need_id: int
    sealed: bool = Field(
        description="True until the need's proposals are opened (after the closing date, or when closed early):"
        " until then there is nothing to evaluate and no proposal is listed."
    )
    moderation_started_at: datetime | None = Field(
        description="Until moderation starts, each evaluator sees only their own scores."
    )
    outcome_recorded: bool
    criteria: list[CriterionOut]
    evaluators: list[EvaluatorOut]
    proposals: list[ProposalResultOut]


class PanelMemberOut(BaseModel):
    user_id: int
    name: str
    evaluator: bool
    moderator: bool
    declared_at: datetime | None = Field(description="Until declared, the member reads no proposal.")
    conflict: bool | None = Field(description="A declared conflict takes the member off the evaluation.")
    conflict_description: str | None


class PanelOut(BaseModel):
    need_id: int
    members: list[PanelMemberOut]


class AgreedScoreOut(BaseModel):
    criterion_id: int
    criterion_name: str
    weight: int
    score: int


class OutcomeOut(BaseModel):
    need_id: int
    kind: OutcomeKind
    organisation_id: int | None
    organisation_name: str | None
    value: int | None
    starts_on: date | None
    recorded_at: datetime


class OwnOutcomeOut(BaseModel):
    """What a supplier may read of its own proposal once the outcome is recorded."""

    outcome: OutcomeOut
    proposal_id: int
    successful: bool
    agreed_scores: list[AgreedScoreOut]
    agreed_total: float | None
    feedback: str | None
