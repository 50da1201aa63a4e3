"""Who is told about a case study: its council and supplier when another organisation wants to try it, the
supplier when a published case study names it; nobody else, and nobody twice."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from exchange.case_studies import service
from exchange.case_studies.schemas import CaseStudyForm
from exchange.notifications.models import Notification
from exchange.outbox.models import OutboxMessage
from tests import factories
from tests.case_studies.conftest import World, create, form_data


def _told(db: Session, kind: str) -> list[tuple[int, str, str]]:
    rows = db.scalars(select(Notification).where(Notification.kind == kind).order_by(Notification.user_id))
    return [(n.user_id, n.title, n.link) for n in rows]


def test_wanting_to_try_it_tells_its_council_and_supplier_once(db: Session, world: World) -> None:
    colleague = factories.officer(db, "BUN")  # another member of the authoring council
    other_colleague = factories.officer(db, "LDS")  # a member of the interested council: not told
    bystander = factories.officer(db, "MAN")
    case_study = create(db, world)
    viewer = factories.viewer(db, world.other_officer)

    service.add_interest(db, viewer, case_study.id, world.other_council.id)

    told = _told(db, "case_study_interest")
    assert sorted(user for user, _, _ in told) == sorted([world.officer.id, colleague.id, world.supplier_admin.id])
    assert all(world.other_council.name in title and case_study.title in title for _, title, _ in told)
    assert {link for _, _, link in told} == {f"/case-studies/{case_study.id}#interest"}
    assert {m.to_address for m in db.scalars(select(OutboxMessage))} >= {world.officer.email, colleague.email}
    for outsider in (world.other_officer, other_colleague, bystander):
        assert not db.scalars(select(Notification).where(Notification.user_id == outsider.id)).all()
        assert factories.emails_to(db, outsider.email) == []

    # Marking again, or withdrawing and marking again, tells nobody a second time.
    service.add_interest(db, viewer, case_study.id, world.other_council.id)
    service.withdraw_interest(db, viewer, case_study.id, world.other_council.id)
    service.add_interest(db, viewer, case_study.id, world.other_council.id)
    assert len(_told(db, "case_study_interest")) == 3


def test_publishing_tells_the_supplier_named_once_and_drafts_tell_nobody(db: Session, world: World) -> None:
    case_study = create(db, world, publish=False)
    assert _told(db, "named_in_case_study") == []  # a draft the supplier cannot read yet

    author = factories.viewer(db, world.officer)
    service.publish(db, author, case_study.id)
    told = _told(db, "named_in_case_study")
    assert [(user, link) for user, _, link in told] == [(world.supplier_admin.id, f"/case-studies/{case_study.id}")]
    assert world.council.name in told[0][1]
    assert len(factories.emails_to(db, world.supplier_admin.email)) == 1

    # Editing, unpublishing and publishing again do not tell it again.
    data = {k: v for k, v in form_data(world, title="A new title").items() if k != "organisation_id" and v != ""}
    service.update(db, author, case_study.id, CaseStudyForm.model_validate(data))
    service.unpublish(db, author, case_study.id)
    service.publish(db, author, case_study.id)
    assert len(_told(db, "named_in_case_study")) == 1
    assert all(user == world.supplier_admin.id for user, _, _ in _told(db, "named_in_case_study"))


def test_naming_another_supplier_in_a_published_case_study_tells_that_supplier(db: Session, world: World) -> None:
    case_study = create(db, world)
    founder = factories.user(db, name="Sam Second")
    second = factories.supplier(db, founder, name="Second Supplier Ltd")
    data = {
        k: v
        for k, v in form_data(world, supplier_organisation_id=second.id, need_id="").items()
        if k != "organisation_id" and v not in ("", None)
    }
    service.update(db, factories.viewer(db, world.officer), case_study.id, CaseStudyForm.model_validate(data))
    assert sorted(user for user, _, _ in _told(db, "named_in_case_study")) == sorted(
        [world.supplier_admin.id, founder.id]
    )
