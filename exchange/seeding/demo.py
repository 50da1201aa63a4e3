"""Loading the demo set (seed_data/demo.json): fictional suppliers, VCSEs, users, listings and needs."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from exchange.accounts.models import Member, MemberRole, User
from exchange.audit import service as audit
from exchange.core import events
from exchange.core.models import utcnow
from exchange.core.security import hash_password
from exchange.core.text import slugify
from exchange.listings.events import ListingChanged
from exchange.listings.models import Offer, Pitch, PriceModel
from exchange.matching import documents as supplier_documents
from exchange.needs.events import NeedChanged
from exchange.needs.models import Need, NeedStage, Visibility
from exchange.organisations.models import CouncilEmailDomain, Organisation, OrganisationKind
from exchange.organisations.service import join_council_by_email_domain
from exchange.reference.models import Category, Region
from exchange.seeding.demo_case_studies import load_demo_case_studies
from exchange.seeding.demo_profiles import load_demo_profiles
from exchange.seeding.demo_proposals import load_demo_closing_dates, load_demo_proposals
from exchange.seeding.demo_sessions import load_demo_sessions


class DemoDataError(ValueError):
    pass


def load_demo(db: Session, seed_dir: Path) -> dict[str, int]:
    data: dict[str, Any] = json.loads((seed_dir / "demo.json").read_text(encoding="utf-8"))
    if db.scalar(select(User).where(User.email == data["users"][0]["email"])):
        return {"skipped": 1}
    regions = {r.name: r.id for r in db.scalars(select(Region))}
    categories = {c.label: c.id for c in db.scalars(select(Category).where(Category.parent_id.is_not(None)))}
    councils = {
        o.local_authority_code: o
        for o in db.scalars(select(Organisation).where(Organisation.local_authority_code.is_not(None)))
    }

    def region_id(name: str | None) -> int | None:
        if name is None:
            return None
        if name not in regions:
            raise DemoDataError(f"unknown region {name!r}")
        return regions[name]

    def category_id(label: str | None) -> int | None:
        if label is None:
            return None
        if label not in categories:
            raise DemoDataError(f"unknown category {label!r}")
        return categories[label]

    password_hash = hash_password(data["password"])
    users: dict[str, User] = {}
    for row in data["users"]:
        user = User(
            email=row["email"].lower(),
            name=row["name"],
            password_hash=password_hash,
            email_verified_at=utcnow(),
            is_admin=bool(row.get("admin")),
        )
        db.add(user)
        users[user.email] = user
    db.flush()

    for row in data["council_domains"]:
        db.add(CouncilEmailDomain(organisation_id=councils[row["council"]].id, domain=row["domain"].lower()))
    db.flush()
    for user in users.values():
        join_council_by_email_domain(db, user)

    organisations: dict[str, Organisation] = {}
    for row in data["organisations"]:
        organisation = Organisation(
            kind=OrganisationKind(row["kind"]),
            name=row["name"],
            slug=slugify(row["name"], 200),
            region_id=region_id(row.get("region")),
            website=row.get("website"),
            description=row.get("description", ""),
            verified=bool(row.get("verified")),
        )
        db.add(organisation)
        db.flush()
        organisations[row["key"]] = organisation
        for member in row.get("members", []):
            db.add(
                Member(
                    user_id=users[member["email"].lower()].id,
                    organisation_id=organisation.id,
                    role=MemberRole(member.get("role", "member")),
                )
            )
    db.flush()

    def listing_fields(row: dict[str, Any]) -> dict[str, Any]:
        organisation = organisations[row["organisation"]]
        return {
            "organisation_id": organisation.id,
            "title": row["title"],
            "summary": row["summary"],
            "description": row.get("description", ""),
            "category_id": category_id(row.get("category")),
            "region_id": region_id(row.get("region")),
            "tags": row.get("tags", []),
        }

    for row in data["pitches"]:
        pitch = Pitch(**listing_fields(row))
        db.add(pitch)
        db.flush()
        events.record(db, ListingChanged.of(pitch))
    for row in data["offers"]:
        offer = Offer(
            **listing_fields(row),
            price_model=PriceModel(row["price_model"]),
            price_amount=row.get("price_amount"),
        )
        db.add(offer)
        db.flush()
        events.record(db, ListingChanged.of(offer))
    closing: dict[int, date] = {}
    for row in data["needs"]:
        need = Need(
            organisation_id=councils[row["council"]].id,
            title=row["title"],
            summary=row["summary"],
            problem_statement=row["problem_statement"],
            users=row.get("users", ""),
            tried_so_far=row.get("tried_so_far", ""),
            stage=NeedStage(row["stage"]),
            visibility=Visibility(row.get("visibility", "public")),
            budget_min=row.get("budget_min"),
            budget_max=row.get("budget_max"),
            category_id=category_id(row.get("category")),
            region_id=region_id(row.get("region")),
            tags=row.get("tags", []),
        )
        db.add(need)
        db.flush()
        audit.record(db, None, "need.created", "need", need.id, stage=need.stage.value, source="demo")
        events.record(db, NeedChanged(need.id))
        if row.get("deadline"):
            closing[need.id] = date.fromisoformat(row["deadline"])
    load_demo_profiles(db, seed_dir, organisations, councils)
    load_demo_proposals(db, seed_dir, organisations)
    load_demo_closing_dates(db, closing)
    load_demo_case_studies(db, seed_dir, organisations)
    for organisation in organisations.values():
        supplier_documents.refresh_supplier(db, organisation.id)
    sessions = load_demo_sessions(db, seed_dir, organisations)
    return {
        "users": len(users),
        "organisations": len(organisations),
        "pitches": len(data["pitches"]),
        "offers": len(data["offers"]),
        "needs": len(data["needs"]),
        "sessions": sessions,
    }
