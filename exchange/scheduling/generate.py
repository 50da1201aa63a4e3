"""Realistic random instances for the bench and the tests: a brokerage event as organisers describe them.

Councils send one to three officers (one organisation), suppliers one team or two (a company with two teams).
Each participant cares about a few of the topics of the Local Government service lists; a matching-like score
grows with the topics a council and a supplier share, with some noise. Wishes are drawn by that score times how
attractive the other side is, and attractiveness is skewed (log-normal), so a few suppliers are in great demand,
as at real events. Most participants make a few wishes, some none (they rely on the suggestions); a few say
"no thanks" to someone. Suggestions come from the score, as the matching module would make them. A fifth of the
participants are available in part of the day only (they arrive late, leave early, or step out), some have a
maximum number of meetings, and a couple of meetings are locked by the organiser.
"""

from __future__ import annotations

import random

from exchange.scheduling.model import COUNCIL, SUPPLIER, Instance, Locked, Participant, Suggestion, Wish

TOPICS = 24


def slot_names(count: int) -> list[str]:
    """Twenty-minute meetings from 09:00, with a break after every fourth."""
    names = []
    minutes = 9 * 60
    for n in range(count):
        names.append(f"{minutes // 60:02d}:{minutes % 60:02d}")
        minutes += 20 + (20 if n % 4 == 3 else 0)
    return names


def _organisations(count: int, prefix: str, sizes: list[int], weights: list[float], rng: random.Random) -> list[str]:
    names: list[str] = []
    while len(names) < count:
        names += [f"{prefix}{len(names)}"] * rng.choices(sizes, weights)[0]
    return names[:count]


def _availability(slots: list[str], restricted: float, rng: random.Random) -> tuple[str, ...] | None:
    if rng.random() >= restricted:
        return None
    count = len(slots)
    kind = rng.random()
    if kind < 0.35:  # arrives late
        return tuple(slots[rng.randint(count // 4, count // 2) :])
    if kind < 0.7:  # leaves early
        return tuple(slots[: rng.randint(count // 2, 3 * count // 4)])
    # steps out for some of the day
    return tuple(sorted(rng.sample(slots, rng.randint(count // 2, count - 2)), key=slots.index))


def generate(
    participants: int,
    slots: int = 12,
    table_share: float = 0.25,
    seed: int = 1,
    locked: int = 2,
    restricted: float = 0.2,
) -> Instance:
    """An instance with ``participants`` people, tables for ``table_share`` of everyone meeting at once, and a
    share ``restricted`` of people available in part of the day only."""
    rng = random.Random(seed)
    names = slot_names(slots)
    councils = max(1, round(participants * 0.4))
    suppliers = max(1, participants - councils)
    council_orgs = _organisations(councils, "council-", [1, 2, 3], [0.6, 0.3, 0.1], rng)
    supplier_orgs = _organisations(suppliers, "company-", [1, 2], [0.85, 0.15], rng)
    people: list[Participant] = []
    topics: dict[str, set[int]] = {}
    appeal: dict[str, float] = {}
    for n in range(councils + suppliers):
        council = n < councils
        pid = f"c{n}" if council else f"s{n - councils}"
        organisation = council_orgs[n] if council else supplier_orgs[n - councils]
        limit = rng.choice([6, 8, 10, None] if council else [6, 8, 10, 12, None])
        people.append(
            Participant(
                pid, COUNCIL if council else SUPPLIER, organisation, _availability(names, restricted, rng), limit
            )
        )
        topics[pid] = set(rng.sample(range(TOPICS), rng.randint(2, 4)))
        appeal[pid] = rng.lognormvariate(0, 1.4 if not council else 1.0)
    council_ids = [p.id for p in people if p.side == COUNCIL]
    supplier_ids = [p.id for p in people if p.side == SUPPLIER]

    def score(a: str, b: str) -> float:
        shared = len(topics[a] & topics[b]) / min(len(topics[a]), len(topics[b]))
        return max(0.0, min(1.0, 0.75 * shared + rng.uniform(0.0, 0.25)))

    wishes: list[Wish] = []
    suggestions: list[Suggestion] = []
    for person in people:
        others = supplier_ids if person.side == COUNCIL else council_ids
        # Score a sample of the other side, as the matcher ranks candidates; the rest are not considered.
        sample = rng.sample(others, min(len(others), 60))
        scored = sorted(((score(person.id, o), o) for o in sample), reverse=True)
        if rng.random() < 0.85:
            wanted = rng.randint(2, 10) if person.side == COUNCIL else rng.randint(2, 8)
            weights = [(s + 0.05) * appeal[o] for s, o in scored]
            chosen: list[str] = []
            for _ in range(wanted * 3):
                if len(chosen) == wanted:
                    break
                pick = rng.choices(scored, weights)[0][1]
                if pick not in chosen:
                    chosen.append(pick)
            for rank, other in enumerate(chosen):
                level = "must" if rank < rng.choice([0, 1, 1, 2]) else "like"
                wishes.append(Wish(person.id, other, level))
            if rng.random() < 0.1:
                refused = rng.choice([o for _, o in scored if o not in chosen] or [scored[-1][1]])
                wishes.append(Wish(person.id, refused, "no"))
        for value, other in scored[: rng.randint(3, 6)]:
            suggestions.append(Suggestion(person.id, other, round(value, 3)))
    instance = Instance(
        slots=tuple(names),
        tables=max(1, round(table_share * participants / 2)),
        participants=tuple(people),
        wishes=tuple(_unique_wishes(wishes)),
        suggestions=tuple(suggestions),
        exclusive_organisations=True,
    )
    return _with_locked(instance, locked, rng)


def _unique_wishes(wishes: list[Wish]) -> list[Wish]:
    seen: dict[tuple[str, str], Wish] = {}
    for wish in wishes:
        seen.setdefault((wish.source, wish.target), wish)
    return list(seen.values())


def _with_locked(instance: Instance, count: int, rng: random.Random) -> Instance:
    """Locks up to ``count`` wished-for meetings, each in a slot both can make, keeping every rule."""
    from dataclasses import replace

    from exchange.scheduling.problem import compile_instance

    problem = compile_instance(instance)
    pairs = sorted(pair for pair, value in problem.value.items() if value >= 5)
    rng.shuffle(pairs)
    chosen: list[Locked] = []
    used: set[int] = set()
    organisations: set[tuple[int, int]] = set()
    per_slot = [0] * problem.slots
    for council, supplier in pairs:
        if len(chosen) == count:
            break
        if council in used or supplier in used:
            continue
        if (council, problem.organisation[supplier]) in organisations:
            continue
        common = problem.available[council] & problem.available[supplier]
        open_slots = [s for s in range(problem.slots) if common >> s & 1 and per_slot[s] < problem.tables]
        if not open_slots or 0 in (problem.capacity[council], problem.capacity[supplier]):
            continue
        slot = rng.choice(open_slots)
        per_slot[slot] += 1
        chosen.append(Locked(problem.ids[council], problem.ids[supplier], instance.slots[slot]))
        used.update((council, supplier))
        organisations.update(((council, problem.organisation[supplier]), (supplier, problem.organisation[council])))
    return replace(instance, locked=tuple(chosen))
