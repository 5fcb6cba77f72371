"""Even days: the visits spread over the rep's working days instead of packed into as few as
driving allows, so that every day has about the same work and the same slack for trouble calls.

Each day's working minutes (from leaving the start to arriving at the end) above a band around
the rep's mean day cost :data:`OVER_BAND_COST` a minute, in every move of the search
(:attr:`RepInstance.band`). The mean is that of a plan searched compact first: its working
minutes over the working days that have a visit in reach; the band is then taken again from the
spread plan's own mean (:mod:`~routeopt.schedule.preferences`)"""

from __future__ import annotations

from dataclasses import replace

from .construct import Insertion, best_insertion
from .instance import FIRST_CUSTOMER, RepInstance
from .moves import Improver
from .solution import RepSolution

BAND = 0.25
"""Share above the rep's mean day that a day may work at no cost. 0.25 drove 4–7 % less than 0.10
on the bundled example and s300 (three seeds, 100 iterations: off/even 2465 against 2572 and 2200
against 2232 minutes), every day in reach still used and days' work max ÷ mean 1.22–1.25
(benchmarks/RESULTS.md)."""
OVER_BAND_COST = 2.0
"""Minutes of cost per working minute above the band: more than a minute of driving, so that a
visit moves to a lighter day when the drive there costs less than twice the overtime it saves
(on a light book of 30 monthly customers, 4 spread it no better and drove more)."""


def days_in_reach(inst: RepInstance) -> list[int]:
    """The working days on which some customer is open."""
    return [d for d in range(len(inst.days)) if any(inst.windows[d][FIRST_CUSTOMER:])]


def with_band(inst: RepInstance, sol: RepSolution) -> RepInstance:
    """``inst`` with the even-days band of ``sol``'s working minutes (a compact plan of it)."""
    days = days_in_reach(inst)
    work = sum(t.work_min for t in sol.timings.values())
    if not days or not work:
        return inst
    return replace(inst, band=(1 + BAND) * work / len(days), over_band=OVER_BAND_COST)


def fill_days(inst: RepInstance, sol: RepSolution) -> int:
    """Give every working day in reach that ``sol`` leaves empty or light some more work: move to
    it, one at a time, the visit whose move costs least (its chain kept valid, priced by ``inst``,
    with its band; taken from a day that is not emptied and, unless the day to fill is empty,
    keeps at least the low end of the band, ``1 - BAND`` of the mean day), until the day works
    that low end. The band alone leaves a day empty or nearly so when the others hold the work
    within it, and the search empties light days that a drive out and back does not pay for.
    Returns the visits moved."""
    if inst.band is None or inst.patterns is not None:
        return 0
    search = Improver(inst, sol)
    floor = (1 - BAND) * inst.band / (1 + BAND)
    moved = 0

    def work(day: int) -> float:
        timing = sol.timings.get(day)
        return timing.work_min if timing is not None else 0.0

    for day in days_in_reach(inst):
        while work(day) < floor:
            keep = floor if day in sol.seqs else 0.0  # an empty day takes its first visit from any day
            best: tuple[float, int, int, list[int], Insertion] | None = None
            for d, seq in sorted(sol.seqs.items()):
                if d == day or len(seq) < 2 or work(d) < keep:  # a day is not emptied to fill another
                    continue
                for node in seq:
                    ci = node - FIRST_CUSTOMER
                    if search.is_fixed(d, node) or not inst.windows[day][node] or day in search.days_of[ci]:
                        continue
                    others = [x for x in search.days_of[ci] if x != d]
                    if not search.valid(ci, others + [day], search.missed_of[ci]):
                        continue
                    rest = [n for n in seq if n != node]
                    left = inst.time(d, rest, sol.fixed.get(d, {}))
                    if left is None or left.work_min < keep:
                        continue
                    removed = left.cost
                    ins = best_insertion(inst, sol, day, node)
                    if ins is not None and (best is None or ins.delta - search.day_cost(d) + removed < best[0]):
                        best = (ins.delta - search.day_cost(d) + removed, d, node, rest, ins)
            if best is None:
                break
            _, d, node, rest, ins = best
            search.set_day(d, rest)
            search.put(ins, node)
            ci = node - FIRST_CUSTOMER
            search.move_days(ci, [x for x in search.days_of[ci] if x != d] + [day])
            moved += 1
    return moved
