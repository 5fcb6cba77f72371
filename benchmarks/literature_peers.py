#!/usr/bin/env python3
"""Peer solvers for the literature benchmarks: plain OR-Tools, PyVRP and VROOM (pyvroom).

    python benchmarks/literature_peers.py ENGINE INSTANCE --time-limit S [--seed N] --out SOLUTION.json

``ENGINE`` is ``ortools``, ``pyvrp`` or ``vroom``; ``INSTANCE`` a Solomon / Homberger or Cordeau
file (read by :func:`routeopt.input.literature.read_instance`). The solution is written in the
format ``shared/tools/check_solution.py`` reads (``{"instance", "cost", "time_s", "routes":
[{"day", "vehicle", "customers"}]}``, plus ``engine`` and ``status``), the cost re-computed with
unrounded Euclidean distances. ``benchmarks/bench_literature.py`` runs this once per engine and
instance, each in its own process.

Library: ``solve(engine, lit, time_limit, seed) -> PeerResult`` with ``routes`` a list of
``(day, vehicle, [customer numbers as in the file])``.

Integer data
------------
All three solvers work on integers, the literature scores unrounded distances. Every value is
scaled by :data:`SCALE` (1000) so that a solution the solver finds feasible is feasible
unrounded too: travel **times** are rounded up (``ceil``), service times rounded up, window
opens rounded up and window closes rounded down; arc **costs** (distances) are rounded to the
nearest integer, so the solver's objective is the unrounded distance within 0.0005 per arc.
Demands and capacities are used as they are when they are whole numbers (every instance here),
else scaled the same way (demands up, capacity down). The reported cost is always re-computed
from the routes with :func:`routeopt.input.literature.route_cost`.

The peers
---------
* ``ortools`` — **a plain OR-Tools routing model**, as a skilled user would write it, not tuned
  per instance. One model for every kind (a Solomon instance is the case ``t = 1``):

  - vehicles = ``t × m`` (vehicle ``v`` drives on day ``v // m + 1``), all from and to the
    depot; arc cost = distance; capacity dimension; a time dimension (travel + service of the
    origin, waiting allowed as slack) whose cumul is the **start** of service, restricted to
    ``[ready, due]``, each vehicle inside the depot horizon; a separate *work* dimension
    (travel + service, no slack) bounded by the route-duration limit ``D`` when there is one;
  - **visit days**: a customer visited once whose allowed patterns are single days is one
    node that may ride on the vehicles of any of those days; a customer visited ``f ≥ 2`` times
    gets one of its patterns **fixed before solving** and one node per visit day, restricted to
    that day's vehicles (``routing.VehicleVar(i).SetValues([-1, ...])``; OR-Tools 9.15's
    ``SetAllowedVehiclesForIndex`` raises ``TypeError``). The pattern is chosen greedily,
    customers with the largest ``demand × frequency`` first, as the one that keeps the fullest
    day (load ÷ day capacity ``m·Q``) least full; ties (within 1 % of a day's capacity) go to
    the pattern whose days already hold customers nearest to it. The load of the single-visit
    customers is spread evenly over their allowed days before fixing;
  - every node has a drop penalty of 100 × the longest arc (a periodic model with mandatory
    visits found no first solution on pr01–pr04, p02, p08; see shared/docs/engine-facts.md);
    a dropped customer makes the solution infeasible and the checker says so;
  - search: a first solution by ``LOCAL_CHEAPEST_INSERTION`` for single-day instances and by
    ``PARALLEL_CHEAPEST_INSERTION`` for periodic ones, then ``GUIDED_LOCAL_SEARCH`` until the time
    limit. OR-Tools routing takes no seed; the seed is ignored. The first-solution strategy is the
    one choice made by measurement, as a user would try two or three: a 10-s pilot
    (``--first-solution``) gave, PARALLEL / LOCAL cheapest insertion / PATH_CHEAPEST_ARC,
    C101 854.31 / 828.94 / 854.31, R105 1433.62 / 1398.58 / 1451.12, RC101 1719.16 / 1675.53 /
    1827.02, R110 1185.76 / 1145.45 / 1126.65, RC208 1010.27 / 852.37 / 823.29, but pr01
    3019.48 / 3043.49 / 2995.94 and p02 1526.70 / 1605.83 / 1540.97. (``PATH_CHEAPEST_ARC`` finds
    no first solution on R101, R105, RC101, RC105 when every visit is mandatory, see
    shared/docs/engine-facts.md; with the drop penalties here it does, but it is not better
    overall.) Drop penalties made no difference on RC208 and R110.

  What it does not do: choose the visit patterns of multi-visit customers during the search.
* ``pyvrp`` — PyVRP's iterated local search (VRPTW only): one vehicle type with ``m``
  vehicles, capacity ``Q`` and the depot horizon; clients with demand, service and window;
  explicit edges (``distance`` = rounded, ``duration`` = rounded-up scaled Euclidean);
  ``MaxRuntime(time_limit)`` and the seed.
* ``vroom`` — VROOM through pyvroom (VRPTW only): ``m`` vehicles with capacity and the depot
  horizon as time window, jobs with delivery, service and window; costs matrix = rounded,
  durations matrix = rounded-up scaled distances; ``exploration_level=5`` (the highest),
  ``nb_threads=1`` by default (the other engines use one core), ``timeout=time_limit``; it
  usually stops by itself well before.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from routeopt.input.literature import LitInstance, pattern_days, read_instance, route_cost, solution_json
from routeopt.optional import optional_imports

SCALE = 1000
"""Every distance, time and duration is multiplied by this before it reaches a solver."""

ENGINES = ("ortools", "pyvrp", "vroom")
VRPTW_ONLY = frozenset({"pyvrp", "vroom"})
"""Engines that solve single-day instances only (no visit-day patterns)."""

Route = tuple[int, int, list[int]]
"""``(day, vehicle, customers)``: 1-based day and vehicle, customer numbers as in the file."""


@dataclass
class PeerResult:
    """A peer's answer: ``routes`` (empty when it found nothing), the unrounded ``cost``, the
    wall ``time_s`` (model building included), a short ``status`` and the customers it left out."""

    instance: LitInstance
    engine: str
    routes: list[Route]
    time_s: float
    status: str
    dropped: list[int] = field(default_factory=list)

    @property
    def cost(self) -> float:
        return sum(route_cost(self.instance, seq) for _, _, seq in self.routes)

    def record(self) -> dict[str, Any]:
        """The solution record for ``check_solution.py`` (plus ``engine``, ``status``, ``dropped``)."""
        by_day: dict[int, list[list[int]]] = {}
        for day, _, seq in sorted(self.routes, key=lambda r: (r[0], r[1])):
            by_day.setdefault(day, []).append(seq)
        rec = solution_json(self.instance, by_day, self.cost, self.time_s)
        rec.update(engine=self.engine, status=self.status, dropped=self.dropped)
        return rec


# ------------------------------------------------------------------------------ integer data
@dataclass(frozen=True)
class IntData:
    """The instance scaled to integers (index ``k`` = ``lit.nodes[k]``; 0 is the depot)."""

    dist: list[list[int]]
    """Arc costs: round(distance × SCALE)."""
    travel: list[list[int]]
    """Travel times: ceil(distance × SCALE), never shorter than the real time."""
    service: list[int]
    ready: list[int]
    due: list[int | None]
    """``None``: no window (PVRP)."""
    demand: list[int]
    capacity: int
    horizon: tuple[int, int | None]
    max_duration: int | None


def _up(value: float) -> int:
    return math.ceil(value * SCALE - 1e-7)


def _down(value: float) -> int:
    return math.floor(value * SCALE + 1e-7)


def int_data(lit: LitInstance) -> IntData:
    d = lit.distance_matrix()
    nodes = lit.nodes
    whole = all(float(n.demand).is_integer() for n in nodes) and float(lit.capacity).is_integer()
    demand = [int(n.demand) if whole else _up(n.demand) for n in nodes]
    capacity = int(lit.capacity) if whole else _down(lit.capacity)
    h0, h1 = lit.horizon
    return IntData(
        dist=[[round(float(x) * SCALE) for x in row] for row in d],
        travel=[[_up(float(x)) for x in row] for row in d],
        service=[_up(n.service) for n in nodes],
        ready=[_up(n.ready) for n in nodes],
        due=[_down(n.due) if math.isfinite(n.due) else None for n in nodes],
        demand=demand,
        capacity=capacity,
        horizon=(_up(h0), _down(h1) if math.isfinite(h1) else None),
        max_duration=_down(lit.max_duration) if lit.max_duration else None,
    )


# ---------------------------------------------------------------------------------- OR-Tools
def fix_patterns(lit: LitInstance) -> dict[int, int]:
    """Customer number → the day mask fixed up front for customers visited on several days.

    Greedy, largest ``demand × frequency`` first: the pattern that keeps the fullest day least
    full (load ÷ ``m·Q``); near-ties (1 % of a day's capacity) go to the pattern whose days
    already hold customers nearest to it. Single-visit customers are not fixed (the solver
    picks their day); their load is spread evenly over their allowed days first.
    """
    t = lit.days
    day_cap = lit.vehicles_per_day * lit.capacity
    load = [0.0] * (t + 1)
    members: list[list[tuple[float, float]]] = [[(lit.depot.x, lit.depot.y)] for _ in range(t + 1)]
    multi = []
    for c in lit.customers:
        if c.frequency == 1:
            days = sorted({d for mask in c.patterns for d in pattern_days(mask, t)})
            for d in days:
                load[d] += c.demand / len(days)
        else:
            multi.append(c)
    fixed: dict[int, int] = {}
    for c in sorted(multi, key=lambda c: (-c.demand * c.frequency, c.index)):

        def fullest(mask: int, c: Any = c) -> float:
            days = set(pattern_days(mask, t))
            return max((load[d] + (c.demand if d in days else 0.0)) / day_cap for d in range(1, t + 1))

        def nearness(mask: int, c: Any = c) -> float:
            return sum(min(math.hypot(c.x - x, c.y - y) for x, y in members[d]) for d in pattern_days(mask, t))

        best_full = min(fullest(mask) for mask in c.patterns)
        near_ties = [mask for mask in c.patterns if fullest(mask) <= best_full + 0.01]
        choice = min(near_ties, key=lambda mask: (nearness(mask), mask))
        fixed[c.index] = choice
        for d in pattern_days(choice, t):
            load[d] += c.demand
            members[d].append((c.x, c.y))
    return fixed


def solve_ortools(
    lit: LitInstance, time_limit: float, seed: int = 0, first_solution: str | None = None, optional: bool = True
) -> PeerResult:
    """The plain OR-Tools model described in the module docstring (``seed`` is unused).

    ``first_solution`` names an OR-Tools ``FirstSolutionStrategy`` (default: see
    :func:`default_first_solution`); ``optional=False`` makes every visit mandatory (no drop
    penalties)."""
    from ortools.constraint_solver import pywrapcp, routing_enums_pb2

    began = time.monotonic()
    data = int_data(lit)
    m, t = lit.vehicles_per_day, lit.days
    n_vehicles = m * t
    fixed = fix_patterns(lit)
    # Visit nodes: (position of the customer in lit.nodes, allowed days).
    visits: list[tuple[int, list[int]]] = []
    for pos, c in enumerate(lit.customers, start=1):
        if c.index in fixed:
            visits.extend((pos, [d]) for d in pattern_days(fixed[c.index], t))
        else:
            visits.append((pos, sorted({d for mask in c.patterns for d in pattern_days(mask, t)})))
    where = [0] + [pos for pos, _ in visits]  # routing node → position in lit.nodes

    manager = pywrapcp.RoutingIndexManager(len(where), n_vehicles, 0)
    routing = pywrapcp.RoutingModel(manager)

    def arc(i: int, j: int) -> int:
        return data.dist[where[manager.IndexToNode(i)]][where[manager.IndexToNode(j)]]

    def transit(i: int, j: int) -> int:
        a, b = where[manager.IndexToNode(i)], where[manager.IndexToNode(j)]
        return data.service[a] + data.travel[a][b]

    def demand(i: int) -> int:
        return data.demand[where[manager.IndexToNode(i)]]

    arc_cb = routing.RegisterTransitCallback(arc)
    routing.SetArcCostEvaluatorOfAllVehicles(arc_cb)
    transit_cb = routing.RegisterTransitCallback(transit)
    demand_cb = routing.RegisterUnaryTransitCallback(demand)
    routing.AddDimensionWithVehicleCapacity(demand_cb, 0, [data.capacity] * n_vehicles, True, "load")

    timed = any(due is not None for due in data.due)
    if timed:
        h0, h1 = data.horizon
        assert h1 is not None
        routing.AddDimension(transit_cb, h1, h1, False, "time")
        time_dim = routing.GetDimensionOrDie("time")
        for v in range(n_vehicles):
            time_dim.CumulVar(routing.Start(v)).SetRange(h0, h1)
            time_dim.CumulVar(routing.End(v)).SetRange(h0, h1)
        for node in range(1, len(where)):
            due = data.due[where[node]]
            assert due is not None
            time_dim.CumulVar(manager.NodeToIndex(node)).SetRange(data.ready[where[node]], due)
    if data.max_duration is not None:
        routing.AddDimension(transit_cb, 0, data.max_duration, True, "work")

    penalty = 100 * max(max(row) for row in data.dist)
    for node, (_, days) in enumerate(visits, start=1):
        index = manager.NodeToIndex(node)
        if optional:
            routing.AddDisjunction([index], penalty)
        if len(days) < t:
            routing.VehicleVar(index).SetValues([-1, *(m * (d - 1) + k for d in days for k in range(m))])

    params = pywrapcp.DefaultRoutingSearchParameters()
    strategy = first_solution or default_first_solution(lit)
    params.first_solution_strategy = getattr(routing_enums_pb2.FirstSolutionStrategy, strategy)
    params.local_search_metaheuristic = routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH
    left = max(1.0, time_limit - (time.monotonic() - began))
    params.time_limit.FromMilliseconds(int(left * 1000))
    solution = routing.SolveWithParameters(params)
    status = routing.status()
    status_name = dict((v, k) for k, v in routing_enums_pb2.RoutingSearchStatus.Value.items()).get(
        routing.status(), str(routing.status())
    )

    routes: list[Route] = []
    dropped: list[int] = []
    if solution is not None:
        for v in range(n_vehicles):
            index, seq = solution.Value(routing.NextVar(routing.Start(v))), []
            while not routing.IsEnd(index):
                seq.append(lit.nodes[where[manager.IndexToNode(index)]].index)
                index = solution.Value(routing.NextVar(index))
            if seq:
                routes.append((v // m + 1, v % m + 1, seq))
        for node in range(1, len(where)):
            index = manager.NodeToIndex(node)
            if solution.Value(routing.NextVar(index)) == index:
                dropped.append(lit.nodes[where[node]].index)
    status = status_name if not dropped else f"{status_name}, dropped {len(dropped)} visits"
    return PeerResult(lit, "ortools", _renumber(routes), time.monotonic() - began, status, sorted(dropped))


def default_first_solution(lit: LitInstance) -> str:
    """``LOCAL_CHEAPEST_INSERTION`` for single-day instances, ``PARALLEL_CHEAPEST_INSERTION`` for
    periodic ones: the better of the two in a 10-s pilot (see the module docstring)."""
    return "LOCAL_CHEAPEST_INSERTION" if lit.days == 1 else "PARALLEL_CHEAPEST_INSERTION"


# ------------------------------------------------------------------------------------ PyVRP
def _single_day(lit: LitInstance, engine: str) -> None:
    if lit.days != 1:
        raise ValueError(f"{engine} solves single-day (VRPTW) instances only; {lit.name} has {lit.days} days.")


def solve_pyvrp(lit: LitInstance, time_limit: float, seed: int = 0) -> PeerResult:
    """PyVRP's iterated local search on the scaled instance (VRPTW only)."""
    with optional_imports("the pyvrp peer"):
        from pyvrp import Model
        from pyvrp.stop import MaxRuntime

    _single_day(lit, "pyvrp")
    began = time.monotonic()
    data = int_data(lit)
    h0, h1 = data.horizon
    late = h1 if h1 is not None else 2**40
    model = Model()
    locations = [model.add_location(x=n.x, y=n.y) for n in lit.nodes]
    depot = model.add_depot(locations[0], tw_early=h0, tw_late=late)
    model.add_vehicle_type(
        num_available=lit.vehicles_per_day,
        capacity=[data.capacity],
        start_depot=depot,
        end_depot=depot,
        tw_early=h0,
        tw_late=late,
        shift_duration=data.max_duration if data.max_duration is not None else 2**40,
    )
    for k in range(1, len(lit.nodes)):
        due = data.due[k]
        model.add_client(
            locations[k],
            delivery=[data.demand[k]],
            service_duration=data.service[k],
            tw_early=data.ready[k],
            tw_late=due if due is not None else late,
        )
    for a, la in enumerate(locations):
        for b, lb in enumerate(locations):
            if a != b:
                model.add_edge(la, lb, distance=data.dist[a][b], duration=data.travel[a][b])
    left = max(0.5, time_limit - (time.monotonic() - began))
    result = model.solve(stop=MaxRuntime(left), seed=seed, display=False)
    best = result.best
    routes: list[Route] = []
    for v, route in enumerate(best.routes(), start=1):
        seq = [lit.customers[act.idx].index for act in route if act.is_client()]
        if seq:
            routes.append((1, v, seq))
    served = {c for _, _, seq in routes for c in seq}
    dropped = sorted(c.index for c in lit.customers if c.index not in served)
    status = f"feasible, {result.num_iterations} iterations" if best.is_feasible() else "infeasible"
    return PeerResult(lit, "pyvrp", _renumber(routes), time.monotonic() - began, status, dropped)


# ------------------------------------------------------------------------------------- VROOM
def solve_vroom(lit: LitInstance, time_limit: float, seed: int = 0, threads: int = 1) -> PeerResult:
    """VROOM (pyvroom) on the scaled instance (VRPTW only; ``seed`` unused: VROOM is deterministic)."""
    with optional_imports("the vroom peer"):
        import vroom

    _single_day(lit, "vroom")
    began = time.monotonic()
    data = int_data(lit)
    h0, h1 = data.horizon
    problem = vroom.Input()
    problem.set_durations_matrix(profile="car", matrix_input=data.travel)
    problem.set_costs_matrix(profile="car", matrix_input=data.dist)
    window = vroom.TimeWindow(h0, h1) if h1 is not None else None
    problem.add_vehicle(
        [
            vroom.Vehicle(v, start=0, end=0, capacity=[data.capacity], time_window=window)
            for v in range(1, lit.vehicles_per_day + 1)
        ]
    )
    jobs = []
    for k in range(1, len(lit.nodes)):
        due = data.due[k]
        windows = [vroom.TimeWindow(data.ready[k], due)] if due is not None else []
        jobs.append(
            vroom.Job(
                lit.nodes[k].index,
                location=k,
                default_service=data.service[k],
                delivery=[data.demand[k]],
                time_windows=windows,
            )
        )
    problem.add_job(jobs)
    left = max(0.5, time_limit - (time.monotonic() - began))
    solution = problem.solve(exploration_level=5, nb_threads=threads, timeout=dt.timedelta(seconds=left))
    table = solution.routes
    routes: list[Route] = []
    for vehicle, rows in table[table["type"] == "job"].groupby("vehicle_id", sort=True):
        routes.append((1, int(vehicle), [int(x) for x in rows["id"]]))
    served = {c for _, _, seq in routes for c in seq}
    dropped = sorted(c.index for c in lit.customers if c.index not in served)
    status = "solved" if not dropped else f"{len(dropped)} jobs unassigned"
    return PeerResult(lit, "vroom", _renumber(routes), time.monotonic() - began, status, dropped)


def _renumber(routes: Sequence[Route]) -> list[Route]:
    """Vehicles numbered 1, 2, … per day in the order given (as ``solution_json`` writes them)."""
    out: list[Route] = []
    count: dict[int, int] = {}
    for day, _, seq in sorted(routes, key=lambda r: (r[0], r[1])):
        count[day] = count.get(day, 0) + 1
        out.append((day, count[day], list(seq)))
    return out


SOLVERS: dict[str, Callable[[LitInstance, float, int], PeerResult]] = {
    "ortools": solve_ortools,
    "pyvrp": solve_pyvrp,
    "vroom": solve_vroom,
}


def solve(engine: str, lit: LitInstance, time_limit: float, seed: int = 0) -> PeerResult:
    """Solve ``lit`` with the peer ``engine`` (one of :data:`ENGINES`)."""
    if engine not in SOLVERS:
        raise ValueError(f'engine "{engine}" is not one of {", ".join(ENGINES)}')
    return SOLVERS[engine](lit, time_limit, seed)


def versions() -> dict[str, str]:
    """Installed versions of the peer solvers ("absent" when not installed)."""
    from importlib import metadata

    out = {}
    for dist in ("ortools", "pyvrp", "pyvroom"):
        try:
            out[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            out[dist] = "absent"
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("engine", choices=ENGINES)
    ap.add_argument("instance", type=Path)
    ap.add_argument("--time-limit", type=float, default=60.0)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--vroom-threads", type=int, default=1)
    ap.add_argument("--first-solution", default=None, help="ortools: a FirstSolutionStrategy name (default: see "
                    "default_first_solution)")
    ap.add_argument("--out", type=Path, required=True, help="where to write the solution JSON")
    args = ap.parse_args(argv)
    lit = read_instance(args.instance)
    if args.engine == "vroom":
        result = solve_vroom(lit, args.time_limit, args.seed, threads=args.vroom_threads)
    elif args.engine == "ortools":
        result = solve_ortools(lit, args.time_limit, args.seed, first_solution=args.first_solution)
    else:
        result = solve(args.engine, lit, args.time_limit, args.seed)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    tmp = args.out.with_suffix(".tmp")
    tmp.write_text(json.dumps(result.record(), indent=1), encoding="utf-8")
    tmp.replace(args.out)
    print(f"{lit.name} {args.engine}: cost {result.cost:.2f}, {result.time_s:.1f} s, {result.status}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
