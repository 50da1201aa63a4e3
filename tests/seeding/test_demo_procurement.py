"""The demo shows both sides of sealed proposals: a need still taking proposals, whose council sees only how
many arrived, and a need whose proposals closed, were opened (once, audited), shortlisted, scored by two
officers and moderated."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from exchange.accounts.models import User
from exchange.accounts.service import load_viewer
from exchange.evaluation import service as evaluation
from exchange.needs.models import Need
from exchange.proposals import council
from exchange.seeding.demo import load_demo
from tests import factories
from tests.conftest import PROJECT_ROOT

SEALED = "Meals at home for older and disabled residents"
EVALUATED = "Tracking street cleansing requests from report to clear-up"


def test_the_demo_has_a_sealed_need_and_an_opened_evaluated_one(db: Session) -> None:
    load_demo(db, PROJECT_ROOT / "seed_data")
    officer = db.scalars(select(User).where(User.email == "officer@burnley.example.gov.uk")).one()
    viewer = load_viewer(db, officer.id)
    need_ids = {need.title: need.id for need in db.scalars(select(Need))}

    sealed = council.submitted_for_council(db, viewer, need_ids[SEALED])
    assert sealed.sealed and sealed.received >= 1 and sealed.proposals == []
    assert factories.audit_events(db, "need", need_ids[SEALED], "proposals.opened") == []

    opened = council.submitted_for_council(db, viewer, need_ids[EVALUATED])
    assert not opened.sealed and {p.proposal.organisation.name for p in opened.proposals} == {
        "Kerbside Labs",
        "Fixline Housing Software Ltd",
    }
    [opening] = factories.audit_events(db, "need", need_ids[EVALUATED], "proposals.opened")
    assert opening.actor_user_id == officer.id and opening.data["received"] == 2
    state = evaluation.load(db, viewer, need_ids[EVALUATED])
    assert state.moderation_started and len({s.evaluator_id for s in state.scores}) == 2
    ranking = state.matrix(viewer).rows
    assert [row.supplier.name for row in ranking] == ["Kerbside Labs", "Fixline Housing Software Ltd"]
    assert [row.rank for row in ranking] == [1, 2]
    assert len(state.feedback) == 2
    # Its panel: both Burnley officers evaluate, the first moderates, and each declared no conflict.
    members = {m.user.email: m for m in state.panel.members}
    assert set(members) == {"officer@burnley.example.gov.uk", "procurement@burnley.example.gov.uk"}
    assert all(m.is_evaluator and m.cleared for m in members.values())
    assert state.panel.moderator is members["officer@burnley.example.gov.uk"]
    assert len(factories.audit_events(db, "need", need_ids[EVALUATED], "evaluation.interests_declared")) == 2
