"""What the knowledge domain adds to other domains' pages: follow buttons and endorsements.

Item pages of other domains include ``knowledge/_follow.html`` and ``knowledge/_endorsements.html``; the
globals below read what those need (a couple of queries per page, never per item in a list).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from jinja2 import Environment, pass_context
from sqlalchemy.orm import Session

from exchange.core.http import get_db
from exchange.core.viewer import ANONYMOUS, Viewer
from exchange.knowledge import endorsements, follows
from exchange.knowledge.models import EndorsedKind, Endorsement, FollowKind


@dataclass(frozen=True)
class FollowState:
    kind: FollowKind
    target_id: int
    following: bool
    followers: int
    noun: str

    @property
    def action(self) -> str:
        path = f"/follows/{self.kind.value}/{self.target_id}"
        return f"{path}/remove" if self.following else path


@dataclass(frozen=True)
class EndorsementPanel:
    kind: EndorsedKind
    item_id: int
    items: list[Endorsement]
    # Where the viewer can endorse, when one of their councils may and has not yet.
    endorse_url: str | None
    # The endorsements the viewer's councils made, which they may withdraw.
    own: frozenset[int]


def _request_parts(context: Any) -> tuple[Session, Viewer]:
    request = context["request"]
    return get_db(request), context.get("viewer") or ANONYMOUS


def follow_state(db: Session, viewer: Viewer, kind: FollowKind, target_id: int) -> FollowState:
    return FollowState(
        kind,
        target_id,
        follows.is_following(db, viewer.user_id, kind, target_id),
        follows.follower_count(db, kind, target_id),
        follows.KIND_NOUNS[kind],
    )


def endorsement_panel(
    db: Session, viewer: Viewer, kind: EndorsedKind, item_id: int, supplier_id: int
) -> EndorsementPanel:
    items = endorsements.for_item(db, kind, item_id)
    councils = {c.id for c in endorsements.endorsing_councils(db, viewer, supplier_id)}
    done = {e.endorser_organisation_id for e in items}
    url = f"/endorse/{kind.value}/{item_id}" if councils - done else None
    own = frozenset(e.id for e in items if viewer.is_member(e.endorser_organisation_id))
    return EndorsementPanel(kind, item_id, items, url, own)


@pass_context
def _follow_global(context: Any, kind: str, target_id: int) -> FollowState:
    db, viewer = _request_parts(context)
    return follow_state(db, viewer, FollowKind(kind), target_id)


@pass_context
def _endorsements_global(context: Any, kind: str, item_id: int, supplier_id: int) -> EndorsementPanel:
    db, viewer = _request_parts(context)
    return endorsement_panel(db, viewer, EndorsedKind(kind), item_id, supplier_id)


def install(environment: Environment) -> None:
    environment.globals["follow_state"] = _follow_global
    environment.globals["endorsement_panel"] = _endorsements_global
