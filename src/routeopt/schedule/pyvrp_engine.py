"""PyVRP as the router of a day's visits, or of a whole plan: the only module that imports :mod:`pyvrp`.

The day assignment stays routeopt's; this adapter re-routes the visits of each calendar day
over that day's routes (vehicles) with PyVRP's hybrid genetic search, started from the current
routes (:func:`route_day`), or every day's routes at once, where customers with one visit may
also change their day (:func:`route_across_days`). PyVRP works in integers: distances are
scaled by :data:`SCALE` and rounded, durations rounded *up* (so a schedule PyVRP finds feasible
stays feasible with exact distances), and every route it returns is re-timed with routeopt's
own rules (:meth:`RepInstance.time`) before it is accepted — routes are only replaced when all
the new ones pass and cost less.

Used for routes without a lunch break or appointments (the literature's instances): PyVRP
has no break feature.
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Sequence

import numpy as np

from ..optional import optional_imports
from .clock import expired
from .instance import FIRST_CUSTOMER, RepInstance
from .solution import RepSolution

with optional_imports("the bench solver's day routing"):
    import pyvrp
    from pyvrp.stop import MaxIterations, MaxRuntime, MultipleCriteria, StoppingCriterion

SCALE = 1000
"""Integer units per distance or time unit inside PyVRP."""
NO_LIMIT = 2**62


def _int(value: float, up: bool = False) -> int:
    if not math.isfinite(value):
        return NO_LIMIT
    return math.ceil(value * SCALE - 1e-9) if up else round(value * SCALE)


def route_day(
    inst: RepInstance,
    sol: RepSolution,
    routes: Sequence[int],
    time_limit: float,
    seed: int = 0,
    max_iterations: int | None = None,
) -> bool:
    """Re-route the visits on ``routes`` (route indices of one calendar day) with PyVRP for at
    most ``time_limit`` seconds (and ``max_iterations`` of its search: then the same seed gives
    the same routes unless the time runs out first); replace them when the result is feasible
    under routeopt's rules and cheaper. Returns whether it was replaced."""
    nodes = [n for r in routes for n in sol.seqs.get(r, [])]
    if len(nodes) < 2 or any(sol.fixed.get(r) for r in routes):
        return False
    assert inst.rules.lunch_window is None, "PyVRP has no lunch break"
    day = routes[0]
    travel = inst.travel
    model = pyvrp.Model()
    rules = inst.rules
    depot_loc = model.add_location(0, 0)
    depot = model.add_depot(depot_loc, tw_early=_int(rules.shift[0]), tw_late=_int(rules.shift[1]))
    demand = inst.demand or (0.0,) * inst.n_nodes
    clients = []
    for node in nodes:
        window = inst.windows[day][node][0]
        service = inst.duration[node]
        clients.append(model.add_client(
            model.add_location(0, 0),
            delivery=[_int(demand[node])],
            service_duration=_int(service, up=True),
            tw_early=_int(window[0], up=True),
            tw_late=_int(window[1] - service) if math.isfinite(window[1]) else NO_LIMIT,
        ))
    capacity = rules.capacity if rules.capacity is not None else math.inf
    model.add_vehicle_type(
        num_available=len(routes),
        capacity=[_int(capacity) if math.isfinite(capacity) else NO_LIMIT],
        start_depot=depot,
        end_depot=depot,
        tw_early=_int(rules.shift[0]),
        tw_late=_int(rules.shift[1]),
        shift_duration=_int(rules.max_duration) if rules.max_duration is not None else NO_LIMIT,
    )
    locs = [0, *nodes]  # PyVRP location k ↔ routeopt node locs[k] (the depot is start = end)
    pyvrp_locs = model.locations
    for a, frm in enumerate(pyvrp_locs):
        for b, to in enumerate(pyvrp_locs):
            if a != b:
                d = travel[locs[a]][locs[b]]
                model.add_edge(frm, to, distance=_int(d), duration=_int(d, up=True))
    data = model.data()
    index = {node: k for k, node in enumerate(nodes)}  # PyVRP numbers clients from 0
    start = [[index[n] for n in sol.seqs.get(r, [])] for r in routes if sol.seqs.get(r)]
    began = time.monotonic()
    try:
        initial = pyvrp.Solution(data, start)
        stop: StoppingCriterion = MaxRuntime(time_limit)
        if max_iterations is not None:
            stop = MultipleCriteria([MaxIterations(max_iterations), stop])
        result = model.solve(stop, seed=seed, display=False, initial_solution=initial)
    except (RuntimeError, ValueError):  # e.g. a starting solution PyVRP rejects: keep ours
        return False
    if expired(began + time_limit + 5) or not result.best.is_feasible():
        return False
    new_seqs = [[nodes[a.idx] for a in route if a.is_client()] for route in result.best.routes()]
    new_seqs += [[] for _ in range(len(routes) - len(new_seqs))]
    timings = [inst.time(r, seq, {}) if seq else None for r, seq in zip(routes, new_seqs, strict=True)]
    if any(seq and t is None for seq, t in zip(new_seqs, timings, strict=True)):
        return False
    old = sum(sol.timings[r].cost for r in routes if r in sol.timings)
    new = sum(t.cost for t in timings if t is not None)
    if new >= old - 1e-9:
        return False
    for r, seq, t in zip(routes, new_seqs, timings, strict=True):
        if seq and t is not None:
            sol.seqs[r], sol.timings[r] = list(seq), t
        else:
            sol.seqs.pop(r, None)
            sol.timings.pop(r, None)
    return True


def route_all_days(
    inst: RepInstance, sol: RepSolution, time_limit: float, seed: int = 0, max_iterations: int | None = None
) -> int:
    """Re-route every calendar day with PyVRP, sharing ``time_limit`` seconds among the days in
    proportion to their visits. Returns the number of days improved."""
    deadline = time.monotonic() + time_limit
    by_offset: dict[int, list[int]] = {}
    for r, off in enumerate(inst.offsets):
        by_offset.setdefault(off, []).append(r)
    sizes = {off: sum(len(sol.seqs.get(r, [])) for r in rs) for off, rs in by_offset.items()}
    left = sum(sizes.values())
    improved = 0
    for off, routes in by_offset.items():
        if expired(deadline) or not sizes[off]:
            left -= sizes[off]
            continue
        share = (deadline - time.monotonic()) * sizes[off] / max(1, left)
        left -= sizes[off]
        improved += route_day(inst, sol, routes, max(0.1, share), seed, max_iterations)
    return improved



BARRED = 10**12
"""PyVRP's distance and duration (scaled) to and from a visit on a day it may not be on: no route
of that day can pay for it, and every day a visit may be on is cheaper."""


def free_days(
    inst: RepInstance, sol: RepSolution, rng: random.Random, several: bool = True
) -> dict[tuple[int, int], set[int]]:
    """The other days each visit may move to while the rest of the plan keeps its days, by
    (node, day of the visit): a customer with one visit, any day of its one-day patterns; with
    ``several``, a customer with several visits, one of them (drawn by ``rng`` among those that
    can move), any day that makes an allowed pattern with the days of its other visits, which
    stay. So every plan PyVRP may return keeps each customer on an allowed pattern."""
    placed: dict[int, list[int]] = {}
    for r, seq in sorted(sol.seqs.items()):
        for node in seq:
            placed.setdefault(node, []).append(inst.offsets[r])
    assert inst.patterns is not None
    free: dict[tuple[int, int], set[int]] = {}
    for node, days in sorted(placed.items()):
        if len(days) > 1 and not several:
            continue
        patterns = inst.patterns[node - FIRST_CUSTOMER]
        moves = {}
        for day in days:
            rest = set(days) - {day}
            moves[day] = {d for p in patterns if len(p) == len(days) and rest < p for d in p - rest} - {day}
        movable = [day for day in days if moves[day]]
        if movable:
            day = rng.choice(movable)
            free[(node, day)] = moves[day]
    return free


def route_across_days(
    inst: RepInstance,
    sol: RepSolution,
    time_limit: float,
    seed: int = 0,
    max_iterations: int | None = None,
    several: bool = True,
) -> bool:
    """Re-route the whole plan at once with PyVRP, every route of every day one vehicle, so that
    visits may also change their day: a customer with one visit to any day of its allowed
    patterns (``inst.patterns``), and with ``several``, a customer with several by one of its
    visits (drawn with ``seed``), where that makes another allowed pattern (:func:`free_days`); the
    other visits keep their days (whole patterns are chosen by routeopt's search). A day is a vehicle type with its
    own distances, in which the visits barred from that day are out of reach (:data:`BARRED`).

    Started from the current routes; the new plan replaces ``sol`` only when every visit is on an
    allowed day, every route passes routeopt's own timing (:meth:`RepInstance.time`) and the
    whole costs less. Returns whether it was replaced."""
    assert inst.patterns is not None, "only for customers with allowed day patterns"
    if any(sol.fixed.get(r) for r in sol.seqs) or sol.missed:
        return False
    assert inst.rules.lunch_window is None, "PyVRP has no lunch break"
    calendar = sorted(set(inst.offsets))
    routes_of = {off: [r for r, o in enumerate(inst.offsets) if o == off] for off in calendar}
    may_move = free_days(inst, sol, random.Random(seed), several)
    visits: list[tuple[int, frozenset[int]]] = []  # (node, the calendar days it may be on)
    start: list[tuple[int, list[int]]] = []  # (route, its visits' indices)
    for r, seq in sorted(sol.seqs.items()):
        ks = []
        for node in seq:
            days = {inst.offsets[r]} | may_move.get((node, inst.offsets[r]), set())
            ks.append(len(visits))
            visits.append((node, frozenset(days)))
        start.append((r, ks))
    if len(visits) < 2:
        return False
    nodes = [0] + [node for node, _ in visits]  # location k ↔ routeopt node (0 = the depot)
    travel = np.array(inst.travel, dtype=float)[np.ix_(nodes, nodes)]
    distance = np.rint(travel * SCALE).astype(np.int64)
    duration = np.ceil(travel * SCALE - 1e-9).astype(np.int64)
    rules = inst.rules
    demand = inst.demand or (0.0,) * inst.n_nodes
    any_day = inst.windows[start[0][0]]
    clients: list[pyvrp.Client] = []
    for node, _ in visits:
        window = any_day[node][0]
        service = inst.duration[node]
        clients.append(pyvrp.Client(
            len(clients) + 1,
            delivery=[_int(demand[node])],
            service_duration=_int(service, up=True),
            tw_early=_int(window[0], up=True),
            tw_late=_int(window[1] - service) if math.isfinite(window[1]) else NO_LIMIT,
        ))
    capacity = rules.capacity if rules.capacity is not None else math.inf
    distances, durations, types = [], [], []
    for k, off in enumerate(calendar):
        barred = [i + 1 for i, (_, days) in enumerate(visits) if off not in days]
        dist, dur = distance.copy(), duration.copy()
        for m in (dist, dur):
            m[barred, :] = BARRED
            m[:, barred] = BARRED
            np.fill_diagonal(m, 0)
        distances.append(dist)
        durations.append(dur)
        types.append(pyvrp.VehicleType(
            num_available=len(routes_of[off]),
            capacity=[_int(capacity) if math.isfinite(capacity) else NO_LIMIT],
            tw_early=_int(rules.shift[0]),
            tw_late=_int(rules.shift[1]),
            shift_duration=_int(rules.max_duration) if rules.max_duration is not None else NO_LIMIT,
            profile=k,
        ))
    data = pyvrp.ProblemData(
        locations=[pyvrp.Location(0, 0) for _ in nodes],
        clients=clients,
        depots=[pyvrp.Depot(0, tw_early=_int(rules.shift[0]), tw_late=_int(rules.shift[1]))],
        vehicle_types=types,
        distance_matrices=distances,
        duration_matrices=durations,
    )
    kind = {off: k for k, off in enumerate(calendar)}
    began = time.monotonic()
    try:
        initial = pyvrp.Solution(data, [pyvrp.Route(data, ks, kind[inst.offsets[r]]) for r, ks in start if ks])
        stop: StoppingCriterion = MaxRuntime(time_limit)
        if max_iterations is not None:
            stop = MultipleCriteria([MaxIterations(max_iterations), stop])
        result = pyvrp.solve(data, stop, seed=seed, display=False, initial_solution=initial)
    except (RuntimeError, ValueError):  # e.g. a starting solution PyVRP rejects: keep ours
        return False
    if expired(began + time_limit + 5) or not result.best.is_feasible():
        return False
    free = {off: list(routes_of[off]) for off in calendar}
    seqs: dict[int, list[int]] = {}
    for route in result.best.routes():
        off = calendar[route.vehicle_type()]
        ks = [a.idx for a in route if a.is_client()]
        if not ks:
            continue
        if any(off not in visits[k][1] for k in ks) or not free[off]:
            return False
        seqs[free[off].pop(0)] = [visits[k][0] for k in ks]
    days_of: dict[int, list[int]] = {}
    for r, seq in seqs.items():
        for node in seq:
            days_of.setdefault(node - FIRST_CUSTOMER, []).append(inst.offsets[r])
    if any(frozenset(days) not in inst.patterns[ci] or len(set(days)) != len(days) for ci, days in days_of.items()):
        return False
    if sum(map(len, seqs.values())) != len(visits):
        return False
    timings = {r: inst.time(r, seq, {}) for r, seq in seqs.items()}
    if any(t is None for t in timings.values()):
        return False
    new = sum(t.cost for t in timings.values() if t is not None)
    if new >= sol.cost - 1e-9:
        return False
    sol.seqs = seqs
    sol.timings = {r: t for r, t in timings.items() if t is not None}
    return True
