"""An instance compiled to integers for the algorithms: participants by index, availability as bit masks, and the
value of every pair that may meet. Checking the locked meetings against the rules happens here, because it needs
the pair values; a locked meeting that breaks a rule is refused with ``InstanceError`` naming it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from exchange.scheduling.model import COUNCIL, WISH_VALUE, Instance, InstanceError


@dataclass
class Problem:
    instance: Instance
    slots: int
    tables: int
    ids: list[str]
    index: dict[str, int]
    # 0 for a council, 1 for a supplier.
    side: list[int]
    organisation: list[int]
    # Bit s set: available in slot s.
    available: list[int]
    # The most meetings a participant can have: max_meetings, and no more than the slots they are available in.
    capacity: list[int]
    # Made at least one "must" or "like" wish: the participants fairness is measured on.
    wishes: list[bool]
    # (council, supplier) -> value, for every pair that may meet (a wish, or a suggestion and no wish; no "no").
    value: dict[tuple[int, int], float]
    # Locked meetings as (council, supplier, slot), in the instance's order.
    locked: list[tuple[int, int, int]]
    exclusive: bool

    @property
    def size(self) -> int:
        return len(self.ids)

    def pair(self, a: int, b: int) -> tuple[int, int]:
        """The pair's key: council first."""
        return (a, b) if self.side[a] == 0 else (b, a)

    def councils(self) -> list[int]:
        return [p for p in range(self.size) if self.side[p] == 0]

    def suppliers(self) -> list[int]:
        return [p for p in range(self.size) if self.side[p] == 1]


def slot_mask(slots: int) -> int:
    return (1 << slots) - 1


def _pair_values(instance: Instance, index: dict[str, int], side: list[int], problems: list[str]) -> dict:
    wished: dict[tuple[int, int], float] = defaultdict(float)
    forbidden: set[tuple[int, int]] = set()
    for wish in instance.wishes:
        a, b = index[wish.source], index[wish.target]
        if side[a] == side[b]:
            problems.append(
                f"wish from {wish.source!r} to {wish.target!r}: both are {'councils' if side[a] == 0 else 'suppliers'}"
                "; a meeting pairs a council with a supplier"
            )
            continue
        key = (a, b) if side[a] == 0 else (b, a)
        if wish.level == "no":
            forbidden.add(key)
        else:
            wished[key] += WISH_VALUE[wish.level]
    value: dict[tuple[int, int], float] = {}
    for suggestion in instance.suggestions:
        a, b = index[suggestion.a], index[suggestion.b]
        if side[a] == side[b]:
            problems.append(
                f"suggestion of {suggestion.a!r} and {suggestion.b!r}: both are "
                f"{'councils' if side[a] == 0 else 'suppliers'}; a meeting pairs a council with a supplier"
            )
            continue
        key = (a, b) if side[a] == 0 else (b, a)
        # A pair suggested from both sides counts once, at the higher score (as ``parse_instance`` keeps it).
        value[key] = max(value.get(key, 0.0), suggestion.score)
    # A wish in either direction replaces the suggestion's score; a "no" forbids the pair whatever else was said.
    value.update(wished)
    for key in forbidden:
        value.pop(key, None)
    return value


def compile_instance(instance: Instance) -> Problem:
    """The instance in integers, or ``InstanceError`` if its wishes, suggestions or locked meetings break a rule."""
    slot_index = {slot: n for n, slot in enumerate(instance.slots)}
    ids = [p.id for p in instance.participants]
    index = {pid: n for n, pid in enumerate(ids)}
    side = [0 if p.side == COUNCIL else 1 for p in instance.participants]
    organisations: dict[str, int] = {}
    organisation = [organisations.setdefault(p.organisation, len(organisations)) for p in instance.participants]
    everywhere = slot_mask(len(instance.slots))
    available = []
    for p in instance.participants:
        mask = everywhere
        if p.available is not None:
            mask = 0
            for slot in p.available:
                mask |= 1 << slot_index[slot]
        available.append(mask)
    capacity = [
        min(p.max_meetings if p.max_meetings is not None else len(instance.slots), mask.bit_count())
        for p, mask in zip(instance.participants, available, strict=True)
    ]
    wishes = [False] * len(ids)
    for wish in instance.wishes:
        if wish.level != "no":
            wishes[index[wish.source]] = True
    problems: list[str] = []
    value = _pair_values(instance, index, side, problems)
    problem = Problem(
        instance=instance,
        slots=len(instance.slots),
        tables=instance.tables,
        ids=ids,
        index=index,
        side=side,
        organisation=organisation,
        available=available,
        capacity=capacity,
        wishes=wishes,
        value=value,
        locked=[],
        exclusive=instance.exclusive_organisations,
    )
    problem.locked = _check_locked(problem, slot_index, problems)
    if problems:
        raise InstanceError(problems)
    return problem


def _check_locked(problem: Problem, slot_index: dict[str, int], problems: list[str]) -> list[tuple[int, int, int]]:
    """The locked meetings as (council, supplier, slot); each rule one breaks is added to ``problems``."""
    instance = problem.instance
    locked: list[tuple[int, int, int]] = []
    busy: set[tuple[int, int]] = set()
    pairs: set[tuple[int, int]] = set()
    per_slot: dict[int, int] = defaultdict(int)
    count: dict[int, int] = defaultdict(int)
    met: set[tuple[int, int]] = set()
    for n, meeting in enumerate(instance.locked, start=1):
        a, b, slot = problem.index[meeting.a], problem.index[meeting.b], slot_index[meeting.slot]
        where = f"locked meeting {n} ({meeting.a!r} and {meeting.b!r} at {meeting.slot!r})"
        if problem.side[a] == problem.side[b]:
            problems.append(f"{where}: a meeting pairs a council with a supplier")
            continue
        key = problem.pair(a, b)
        broken = []
        if key not in problem.value:
            broken.append("the pair may not meet (a 'no' from either side, or no wish and no suggestion)")
        if key in pairs:
            broken.append("the pair is locked twice")
        for p, name in ((a, meeting.a), (b, meeting.b)):
            if not problem.available[p] >> slot & 1:
                broken.append(f"{name!r} is not available then")
            if (p, slot) in busy:
                broken.append(f"{name!r} has another locked meeting then")
            count[p] += 1
            limit = instance.participants[p].max_meetings
            if limit is not None and count[p] == limit + 1:
                broken.append(f"{name!r} has more locked meetings than max_meetings ({limit})")
        if problem.exclusive:
            for p, other, name in ((a, b, meeting.a), (b, a, meeting.b)):
                if (p, problem.organisation[other]) in met:
                    broken.append(f"{name!r} meets two participants of {instance.participants[other].organisation!r}")
        per_slot[slot] += 1
        if per_slot[slot] == problem.tables + 1:
            broken.append(f"more meetings are locked at {meeting.slot!r} than there are tables ({problem.tables})")
        if broken:
            problems.append(f"{where}: {'; '.join(broken)}")
        busy.update(((a, slot), (b, slot)))
        pairs.add(key)
        met.update(((a, problem.organisation[b]), (b, problem.organisation[a])))
        locked.append((key[0], key[1], slot))
    return locked
