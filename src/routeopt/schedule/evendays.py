"""Even days: the visits spread over the rep's working days instead of packed into as few as
driving allows, so that every day has about the same work and the same slack for trouble calls.

Each day's working minutes (from leaving the start to arriving at the end) above a band around
the rep's mean day cost :data:`OVER_BAND_COST` a minute, in every move of the search
(:attr:`RepInstance.band`). The mean is that of a plan searched compact first: its working
minutes over the working days that have a visit in reach; the band is then taken again from the
spread plan's own mean (:mod:`~routeopt.schedule.preferences`)"""

from __future__ import annotations

from dataclasses import replace

from .instance import FIRST_CUSTOMER, RepInstance
from .solution import RepSolution

BAND = 0.10
"""Share above the rep's mean day that a day may work at no cost."""
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
    work = sum(t.end_arrive - t.departure for t in sol.timings.values())
    if not days or not work:
        return inst
    return replace(inst, band=(1 + BAND) * work / len(days), over_band=OVER_BAND_COST)
