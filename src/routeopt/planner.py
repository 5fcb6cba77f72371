"""``plan(problem, options) -> Plan``: the one function every way in (CLI, library) calls."""

from __future__ import annotations

import time
from concurrent.futures import ProcessPoolExecutor

from .model import DayRoute, Problem, Unscheduled
from .options import PlanOptions
from .plan import Plan
from .route.stops import day_route
from .schedule.construct import RepSolution, construct
from .schedule.improve import improve
from .schedule.instance import RepInstance, build_instance
from .schedule.rhythm import offset_date
from .territory.nearest import assign_nearest


def solve_rep(job: tuple[RepInstance, float, int]) -> RepSolution:
    """Plan one rep within ``seconds`` (runs in a worker process when reps are solved side by side)."""
    inst, seconds, seed = job
    began = time.monotonic()
    sol = construct(inst)
    return improve(inst, sol, time_limit=max(0.0, seconds - (time.monotonic() - began)), seed=seed)


def rep_results(inst: RepInstance, sol: RepSolution) -> tuple[list[DayRoute], list[Unscheduled]]:
    routes = [day_route(inst, day, timing) for day, timing in sorted(sol.timings.items()) if timing.seq]
    missed = [
        Unscheduled(inst.customers[m.customer].id, offset_date(inst.horizon, m.due), m.reason) for m in sol.missed
    ]
    return routes, missed


def plan(problem: Problem, options: PlanOptions | None = None) -> Plan:
    """Plan every rep's visits over the horizon.

    Customers without a rep go to the rep whose start is nearest. Each rep is then planned on
    its own (in parallel processes when ``options.workers > 1``).

    Returns
    -------
    Plan
        Itineraries, unscheduled visits with reasons, and key figures.
    """
    options = options or PlanOptions()
    began = time.perf_counter()
    problem = assign_nearest(problem, options.travel)
    instances = [
        build_instance(rep, tuple(c for c in problem.customers if c.rep == rep.id), problem.horizon, options.travel)
        for rep in problem.reps
    ]
    workers = min(options.workers, len(instances))
    # Each rep gets an equal share of the machine time left (reps run `workers` at a time).
    rounds = -(-len(instances) // workers)
    per_rep = max(0.1, (options.time_limit - (time.perf_counter() - began)) * 0.95 / rounds)
    jobs = [(inst, per_rep, options.seed) for inst in instances]
    if workers > 1:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            solutions = list(pool.map(solve_rep, jobs))
    else:
        solutions = [solve_rep(job) for job in jobs]
    routes: list[DayRoute] = []
    unscheduled: list[Unscheduled] = []
    for inst, sol in zip(instances, solutions, strict=True):
        r, u = rep_results(inst, sol)
        routes += r
        unscheduled += u
    return Plan(
        problem=problem,
        routes=tuple(routes),
        unscheduled=tuple(unscheduled),
        options=options,
        solver_seconds=round(time.perf_counter() - began, 3),
    )
