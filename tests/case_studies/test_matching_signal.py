"""A published case study naming a supplier is a small, separate reason in its matches for other needs."""

from __future__ import annotations

from sqlalchemy.orm import Session

from exchange.case_studies import service
from exchange.core.models import utcnow
from exchange.matching import core, facts
from exchange.matching.documents import refresh_supplier
from exchange.needs.models import Need
from tests import factories
from tests.case_studies.conftest import World, create


def _reasons(db: Session, world: World, need: Need) -> dict[str, core.Contribution]:
    refresh_supplier(db, world.supplier.id)
    supplier = facts.suppliers(db, [world.supplier.id])[world.supplier.id]
    need_facts = facts.needs(db, [need])[need.id]
    match = core.rank([(supplier.organisation_id, need_facts, supplier)], facts.corpus(db, need_facts.terms)).matches
    return {c.factor: c for c in match[0].contributions} if match else {}


def test_the_suppliers_matches_for_other_needs_name_the_case_study(db: Session, world: World) -> None:
    leeds_need = factories.need(db, world.other_officer, world.other_council, title="Budget consultation for Leeds")
    assert "case_study" not in _reasons(db, world, leeds_need)
    case_study = create(db, world, publish=False)
    assert "case_study" not in _reasons(db, world, leeds_need)  # a draft is not evidence

    service.publish(db, factories.viewer(db, world.officer), case_study.id)

    reason = _reasons(db, world, leeds_need)["case_study"]
    assert reason.points == core.WEIGHTS["case_study"] == 0.1
    assert reason.reason == f"{world.council.name} wrote up a case study of its work: {case_study.title}"
    # Not for the need the case study tells the story of: it would be its own evidence.
    assert "case_study" not in _reasons(db, world, world.need)

    case_study.hidden_at = utcnow()
    db.flush()
    assert "case_study" not in _reasons(db, world, leeds_need)
