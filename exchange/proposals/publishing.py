"""Publishing a need's draft: its procurement dates are checked first, since suppliers plan their bids on them.

A need's dates live with its procurement settings (see exchange.proposals.procurement); the need itself is
made public by exchange.needs.service.publish once they pass.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from exchange.core.database import take_turns_on
from exchange.core.errors import Invalid
from exchange.core.viewer import Viewer
from exchange.needs import service as needs
from exchange.needs.models import Need, NeedStage
from exchange.proposals.procurement import ProcurementView, load

NOT_READY = "Check the dates before you publish the need"


def date_problems(view: ProcurementView) -> dict[str, str]:
    """What is wrong with the dates a need would be published with, by field (empty when nothing is).

    Dates not set are fine (a need at the idea stage may have none), unless proposals are to be taken now."""
    errors: dict[str, str] = {}
    today = view.today
    if view.opens_on is not None and view.opens_on < today:
        errors["opens_on"] = "The date proposals open must be today or in the future"
    if view.questions_close_on is not None and view.questions_close_on <= today:
        errors["questions_close_on"] = "The deadline for questions must be in the future"
    if view.closes_on is not None:
        if view.closes_on <= today:
            errors["closes_on"] = "The date proposals close must be in the future"
        elif view.questions_close_on is not None and view.closes_on <= view.questions_close_on:
            errors["closes_on"] = "The date proposals close must be after the questions close"
        elif view.opens_on is not None and view.closes_on <= view.opens_on:
            errors["closes_on"] = "The date proposals close must be after the date they open"
    elif view.need.stage is NeedStage.OPEN_FOR_PROPOSALS:
        errors["closes_on"] = "Set the date proposals close: the need is open for proposals"
    return errors


def publish(db: Session, viewer: Viewer, need_id: int) -> Need:
    """Publish one of the viewer's council's drafts if its dates pass; otherwise raise and change nothing."""
    take_turns_on(db, Need.id, need_id)  # two Publish clicks at once take turns: the second finds no draft
    need = needs.get_draft(db, viewer, need_id)
    errors = date_problems(load(db, need))
    if errors:
        raise Invalid(NOT_READY, field_errors=errors)
    return needs.publish(db, viewer, need_id)
