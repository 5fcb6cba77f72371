"""The construction planner: visit days by urgency, each day routed by cheapest insertion.

Appointments are placed first at their fixed times. Then the customer whose next visit has the
earliest deadline is served first: its visit goes to the allowed working day where inserting it
costs least (extra driving and waiting, plus a small charge per day away from the ideal
rhythm). A visit no day can take is reported missed with a diagnosed reason, and the customer's
chain goes on from the day it was due.
"""

from __future__ import annotations

import heapq
import math
from dataclasses import dataclass
from typing import cast

from ..model import ReasonCode
from ..route.compiled import best_position
from ..route.timing import END, START, Timing
from .diagnose import appointment_reason, diagnose
from .instance import MEMO_SIZE, RepInstance
from .regularity import construction_cost
from .rhythm import Chain, advance, next_is_appointment, next_window, start_chain
from .solution import Miss, Reason, RepSolution

EPS = 1e-6
"""Tolerance of cost and minute comparisons."""

DAY_SHIFT_COST = 4.0
"""Minutes of cost charged per calendar day a visit lies away from its ideal day."""


@dataclass(frozen=True)
class Insertion:
    day: int
    position: int
    delta: float
    timing: Timing


def best_insertion(
    inst: RepInstance,
    sol: RepSolution,
    day: int,
    node: int,
    appt: int | None = None,
    bound: float = math.inf,
    overload: float = 0.0,
) -> Insertion | None:
    """Cheapest feasible position for ``node`` in working day ``day`` (``None`` if none, or if
    none costs less than ``bound``). See :func:`insertion_into`."""
    fixed = sol.fixed.get(day, {})
    if appt is not None:
        fixed = {**fixed, node: appt}
    return insertion_into(inst, day, sol.seqs.get(day, []), fixed, sol.timings.get(day), node, bound, overload)


_UNKNOWN = object()
"""What the insertion memory answers for a search it was never asked."""

NEAR_BOUND = 1e-9
"""How near a remembered insertion's extra cost may be to the ``bound`` of a search asking for it
before :func:`insertion_into` searches again: the search's cost bounds are sums of floats, so a
position within rounding of the bound may be cut short by it."""


def insertion_into(
    inst: RepInstance,
    day: int,
    seq: list[int],
    fixed: dict[int, int],
    current: Timing | None,
    node: int,
    bound: float = math.inf,
    overload: float = 0.0,
) -> Insertion | None:
    """Cheapest feasible position for ``node`` in route ``day`` visiting ``seq`` (timed as
    ``current``; ``None`` when empty), if one costs less than ``bound`` more. ``overload``: the
    cost per unit of load above the capacity (0 = capacity is a hard rule; see
    :meth:`RepInstance.time`).

    Positions are tried by increasing extra driving; the search stops without timing the day
    when even a position's extra driving, less all it could save (:meth:`RepInstance.savable`: the
    day's waiting, its visits' starts outside their times), cannot beat the best found so far (a
    cost lower bound), or when the day has no room left for that driving and the visit
    (:meth:`RepInstance.room`; on s120's R2, three in four of the day timings that failed broke
    this bound).

    Remembered (:attr:`RepInstance.inserts`): the search asks for the same visit in the same day
    again and again (half the searches of a plan with courses and even days: course moves try a
    customer's chain on every weekday, and a move not kept leaves the days as they were).
    """
    if not inst.windows[day][node]:
        return None
    if inst.rules.max_visits is not None and len(seq) >= inst.rules.max_visits:
        return None
    memo = inst.inserts
    # the day's timing stands for its visits (``current.seq``; none when it has none)
    key = (day, current, tuple(fixed.items()) if fixed else (), node, overload)
    found = cast("Insertion | None", memo.get(key, _UNKNOWN))
    if found is not _UNKNOWN:  # found at any cost, it answers within ``bound`` too, unless within rounding of it
        if found is None or found.delta < bound - NEAR_BOUND:
            return found
        if found.delta >= bound + NEAR_BOUND:
            return None
    found = _search_positions(inst, day, seq, fixed, current, node, bound, overload)
    if bound == math.inf:
        if len(memo) >= MEMO_SIZE:
            memo.clear()
        memo[key] = found
    return found


def _search_positions(inst: RepInstance, day: int, seq: list[int], fixed: dict[int, int], current: Timing | None,
                      node: int, bound: float, overload: float) -> Insertion | None:
    """The search of :func:`insertion_into`, made afresh."""
    facts = inst.facts(day, seq, current) if current is not None else None
    load = facts.load if facts is not None else 0
    excess = inst.over_capacity(load + inst.demand[node]) if inst.demand is not None else 0.0
    if excess and not overload:
        return None
    old = current.cost if current is not None else 0.0
    # What a position may save at most (the day's waiting, its starts outside their times), less the overload
    # this insertion adds.
    slack = facts.savable if facts is not None else 0.0
    if excess:
        slack -= (excess - inst.over_capacity(load)) * overload
        if -slack >= bound:  # the overload alone costs more than allowed
            return None
    arrays = inst.arrays()
    if arrays is not None:  # the same search, compiled
        off_course = 0.0
        if inst.off_course:
            off = (facts.off_course if facts is not None else 0) + inst.off_course_count(day, [node])
            off_course = inst.off_course * off
        pos, delta = best_position(arrays, day, facts.array if facts is not None else seq, node, fixed,
                                   excess * overload if excess else 0.0, off_course, current, old, slack, bound, EPS)
        if pos < 0:
            return None
        timing = inst.time(day, seq[:pos] + [node] + seq[pos:], fixed, overload)
        if timing is not None and timing.cost - old == delta:
            return Insertion(day, pos, delta, timing)
        # the position search and the day's timing disagree (the tests say they never do): the
        # plan must not depend on it, so search the positions as without the compiled kernel
    travel = inst.travel
    stops = [START, *seq, END]
    legs = enumerate(zip(stops, stops[1:], strict=False))
    detours = sorted((travel[a][node] + travel[node][b] - travel[a][b], pos) for pos, (a, b) in legs)
    best: Insertion | None = None
    limit = bound
    room: float | None = None  # computed once a position passes the cost bound
    for extra, pos in detours:
        if extra - slack >= limit:
            break
        if room is None:
            room = inst.room(seq, current) - inst.duration[node]
        if extra > room + EPS:
            break
        cand = seq[:pos] + [node] + seq[pos:]
        timing = inst.time(day, cand, fixed, overload)
        if timing is not None and timing.cost - old < limit:
            best = Insertion(day, pos, timing.cost - old, timing)
            limit = best.delta
    return best


def apply(sol: RepSolution, ins: Insertion, node: int, appt: int | None = None) -> None:
    seq = sol.seqs.setdefault(ins.day, [])
    seq.insert(ins.position, node)
    sol.timings[ins.day] = ins.timing
    if appt is not None:
        sol.fixed.setdefault(ins.day, {})[node] = appt


def construct(inst: RepInstance) -> RepSolution:
    """Plan every due visit of ``inst`` greedily (see the module docstring).

    When visits are left out and customers differ in priority (a rep with more work than
    minutes), the plan is made a second time with the more important customers' chains placed
    first, and the one whose missed visits weigh less (each its customer's priority) is kept."""
    sol = _construct(inst, priority_first=False)
    if sol.missed and len({c.priority for c in inst.customers}) > 1:
        tiered = _construct(inst, priority_first=True)
        if (inst.missed_weight(tiered.missed), tiered.cost) < (inst.missed_weight(sol.missed), sol.cost):
            return tiered
    return sol


def _construct(inst: RepInstance, priority_first: bool) -> RepSolution:
    sol = RepSolution()
    horizon_days = 7 * inst.horizon.weeks
    day_of_offset = {off: d for d, off in enumerate(inst.offsets)}
    chains = [start_chain(i, c, inst.horizon) for i, c in enumerate(inst.customers)]

    # Appointments first: their time is fixed, everything else fits around them. Where two clash,
    # the customer of higher priority keeps theirs.
    appointment_ok: dict[tuple[int, int], bool] = {}
    for chain in sorted(chains, key=lambda ch: -inst.customers[ch.customer].priority):
        customer = inst.customers[chain.customer]
        for appt in customer.appointments:
            off = (appt.date - inst.horizon.start).days
            day = day_of_offset.get(off)
            node = inst.node(chain.customer)
            ins = best_insertion(inst, sol, day, node, appt.start) if day is not None else None
            if ins is not None:
                apply(sol, ins, node, appt.start)
            appointment_ok[(chain.customer, off)] = ins is not None

    heap: list[tuple[float, float, int]] = []
    for chain in chains:
        push(heap, chain, inst, horizon_days, priority_first)
    while heap:
        _, _, ci = heapq.heappop(heap)
        chain = chains[ci]
        customer = inst.customers[ci]
        node = inst.node(ci)
        if next_is_appointment(chain, customer):
            off = chain.appointments.pop(0)
            if appointment_ok[(ci, off)]:
                advance(chain, off, customer)
            else:
                at = next(a.start for a in customer.appointments if (a.date - inst.horizon.start).days == off)
                reason = appointment_reason(inst, sol, node, day_of_offset.get(off), at)
                sol.missed.append(Miss(ci, off, reason, appointment=True))
                advance(chain, None, customer, off)
        else:
            win = next_window(chain, customer, horizon_days)
            days = [day_of_offset[o] for o in range(win.lo, win.hi + 1) if o in day_of_offset]
            best: Insertion | None = None
            best_score = 0.0
            ideal = win.ideal if win.ideal is not None else win.lo
            for day in days:
                shift = DAY_SHIFT_COST * abs(inst.offsets[day] - ideal)
                if inst.off_course:
                    shift += construction_cost(inst, ci, chain.placed, inst.offsets[day])
                ins = best_insertion(inst, sol, day, node, bound=best_score - shift if best else math.inf)
                if ins is None:
                    continue
                score = ins.delta + shift
                if best is None or score < best_score:
                    best, best_score = ins, score
            if best is not None:
                apply(sol, best, node)
                advance(chain, inst.offsets[best.day], customer)
            else:
                reason = diagnose(inst, sol, node, days, window=(win.lo, win.hi))
                sol.missed.append(Miss(ci, win.due_day, reason))
                advance(chain, None, customer, win.due_day)
        push(heap, chain, inst, horizon_days, priority_first)
    return sol


def push(
    heap: list[tuple[float, float, int]], chain: Chain, inst: RepInstance, horizon_days: int, priority_first: bool
) -> None:
    """Queue the chain's next visit by its deadline, then by priority (or by priority first)."""
    if chain.remaining <= 0 and not chain.appointments:
        return
    customer = inst.customers[chain.customer]
    if chain.appointments and next_is_appointment(chain, customer):
        deadline = chain.appointments[0]
    else:
        deadline = next_window(chain, customer, horizon_days).hi
    key = (-customer.priority, deadline) if priority_first else (deadline, -customer.priority)
    heapq.heappush(heap, (*key, chain.customer))


def cheapest_pattern(inst: RepInstance, ci: int, inserts: dict[int, Insertion]) -> list[int] | None:
    """Cheapest allowed visit-day pattern of customer ``ci`` given its best insertion per route:
    on each day of the pattern, the route of that day where the visit costs least. Returns the
    routes, or ``None`` if no pattern has an insertion on every one of its days."""
    assert inst.patterns is not None
    cheapest: dict[int, int] = {}  # calendar offset → its cheapest route
    for d, ins in inserts.items():
        off = inst.offsets[d]
        if off not in cheapest or ins.delta < inserts[cheapest[off]].delta:
            cheapest[off] = d
    best: list[int] | None = None
    best_cost = math.inf
    for pattern in inst.patterns[ci]:
        if all(off in cheapest for off in pattern):
            cost = sum(inserts[cheapest[off]].delta for off in pattern)
            if cost < best_cost:
                best, best_cost = sorted(cheapest[off] for off in pattern), cost
    return best


def construct_patterns(inst: RepInstance) -> RepSolution:
    """Construction for instances with fixed visit-day patterns (the research literature's):
    customers with the most visits, the fewest patterns and the farthest from the depot first,
    each on its cheapest allowed pattern by cheapest insertion; a customer no pattern can take
    is missed on all its visits."""
    assert inst.patterns is not None
    sol = RepSolution()
    patterns = inst.patterns

    def difficulty(ci: int) -> tuple[int, int, float]:
        visits = len(next(iter(patterns[ci])))
        return (-visits, len(patterns[ci]), -inst.travel[START][inst.node(ci)])

    for ci in sorted(range(len(inst.customers)), key=difficulty):
        node = inst.node(ci)
        inserts = {}
        for day in range(len(inst.offsets)):
            ins = best_insertion(inst, sol, day, node)
            if ins is not None:
                inserts[day] = ins
        days = cheapest_pattern(inst, ci, inserts)
        if days is None:
            visits = min(len(p) for p in patterns[ci])
            why = Reason(ReasonCode.NO_PATTERN, "no allowed day pattern fits")
            sol.missed += [Miss(ci, 0, why) for _ in range(visits)]
            continue
        for day in days:
            apply(sol, inserts[day], node)
    return sol
