"""What came of a session, for its organiser: who registered, checked in or did not turn up, which meetings
were held, cancelled (and by whom) or missed, how useful the participants found them, and the follow-ups.

Every meeting on record is exactly one of: held (both sides checked in), cancelled, a no-show meeting (its day
has come and a side did not check in) or still to come. A no-show participant is one still registered, with
meetings (any not cancelled by itself), that never checked in once the day came.

Feedback is the organiser's to read, except where the organiser's own organisation sat at the meeting: what
the other side said about that meeting (its note, its rating) is left out for that reader, so that no side
reads the other's feedback. The session's average counts every rating: it is an aggregate.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from exchange.core.viewer import Viewer
from exchange.sessions import feedback as feedbacks
from exchange.sessions import service
from exchange.sessions.models import (
    FollowUpKind,
    MatchmakingSession,
    MeetingFeedback,
    MeetingFollowUp,
    SessionMeeting,
    SessionParticipant,
)
from exchange.sessions.slots import today_in_london

HELD = "Held"
CANCELLED = "Cancelled"
NO_SHOW = "No-show"
TO_COME = "To come"
ORGANISERS = "The organisers"


@dataclass(frozen=True)
class MeetingLine:
    meeting: SessionMeeting
    council: SessionParticipant
    supplier: SessionParticipant
    status: str
    # In words: "Cancelled by Civic Voice Ltd", "No-show: Pennine Meals did not check in", "Held".
    status_words: str
    # Each side's rating, or None when not given or not for this reader.
    council_rating: int | None
    supplier_rating: int | None


@dataclass
class OrganisationRow:
    participant: SessionParticipant
    checked_in: bool
    no_show: bool
    meetings: int = 0
    held: int = 0
    cancelled: int = 0
    no_show_meetings: int = 0
    feedback_given: int = 0
    ratings_shown: list[int] = field(default_factory=list)
    follow_ups: int = 0

    @property
    def average_given(self) -> float | None:
        return _average(self.ratings_shown)


@dataclass(frozen=True)
class Note:
    rating: int
    text: str
    # Who wrote it, and about which meeting.
    by: str
    about: str

    @property
    def rating_label(self) -> str:
        return feedbacks.rating_label(self.rating)


@dataclass
class Report:
    session: MatchmakingSession
    day_has_come: bool
    registered: int = 0
    withdrawn: int = 0
    checked_in: int = 0
    no_shows: list[str] = field(default_factory=list)
    scheduled: int = 0
    held: int = 0
    cancelled: int = 0
    no_show_meetings: int = 0
    to_come: int = 0
    # Who cancelled, and how many: [("Civic Voice Ltd", 2), ("The organisers", 1)].
    cancelled_by: list[tuple[str, int]] = field(default_factory=list)
    ratings: list[int] = field(default_factory=list)
    # Ratings given per answer, most useful first: [(5, "Very useful", 3), ...].
    ratings_by_answer: list[tuple[int, str, int]] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    withheld: int = 0
    follow_ups: dict[FollowUpKind, int] = field(default_factory=dict)
    # Meetings where both sides recorded a next step other than "Not a fit".
    follow_ups_agreed: int = 0
    rows: list[OrganisationRow] = field(default_factory=list)
    meetings: list[MeetingLine] = field(default_factory=list)

    @property
    def average_rating(self) -> float | None:
        return _average(self.ratings)

    @property
    def follow_ups_recorded(self) -> int:
        return sum(self.follow_ups.values())


def _average(ratings: list[int]) -> float | None:
    return round(sum(ratings) / len(ratings), 1) if ratings else None


def _all_meetings(db: Session, session_id: int) -> list[SessionMeeting]:
    query = (
        select(SessionMeeting)
        .where(SessionMeeting.session_id == session_id)
        .options(
            selectinload(SessionMeeting.council).selectinload(SessionParticipant.organisation),
            selectinload(SessionMeeting.supplier).selectinload(SessionParticipant.organisation),
        )
        .order_by(SessionMeeting.slot, SessionMeeting.table_number, SessionMeeting.id)
    )
    return list(db.scalars(query))


def _follow_ups(db: Session, meeting_ids: list[int]) -> list[MeetingFollowUp]:
    if not meeting_ids:
        return []
    return list(db.scalars(select(MeetingFollowUp).where(MeetingFollowUp.meeting_id.in_(meeting_ids))))


def canceller(meeting: SessionMeeting, names: dict[int, str]) -> str:
    """Who cancelled a meeting: a side (also when it left or was removed), or the organisers."""
    if meeting.cancelled_by_id is None:
        return ORGANISERS
    return names.get(meeting.cancelled_by_id, ORGANISERS)


def _status(meeting: SessionMeeting, day_has_come: bool, names: dict[int, str]) -> tuple[str, str]:
    council, supplier = meeting.council, meeting.supplier
    if meeting.cancelled_at is not None:
        by = canceller(meeting, names)
        return CANCELLED, f"Cancelled by {by if by != ORGANISERS else 'the organisers'}"
    if council.checked_in_at is not None and supplier.checked_in_at is not None:
        return HELD, HELD
    if not day_has_come:
        return TO_COME, TO_COME
    absent = [p.name for p in (council, supplier) if p.checked_in_at is None]
    return NO_SHOW, f"No-show: {' and '.join(absent)} did not check in"


def withheld_from(viewer: Viewer, meeting: SessionMeeting, given: MeetingFeedback) -> bool:
    """True when the reader's organisation is the other side of the meeting this feedback is about."""
    side = meeting.council if given.participant_id == meeting.council_id else meeting.supplier
    other = meeting.supplier if side is meeting.council else meeting.council
    return viewer.is_member(other.organisation_id) and not viewer.is_member(side.organisation_id)


def report(db: Session, viewer: Viewer, session_id: int, today: date | None = None) -> Report:
    """The organiser's report (others: 404)."""
    session = service.get_organised(db, viewer, session_id)
    return build(db, viewer, session, today)


def build(db: Session, viewer: Viewer, session: MatchmakingSession, today: date | None = None) -> Report:
    day_has_come = session.held_on <= (today or today_in_london())
    result = Report(session, day_has_come)
    everyone = service.participants(db, session.id, withdrawn=True)
    names = {p.id: p.name for p in everyone}
    people = [p for p in everyone if p.withdrawn_at is None]
    rows = {p.id: OrganisationRow(p, p.checked_in_at is not None, False) for p in people}
    result.registered = len(people)
    result.withdrawn = len(everyone) - len(people)
    result.checked_in = sum(1 for p in people if p.checked_in_at is not None)

    meetings = _all_meetings(db, session.id)
    given = {(f.meeting_id, f.participant_id): f for f in feedbacks.of_session(db, session.id)}
    follow_ups = _follow_ups(db, [m.id for m in meetings])
    had_meetings: set[int] = set()
    cancellers: Counter[str] = Counter()
    statuses: Counter[str] = Counter()
    for meeting in meetings:
        status, words = _status(meeting, day_has_come, names)
        statuses[status] += 1
        if status == CANCELLED:
            cancellers[canceller(meeting, names)] += 1
        ratings: dict[int, int | None] = {}
        for side in (meeting.council_id, meeting.supplier_id):
            if meeting.cancelled_by_id != side:
                had_meetings.add(side)
            row = rows.get(side)
            if row is not None:
                row.meetings += 1
                row.held += status == HELD
                row.cancelled += status == CANCELLED
                row.no_show_meetings += status == NO_SHOW
            answer = given.get((meeting.id, side))
            ratings[side] = None
            if answer is None:
                continue
            result.ratings.append(answer.rating)
            hidden = withheld_from(viewer, meeting, answer)
            result.withheld += hidden
            if row is not None:
                row.feedback_given += 1
                if not hidden:
                    row.ratings_shown.append(answer.rating)
            if not hidden:
                ratings[side] = answer.rating
                if answer.note:
                    other = meeting.supplier_id if side == meeting.council_id else meeting.council_id
                    result.notes.append(
                        Note(answer.rating, answer.note, names[side], f"the meeting with {names[other]}")
                    )
        result.meetings.append(
            MeetingLine(
                meeting,
                meeting.council,
                meeting.supplier,
                status,
                words,
                ratings[meeting.council_id],
                ratings[meeting.supplier_id],
            )
        )

    result.scheduled = len(meetings)
    result.held, result.cancelled = statuses[HELD], statuses[CANCELLED]
    result.no_show_meetings, result.to_come = statuses[NO_SHOW], statuses[TO_COME]
    result.cancelled_by = sorted(cancellers.items(), key=lambda item: (item[0] == ORGANISERS, item[0].lower()))
    if day_has_come:
        for p in people:
            if p.checked_in_at is None and p.id in had_meetings:
                rows[p.id].no_show = True
                result.no_shows.append(p.name)
    counted = Counter(result.ratings)
    result.ratings_by_answer = [(value, label, counted[value]) for value, label in feedbacks.RATINGS.items()]

    kinds = Counter(f.kind for f in follow_ups)
    result.follow_ups = {kind: kinds.get(kind, 0) for kind in FollowUpKind}
    steps: Counter[int] = Counter()
    for f in follow_ups:
        if f.participant_id in rows:
            rows[f.participant_id].follow_ups += 1
        if f.kind is not FollowUpKind.NOT_A_FIT:
            steps[f.meeting_id] += 1
    result.follow_ups_agreed = sum(1 for count in steps.values() if count == 2)
    result.rows = list(rows.values())
    return result
