"""What the organiser asks registering organisations (short text, yes or no, or one of a few choices; required
or optional), and checking the answers given, with errors in plain words."""

from __future__ import annotations

import enum
import secrets
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from exchange.audit import service as audit
from exchange.core.errors import Conflict, Invalid
from exchange.core.viewer import Viewer
from exchange.sessions import service
from exchange.sessions.models import MatchmakingSession, SessionStatus

MOST_QUESTIONS = 10
MOST_CHOICES = 10
QUESTION_LENGTH = 200
ANSWER_LENGTH = 500
CHOICE_LENGTH = 100
YES_NO = ("Yes", "No")


class QuestionKind(enum.StrEnum):
    TEXT = "text"
    YES_NO = "yes_no"
    CHOICE = "choice"

    @property
    def label(self) -> str:
        return KIND_LABELS[self]


KIND_LABELS = {QuestionKind.TEXT: "Short text", QuestionKind.YES_NO: "Yes or no", QuestionKind.CHOICE: "Choose one"}


@dataclass(frozen=True)
class Question:
    key: str
    text: str
    kind: QuestionKind
    choices: tuple[str, ...]
    required: bool

    @property
    def field(self) -> str:
        """The form field that carries the answer."""
        return f"answer-{self.key}"

    @property
    def options(self) -> tuple[str, ...]:
        return YES_NO if self.kind is QuestionKind.YES_NO else self.choices


def of(session: MatchmakingSession) -> list[Question]:
    return [
        Question(
            str(item["key"]),
            str(item["text"]),
            QuestionKind(item["kind"]),
            tuple(str(c) for c in item.get("choices") or ()),
            bool(item.get("required")),
        )
        for item in session.questions or []
    ]


def _stored(question: Question) -> dict[str, Any]:
    return {
        "key": question.key,
        "text": question.text,
        "kind": question.kind.value,
        "choices": list(question.choices),
        "required": question.required,
    }


def _editable(db: Session, viewer: Viewer, session_id: int) -> MatchmakingSession:
    session = service.get_organised(db, viewer, session_id)
    if session.status is SessionStatus.CANCELLED:
        raise Conflict("A cancelled session cannot be changed.")
    return session


def add(db: Session, viewer: Viewer, session_id: int, values: dict[str, Any]) -> Question:
    """A new question from the organiser's form: text, kind, choices (one a line) and whether it is required."""
    session = _editable(db, viewer, session_id)
    errors: dict[str, str] = {}
    text = str(values.get("text", "")).strip()
    if not text:
        errors["text"] = "Enter the question"
    elif len(text) > QUESTION_LENGTH:
        errors["text"] = f"The question must be {QUESTION_LENGTH} characters or fewer"
    try:
        kind = QuestionKind(str(values.get("kind", "")))
    except ValueError:
        kind = QuestionKind.TEXT
        errors["kind"] = "Choose the kind of answer"
    choices = tuple(dict.fromkeys(line.strip() for line in str(values.get("choices", "")).splitlines() if line.strip()))
    if kind is QuestionKind.CHOICE:
        if len(choices) < 2:
            errors["choices"] = "Enter at least two choices, one on each line"
        elif len(choices) > MOST_CHOICES or any(len(c) > CHOICE_LENGTH for c in choices):
            errors["choices"] = f"Enter at most {MOST_CHOICES} choices of {CHOICE_LENGTH} characters or fewer"
    required = values.get("required")
    if required not in ("yes", "no"):
        errors["required"] = "Say whether an answer is required"
    if len(of(session)) >= MOST_QUESTIONS:
        errors["text"] = f"A session can ask at most {MOST_QUESTIONS} questions"
    if errors:
        raise Invalid("Check the answers and try again", field_errors=errors)
    question = Question(
        secrets.token_hex(4), text, kind, choices if kind is QuestionKind.CHOICE else (), required == "yes"
    )
    session.questions = [*(_stored(q) for q in of(session)), _stored(question)]
    audit.record(db, viewer.user_id, "session.question_added", "session", session.id, question=question.key)
    db.flush()
    return question


def remove(db: Session, viewer: Viewer, session_id: int, key: str) -> None:
    """Registrations already made keep the answers they gave; the organiser no longer sees the question."""
    session = _editable(db, viewer, session_id)
    kept = [q for q in of(session) if q.key != key]
    if len(kept) == len(of(session)):
        raise Invalid("Choose a question to remove", field_errors={"questions": "That question is not asked"})
    session.questions = [_stored(q) for q in kept] or None
    audit.record(db, viewer.user_id, "session.question_removed", "session", session.id, question=key)
    db.flush()


def check_answers(session: MatchmakingSession, given: dict[str, str]) -> dict[str, str]:
    """The answers to store, by question key; or the form's errors, each under its question's field."""
    answers: dict[str, str] = {}
    errors: dict[str, str] = {}
    for question in of(session):
        answer = (given.get(question.field) or "").strip()
        if not answer:
            if question.required:
                errors[question.field] = (
                    f"Answer “{question.text}”"
                    if question.kind is QuestionKind.TEXT
                    else f"Choose an answer to “{question.text}”"
                )
            continue
        if question.kind is QuestionKind.TEXT and len(answer) > ANSWER_LENGTH:
            errors[question.field] = f"The answer to “{question.text}” must be {ANSWER_LENGTH} characters or fewer"
        elif question.kind is not QuestionKind.TEXT and answer not in question.options:
            errors[question.field] = f"Choose an answer to “{question.text}” from the list"
        else:
            answers[question.key] = answer
    if errors:
        raise Invalid("Check the answers and try again", field_errors=errors)
    return answers


def answered(session: MatchmakingSession, answers: dict[str, str] | None) -> list[tuple[str, str]]:
    """(question, answer) for the organiser, in the order asked; unanswered ones say so."""
    given = answers or {}
    return [(q.text, given.get(q.key, "") or "Not answered") for q in of(session)]
