"""The rules for needs: who may post and see them, drafts and publishing, and the guarded stage transitions.

A need saved from the form is a draft: only its council's members see it (everyone else, administrators too,
gets 404), and it is out of search, feeds, the published data and matching alerts until it is published.
The dates a need is published with are checked by exchange.proposals.publishing, which owns them.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from exchange.audit import service as audit
from exchange.core import events
from exchange.core.database import take_turns_on
from exchange.core.errors import Conflict, Invalid, NotAllowed, NotFound
from exchange.core.models import utcnow
from exchange.core.viewer import Viewer
from exchange.needs.events import NeedChanged, NeedStageChanged
from exchange.needs.models import Need, NeedStage, Visibility
from exchange.needs.schemas import NeedForm
from exchange.organisations.models import Organisation
from exchange.reference import service as reference

S = NeedStage
ALLOWED_TRANSITIONS: dict[NeedStage, frozenset[NeedStage]] = {
    S.IDEA: frozenset({S.EARLY_MARKET_ENGAGEMENT, S.OPEN_FOR_PROPOSALS, S.CANCELLED}),
    S.EARLY_MARKET_ENGAGEMENT: frozenset({S.OPEN_FOR_PROPOSALS, S.CANCELLED}),
    S.OPEN_FOR_PROPOSALS: frozenset({S.CLOSED, S.CANCELLED}),
    S.CLOSED: frozenset({S.AWARDED, S.NO_SUITABLE_SUPPLIER, S.CANCELLED}),
    S.AWARDED: frozenset(),
    S.NO_SUITABLE_SUPPLIER: frozenset(),
    S.CANCELLED: frozenset(),
}


def _changed(db: Session, need: Need, stage_changed: bool = False) -> None:
    db.flush()
    events.record(db, NeedChanged(need.id))
    if stage_changed:
        events.record(db, NeedStageChanged(need.id))


def can_see(viewer: Viewer, need: Need) -> bool:
    """Its council's members always; the administrators once it is published; everyone else as its visibility
    says, once it is published, unless a moderator hid it."""
    if viewer.is_member(need.organisation_id):
        return True
    if need.is_draft:
        return False
    if viewer.is_admin:
        return True
    if need.is_hidden:
        return False
    return need.visibility is Visibility.PUBLIC or (
        need.visibility is Visibility.PUBLIC_SECTOR and viewer.public_sector_verified
    )


def posting_organisations(db: Session, viewer: Viewer) -> list[Organisation]:
    """Councils and public bodies this viewer may post needs for."""
    if not viewer.organisation_ids or not viewer.email_verified:
        return []
    rows = db.scalars(select(Organisation).where(Organisation.id.in_(viewer.organisation_ids)))
    return [o for o in rows if o.is_public_sector]


def _check(db: Session, form: NeedForm) -> None:
    errors = {}
    if not reference.valid_category(db, form.category_id):
        errors["category_id"] = "Choose a category from the list"
    if not reference.valid_region(db, form.region_id):
        errors["region_id"] = "Choose a region from the list"
    if errors:
        raise Invalid("Check the answers and try again", field_errors=errors)


def _apply(need: Need, form: NeedForm) -> None:
    for field, value in form.model_dump(exclude={"organisation_id"}).items():
        setattr(need, field, value)


def create(db: Session, viewer: Viewer, organisation_id: int, form: NeedForm, publish: bool = False) -> Need:
    """A new need: a draft for its council to preview and publish, or (``publish``, the API) published at once."""
    if organisation_id not in {o.id for o in posting_organisations(db, viewer)}:
        if not viewer.email_verified:
            raise NotAllowed("Confirm your email address before you post a need")
        raise Invalid(
            "Check the answers and try again",
            field_errors={"organisation_id": "Choose one of your councils or public bodies"},
        )
    _check(db, form)
    need = Need(organisation_id=organisation_id, created_by_id=viewer.user_id, stage=NeedStage.IDEA)
    _apply(need, form)
    db.add(need)
    db.flush()
    if not publish:
        # The column's default publishes every need made elsewhere (imports, demo data) as it is inserted, and
        # the ORM applies it to a None given at construction too: a draft is unpublished after the insert.
        need.published_at = None
        db.flush()
    audit.record(db, viewer.user_id, "need.created", "need", need.id, stage=need.stage.value)
    # A draft is indexed only to be kept out of search; suppliers hear of a need once it is published.
    _changed(db, need, stage_changed=publish)
    return need


def get_draft(db: Session, viewer: Viewer, need_id: int) -> Need:
    """One of the viewer's council's drafts (404 for everyone else, and for a need already published)."""
    need = get(db, viewer, need_id)
    if not viewer.is_member(need.organisation_id) or not need.is_draft:
        raise NotFound()
    return need


def publish(db: Session, viewer: Viewer, need_id: int) -> Need:
    """Make a draft public, and tell whoever creating a need told before drafts existed (search, alerts).
    The caller has checked its dates (exchange.proposals.publishing.publish)."""
    # Publish pressed twice at once: one request publishes, the other then finds no draft (and alerts nobody).
    take_turns_on(db, Need.id, need_id)
    need = get_draft(db, viewer, need_id)
    db.refresh(need, ["published_at"])
    if not need.is_draft:
        raise NotFound()
    need.published_at = utcnow()
    db.flush()
    audit.record(db, viewer.user_id, "need.published", "need", need.id, stage=need.stage.value)
    _changed(db, need, stage_changed=True)
    return need


def get(db: Session, viewer: Viewer, need_id: int) -> Need:
    need = db.get(
        Need,
        need_id,
        # Many-to-one: joined into the one query that reads the row.
        options=[joinedload(Need.organisation), joinedload(Need.category), joinedload(Need.region)],
    )
    if need is None or not can_see(viewer, need):
        raise NotFound()
    return need


def get_for_edit(db: Session, viewer: Viewer, need_id: int) -> Need:
    need = db.get(Need, need_id)
    if need is None or not viewer.is_member(need.organisation_id):
        raise NotFound()
    return need


def get_editable(db: Session, viewer: Viewer, need_id: int) -> Need:
    """A need its members may still edit: a need in a final stage is kept as it ended."""
    need = get_for_edit(db, viewer, need_id)
    if need.stage.is_final:
        raise Conflict(f"This need is {need.stage.label.lower()} and can no longer be changed")
    return need


def update(db: Session, viewer: Viewer, need_id: int, form: NeedForm) -> Need:
    need = get_editable(db, viewer, need_id)
    _check(db, form)
    _apply(need, form)
    db.flush()
    audit.record(db, viewer.user_id, "need.updated", "need", need.id)
    _changed(db, need)
    return need


def next_stages(need: Need) -> list[NeedStage]:
    return [stage for stage in NeedStage if stage in ALLOWED_TRANSITIONS[need.stage]]


def change_stage(db: Session, viewer: Viewer, need_id: int, to: NeedStage) -> Need:
    need = get_for_edit(db, viewer, need_id)
    if to not in ALLOWED_TRANSITIONS[need.stage]:
        raise Conflict(f"A need that is {need.stage.label.lower()} cannot move to {to.label.lower()}")
    before = need.stage
    need.stage = to
    db.flush()
    audit.record(db, viewer.user_id, "need.stage_changed", "need", need.id, from_stage=before.value, to_stage=to.value)
    _changed(db, need, stage_changed=True)
    return need


# Stages that say what was decided: only the outcome (exchange.evaluation.outcome) moves a need there, with
# the winner or the reasons, and tells every proposer.
DECIDED_BY_OUTCOME = frozenset({NeedStage.AWARDED, NeedStage.NO_SUITABLE_SUPPLIER})


def change_stage_by_hand(db: Session, viewer: Viewer, need_id: int, to: NeedStage) -> Need:
    """A stage change asked for on the need page or the API: anything but an outcome."""
    need = get_for_edit(db, viewer, need_id)
    if to in DECIDED_BY_OUTCOME and to in ALLOWED_TRANSITIONS[need.stage]:
        raise Conflict(f"Record the outcome on the need's Outcome page to mark it {to.label.lower()}")
    return change_stage(db, viewer, need_id, to)


def for_organisations(db: Session, organisation_ids: frozenset[int] | set[int]) -> list[Need]:
    """The organisations' published needs, last changed first (their drafts are in ``drafts_of``)."""
    if not organisation_ids:
        return []
    return list(
        db.scalars(
            select(Need)
            .where(Need.organisation_id.in_(organisation_ids), Need.published_at.is_not(None))
            .order_by(Need.updated_at.desc())
        )
    )


def drafts_of(db: Session, organisation_ids: frozenset[int] | set[int]) -> list[Need]:
    """The organisations' drafts, last changed first: for their members' dashboard."""
    if not organisation_ids:
        return []
    return list(
        db.scalars(
            select(Need)
            .where(Need.organisation_id.in_(organisation_ids), Need.published_at.is_(None))
            .order_by(Need.updated_at.desc())
        )
    )


def visible_from(db: Session, viewer: Viewer, organisation_id: int, limit: int = 50) -> list[Need]:
    """The organisation's published needs this viewer may see (its members find their drafts on the dashboard)."""
    needs = db.scalars(
        select(Need)
        .where(Need.organisation_id == organisation_id, Need.published_at.is_not(None))
        .order_by(Need.updated_at.desc())
        .limit(limit)
    )
    return [need for need in needs if can_see(viewer, need)]
