"""Who hears about a case study: its council and supplier when someone wants to try it, and the supplier
when a published case study names it. Each is told once per thing (``notify_once``), whoever repeats it."""

from __future__ import annotations

from sqlalchemy.orm import Session

from exchange.case_studies.events import InterestAdded, SupplierNamed
from exchange.case_studies.models import CaseStudy
from exchange.core import events
from exchange.notifications.models import NotificationKind
from exchange.notifications.service import notify_once
from exchange.organisations.models import Organisation
from exchange.organisations.service import active_members


def _link(case_study: CaseStudy) -> str:
    return f"/case-studies/{case_study.id}"


@events.in_transaction(InterestAdded)
def tell_authors_of_interest(db: Session, added: InterestAdded) -> None:
    case_study = db.get_one(CaseStudy, added.case_study_id)
    interested = db.get_one(Organisation, added.organisation_id)
    authors = {case_study.organisation_id, case_study.supplier_organisation_id} - {None}
    people = [u for u in active_members(db, {i for i in authors if i is not None}) if u.id != added.by_user_id]
    notify_once(
        db,
        people,
        NotificationKind.CASE_STUDY_INTEREST,
        f"{interested.name} wants to try “{case_study.title}”",
        f"{interested.name} said it wants to try what your case study “{case_study.title}” describes. "
        "You can see who else wants to try it on the case study's page.",
        _link(case_study) + "#interest",
    )


@events.in_transaction(SupplierNamed)
def tell_supplier_it_is_named(db: Session, named: SupplierNamed) -> None:
    case_study = db.get_one(CaseStudy, named.case_study_id)
    if case_study.supplier_organisation_id != named.supplier_id or not case_study.is_published or case_study.is_hidden:
        return
    council = db.get_one(Organisation, case_study.organisation_id)
    people = [u for u in active_members(db, {named.supplier_id}) if u.id != named.by_user_id]
    notify_once(
        db,
        people,
        NotificationKind.NAMED_IN_CASE_STUDY,
        f"{council.name} published a case study about working with you",
        f"{council.name} published “{case_study.title}”, which names your organisation as the one it worked with.",
        _link(case_study),
    )
