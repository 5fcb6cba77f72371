"""OR-Tools routing as the engine for one rep's weeks: the only module that imports ``ortools``.

The model (one per rep and round): **vehicles are the rep's working days on one time axis**
(minute ``offset·1440 + t`` of the horizon), nodes are the planned visits. Each visit may go
to any working day of its *day window* and, on that day, start only inside an opening window
(the time dimension's allowed intervals) with the whole visit before closing; appointments
are pinned to their day and minute; lunch is a break interval inside its window on every day;
``max_visits`` is a count dimension; the objective is driving plus half the waiting (slack).

Day windows come from the incumbent plan: each visit may move as far as keeps every gap of its
customer's chain between ``min_gap`` and ``max_gap`` *whatever* day its neighbours take in
their own windows (the slack of each gap is split between its two ends). Guided local search
then moves visits between days and orders each day, judging every move on both days' routes.
Repeated rounds re-centre the windows on the new incumbent: a large-neighbourhood search over
the day assignment.

Every solution is re-timed with :func:`routeopt.route.timing.time_day` (the library's rules,
whatever the engine thinks) and kept only if it is valid and cheaper.
"""

from __future__ import annotations

import math

from ortools.constraint_solver import pywrapcp, routing_enums_pb2

from .instance import FIRST_CUSTOMER, RepInstance
from .rhythm import chain_ok
from .solution import RepSolution

DAY = 24 * 60
TRAVEL_WEIGHT, WAIT_WEIGHT = 2, 1
"""Objective weights: 2 per driving minute, 1 per idle minute (as :data:`timing.WAIT_WEIGHT`)."""
DROP_PENALTY = 10_000_000
UNBOUNDED = 10**6


def day_windows(inst: RepInstance, sol: RepSolution) -> dict[tuple[int, int], tuple[int, int]]:
    """Calendar-offset window ``(lo, hi)`` per planned visit ``(customer index, offset)``.

    Appointments get a zero-width window. See the module docstring for the rule.
    """
    visits: dict[int, list[int]] = {}
    fixed: set[tuple[int, int]] = set()
    for day, seq in sol.seqs.items():
        off = inst.offsets[day]
        for node in seq:
            ci = node - FIRST_CUSTOMER
            visits.setdefault(ci, []).append(off)
            if node in sol.fixed.get(day, {}):
                fixed.add((ci, off))
    horizon_last = 7 * inst.horizon.weeks - 1
    out: dict[tuple[int, int], tuple[int, int]] = {}
    for ci, offs in visits.items():
        c = inst.customers[ci]
        rule = c.rule
        offs.sort()
        anchor = (c.last_visit - inst.horizon.start).days if c.last_visit else None
        chain: list[tuple[int, bool]] = ([(anchor, True)] if anchor is not None else [])
        chain += [(o, (ci, o) in fixed) for o in offs]
        minus = {o: UNBOUNDED for o in offs}
        plus = {o: UNBOUNDED for o in offs}
        for (a, a_fixed), (b, b_fixed) in zip(chain, chain[1:], strict=False):
            gap = b - a
            low = max(0, gap - rule.min_gap)  # how much closer the two may come
            high = rule.max_gap - gap if gap <= rule.max_gap else UNBOUNDED  # how much further apart
            if a_fixed and b_fixed:
                continue
            if a_fixed:
                minus[b] = min(minus[b], low)
                plus[b] = min(plus[b], high)
            elif b_fixed:
                plus[a] = min(plus[a], low)
                minus[a] = min(minus[a], high)
            else:
                plus[a] = min(plus[a], low // 2)
                minus[b] = min(minus[b], low - low // 2)
                minus[a] = min(minus[a], high // 2)
                plus[b] = min(plus[b], high - high // 2)
        first_limit = rule.first_window_days() - 1
        for o in offs:
            if (ci, o) in fixed:
                out[(ci, o)] = (o, o)
                continue
            lo, hi = max(0, o - minus[o]), min(horizon_last, o + plus[o])
            if anchor is None and o == offs[0] and o <= first_limit:
                hi = min(hi, first_limit)
            out[(ci, o)] = (lo, hi)
    return out


def refine(inst: RepInstance, sol: RepSolution, time_limit: float, solution_limit: int | None = None) -> RepSolution:
    """One round of the OR-Tools model from ``sol``; returns the better of the two (``sol``
    itself when OR-Tools finds nothing better or nothing valid within ``time_limit`` seconds).
    With ``solution_limit`` the search stops after that many solutions, so that the result does
    not depend on the machine's speed."""
    if not sol.seqs or time_limit < 0.5:
        return sol
    windows = day_windows(inst, sol)
    day_of_offset = {off: d for d, off in enumerate(inst.offsets)}
    # model nodes: 0 start, 1 end, then one per planned visit
    visits: list[tuple[int, int]] = []  # (customer node, calendar offset of the incumbent)
    appt: dict[int, int] = {}  # model node → appointment minute on the axis
    routes: list[list[int]] = [[] for _ in inst.days]
    for day in sorted(sol.seqs):
        for node in sol.seqs[day]:
            visits.append((node, inst.offsets[day]))
            m = len(visits) + 1
            routes[day].append(m)
            if node in sol.fixed.get(day, {}):
                appt[m] = inst.offsets[day] * DAY + sol.fixed[day][node]
    n_nodes = 2 + len(visits)
    place = [0, 1] + [node for node, _ in visits]
    service = [0, 0] + [inst.duration[node] for node, _ in visits]
    travel = [[TRAVEL_WEIGHT * inst.travel[place[a]][place[b]] for b in range(n_nodes)] for a in range(n_nodes)]
    transit = [[service[a] + inst.travel[place[a]][place[b]] for b in range(n_nodes)] for a in range(n_nodes)]

    n_vehicles = len(inst.days)
    manager = pywrapcp.RoutingIndexManager(n_nodes, n_vehicles, [0] * n_vehicles, [1] * n_vehicles)
    routing = pywrapcp.RoutingModel(manager)
    routing.SetArcCostEvaluatorOfAllVehicles(routing.RegisterTransitMatrix(travel))
    horizon = 7 * inst.horizon.weeks * DAY
    routing.AddDimension(routing.RegisterTransitMatrix(transit), horizon, horizon, False, "time")
    time_dim = routing.GetDimensionOrDie("time")
    time_dim.SetSlackCostCoefficientForAllVehicles(WAIT_WEIGHT)
    solver = routing.solver()
    s0, s1 = inst.rules.shift
    assert inst.rules.lunch_window is not None, "the OR-Tools engine plans reps, who have a lunch window"
    lw0, lw1 = inst.rules.lunch_window
    lunch = inst.rules.lunch_minutes
    visit_transits = [service[manager.IndexToNode(i)] for i in range(routing.Size() + n_vehicles)]
    for v, off in enumerate(inst.offsets):
        base = off * DAY
        time_dim.CumulVar(routing.Start(v)).SetRange(base + s0, base + s1)
        time_dim.CumulVar(routing.End(v)).SetRange(base + s0, base + s1)
        brk = solver.FixedDurationIntervalVar(base + lw0, base + lw1 - lunch, lunch, False, f"lunch {v}")
        time_dim.SetBreakIntervalsOfVehicle([brk], v, visit_transits)
        routing.AddVariableMinimizedByFinalizer(time_dim.CumulVar(routing.Start(v)))
    if inst.rules.max_visits is not None:
        count = routing.RegisterUnaryTransitVector([0, 0] + [1] * len(visits))
        routing.AddDimension(count, 0, inst.rules.max_visits, True, "visits")

    for m, (node, off) in enumerate(visits, start=2):
        index = manager.NodeToIndex(m)
        cumul = time_dim.CumulVar(index)
        ci = node - FIRST_CUSTOMER
        if m in appt:
            days = [day_of_offset[appt[m] // DAY]]
            intervals = [(appt[m], appt[m])]
        else:
            lo, hi = windows[(ci, off)]
            days, intervals = [], []
            for o in range(lo, hi + 1):
                d = day_of_offset.get(o)
                if d is None:
                    continue
                dur = service[m]
                fits = [(o * DAY + a, o * DAY + b - dur) for a, b in inst.windows[d][node] if b - a >= dur]
                if fits:
                    days.append(d)
                    intervals += fits
        routing.VehicleVar(index).SetValues([-1] + days)
        cumul.SetRange(intervals[0][0], intervals[-1][1])
        for (_, end), (start, _) in zip(intervals, intervals[1:], strict=False):
            if start > end + 1:
                cumul.RemoveInterval(end + 1, start - 1)
        routing.AddDisjunction([index], DROP_PENALTY * math.ceil(inst.customers[ci].priority))

    params = pywrapcp.DefaultRoutingSearchParameters()
    params.local_search_metaheuristic = routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH
    params.time_limit.FromMilliseconds(int(time_limit * 1000))
    if solution_limit is not None:
        params.solution_limit = solution_limit
    routing.CloseModelWithParameters(params)
    start = routing.ReadAssignmentFromRoutes([[manager.NodeToIndex(m) for m in r] for r in routes], True)
    if start is None:
        return sol
    found = routing.SolveFromAssignmentWithParameters(start, params)
    if found is None:
        return sol
    return _accept(inst, sol, routing, manager, found, visits, appt)


def _accept(
    inst: RepInstance,
    sol: RepSolution,
    routing: pywrapcp.RoutingModel,
    manager: pywrapcp.RoutingIndexManager,
    found: pywrapcp.Assignment,
    visits: list[tuple[int, int]],
    appt: dict[int, int],
) -> RepSolution:
    """The engine's solution as a :class:`RepSolution`, if every day re-times validly under the
    library's rules, no visit was dropped, and it is cheaper than ``sol``."""
    new = RepSolution(missed=list(sol.missed))
    placed = 0
    for v in range(len(inst.days)):
        index = routing.Start(v)
        seq: list[int] = []
        fixed: dict[int, int] = {}
        index = found.Value(routing.NextVar(index))
        while not routing.IsEnd(index):
            m = manager.IndexToNode(index)
            node = visits[m - 2][0]
            seq.append(node)
            if m in appt:
                fixed[node] = appt[m] % DAY
            index = found.Value(routing.NextVar(index))
        if not seq:
            continue
        timing = inst.time(v, seq, fixed)
        if timing is None:
            return sol
        new.seqs[v], new.timings[v] = seq, timing
        if fixed:
            new.fixed[v] = fixed
        placed += len(seq)
    if placed != len(visits) or new.cost >= sol.cost - 1e-6:
        return sol
    days_of: dict[int, list[int]] = {}
    for v, seq in new.seqs.items():
        for node in seq:
            days_of.setdefault(node - FIRST_CUSTOMER, []).append(inst.offsets[v])
    missed: dict[int, int] = {}
    for miss in new.missed:
        missed[miss.customer] = missed.get(miss.customer, 0) + 1
    if not all(chain_ok(inst, ci, days, missed.get(ci, 0)) for ci, days in days_of.items()):
        return sol
    return new
