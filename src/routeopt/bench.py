"""Solve the research literature's instances with routeopt's own solver core.

Solomon / Gehring–Homberger VRPTW files and Cordeau's PVRP / PVRPTW files (read by
:mod:`routeopt.input.literature`) become the same solver form as a rep's plan
(:class:`~routeopt.schedule.instance.RepInstance`) and go through the same construction and
iterated local search as ``routeopt plan``. What differs is data, not code:

* every vehicle of every day is one route (``offsets`` maps it to its day);
* each customer has a fixed set of allowed visit-day patterns instead of a rhythm of gaps;
* travel time is the unrounded Euclidean distance (speed 1), nothing is rounded;
* a customer's window bounds the **start** of service: the window ``(ready, due)`` becomes
  ``(ready, due + service)`` for "the whole visit inside a window";
* routes have a capacity and a duration limit (driving + service), no lunch break, and waiting
  costs nothing: the objective is the total distance.

:func:`solve` returns a :class:`BenchResult`; :meth:`BenchResult.record` is the solution record
of the spec (``{"instance", "cost", "time_s", "routes": [{"day", "vehicle", "customers"}]}``)
that ``check_solution.py`` re-checks.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import cache, partial
from importlib import import_module, resources
from typing import Any

from .input.literature import LitInstance, pattern_days, route_cost, solution_json
from .model import Customer, Horizon, Rep
from .route.timing import DayRules
from .schedule.accept import RecordToRecord
from .schedule.construct import construct_patterns
from .schedule.instance import RepInstance
from .schedule.repattern import pattern_moves, repattern
from .schedule.search import iterated_local_search
from .schedule.solution import RepSolution
from .schedule.stop import Stop

__all__ = ["BenchResult", "best_known", "lit_instance", "solve"]

EPOCH = dt.date(2001, 1, 1)
"""A Monday: day 1 of every literature instance, for the solver's calendar."""


@dataclass(frozen=True)
class BenchResult:
    """A solved literature instance: ``routes`` per day (1-based), each day's routes in
    vehicle order as customer numbers of the file; ``unserved`` customers (numbers) that no
    allowed pattern could take, so the solution is infeasible when it is not empty."""

    instance: LitInstance
    routes: dict[int, list[list[int]]]
    cost: float
    time_s: float
    unserved: tuple[int, ...] = ()
    worker_costs: tuple[float, ...] = ()
    """With several workers, the cost of each worker's plan, worker 0 first (the run one process makes)."""

    @property
    def feasible(self) -> bool:
        return not self.unserved

    @property
    def n_routes(self) -> int:
        return sum(1 for day in self.routes.values() for r in day if r)

    def record(self) -> dict[str, Any]:
        """The solution record of the spec, for ``NAME.solution.json``; with several workers also
        ``"worker_costs"`` (ignored by the checker)."""
        record = solution_json(self.instance, self.routes, self.cost, self.time_s)
        if self.worker_costs:
            record["worker_costs"] = [round(c, 2) for c in self.worker_costs]
        return record

    def gap_pct(self) -> float | None:
        """Gap in % to the best-known value stored for this instance (``None`` if none)."""
        ref = best_known(self.instance.kind, self.instance.name)
        return None if ref is None else 100.0 * (self.cost - ref[0]) / ref[0]


@cache
def _best_known_table() -> dict[tuple[str, str], tuple[float, str]]:
    text = resources.files("routeopt").joinpath("data/best_known.csv").read_text(encoding="utf-8")
    table = {}
    for row in csv.DictReader(text.splitlines()):
        if row["best_known"]:
            table[(row["kind"], row["instance"].lower())] = (float(row["best_known"]), row["reference"])
    return table


def best_known(kind: str, name: str) -> tuple[float, str] | None:
    """The best-known cost stored for instance ``name`` of ``kind`` and what it is (e.g.
    "distance-only best known"); for Cordeau's PVRPTW ``pr01``–``pr10``, whose best-known values
    are not at hand, the PVRP value of the same customers without time windows."""
    return _best_known_table().get((kind, name.lower()))


def lit_instance(lit: LitInstance) -> RepInstance:
    """The solver form of ``lit``: one route per vehicle and day (see the module docstring)."""
    m, t = lit.vehicles_per_day, lit.days
    offsets = tuple(day for day in range(t) for _ in range(m))
    dist = lit.distance_matrix()
    # Node 0 and 1 are the depot (start and end), customers follow in file order.
    order = [0, 0, *range(1, len(lit.customers) + 1)]
    travel = tuple(tuple(float(dist[a][b]) for b in order) for a in order)
    timed = lit.kind != "pvrp"
    customer_windows = tuple(
        ((c.ready, c.due + c.service),) if timed else ((lit.horizon[0], math.inf),) for c in lit.customers
    )
    windows = tuple(((), ()) + customer_windows for _ in offsets)
    patterns = tuple(
        tuple(frozenset(d - 1 for d in pattern_days(mask, t)) for mask in c.patterns) for c in lit.customers
    )
    start = EPOCH
    return RepInstance(
        rep=Rep(id=lit.name, start_lat=0.0, start_lon=0.0),
        # The solver reads only ids here: the rhythm is in ``patterns``, the rest in the matrices.
        customers=tuple(Customer(id=str(c.index), lat=0.0, lon=0.0) for c in lit.customers),
        horizon=Horizon(start=start, weeks=max(1, math.ceil(t / 7))),
        days=tuple(start + dt.timedelta(days=off) for off in offsets),
        offsets=offsets,
        travel=travel,  # type: ignore[arg-type]  # float distances: the same arithmetic as minutes
        km=travel,
        duration=(0, 0, *(c.service for c in lit.customers)),  # type: ignore[arg-type]
        windows=windows,  # type: ignore[arg-type]
        rules=DayRules(
            shift=lit.horizon,  # type: ignore[arg-type]
            lunch_window=None,
            lunch_minutes=0,
            capacity=lit.capacity,
            max_duration=lit.max_duration,
            wait_weight=0.0,
        ),
        demand=(0.0, 0.0, *(c.demand for c in lit.customers)),
        patterns=patterns,
    )


ENGINES = ("auto", "local", "pyvrp")
PYVRP_ITERATIONS = 200
"""PyVRP iterations per iteration of routeopt's search when a run is capped by iterations."""
ROUNDS = ((0.0, 0.25), (0.5, 0.25), (0.3, 0.25), (0.2, 0.25))
"""With several days, ``pyvrp`` alternates routeopt's search (visit days and routes) and PyVRP's
routing of the whole plan (:func:`~routeopt.schedule.pyvrp_engine.route_across_days`): per
round, the round's share of the search's part of the time and of PyVRP's part. PyVRP first
re-routes the construction (whose routes are far from good: Cordeau p23 and p32 at twice the
best known), then each search re-chooses visit days against the routes PyVRP found. Measured
against three rounds and against two without the first routing on Cordeau p08, p11, p12, p23,
p32 (benchmarks/RESULTS.md)."""
TIMED_ROUNDS = ((0.8, 0.6), (0.2, 0.4))
"""The rounds with time windows (Cordeau's PVRPTW), PyVRP's part of the time half, and only
customers with one visit free to change their day in its routing: the schedule before
:data:`ROUNDS`, which was worse on PVRPTW pr01–pr09 side by side (benchmarks/RESULTS.md)."""
ROUTE_SHARE = (0.2, 0.8)
"""PyVRP's part of the time follows the share of the visits whose days it may choose (those of
customers with one visit; :func:`routing_share`), within these bounds; the search has the rest,
as it alone chooses the days of customers with several visits."""
REPATTERN_SHARE = 0.5
"""Without time windows, after the first routing, the part of each routing turn spent on pattern
moves judged by the routing (:func:`~routeopt.schedule.repattern.repattern`) when some customer
with several visits has another allowed pattern: the search's pattern choice, priced by inserting
into full vehicles, cost Cordeau p12 about 7 % (benchmarks/RESULTS.md)."""
THRESHOLD = 0.02
"""Record-to-record allowance of the search at the start of a run, as a share of the best cost
(it shrinks to nothing by the end). Measured on Cordeau p01–p04, 15 s, seeds 1 and 2: mean gap
to best known 7.5 % with 0 (only better plans), 5.8 % with 0.005, 5.9 % with 0.01, 4.1 % with
0.02 — with a large spread between seeds (0 % to 9.5 % at 0.02)."""


def check_engine(engine: str) -> None:
    """Check, before any solving, that ``engine`` is one of :data:`ENGINES` and can run here.

    Raises
    ------
    ValueError
        When ``engine`` is not one of :data:`ENGINES`.
    MissingExtraError
        When ``engine`` needs PyVRP (``auto``, ``pyvrp``) and it is not installed (``routeopt[bench]``).
    """
    if engine not in ENGINES:
        raise ValueError(f'engine "{engine}" must be one of {", ".join(ENGINES)}.')
    if engine != "local":
        import_module(".schedule.pyvrp_engine", __package__)


def solve(
    lit: LitInstance,
    time_limit: float,
    seed: int = 0,
    max_iterations: int | None = None,
    engine: str = "auto",
    workers: int = 1,
) -> BenchResult:
    """Solve ``lit`` within ``time_limit`` seconds.

    ``engine``: ``local`` = routeopt's iterated local search alone; ``pyvrp`` = with one day,
    PyVRP routes it; with several, the same search (visit days and routes) and PyVRP's
    routing of the whole plan take turns (:func:`_alternate`); ``auto`` = ``pyvrp``. With
    ``max_iterations`` (routeopt's perturbations; PyVRP gets :data:`PYVRP_ITERATIONS` times as
    many) the same seed and cap give the same solution. With several days and ``workers`` above
    1, that many whole runs go side by side from the same construction, worker ``w`` drawing
    with ``seed + w *`` :data:`WORKER_SEED_STRIDE` (worker 0 is the run of one process), and the
    cheapest plan is kept (:func:`_better`); one day is routed in this process alone.
    Raises what :func:`check_engine` raises, before solving, and ``ValueError`` when ``workers``
    is below 1.
    """
    check_engine(engine)
    if workers < 1:
        raise ValueError(f"workers {workers} must be >= 1.")
    began = time.monotonic()
    inst = lit_instance(lit)
    sol = construct_patterns(inst)
    worker_costs: tuple[float, ...] = ()
    if engine == "local":
        stop = Stop(max(0.0, time_limit - (time.monotonic() - began)), max_iterations, patience=None)
        sol = iterated_local_search(inst, sol, stop, seed, RecordToRecord(THRESHOLD))
    elif lit.days == 1:
        sol = _route_one_day(inst, sol, began, time_limit, seed, max_iterations)
    else:
        run = partial(_alternate, inst, sol, began, time_limit, max_iterations=max_iterations, timed=lit.kind != "pvrp")
        if workers == 1:
            sol = run(seed)
        else:
            with ProcessPoolExecutor(max_workers=workers) as pool:
                plans = list(pool.map(run, [seed + w * WORKER_SEED_STRIDE for w in range(workers)]))
            sol = min(plans, key=_better)
            worker_costs = tuple(p.cost for p in plans)
    routes: dict[int, list[list[int]]] = {}
    for route, seq in sorted(sol.seqs.items()):
        day = inst.offsets[route] + 1
        routes.setdefault(day, []).append([lit.customers[n - 2].index for n in seq])
    cost = sum(route_cost(lit, r) for day in routes.values() for r in day)
    unserved = tuple(sorted({lit.customers[m.customer].index for m in sol.missed}))
    return BenchResult(lit, routes, cost, time.monotonic() - began, unserved, worker_costs)


def _route_one_day(
    inst: RepInstance, sol: RepSolution, began: float, time_limit: float, seed: int, max_iterations: int | None
) -> RepSolution:
    """One day (Solomon): PyVRP routes the day, started from routeopt's construction, for the
    whole time."""
    from .schedule.pyvrp_engine import route_all_days

    sol = iterated_local_search(inst, sol, Stop(0.0, max_iterations, patience=None), seed, RecordToRecord(THRESHOLD))
    if not sol.missed:
        left = max(0.0, time_limit - (time.monotonic() - began))
        cap = None if max_iterations is None else PYVRP_ITERATIONS * max_iterations
        route_all_days(inst, sol, left, seed, cap)
    return sol


def routing_share(inst: RepInstance) -> float:
    """PyVRP's part of the time with several days: the share of the visits that belong to
    customers with one visit and a choice of days, within :data:`ROUTE_SHARE`."""
    assert inst.patterns is not None
    visits = [len(p[0]) for p in inst.patterns]
    movable = sum(1 for p, n in zip(inst.patterns, visits, strict=True) if n == 1 and len(p) > 1)
    low, high = ROUTE_SHARE
    return min(high, max(low, movable / max(1, sum(visits))))


WORKER_SEED_STRIDE = 1000
"""With several workers, worker ``w`` draws with ``seed + w * WORKER_SEED_STRIDE`` (its rounds
with that plus the round's number, as one process does)."""


def _better(sol: RepSolution) -> tuple[int, float]:
    """Sort key of the workers' plans: fewer missed visits, then the lower cost."""
    return len(sol.missed), sol.cost


def _alternate(
    inst: RepInstance, sol: RepSolution, began: float, time_limit: float, seed: int,
    max_iterations: int | None = None, timed: bool = False,
) -> RepSolution:
    """Several days: the :data:`ROUNDS` of routeopt's search and PyVRP's routing of the whole
    plan, PyVRP's part of the time given by :func:`routing_share` (``timed``: the
    :data:`TIMED_ROUNDS`, PyVRP's part half). With ``max_iterations``, each search gets its share
    of them, and each routing its share of :data:`PYVRP_ITERATIONS` times as many."""
    from .schedule.pyvrp_engine import route_across_days

    routing = 0.5 if timed else routing_share(inst)
    done = 0.0
    for k, (search_part, route_part) in enumerate(TIMED_ROUNDS if timed else ROUNDS):
        search_share, route_share = (1 - routing) * search_part, routing * route_part
        left = max(0.0, time_limit - (time.monotonic() - began))
        scale = left / (1 - done)  # seconds per unit of share still to run
        done += search_share + route_share
        if search_part:
            cap = None if max_iterations is None else max(1, round(max_iterations * search_part))
            stop = Stop(search_share * scale, cap, patience=None)
            sol = iterated_local_search(inst, sol, stop, seed + k, RecordToRecord(THRESHOLD))
        if sol.missed:
            continue
        left = max(0.0, time_limit - (time.monotonic() - began))
        seconds = left * route_share / (1 - done + route_share)
        pyvrp_cap = None if max_iterations is None else max(1, round(PYVRP_ITERATIONS * max_iterations * route_part))
        if k and not timed and pattern_moves(inst, sol):
            moves_cap = None if pyvrp_cap is None else round(pyvrp_cap * REPATTERN_SHARE)
            start = time.monotonic()
            repattern(inst, sol, route_across_days, seconds * REPATTERN_SHARE, seed + k, moves_cap)
            seconds = max(0.0, seconds - (time.monotonic() - start))
            pyvrp_cap = None if pyvrp_cap is None or moves_cap is None else max(1, pyvrp_cap - moves_cap)
        route_across_days(inst, sol, seconds, seed + k, pyvrp_cap, several=not timed)
    return sol
