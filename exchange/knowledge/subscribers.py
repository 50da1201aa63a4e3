"""What followers hear as it happens (the digests gather the rest): a need's clarification answers."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from exchange.accounts.models import User
from exchange.core import events
from exchange.knowledge.follows import need_followers
from exchange.notifications.models import NotificationKind
from exchange.notifications.service import notify
from exchange.proposals.clarifications import answer_notice
from exchange.proposals.events import ClarificationAnswered
from exchange.proposals.models import Clarification


@events.in_transaction(ClarificationAnswered)
def tell_need_followers_of_answer(db: Session, answered: ClarificationAnswered) -> None:
    followers = need_followers(db, answered.need_id)
    untold = list(
        db.scalars(select(User).where(User.id.in_(followers), User.id.not_in(answered.told_user_ids)).order_by(User.id))
    )
    if untold:
        clarification = db.get_one(Clarification, answered.clarification_id)
        notify(db, untold, NotificationKind.CLARIFICATION_ANSWERED, *answer_notice(db, clarification))
