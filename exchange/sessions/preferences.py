"""Whom each participant wants to meet (must meet, would like, no thanks), and whom the exchange suggests:
the matching module scores the councils' open needs against the suppliers taking part, so that people who
state no preferences still get useful meetings."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from exchange.audit import service as audit
from exchange.core.errors import Conflict, Invalid
from exchange.core.models import utcnow
from exchange.core.viewer import Viewer
from exchange.matching import core, facts
from exchange.matching.service import OPEN_STAGES
from exchange.needs.models import Need, Visibility
from exchange.sessions import service
from exchange.sessions.models import MatchmakingSession, SessionParticipant, SessionPreference, Side, WishLevel

# Suggestions weaker than this share of the best possible match are not worth a meeting.
SUGGESTED_FROM_PERCENT = 10


@dataclass(frozen=True)
class Suggestion:
    score: float
    # The council's need the supplier fits best, and the match in words (taken from the need: who may read them
    # is for ``need_names`` to say).
    need_id: int
    detail: str


Pair = tuple[int, int]


def wishes(db: Session, session_id: int) -> list[SessionPreference]:
    return list(db.scalars(select(SessionPreference).where(SessionPreference.session_id == session_id)))


def wishes_of(db: Session, participant_id: int) -> dict[int, WishLevel]:
    query = select(SessionPreference).where(SessionPreference.participant_id == participant_id)
    return {p.target_id: p.level for p in db.scalars(query)}


def preferences_open(session: MatchmakingSession) -> bool:
    return session.status in service.LISTED and utcnow() < session.preferences_close_at


def save(
    db: Session, viewer: Viewer, session_id: int, participant_id: int, chosen: dict[int, WishLevel | None]
) -> None:
    """Set this participant's wishes about others (None clears one); all or nothing."""
    session = service.get(db, viewer, session_id)
    participant = service.own_participant(db, viewer, session_id, participant_id)
    if not preferences_open(session):
        raise Conflict("Preferences for this session are closed.")
    others = {p.id: p for p in service.participants(db, session_id) if p.side is not participant.side}
    unknown = [target for target in chosen if target not in others]
    if unknown:
        raise Invalid("Check the answers and try again", field_errors={"wishes": "Choose from the participants listed"})
    current = {
        p.target_id: p
        for p in db.scalars(select(SessionPreference).where(SessionPreference.participant_id == participant.id))
    }
    for target, level in chosen.items():
        row = current.get(target)
        if level is None:
            if row is not None:
                db.delete(row)
        elif row is None:
            db.add(
                SessionPreference(session_id=session_id, participant_id=participant.id, target_id=target, level=level)
            )
        else:
            row.level = level
    audit.record(db, viewer.user_id, "session.preferences_saved", "session", session_id, participant=participant.id)
    db.flush()


def _needs_by_council(db: Session, councils: list[SessionParticipant]) -> dict[int, list[Need]]:
    """Each council-side organisation's needs a supplier can still help with and may see."""
    organisation_ids = {p.organisation_id for p in councils}
    if not organisation_ids:
        return {}
    query = select(Need).where(
        Need.organisation_id.in_(organisation_ids),
        Need.stage.in_(OPEN_STAGES),
        Need.visibility != Visibility.ORGANISATION,
        Need.hidden_at.is_(None),
        Need.published_at.is_not(None),  # a draft is its council's alone
    )
    found: dict[int, list[Need]] = {}
    for need in db.scalars(query.order_by(Need.id)):
        found.setdefault(need.organisation_id, []).append(need)
    return found


def suggestions(db: Session, session_id: int) -> dict[Pair, Suggestion]:
    """(council participant, supplier participant) -> how well the supplier fits one of the council's needs."""
    people = service.participants(db, session_id)
    councils = [p for p in people if p.side is Side.COUNCIL]
    suppliers = [p for p in people if p.side is Side.SUPPLIER]
    needs_of = _needs_by_council(db, councils)
    all_needs = [need for items in needs_of.values() for need in items]
    if not all_needs or not suppliers:
        return {}
    need_facts = facts.needs(db, all_needs)
    supplier_facts = facts.suppliers(db, {p.organisation_id for p in suppliers})
    corpus = facts.corpus(db, {term for f in need_facts.values() for term in f.terms})
    found: dict[Pair, Suggestion] = {}
    for need in all_needs:
        pairs = [
            (p.id, need_facts[need.id], supplier_facts[p.organisation_id])
            for p in suppliers
            if p.organisation_id in supplier_facts
        ]
        if not pairs:
            continue
        scorer = core.Scorer(pairs, corpus)
        for council in (c for c in councils if c.organisation_id == need.organisation_id):
            for key, need_fact, supplier_fact in pairs:
                match = scorer.score(key, need_fact, supplier_fact)
                if not match.meets_requirements or match.percent < SUGGESTED_FROM_PERCENT:
                    continue
                best = found.get((council.id, key))
                if best is None or match.score / core.MAX_SCORE > best.score:
                    found[(council.id, key)] = Suggestion(
                        round(match.score / core.MAX_SCORE, 4), need.id, _detail(match)
                    )
    return found


def _detail(match: core.Match) -> str:
    first = match.reasons[0].reason if match.reasons else "fits"
    return f"{match.percent}% match ({first[:1].lower()}{first[1:]})"
