"""JSON shapes of matches and opportunities, with every reason and the points it gave."""

from __future__ import annotations

from pydantic import BaseModel

from exchange.matching import core


class ReasonOut(BaseModel):
    factor: str
    points: float
    reason: str
    # The pitch or offer the reason names: {"kind": "offer", "id": 7}.
    item: dict[str, str | int] | None = None


class EvidenceOut(BaseModel):
    """A past contract, pitch or offer of the supplier that resembles the need."""

    kind: str
    title: str
    buyer: str
    year: int | None
    item: dict[str, str | int] | None = None


class ScoreOut(BaseModel):
    score: float
    percent: int
    reasons: list[ReasonOut]
    requirements_met: list[str]
    unmet: list[str]
    evidence: list[EvidenceOut] = []


class SupplierMatchOut(ScoreOut):
    organisation_id: int
    name: str
    slug: str


class NeedMatchesOut(BaseModel):
    need_id: int
    matches: list[SupplierMatchOut]
    not_meeting: list[SupplierMatchOut]


class OpportunityOut(ScoreOut):
    need_id: int
    title: str
    buyer: str
    stage: str


def score_fields(match: core.Match) -> dict[str, object]:
    return {
        "score": round(match.score, 4),
        "percent": match.percent,
        "reasons": [
            ReasonOut(
                factor=c.factor,
                points=round(c.points, 4),
                reason=c.reason,
                item={"kind": c.item[0], "id": c.item[1]} if c.item else None,
            )
            for c in match.reasons
        ],
        "requirements_met": list(match.requirements_met),
        "unmet": list(match.unmet),
        "evidence": [
            EvidenceOut(
                kind=e.kind,
                title=e.title,
                buyer=e.buyer,
                year=e.year,
                item={"kind": e.item[0], "id": e.item[1]} if e.item else None,
            )
            for e in match.evidence
        ],
    }
