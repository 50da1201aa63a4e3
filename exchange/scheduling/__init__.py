"""Scheduling: the meetings of a matchmaking session, placed into slots and at tables. Pure computation, no I/O.

The format and the rules are those of ``../shared/bench/SCHEDULING.md``: ``model`` reads and writes that JSON
and ``problem`` compiles it to integers; ``solver.solve`` makes a schedule with a proven upper bound on its value
(``relaxation`` and ``flow`` choose the meetings and prove the bound, ``colouring`` and ``placement`` put them in
slots, ``repair`` and ``ejection`` mop up, ``compaction`` closes idle gaps, all on a ``timetable``);
``greedy.solve`` is the baseline it is measured against, ``metrics.check`` lists every rule a schedule breaks,
and ``generate`` makes realistic sessions for the bench and the tests.
"""
