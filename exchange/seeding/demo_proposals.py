"""Procurement settings, answered clarification questions and submitted proposals for the demo set
(seed_data/demo_proposals.json), so that the proposal and evaluation pages of demo needs have something to show.

Dates are days from today, so whenever the demo is loaded one need is open for proposals and the other has
closed, with two proposals waiting to be shortlisted and evaluated.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from exchange.accounts.models import User
from exchange.audit import service as audit
from exchange.core.models import utcnow
from exchange.needs.models import Need, NeedStage
from exchange.organisations.models import Organisation
from exchange.profiles import service as profiles
from exchange.profiles.completeness import today
from exchange.proposals.models import (
    Clarification,
    EvaluationCriterion,
    NeedProcurement,
    Proposal,
    ProposalAnswer,
    ProposalStatus,
    Requirement,
    RequirementKind,
)
from exchange.seeding.demo_evaluation import assign_panel, evaluate


def _requirements(db: Session, need: Need, row: dict[str, Any]) -> list[Requirement]:
    requirements = []
    for kind, key in (
        (RequirementKind.ESSENTIAL, "essential_requirements"),
        (RequirementKind.NICE_TO_HAVE, "nice_to_have_requirements"),
    ):
        for position, text in enumerate(row[key], start=1):
            requirement = Requirement(need_id=need.id, kind=kind, position=position, text=text)
            db.add(requirement)
            requirements.append(requirement)
    db.flush()
    return requirements


def _proposal(
    db: Session,
    need: Need,
    row: dict[str, Any],
    requirements: list[Requirement],
    organisations: dict[str, Organisation],
    users: dict[str, User],
) -> Proposal:
    organisation = organisations[row["organisation"]]
    submitter = users[row["submitted_by"]]
    completeness = profiles.completeness(db, [organisation.id])[organisation.id]
    proposal = Proposal(
        need_id=need.id,
        organisation_id=organisation.id,
        status=ProposalStatus.SUBMITTED,
        price=row["price"],
        price_note=row["price_note"],
        approach=row["approach"],
        attach_profile=True,
        profile_completeness=round(completeness * 100),
        created_by_id=submitter.id,
        submitted_at=utcnow(),
        submitted_by_id=submitter.id,
        answers=[
            ProposalAnswer(requirement_id=requirement.id, meets=answer["meets"], evidence=answer["evidence"])
            for requirement, answer in zip(requirements, row["answers"], strict=True)
        ],
    )
    db.add(proposal)
    db.flush()
    audit.record(db, submitter.id, "proposal.submitted", "proposal", proposal.id, need_id=need.id, source="demo")
    return proposal


def load_demo_closing_dates(db: Session, closing: dict[int, date]) -> None:
    """The closing date of each demo need open for proposals that the procurements above did not set up: taking
    proposals from the day it is loaded. A need at an earlier stage takes none yet, so it has no closing date."""
    set_up = set(db.scalars(select(NeedProcurement.need_id)))
    for need_id, closes_on in closing.items():
        need = db.get_one(Need, need_id)
        if need_id not in set_up and need.stage is NeedStage.OPEN_FOR_PROPOSALS:
            db.add(NeedProcurement(need_id=need_id, opens_on=today(), closes_on=closes_on))
    db.flush()


def load_demo_proposals(db: Session, seed_dir: Path, organisations: dict[str, Organisation]) -> int:
    data: dict[str, Any] = json.loads((seed_dir / "demo_proposals.json").read_text(encoding="utf-8"))
    users = {user.email: user for user in db.scalars(select(User))}
    for row in data["procurements"]:
        need = db.scalars(select(Need).where(Need.title == row["need"])).one()
        db.add(
            NeedProcurement(
                need_id=need.id,
                shortlist_size=row["shortlist_size"],
                opens_on=today() + timedelta(days=row["opens_in_days"]),
                closes_on=today() + timedelta(days=row["closes_in_days"]),
                questions_close_on=today() + timedelta(days=row["questions_close_in_days"]),
            )
        )
        requirements = _requirements(db, need, row)
        for position, criterion in enumerate(row["criteria"], start=1):
            db.add(EvaluationCriterion(need_id=need.id, position=position, **criterion))
        for item in row["clarifications"]:
            db.add(
                Clarification(
                    need_id=need.id,
                    question=item["question"],
                    asked_by_id=users[item["asked_by"]].id,
                    answer=item["answer"],
                    answered_at=utcnow(),
                )
            )
        for item in row["proposals"]:
            _proposal(db, need, item, requirements, organisations, users)
        if "panel" in row:
            db.flush()
            assign_panel(db, need, row["panel"], users)
        if "evaluation" in row:
            db.flush()
            evaluate(db, need, row["evaluation"], organisations, users)
    db.flush()
    return len(data["procurements"])
