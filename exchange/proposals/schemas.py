"""What the procurement, clarification and proposal forms and the JSON API accept and return."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

from exchange.core.dates import uk_date
from exchange.core.forms import FieldError, FormSchema
from exchange.core.ids import DbId, plain_number
from exchange.core.money import Pounds
from exchange.proposals.models import ProposalStatus, RequirementKind

MAX_REQUIREMENTS = 20
REQUIREMENT_LIMIT = 300
MAX_CRITERIA = 10
CRITERION_ROWS = 6
EVIDENCE_LIMIT = 2_000
APPROACH_LIMIT = 5_000
QUESTION_LIMIT = 1_000
ANSWER_LIMIT = 5_000
MAX_PRICE = 1_000_000_000


def browser_length(text: str) -> int:
    """The length a browser's character count shows: UTF-16 code units, and a line break is one character
    (browsers send line breaks as two characters, CR LF, but count them as one)."""
    return len(text.replace("\r\n", "\n").encode("utf-16-le")) // 2


def browser_text(limit: int, label: str) -> AfterValidator:
    """Text with its line breaks as one character each, no longer than ``limit`` as a browser counts it."""

    def check(value: str) -> str:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
        length = browser_length(value)
        if length > limit:
            raise PydanticCustomError(
                "text_too_long", f"{label} must be {limit:,} characters or fewer: it has {length:,}"
            )
        return value

    return AfterValidator(check)


# --- Procurement settings ---

PROCUREMENT_LABELS = {
    "shortlist_size": "the number of suppliers to shortlist",
    "opens_on": "the date proposals open",
    "closes_on": "the date proposals close",
    "questions_close_on": "the deadline for questions",
}
REQUIREMENT_NAMES = {
    "essential_requirements": ("essential requirement", "essential requirements"),
    "nice_to_have_requirements": ("nice-to-have", "nice-to-haves"),
}


class CriterionIn(BaseModel):
    name: str = Field(min_length=1, max_length=100)
    weight: int = Field(ge=1, le=100)


class ProcurementForm(FormSchema):
    essential_requirements: list[str] = Field(default_factory=list)
    nice_to_have_requirements: list[str] = Field(default_factory=list)
    criteria: list[CriterionIn] = Field(default_factory=list)
    shortlist_size: int | None = Field(default=None, ge=1, le=50)
    opens_on: Annotated[date | None, uk_date("the date proposals open")] = None
    closes_on: Annotated[date | None, uk_date("the date proposals close")] = None
    questions_close_on: Annotated[date | None, uk_date("the deadline for questions")] = None

    @field_validator("essential_requirements", "nice_to_have_requirements", mode="before")
    @classmethod
    def one_per_line(cls, value: object, info: Any) -> object:
        lines = value.splitlines() if isinstance(value, str) else value
        if not isinstance(lines, list):
            return value
        items = [" ".join(str(line).split()) for line in lines]
        items = [item for item in items if item]
        one, many = REQUIREMENT_NAMES[info.field_name]
        if len(items) > MAX_REQUIREMENTS:
            raise FieldError(info.field_name, f"Give up to {MAX_REQUIREMENTS} {many}: you gave {len(items)}")
        for number, item in enumerate(items, start=1):
            if len(item) > REQUIREMENT_LIMIT:
                raise FieldError(
                    info.field_name,
                    f"{one[:1].upper()}{one[1:]} {number} must be {REQUIREMENT_LIMIT} characters or fewer:"
                    f" it has {len(item)}",
                )
        return items

    @field_validator("criteria", mode="before")
    @classmethod
    def criterion_rows(cls, value: object) -> object:
        """Rows of the form's criteria table; empty rows are left out, a half-filled row is an error."""
        if not isinstance(value, list) or not all(isinstance(row, dict) for row in value):
            return value
        rows = []
        for number, row in enumerate(value, start=1):
            name = " ".join(str(row.get("name") or "").split())
            weight = str(row.get("weight") or "").strip().removesuffix("%").strip()
            if not name and not weight:
                continue
            if not name:
                raise FieldError(f"criterion_{number}_name", f"Enter the name of criterion {number}")
            if len(name) > 100:
                raise FieldError(
                    f"criterion_{number}_name", f"The name of criterion {number} must be 100 characters or fewer"
                )
            if not (plain_number(weight, 100) or 0) >= 1:
                raise FieldError(
                    f"criterion_{number}_weight",
                    f"Enter the weight of criterion {number} as a whole number from 1 to 100",
                )
            rows.append({"name": name, "weight": int(weight)})
        if len(rows) > MAX_CRITERIA:
            raise FieldError("criteria", f"Give up to {MAX_CRITERIA} criteria")
        return rows

    @model_validator(mode="after")
    def weights_and_dates_agree(self) -> ProcurementForm:
        if self.criteria:
            total = sum(criterion.weight for criterion in self.criteria)
            if total != 100:
                raise FieldError("criteria", f"The weights must add up to 100%: they add up to {total}%")
            names = [criterion.name.lower() for criterion in self.criteria]
            if len(set(names)) != len(names):
                raise FieldError("criteria", "Give each criterion a different name")
        if self.opens_on and not self.closes_on:
            raise FieldError("closes_on", "Enter the date proposals close")
        if self.closes_on and not self.opens_on:
            raise FieldError("opens_on", "Enter the date proposals open")
        if self.opens_on and self.closes_on and self.closes_on <= self.opens_on:
            raise FieldError("closes_on", "The date proposals close must be after the date they open")
        if self.questions_close_on and self.closes_on and self.questions_close_on >= self.closes_on:
            # Every bidder needs the last answers before it sends its proposal.
            raise FieldError("questions_close_on", "The deadline for questions must be before the date proposals close")
        return self


# --- Clarifications ---


class QuestionForm(FormSchema):
    question: Annotated[str, browser_text(QUESTION_LIMIT, "Your question")] = Field(min_length=5)


class AnswerForm(FormSchema):
    answer: Annotated[str, browser_text(ANSWER_LIMIT, "The answer")] = Field(min_length=2)


# --- Proposals ---

PROPOSAL_LABELS = {
    "price": "the price in pounds",
    "price_note": "the note about the price",
    "approach": "your approach",
    "attach_profile": "whether to attach your supplier profile",
    "answers": "the answers",
    "organisation_id": "the organisation",
}


class AnswerIn(FormSchema):
    requirement_id: DbId
    meets: bool | None = None
    evidence: Annotated[str, browser_text(EVIDENCE_LIMIT, "The evidence")] = ""


class ProposalDraft(FormSchema):
    """A draft may be partial: what is still missing is checked when it is submitted."""

    answers: list[AnswerIn] = Field(default_factory=list, max_length=2 * MAX_REQUIREMENTS)
    price: Pounds | None = Field(default=None, ge=0, le=MAX_PRICE)
    price_note: str = Field(default="", max_length=300)
    approach: Annotated[str, browser_text(APPROACH_LIMIT, "Your approach")] = ""
    attach_profile: bool = False

    @field_validator("answers")
    @classmethod
    def each_requirement_once(cls, answers: list[AnswerIn]) -> list[AnswerIn]:
        ids = [answer.requirement_id for answer in answers]
        if len(set(ids)) != len(ids):
            raise ValueError("Answer each requirement once")
        return answers


# --- What the API returns ---


class RequirementOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    kind: RequirementKind
    position: int
    text: str


class CriterionOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    name: str
    weight: int


class ProcurementOut(BaseModel):
    need_id: int
    opens_on: date | None
    closes_on: date | None
    questions_close_on: date | None
    shortlist_size: int | None
    open_for_proposals: bool = Field(description="Whether the need takes proposals today.")
    questions_open: bool = Field(description="Whether clarification questions may be asked today.")
    required_certifications: list[str] = Field(
        description="Certifications a supplier must hold to submit (Cyber Essentials Plus counts as Cyber Essentials)."
    )
    essential_requirements: list[RequirementOut]
    nice_to_have_requirements: list[RequirementOut]
    criteria: list[CriterionOut]


class ClarificationOut(BaseModel):
    """A published question and its answer. Who asked is never given."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    question: str
    answer: str | None
    answered_at: datetime | None
    corrected_at: datetime | None = Field(description="When the council corrected the answer, if it did.")
    earlier_answer: str | None = Field(description="The answer the correction replaced.")


class AnswerOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    requirement_id: int
    meets: bool | None
    evidence: str


class ProposalOut(BaseModel):
    id: int
    need_id: int
    organisation_id: int
    organisation_name: str
    status: ProposalStatus
    price: int | None
    price_note: str
    approach: str
    attach_profile: bool
    profile_completeness: int | None = Field(description="Per cent complete when submitted with the profile.")
    essentials_met: int
    essentials_total: int
    nice_to_haves_met: int
    nice_to_haves_total: int
    answers: list[AnswerOut]
    created_at: datetime
    updated_at: datetime
    submitted_at: datetime | None
    withdrawn_at: datetime | None


class ProposalListOut(BaseModel):
    sealed: bool = Field(
        description="True until proposals are opened (after the closing date, or when closed early): until then"
        " the list is empty and only the number received is given."
    )
    received: int = Field(description="How many proposals have been submitted (withdrawn ones not counted).")
    closes_on: date | None = Field(description="The last day proposals are taken, in UK time.")
    proposals: list[ProposalOut]


class InvitationsIn(BaseModel):
    """Whom to invite to respond to the need: suppliers, social enterprises or community groups."""

    model_config = ConfigDict(extra="forbid")

    organisation_ids: list[DbId] = Field(
        min_length=1,
        max_length=20,
        description="The organisations to invite, 1 to 20. One invited already is not told again.",
    )


class InvitationOut(BaseModel):
    organisation_id: int
    organisation_name: str
    invited_at: datetime
    response: str | None = Field(
        description='"submitted", "withdrawn" or "none" once proposals are opened; null while they are sealed,'
        " since until then the council knows only how many proposals arrived."
    )


class InvitedOut(BaseModel):
    invited: list[InvitationOut] = Field(description="Invited now: each organisation's members were told.")
    already_invited: list[InvitationOut] = Field(description="Invited before: nobody was told again.")
    message: str = Field(description="What happened, in plain words.")
