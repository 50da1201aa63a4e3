"""The time slots of a session from the grid an organiser describes: when meetings start, how long each
lasts, the changeover between them, and one break. Pure computation, no I/O."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

# Sessions happen in the UK: slot times are London wall-clock times.
LONDON = ZoneInfo("Europe/London")
MINUTES_IN_A_DAY = 24 * 60


@dataclass(frozen=True)
class Grid:
    starts_at: time
    meeting_minutes: int
    gap_minutes: int
    meetings: int
    break_at: time | None = None
    break_minutes: int = 0


class GridError(ValueError):
    pass


def _minutes(moment: time) -> int:
    return moment.hour * 60 + moment.minute


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def make_slots(grid: Grid) -> list[dict[str, str]]:
    """Each slot's start and end ("09:30"), in order; a break starts at ``break_at`` or at the first slot
    that would run into it, and the meetings go on after it."""
    slots: list[dict[str, str]] = []
    start = _minutes(grid.starts_at)
    break_start = _minutes(grid.break_at) if grid.break_at is not None and grid.break_minutes > 0 else None
    for _ in range(grid.meetings):
        if break_start is not None and start + grid.meeting_minutes > break_start:
            start = max(start, break_start + grid.break_minutes)
            break_start = None
        end = start + grid.meeting_minutes
        if end > MINUTES_IN_A_DAY:
            raise GridError("The meetings must all end before midnight: start earlier, or have fewer or shorter ones")
        slots.append({"start": _clock(start), "end": _clock(end)})
        start = end + grid.gap_minutes
    return slots


def moment(day: date, clock: str) -> datetime:
    """A slot time on the session's day, in London time."""
    hours, minutes = (int(part) for part in clock.split(":"))
    return datetime.combine(day, time(hours, minutes), tzinfo=LONDON)


def end_of_day(day: date) -> datetime:
    """Deadlines given as a day last until the end of that day in London."""
    return datetime.combine(day + timedelta(days=1), time(0, 0), tzinfo=LONDON)


def today_in_london() -> date:
    return datetime.now(LONDON).date()
