"""Relax and fix: new visit-day patterns for the customers with several visits, chosen by PyVRP's
routing of a relaxed plan, fixed a share at a time.

A pattern's worth shows only once the routes around it have settled (the one-visit customers
moved to other days, the vehicles re-packed), which a routing of the whole plan does in tens of
seconds, not in the second or two a move judged alone can be given (benchmarks/RESULTS.md). So
here the routing chooses the patterns itself, in a relaxation: the k-th visit of a customer not
yet fixed may go to the k-th day of any of its allowed patterns (days 1+3, 2+4, 3+5: its first
visit to day 1, 2 or 3, its second to 3, 4 or 5), each visit on its own. The relaxed plan is
routed; the customers whose visits landed on an allowed pattern are fixed there; of the others,
the share whose move to their cheapest allowed pattern (by insertion into the relaxed routes)
costs least is moved and fixed; the rest are routed relaxed again, until every customer is fixed.
"""

from __future__ import annotations

import time

from .clock import expired
from .instance import FIRST_CUSTOMER, RepInstance
from .pyvrp_engine import route_across_days, route_visits
from .repattern import moved_to
from .solution import RepSolution, copy_solution

ROUNDS = 3
"""Relaxed routings before the last projection: each fixes the cheaper half of the customers
still off an allowed pattern (the last, all of them)."""
OVERLOAD = 1000.0
"""The price per unit of load above capacity of the projected plan handed to the last routing: the
price to beat, so that any plan within capacity the routing finds replaces it."""


def placed_days(inst: RepInstance, sol: RepSolution) -> dict[int, list[int]]:
    """Node → the calendar days of its visits, in increasing order (a day twice if it is visited
    twice on it)."""
    out: dict[int, list[int]] = {}
    for r, seq in sorted(sol.seqs.items()):
        for node in seq:
            out.setdefault(node, []).append(inst.offsets[r])
    return {node: sorted(days) for node, days in out.items()}


def on_pattern(inst: RepInstance, node: int, days: list[int]) -> bool:
    assert inst.patterns is not None
    return len(set(days)) == len(days) and frozenset(days) in inst.patterns[node - FIRST_CUSTOMER]


def relaxed_days(inst: RepInstance, sol: RepSolution, fixed: set[int]) -> dict[tuple[int, int], set[int]]:
    """The days each visit may move to in the relaxed routing, by (node, day): a customer with one
    visit, any day of its patterns; with several and not in ``fixed``, its k-th visit (in day
    order) any k-th day of its patterns; a customer in ``fixed`` keeps its days."""
    assert inst.patterns is not None
    free: dict[tuple[int, int], set[int]] = {}
    for node, days in placed_days(inst, sol).items():
        patterns = inst.patterns[node - FIRST_CUSTOMER]
        if len(days) > 1 and node in fixed:
            continue
        for k, day in enumerate(days):
            free.setdefault((node, day), set()).update(sorted(p)[k] for p in patterns if len(p) == len(days))
    return free


def projection(inst: RepInstance, sol: RepSolution, node: int) -> tuple[float, frozenset[int]]:
    """The cheapest allowed pattern of ``node`` given the other visits' routes, and what moving
    there costs: its visits taken out, each put at its cheapest place by distance, plus the load
    above capacity it adds, priced as the drive out to it and back (the routing settles loads)."""
    assert inst.patterns is not None
    travel, end = inst.travel, FIRST_CUSTOMER - 1
    demand = inst.demand or (0.0,) * inst.n_nodes
    capacity = inst.rules.capacity
    saved = 0.0
    for seq in sol.seqs.values():
        stops = [0, *seq, end]
        for i in range(1, len(stops) - 1):
            if stops[i] == node:
                saved += travel[stops[i - 1]][node] + travel[node][stops[i + 1]] - travel[stops[i - 1]][stops[i + 1]]
    cheapest: dict[int, float] = {}
    for day in sorted({d for p in inst.patterns[node - FIRST_CUSTOMER] for d in p}):
        best: float = 2 * travel[0][node]  # a route of its own
        for r, off in enumerate(inst.offsets):
            if off != day:
                continue
            seq = [n for n in sol.seqs.get(r, []) if n != node]
            if not seq:
                continue
            stops = [0, *seq, end]
            pairs = zip(stops, stops[1:], strict=False)
            extra: float = min(travel[a][node] + travel[node][b] - travel[a][b] for a, b in pairs)
            if capacity is not None:
                over = sum(demand[n] for n in seq) + demand[node] - capacity
                extra += 2 * travel[0][node] * min(1.0, max(0.0, over) / max(demand[node], 1e-9))
            best = min(best, extra)
        cheapest[day] = best
    price, pattern = min((sum(cheapest[d] for d in p), sorted(p)) for p in inst.patterns[node - FIRST_CUSTOMER])
    return price - saved, frozenset(pattern)


def relax_and_fix(inst: RepInstance, sol: RepSolution, time_limit: float, seed: int = 0,
                  max_iterations: int | None = None) -> RepSolution | None:
    """A plan with every customer on an allowed pattern, its patterns chosen by relaxed routings
    (see the module docstring): :data:`ROUNDS` relaxed routings, then a last routing within every
    rule, share ``time_limit`` seconds (and ``max_iterations`` of PyVRP's search), the last twice
    as much as each of the others. ``sol`` is left as it was. Returns the plan (whatever its cost:
    it is another start, not a move), or ``None`` when no routing found a plan within every
    vehicle's capacity."""
    deadline = time.monotonic() + time_limit
    assert inst.patterns is not None
    several = {node for node, days in placed_days(inst, sol).items()
               if len(days) > 1 and len(inst.patterns[node - FIRST_CUSTOMER]) > 1}
    fixed: set[int] = set()
    plan = copy_solution(sol)
    cap = None if max_iterations is None else max(1, max_iterations // (ROUNDS + 2))
    for k in range(ROUNDS):
        if expired(deadline) or fixed >= several:
            break
        seconds = (deadline - time.monotonic()) / (ROUNDS + 2 - k)
        if not route_visits(inst, plan, relaxed_days(inst, plan, fixed), seconds, seed + k, cap, relaxed=True):
            if k == 0:
                return None
        days = placed_days(inst, plan)
        fixed |= {node for node in several if on_pattern(inst, node, days[node])}
        off = sorted(((projection(inst, plan, node), node) for node in sorted(several - fixed)),
                     key=lambda move: (move[0][0], move[1]))
        for (_, pattern), node in off if k == ROUNDS - 1 else off[: (len(off) + 1) // 2]:
            plan = moved_to(inst, plan, node - FIRST_CUSTOMER, pattern)
            fixed.add(node)
    days = placed_days(inst, plan)
    for node in sorted(several):
        if not on_pattern(inst, node, days[node]):
            plan = moved_to(inst, plan, node - FIRST_CUSTOMER, projection(inst, plan, node)[1])
    plan.timings = {}
    for r, seq in plan.seqs.items():
        timing = inst.time(r, seq, {}, overload=OVERLOAD)
        assert timing is not None
        plan.timings[r] = timing
    overloaded = any(t.penalty for t in plan.timings.values())
    last = None if cap is None else 2 * cap
    routed = route_across_days(inst, plan, max(0.0, deadline - time.monotonic()), seed + ROUNDS, last, several=False)
    return plan if routed or not overloaded else None
