"""Random instances for the property tests (hypothesis strategies), and a brute force for tiny ones."""

from __future__ import annotations

from hypothesis import strategies as st

from exchange.scheduling.model import COUNCIL, SUPPLIER, Instance, InstanceError, Locked, Participant, Suggestion, Wish
from exchange.scheduling.problem import Problem, compile_instance


@st.composite
def instances(
    draw: st.DrawFn,
    max_participants: int = 12,
    max_slots: int = 5,
    everywhere: bool = False,
    locked: bool = True,
) -> Instance:
    """Any instance the format allows: restricted availability, few tables, max_meetings, organisations with
    several participants, "no" wishes, suggestions, and locked meetings that keep the rules. ``everywhere``:
    the exact case, everyone available in every slot and nothing locked."""
    slots = [f"s{n}" for n in range(draw(st.integers(1, max_slots)))]
    count = draw(st.integers(2, max_participants))
    people = []
    for n in range(count):
        side = COUNCIL if n % 2 == 0 or (draw(st.booleans()) and n % 3 == 0) else SUPPLIER
        available = None
        if not everywhere and draw(st.booleans()):
            chosen = draw(st.lists(st.sampled_from(slots), unique=True, max_size=len(slots)))
            available = tuple(s for s in slots if s in chosen)
        limit = draw(st.none() | st.integers(0, len(slots)))
        organisation = f"o{draw(st.integers(0, max(1, count // 2)))}"
        people.append(Participant(f"p{n}", side, organisation, available, limit))
    councils = [p.id for p in people if p.side == COUNCIL]
    suppliers = [p.id for p in people if p.side == SUPPLIER]
    wishes: dict[tuple[str, str], Wish] = {}
    suggestions = []
    if councils and suppliers:
        pairs = st.tuples(st.sampled_from(councils), st.sampled_from(suppliers))
        levels = st.sampled_from(["must", "like", "like", "no"])
        wished = draw(st.lists(st.tuples(pairs, levels, st.booleans()), max_size=3 * count))
        for (council, supplier), level, backwards in wished:
            source, target = (supplier, council) if backwards else (council, supplier)
            wishes.setdefault((source, target), Wish(source, target, level))
        for council, supplier in draw(st.lists(pairs, max_size=2 * count)):
            score = draw(st.integers(0, 1000)) / 1000
            suggestions.append(Suggestion(council, supplier, score))
    tables = draw(st.integers(0, max(1, count // 2)))
    instance = Instance(
        slots=tuple(slots),
        tables=tables,
        participants=tuple(people),
        wishes=tuple(wishes.values()),
        suggestions=tuple(suggestions),
        exclusive_organisations=draw(st.booleans()),
    )
    if locked and not everywhere:  # the exact case has nothing locked
        instance = _lock_some(instance, draw(st.lists(st.integers(0, 10**6), max_size=3)))
    return instance


def _lock_some(instance: Instance, picks: list[int]) -> Instance:
    """Adds the locked meetings chosen by ``picks`` that keep every rule (each is checked by compiling)."""
    from dataclasses import replace

    locked: list[Locked] = []
    problem = compile_instance(instance)
    pairs = sorted(problem.value)
    for pick in picks:
        if not pairs:
            break
        council, supplier = pairs[pick % len(pairs)]
        slot = instance.slots[pick // 7 % len(instance.slots)]
        trial = replace(instance, locked=(*locked, Locked(problem.ids[council], problem.ids[supplier], slot)))
        try:
            compile_instance(trial)
        except InstanceError:
            continue
        locked = list(trial.locked)
    return replace(instance, locked=tuple(locked))


def brute_force(problem: Problem) -> float:
    """The best value of any schedule, by trying every slot (or none) for every pair. Tiny instances only."""
    pairs = sorted(problem.value, key=lambda pair: -problem.value[pair])
    limit = [problem.slots if p.max_meetings is None else p.max_meetings for p in problem.instance.participants]
    locked = {(c, s): slot for c, s, slot in problem.locked}
    busy = [0] * problem.size
    count = [0] * problem.size
    in_slot = [0] * problem.slots
    met: dict[tuple[int, int], int] = {}
    best = 0.0

    def fits(council: int, supplier: int, slot: int) -> bool:
        if in_slot[slot] >= problem.tables or (busy[council] | busy[supplier]) >> slot & 1:
            return False
        if not (problem.available[council] & problem.available[supplier]) >> slot & 1:
            return False
        if count[council] >= limit[council] or count[supplier] >= limit[supplier]:
            return False
        org = problem.organisation
        return not problem.exclusive or not (met.get((council, org[supplier])) or met.get((supplier, org[council])))

    def put(council: int, supplier: int, slot: int, step: int) -> None:
        org = problem.organisation
        for p, other in ((council, supplier), (supplier, council)):
            busy[p] ^= 1 << slot
            count[p] += step
            met[(p, org[other])] = met.get((p, org[other]), 0) + step
        in_slot[slot] += step

    def search(i: int, value: float) -> None:
        nonlocal best
        if i == len(pairs):
            best = max(best, value)
            return
        if value + sum(problem.value[p] for p in pairs[i:]) <= best:
            return
        council, supplier = pairs[i]
        if (council, supplier) in locked:
            slot = locked[(council, supplier)]
            if fits(council, supplier, slot):
                put(council, supplier, slot, 1)
                search(i + 1, value + problem.value[(council, supplier)])
                put(council, supplier, slot, -1)
            return
        for slot in range(problem.slots):
            if fits(council, supplier, slot):
                put(council, supplier, slot, 1)
                search(i + 1, value + problem.value[(council, supplier)])
                put(council, supplier, slot, -1)
        search(i + 1, value)

    search(0, 0.0)
    return best
