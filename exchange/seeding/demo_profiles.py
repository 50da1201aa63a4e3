"""Supplier profiles for the demo set (seed_data/demo_profiles.json): mostly complete, with one expired
certificate and references that name demo councils, so every part of the profile pages has something to show."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from exchange.accounts.models import User
from exchange.core.models import utcnow
from exchange.organisations.models import Organisation
from exchange.profiles.completeness import today
from exchange.profiles.grounds import GROUND_KEYS
from exchange.profiles.models import (
    AccessibilityConformance,
    Certification,
    CertificationKind,
    Declaration,
    HostingLocation,
    Insurance,
    InsuranceKind,
    LegalForm,
    PastContract,
    Reference,
    SupplierProfile,
)


def _in_days(days: int | None) -> date | None:
    return None if days is None else today() + timedelta(days=days)


def _profile(organisation: Organisation, row: dict[str, Any]) -> SupplierProfile:
    identity = dict(row.get("identity", {}))
    policies = dict(row.get("policies", {}))
    if identity.get("legal_form"):
        identity["legal_form"] = LegalForm(identity["legal_form"])
    if identity.get("trading_started_on"):
        identity["trading_started_on"] = date.fromisoformat(identity["trading_started_on"])
    if policies.get("hosting_location"):
        policies["hosting_location"] = HostingLocation(policies["hosting_location"])
    if policies.get("accessibility_conformance"):
        policies["accessibility_conformance"] = AccessibilityConformance(policies["accessibility_conformance"])
    return SupplierProfile(organisation_id=organisation.id, regions=[], **identity, **policies)


def _reference(
    organisation: Organisation, row: dict[str, Any], councils: Mapping[str | None, Organisation], users: dict[str, User]
) -> Reference:
    buyer = councils[row["buyer"]] if row.get("buyer") else None
    confirmer = users[row["confirmed_by"]] if row.get("confirmed_by") else None
    return Reference(
        organisation_id=organisation.id,
        buyer_organisation_id=buyer.id if buyer else None,
        buyer_name=buyer.name if buyer else row["buyer_name"],
        contact_name=row.get("contact_name"),
        contact_email=row.get("contact_email"),
        description=row["description"],
        period=row.get("period"),
        confirmed_at=utcnow() if confirmer else None,
        confirmed_by_id=confirmer.id if confirmer else None,
    )


def load_demo_profiles(
    db: Session, seed_dir: Path, organisations: dict[str, Organisation], councils: Mapping[str | None, Organisation]
) -> int:
    data: dict[str, Any] = json.loads((seed_dir / "demo_profiles.json").read_text(encoding="utf-8"))
    users = {user.email: user for user in db.scalars(select(User))}
    for row in data["profiles"]:
        organisation = organisations[row["organisation"]]
        db.add(_profile(organisation, row))
        for item in row.get("certifications", []):
            db.add(
                Certification(
                    organisation_id=organisation.id,
                    kind=CertificationKind(item["kind"]),
                    name=item.get("name"),
                    reference=item["reference"],
                    expires_on=_in_days(item["expires_in_days"]),
                )
            )
        for item in row.get("insurances", []):
            db.add(
                Insurance(
                    organisation_id=organisation.id,
                    kind=InsuranceKind(item["kind"]),
                    cover_amount=item["cover_amount"],
                    insurer=item.get("insurer"),
                    expires_on=_in_days(item.get("expires_in_days")),
                )
            )
        if "declarations" in row:
            # Grounds not listed are answered "no"; a listed ground gives its explanation.
            for ground in GROUND_KEYS:
                explanation = row["declarations"].get(ground, "")
                db.add(
                    Declaration(
                        organisation_id=organisation.id,
                        ground=ground,
                        applies=bool(explanation),
                        explanation=explanation,
                    )
                )
        for item in row.get("references", []):
            db.add(_reference(organisation, item, councils, users))
        for item in row.get("past_contracts", []):
            awarded_on = date.fromisoformat(item["awarded_on"]) if item.get("awarded_on") else None
            db.add(PastContract(organisation_id=organisation.id, categories=[], **{**item, "awarded_on": awarded_on}))
    db.flush()
    return len(data["profiles"])
