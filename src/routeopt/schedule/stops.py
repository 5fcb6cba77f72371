"""Turn a day's timing into itinerary stops (start, visits, the lunch break, end)."""

from __future__ import annotations

from ..model import DayRoute, Stop
from ..route.timing import END, START, Timing
from .instance import RepInstance


def day_route(inst: RepInstance, day: int, timing: Timing) -> DayRoute:
    """The itinerary of working day ``day`` of ``inst``'s rep, as timed by ``timing``.

    The break is written where it is taken: after the ``break_at``-th visit, at that place,
    before the next drive.
    """
    rep = inst.rep
    lunch = inst.rules.lunch_minutes
    stops = [Stop("start", rep.start_lat, rep.start_lon, timing.departure, timing.departure, timing.departure)]
    prev, t = START, timing.departure
    here = rep.start
    for i in range(len(timing.seq) + 1):
        if i == timing.break_at:
            b = timing.break_start
            stops.append(Stop("break", here[0], here[1], t, b, b + lunch, wait_min=b - t))
            t = b + lunch
        if i == len(timing.seq):
            break
        node = timing.seq[i]
        c = inst.customer(node)
        arrive, start = timing.arrive[i], timing.start[i]
        stops.append(Stop(
            "visit", c.lat, c.lon, arrive, start, start + c.visit_minutes,
            travel_min=inst.travel[prev][node], travel_km=inst.km[prev][node],
            wait_min=start - arrive, customer_id=c.id, customer_name=c.name,
        ))
        prev, t, here = node, start + c.visit_minutes, (c.lat, c.lon)
    stops.append(Stop(
        "end", rep.end[0], rep.end[1], timing.end_arrive, timing.end_arrive, timing.end_arrive,
        travel_min=inst.travel[prev][END], travel_km=inst.km[prev][END],
    ))
    return DayRoute(rep.id, inst.days[day], tuple(stops))
