"""A scheduling instance and its schedule as plain data, and the JSON format of ``../shared/bench/SCHEDULING.md``.

``parse_instance`` refuses a malformed instance with every problem it finds, each naming the thing that is wrong
(an unknown participant in a wish, a slot that is not in the list...), so an organiser who edited an export by
hand can fix it in one go. Rules that need the pair values (a locked meeting between a forbidden pair, say) are
checked when the instance is compiled (``problem.compile_instance``), with the same exception.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, Decimal
from typing import Any, TypeGuard

COUNCIL = "council"
SUPPLIER = "supplier"
SIDES = (COUNCIL, SUPPLIER)
LEVELS = ("must", "like", "no")
# How much one direction of a wish adds to a pair's value (SCHEDULING.md).
WISH_VALUE: Mapping[str, float] = {"must": 5.0, "like": 2.0}


class InstanceError(ValueError):
    """A malformed instance: ``problems`` lists each thing that is wrong, in words an organiser understands."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        shown = self.problems[:20]
        more = f"\n... and {len(self.problems) - 20} more" if len(self.problems) > 20 else ""
        super().__init__("the instance is not valid:\n- " + "\n- ".join(shown) + more)


@dataclass(frozen=True)
class Participant:
    id: str
    side: str
    organisation: str
    # None: available in every slot.
    available: tuple[str, ...] | None = None
    # None: no limit but the slots.
    max_meetings: int | None = None


@dataclass(frozen=True)
class Wish:
    source: str
    target: str
    level: str


@dataclass(frozen=True)
class Suggestion:
    a: str
    b: str
    score: float


@dataclass(frozen=True)
class Locked:
    a: str
    b: str
    slot: str


@dataclass(frozen=True)
class Instance:
    slots: tuple[str, ...]
    tables: int
    participants: tuple[Participant, ...]
    wishes: tuple[Wish, ...] = ()
    suggestions: tuple[Suggestion, ...] = ()
    locked: tuple[Locked, ...] = ()
    exclusive_organisations: bool = False


@dataclass(frozen=True)
class Meeting:
    a: str
    b: str
    slot: str
    table: int


@dataclass
class Schedule:
    meetings: list[Meeting]
    value: float
    upper_bound: float | None = None
    # Not part of the file format: how the schedule was made (for the CLI and the bench).
    stats: dict[str, Any] = field(default_factory=dict)


def _is_int(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def _text(value: object) -> bool:
    return isinstance(value, str) and value != ""


def _parse_participants(raw: object, slot_set: set[str], problems: list[str]) -> list[Participant]:
    if not isinstance(raw, list):
        problems.append("'participants' must be a list")
        return []
    participants: list[Participant] = []
    seen: set[str] = set()
    for n, item in enumerate(raw, start=1):
        where = f"participant {n}"
        if not isinstance(item, dict):
            problems.append(f"{where} must be an object")
            continue
        pid = item.get("id")
        if not _text(pid):
            problems.append(f"{where} has no 'id' (a non-empty string)")
            continue
        assert isinstance(pid, str)
        where = f"participant {pid!r}"
        if pid in seen:
            problems.append(f"{where} is listed twice")
            continue
        seen.add(pid)
        side = item.get("side")
        if side not in SIDES:
            problems.append(f"{where} has side {side!r}: it must be 'council' or 'supplier'")
        organisation = item.get("organisation", pid)
        if not _text(organisation):
            problems.append(f"{where} has an 'organisation' that is not a non-empty string")
        available = item.get("available")
        if available is not None:
            if not isinstance(available, list) or not all(isinstance(s, str) for s in available):
                problems.append(f"{where}: 'available' must be a list of slots")
                available = None
            else:
                unknown = [s for s in available if s not in slot_set]
                if unknown:
                    problems.append(f"{where} is available in {', '.join(map(repr, unknown))}, not in 'slots'")
                available = tuple(s for s in dict.fromkeys(available) if s in slot_set)
        max_meetings = item.get("max_meetings")
        if max_meetings is not None and (not _is_int(max_meetings) or max_meetings < 0):
            problems.append(f"{where} has max_meetings {max_meetings!r}: it must be a whole number, 0 or more")
            max_meetings = None
        if side in SIDES and _text(organisation):
            participants.append(Participant(pid, str(side), str(organisation), available, max_meetings))
    return participants


def _parse_wishes(raw: object, ids: set[str], problems: list[str]) -> list[Wish]:
    if not isinstance(raw, list):
        problems.append("'wishes' must be a list")
        return []
    wishes: dict[tuple[str, str], Wish] = {}
    for n, item in enumerate(raw, start=1):
        if not isinstance(item, dict):
            problems.append(f"wish {n} must be an object")
            continue
        source, target, level = item.get("from"), item.get("to"), item.get("level")
        where = f"wish {n} ({source!r} to {target!r})"
        bad = [f"unknown participant {p!r}" for p in (source, target) if not isinstance(p, str) or p not in ids]
        if level not in LEVELS:
            bad.append(f"level {level!r} is not 'must', 'like' or 'no'")
        if source == target and not bad:
            bad.append("a participant cannot wish to meet themself")
        if bad:
            problems.append(f"{where}: {'; '.join(bad)}")
            continue
        assert isinstance(source, str) and isinstance(target, str) and isinstance(level, str)
        earlier = wishes.get((source, target))
        if earlier is not None and earlier.level != level:
            problems.append(f"{where}: {source!r} already wished {earlier.level!r} for {target!r}")
            continue
        wishes[(source, target)] = Wish(source, target, level)
    return list(wishes.values())


def _parse_suggestions(raw: object, ids: set[str], problems: list[str]) -> list[Suggestion]:
    if not isinstance(raw, list):
        problems.append("'suggestions' must be a list")
        return []
    best: dict[frozenset[str], Suggestion] = {}
    for n, item in enumerate(raw, start=1):
        if not isinstance(item, dict):
            problems.append(f"suggestion {n} must be an object")
            continue
        a, b, score = item.get("a"), item.get("b"), item.get("score")
        where = f"suggestion {n} ({a!r} and {b!r})"
        bad = [f"unknown participant {p!r}" for p in (a, b) if not isinstance(p, str) or p not in ids]
        if not isinstance(score, int | float) or isinstance(score, bool) or not 0 <= score <= 1:
            bad.append(f"score {score!r} is not a number from 0 to 1")
        if bad:
            problems.append(f"{where}: {'; '.join(bad)}")
            continue
        assert isinstance(a, str) and isinstance(b, str) and isinstance(score, int | float)
        # The matcher may suggest a pair from both sides: the higher score stands.
        key = frozenset((a, b))
        if key not in best or best[key].score < score:
            best[key] = Suggestion(a, b, float(score))
    return list(best.values())


def _parse_locked(raw: object, ids: set[str], slot_set: set[str], problems: list[str]) -> list[Locked]:
    if not isinstance(raw, list):
        problems.append("'locked' must be a list")
        return []
    locked: list[Locked] = []
    for n, item in enumerate(raw, start=1):
        if not isinstance(item, dict):
            problems.append(f"locked meeting {n} must be an object")
            continue
        a, b, slot = item.get("a"), item.get("b"), item.get("slot")
        where = f"locked meeting {n} ({a!r} and {b!r} at {slot!r})"
        bad = [f"unknown participant {p!r}" for p in (a, b) if not isinstance(p, str) or p not in ids]
        if not isinstance(slot, str) or slot not in slot_set:
            bad.append(f"slot {slot!r} is not in 'slots'")
        if bad:
            problems.append(f"{where}: {'; '.join(bad)}")
            continue
        assert isinstance(a, str) and isinstance(b, str) and isinstance(slot, str)
        locked.append(Locked(a, b, slot))
    return locked


def parse_instance(data: object) -> Instance:
    """The instance in ``data`` (decoded JSON), or ``InstanceError`` listing everything that is wrong with it."""
    if not isinstance(data, dict):
        raise InstanceError(["the instance must be a JSON object"])
    problems: list[str] = []
    slots = data.get("slots")
    if not isinstance(slots, list) or not slots or not all(_text(s) for s in slots):
        problems.append("'slots' must be a non-empty list of slot names (strings), in time order")
        slots = []
    elif len(set(slots)) != len(slots):
        problems.append("'slots' lists a slot twice: " + ", ".join(sorted({s for s in slots if slots.count(s) > 1})))
    tables = data.get("tables")
    if not _is_int(tables) or tables < 0:
        problems.append(f"'tables' is {tables!r}: it must be a whole number, 0 or more")
        tables = 0
    exclusive = data.get("exclusive_organisations", False)
    if not isinstance(exclusive, bool):
        problems.append("'exclusive_organisations' must be true or false")
        exclusive = False
    slot_set = set(slots)
    participants = _parse_participants(data.get("participants", []), slot_set, problems)
    ids = {p.id for p in participants}
    wishes = _parse_wishes(data.get("wishes", []), ids, problems)
    suggestions = _parse_suggestions(data.get("suggestions", []), ids, problems)
    locked = _parse_locked(data.get("locked", []), ids, slot_set, problems)
    known = {"slots", "tables", "participants", "wishes", "suggestions", "locked", "exclusive_organisations"}
    unknown = sorted(set(data) - known)
    if unknown:
        problems.append("unknown field(s): " + ", ".join(unknown))
    if problems:
        raise InstanceError(problems)
    assert isinstance(tables, int)
    return Instance(
        tuple(slots), tables, tuple(participants), tuple(wishes), tuple(suggestions), tuple(locked), exclusive
    )


def instance_to_dict(instance: Instance) -> dict[str, Any]:
    """The instance in the JSON format (``available`` and ``max_meetings`` left out when unrestricted)."""
    participants: list[dict[str, Any]] = []
    for p in instance.participants:
        item: dict[str, Any] = {"id": p.id, "side": p.side, "organisation": p.organisation}
        if p.available is not None:
            item["available"] = list(p.available)
        if p.max_meetings is not None:
            item["max_meetings"] = p.max_meetings
        participants.append(item)
    return {
        "slots": list(instance.slots),
        "tables": instance.tables,
        "participants": participants,
        "wishes": [{"from": w.source, "to": w.target, "level": w.level} for w in instance.wishes],
        "suggestions": [{"a": s.a, "b": s.b, "score": s.score} for s in instance.suggestions],
        "locked": [{"a": m.a, "b": m.b, "slot": m.slot} for m in instance.locked],
        "exclusive_organisations": instance.exclusive_organisations,
    }


def schedule_to_dict(schedule: Schedule) -> dict[str, Any]:
    """The schedule in the JSON format; the value rounded to six decimals, the bound rounded up (it stays a bound)."""
    meetings = [{"a": m.a, "b": m.b, "slot": m.slot, "table": m.table} for m in schedule.meetings]
    bound = None
    if schedule.upper_bound is not None:
        # Nine decimals first, to drop the noise of float sums (1.0000000000002), then up to six.
        exact = Decimal(repr(round(schedule.upper_bound, 9)))
        bound = float(exact.quantize(Decimal("0.000001"), rounding=ROUND_CEILING))
    return {"meetings": meetings, "value": round(schedule.value, 6), "upper_bound": bound}


def parse_schedule(data: object) -> list[Meeting]:
    """The meetings of a schedule file (``ValueError`` if a meeting is not ``{a, b, slot, table}``)."""
    if not isinstance(data, dict) or not isinstance(data.get("meetings"), list):
        raise ValueError("a schedule must be an object with a 'meetings' list")
    meetings: list[Meeting] = []
    for n, item in enumerate(data["meetings"], start=1):
        if not isinstance(item, dict):
            raise ValueError(f"meeting {n} must be an object")
        a, b, slot, table = item.get("a"), item.get("b"), item.get("slot"), item.get("table")
        if not (_text(a) and _text(b) and _text(slot)) or not _is_int(table):
            raise ValueError(f"meeting {n} must have 'a', 'b', 'slot' (strings) and 'table' (a whole number)")
        meetings.append(Meeting(str(a), str(b), str(slot), table))
    return meetings
