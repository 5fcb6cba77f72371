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

from ..route.timing import END, START, WAIT_WEIGHT, Timing, time_day
from .diagnose import diagnose
from .instance import RepInstance
from .rhythm import Chain, advance, next_is_appointment, next_window, start_chain
from .solution import Miss, RepSolution

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
) -> Insertion | None:
    """Cheapest feasible position for ``node`` in working day ``day`` (``None`` if none, or if
    none costs less than ``bound``).

    Positions are tried by increasing extra driving; a position is skipped without timing the
    day when even its extra driving, less all the waiting it could fill, cannot beat the best
    found so far (a cost lower bound: ``WAIT_WEIGHT`` × the day's waiting).
    """
    if not inst.windows[day][node]:
        return None
    if inst.rules.max_visits is not None and len(sol.seqs.get(day, ())) >= inst.rules.max_visits:
        return None
    seq = sol.seqs.get(day, [])
    fixed = sol.fixed.get(day, {})
    if appt is not None:
        fixed = {**fixed, node: appt}
    current = sol.timings.get(day)
    old = current.cost if current is not None else 0.0
    slack = WAIT_WEIGHT * current.wait_min if current is not None else 0.0
    travel = inst.travel
    stops = [START, *seq, END]
    legs = enumerate(zip(stops, stops[1:], strict=False))
    detours = sorted((travel[a][node] + travel[node][b] - travel[a][b], pos) for pos, (a, b) in legs)
    best: Insertion | None = None
    limit = bound
    for extra, pos in detours:
        if extra - slack >= limit:
            break
        cand = seq[:pos] + [node] + seq[pos:]
        timing = time_day(cand, travel, inst.duration, inst.windows[day], fixed, inst.rules)
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
    """Plan every due visit of ``inst`` greedily (see the module docstring)."""
    sol = RepSolution()
    horizon_days = 7 * inst.horizon.weeks
    day_of_offset = {off: d for d, off in enumerate(inst.offsets)}
    chains = [start_chain(i, c, inst.horizon) for i, c in enumerate(inst.customers)]

    # Appointments first: their time is fixed, everything else fits around them.
    appointment_ok: dict[tuple[int, int], bool] = {}
    for chain in chains:
        customer = inst.customers[chain.customer]
        for appt in customer.appointments:
            off = (appt.date - inst.horizon.start).days
            day = day_of_offset.get(off)
            node = inst.node(chain.customer)
            ins = best_insertion(inst, sol, day, node, appt.start) if day is not None else None
            if ins is not None:
                apply(sol, ins, node, appt.start)
            appointment_ok[(chain.customer, off)] = ins is not None

    heap: list[tuple[int, float, int]] = []
    for chain in chains:
        push(heap, chain, inst, horizon_days)
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
                appt_days = [day_of_offset[off]] if off in day_of_offset else []
                reason = diagnose(inst, sol, node, appt_days, appointment=True)
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
        push(heap, chain, inst, horizon_days)
    return sol


def push(heap: list[tuple[int, float, int]], chain: Chain, inst: RepInstance, horizon_days: int) -> None:
    """Queue the chain's next visit by its deadline, then by priority."""
    if chain.remaining <= 0 and not chain.appointments:
        return
    customer = inst.customers[chain.customer]
    if chain.appointments and next_is_appointment(chain, customer):
        deadline = chain.appointments[0]
    else:
        deadline = next_window(chain, customer, horizon_days).hi
    heapq.heappush(heap, (deadline, -customer.priority, chain.customer))
