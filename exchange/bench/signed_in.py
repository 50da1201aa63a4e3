"""The signed-in rows of ``exchange bench http``: dashboards and a need's page as its council, and a mixed
profile where suppliers read and, one request in five, update their own pitch through the edit form."""

from __future__ import annotations

import random
from urllib.parse import urlencode

import httpx
from sqlalchemy import select
from sqlalchemy.orm import Session

from exchange.bench.load import Request
from exchange.bench.people import SignedIn, SignInFailed
from exchange.needs.models import Need

PITCH = {
    "title": "Street lighting sensors",
    "summary": "Sensors that report failed street lights before residents do, with a dashboard.",
    "tags": "lighting, sensors",
}
NEED_PAGES_PER_OFFICER = 20


def publish_pitch(base_url: str, supplier: SignedIn) -> int:
    """Each supplier of the mixed profile publishes one pitch (through the form) that it then keeps editing."""
    body = {**PITCH, "csrf_token": supplier.csrf_token, "organisation_id": str(supplier.person.organisation_id)}
    with httpx.Client(base_url=base_url, timeout=60) as client:
        answer = client.post("/pitches/new", data=body, headers={"Cookie": supplier.cookie})
    location = answer.headers.get("location", "")
    if answer.status_code != 303 or not location.startswith("/pitches/"):
        raise SignInFailed(f"{supplier.person.email} could not publish its pitch: {answer.status_code}")
    return int(location.rsplit("/", 1)[1])


def dashboards(people: list[SignedIn]) -> list[Request]:
    return [Request("/dashboard", headers=person.headers()) for person in people]


def needs_as_their_council(db: Session, officers: list[SignedIn], rng: random.Random) -> list[Request]:
    requests: list[Request] = []
    for officer in officers:
        ids = list(db.scalars(select(Need.id).where(Need.organisation_id == officer.person.organisation_id)))
        chosen = rng.sample(ids, min(NEED_PAGES_PER_OFFICER, len(ids)))
        requests.extend(Request(f"/needs/{need_id}", headers=officer.headers()) for need_id in chosen)
    rng.shuffle(requests)
    return requests


def mixed(suppliers: list[SignedIn], own_pitches: list[int], reads: list[str], rng: random.Random) -> list[Request]:
    """For each supplier: three public pages, its dashboard, then an update of its own pitch (one write in five)."""
    requests: list[Request] = []
    for supplier, pitch_id in zip(suppliers, own_pitches, strict=True):
        requests.extend(Request(path, headers=supplier.headers()) for path in rng.sample(reads, 3))
        requests.append(Request("/dashboard", headers=supplier.headers()))
        body = urlencode({**PITCH, "csrf_token": supplier.csrf_token, "description": f"Revision {rng.random()}"})
        requests.append(Request(f"/pitches/{pitch_id}/edit", "POST", supplier.headers(writes=True), body))
    return requests
