"""What the knowledge domain adds to other domains' pages: follow buttons and endorsements.

The pages that show an item (exchange/pages) put ``follow_state`` and ``endorsement_panel`` in their context
for ``knowledge/_follow_button.html`` and ``knowledge/_endorsements.html`` (a couple of queries per page,
never per item in a list).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from exchange.core.viewer import Viewer
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
