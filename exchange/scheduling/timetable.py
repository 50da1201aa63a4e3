"""The working state of a schedule: who meets whom in which slot, kept so that every rule is cheap to check.

Everything is by participant index and slot number; a participant's busy slots are a bit mask, so "both free in
a slot they can both make" is one ``&``. Locked meetings are placed first and never moved or removed.
"""

from __future__ import annotations

from collections import defaultdict

from exchange.scheduling.model import Meeting
from exchange.scheduling.problem import Problem


def idle_gaps(mask: int) -> int:
    """Empty slots between the first and the last meeting of a participant busy in the slots of ``mask``."""
    if not mask:
        return 0
    return mask.bit_length() - (mask & -mask).bit_length() + 1 - mask.bit_count()


class Timetable:
    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        n, slots = problem.size, problem.slots
        self.slots = slots
        # partner[p][s]: whom p meets in slot s, or -1.
        self.partner = [[-1] * slots for _ in range(n)]
        self.busy = [0] * n
        self.count = [0] * n
        self.in_slot = [0] * slots
        # (council, supplier) -> slot
        self.slot_of: dict[tuple[int, int], int] = {}
        # The meetings in each slot.
        self.members: list[set[tuple[int, int]]] = [set() for _ in range(slots)]
        # (participant, organisation) -> meetings with that organisation, for exclusive_organisations.
        self.with_organisation: dict[tuple[int, int], int] = defaultdict(int)
        self.locked: set[tuple[int, int]] = set()
        self.value = 0.0
        self.limit = [slots if p.max_meetings is None else p.max_meetings for p in problem.instance.participants]
        for council, supplier, slot in problem.locked:
            self.place(council, supplier, slot)
            self.locked.add((council, supplier))

    # -- rules -------------------------------------------------------------------------------------------------

    def allowed(self, council: int, supplier: int) -> int:
        """Slots both can make (whether or not they are busy then)."""
        return self.problem.available[council] & self.problem.available[supplier]

    def may_meet(self, council: int, supplier: int) -> bool:
        """Everything but the slot: not meeting already, under max_meetings, organisations, a value."""
        problem = self.problem
        if (council, supplier) in self.slot_of or (council, supplier) not in problem.value:
            return False
        if self.count[council] >= self.limit[council] or self.count[supplier] >= self.limit[supplier]:
            return False
        return not (
            problem.exclusive
            and (
                self.with_organisation.get((council, problem.organisation[supplier]), 0)
                or self.with_organisation.get((supplier, problem.organisation[council]), 0)
            )
        )

    def open_slots(self) -> int:
        tables = self.problem.tables
        return sum(1 << s for s in range(self.slots) if self.in_slot[s] < tables)

    def free_slots(self, council: int, supplier: int) -> int:
        """Slots where the pair could meet right now: both available and free, a table free."""
        return self.allowed(council, supplier) & ~(self.busy[council] | self.busy[supplier]) & self.open_slots()

    # -- changes -----------------------------------------------------------------------------------------------

    def place(self, council: int, supplier: int, slot: int) -> None:
        problem = self.problem
        bit = 1 << slot
        for p, other in ((council, supplier), (supplier, council)):
            self.partner[p][slot] = other
            self.busy[p] |= bit
            self.count[p] += 1
            self.with_organisation[(p, problem.organisation[other])] += 1
        self.in_slot[slot] += 1
        self.slot_of[(council, supplier)] = slot
        self.members[slot].add((council, supplier))
        self.value += problem.value[(council, supplier)]

    def remove(self, council: int, supplier: int) -> int:
        """Takes the meeting out; returns the slot it was in."""
        problem = self.problem
        slot = self.slot_of.pop((council, supplier))
        bit = 1 << slot
        for p, other in ((council, supplier), (supplier, council)):
            self.partner[p][slot] = -1
            self.busy[p] &= ~bit
            self.count[p] -= 1
            self.with_organisation[(p, problem.organisation[other])] -= 1
        self.in_slot[slot] -= 1
        self.members[slot].discard((council, supplier))
        self.value -= problem.value[(council, supplier)]
        return slot

    def move(self, council: int, supplier: int, slot: int) -> None:
        self.remove(council, supplier)
        self.place(council, supplier, slot)

    def pair(self, a: int, b: int) -> tuple[int, int]:
        return (a, b) if self.problem.side[a] == 0 else (b, a)

    # -- Kempe chains ------------------------------------------------------------------------------------------

    def chain(self, start: int, first: int, second: int) -> list[tuple[int, int]] | None:
        """The meetings on the path from ``start`` alternating slots ``first``, ``second``, ... as (council,
        supplier) pairs, or None if a meeting on it is locked or cannot be held in the other slot."""
        both = (1 << first) | (1 << second)
        available = self.problem.available
        path: list[tuple[int, int]] = []
        node, slot = start, first
        while True:
            other = self.partner[node][slot]
            if other < 0:
                return path
            pair = self.pair(node, other)
            if pair in self.locked or (available[node] & available[other] & both) != both:
                return None
            path.append(pair)
            node, slot = other, second if slot == first else first
            if len(path) > 4 * len(self.partner):  # a cycle cannot start at a participant free in one slot
                return None

    def flip(self, path: list[tuple[int, int]], first: int, second: int) -> None:
        """Swaps the two slots of the meetings on ``path`` (a chain, or a whole component). Nothing but the slots
        changes (who meets whom, the value, the organisations met), so only those are updated."""
        partner, slot_of, members, in_slot = self.partner, self.slot_of, self.members, self.in_slot
        moved = []
        for pair in path:
            old = slot_of[pair]
            council, supplier = pair
            partner[council][old] = partner[supplier][old] = -1
            members[old].discard(pair)
            in_slot[old] -= 1
            moved.append((pair, second if old == first else first))
        for pair, new in moved:
            council, supplier = pair
            partner[council][new], partner[supplier][new] = supplier, council
            members[new].add(pair)
            in_slot[new] += 1
            slot_of[pair] = new
        both = (1 << first) | (1 << second)
        busy = self.busy
        for pair in path:
            for p in pair:
                here = partner[p]
                busy[p] = busy[p] & ~both | (here[first] >= 0) << first | (here[second] >= 0) << second

    # -- results -----------------------------------------------------------------------------------------------

    def gaps(self) -> int:
        return sum(idle_gaps(mask) for mask in self.busy)

    def meetings(self) -> list[Meeting]:
        """The schedule, tables numbered 1.. in each slot; locked meetings keep their a/b order and come first."""
        problem = self.problem
        instance = problem.instance
        table = [0] * self.slots
        meetings: list[Meeting] = []
        for locked, (_, _, slot) in zip(instance.locked, problem.locked, strict=True):
            table[slot] += 1
            meetings.append(Meeting(locked.a, locked.b, instance.slots[slot], table[slot]))
        for (council, supplier), slot in sorted(self.slot_of.items(), key=lambda item: (item[1], item[0])):
            if (council, supplier) in self.locked:
                continue
            table[slot] += 1
            meetings.append(Meeting(problem.ids[council], problem.ids[supplier], instance.slots[slot], table[slot]))
        return meetings
