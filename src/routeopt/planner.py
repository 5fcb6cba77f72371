"""``plan(problem, options) -> Plan``: the one function every way in (CLI, library) calls."""

from __future__ import annotations

import multiprocessing
import time
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import replace
from typing import Any

from .model import DayRoute, Problem, Unscheduled
from .options import PlanOptions
from .result import Plan
from .schedule.accept import RecordToRecord
from .schedule.clock import expired, watching, worker_init
from .schedule.construct import construct
from .schedule.diagnose import rediagnose
from .schedule.evendays import BAND_ROUNDS, with_band
from .schedule.instance import RepInstance, build_instance, check_size
from .schedule.local_search import improve
from .schedule.ortools_engine import refine
from .schedule.regularity import OFF_COURSE_COST, courses_of, retimed, with_courses
from .schedule.rhythm import offset_date
from .schedule.search import iterated_local_search
from .schedule.solution import RepSolution
from .schedule.stop import Stop
from .schedule.stops import day_route
from .territory.nearest import assign_nearest

AUTO_ENGINE = "local"
"""The engine ``auto`` stands for, chosen by benchmarks/bench_planner.py (see RESULTS.md)."""


THRESHOLD = 0.04
"""Record-to-record allowance of the local search at the start of a rep's run (share of its best
cost, shrinking to nothing): 0.03–0.05 drove least on the bundled example (benchmarks/RESULTS.md)."""


def solve_rep(job: tuple[RepInstance, float, PlanOptions]) -> RepSolution:
    """Plan one rep within ``seconds`` (runs in a worker process when reps are solved side by side)."""
    inst, seconds, options = job
    deadline = time.monotonic() + seconds
    engine = AUTO_ENGINE if options.engine == "auto" else options.engine
    inst, sol = construct_with_preferences(inst, options)
    if engine == "local":
        return keep_courses(sol, iterated_local_search(inst, sol, Stop(deadline - time.monotonic(),
                                                                          options.max_iterations),
                                                       options.seed, RecordToRecord(THRESHOLD)))
    start = sol
    # OR-Tools rounds (large-neighbourhood search over the day windows), each followed by the
    # local moves, until a round gains nothing; "hybrid" then spends what is left on the
    # iterated local search.
    while not expired(deadline - 1):
        before = sol.cost
        budget = min(deadline - time.monotonic(), max(5.0, seconds / 4))
        limit = None if options.max_iterations is None else 50 * (options.max_iterations + 1)
        sol = refine(inst, sol, budget, limit)
        sol = improve(inst, sol, deadline - time.monotonic(), options.seed)
        if sol.cost >= before:
            break
    if engine == "hybrid" and not expired(deadline):
        sol = iterated_local_search(inst, sol, Stop(deadline - time.monotonic(), options.max_iterations), options.seed,
                                    RecordToRecord(THRESHOLD))
    return keep_courses(start, sol)


def construct_with_preferences(inst: RepInstance, options: PlanOptions) -> tuple[RepInstance, RepSolution]:
    """The construction, and the instance the search goes on with: with ``days="even"`` the band
    of a first compact construction's day (then built again within it), with regularity the
    customers' courses (chosen while constructing), as a cost or (strict) built again as a rule."""
    if options.regularity != "off":
        inst = replace(inst, off_course=OFF_COURSE_COST)
    sol = construct(inst)
    if options.days == "even":
        for _ in range(BAND_ROUNDS):
            inst = with_band(inst, sol)
            sol = construct(inst)
    if options.regularity != "off":
        strict = options.regularity == "strict"
        inst = with_courses(inst, courses_of(inst, sol), strict)
        sol = construct(inst) if strict else retimed(inst, sol)
        sol.courses, sol.strict_courses = inst.courses, strict
    return inst, sol


def keep_courses(start: RepSolution, sol: RepSolution) -> RepSolution:
    """``sol`` with the courses of the plan it started from."""
    sol.courses, sol.strict_courses = start.courses, start.strict_courses
    return sol


def rep_results(inst: RepInstance, sol: RepSolution) -> tuple[list[DayRoute], list[Unscheduled]]:
    if sol.courses is not None and sol.strict_courses:  # the misses explained against the rule
        inst = with_courses(inst, sol.courses, strict=True)
    routes = [day_route(inst, day, timing) for day, timing in sorted(sol.timings.items()) if timing.seq]
    missed = [
        Unscheduled(inst.customers[m.customer].id, offset_date(inst.horizon, m.due), m.reason.text, m.reason.code)
        for m in rediagnose(inst, sol)
    ]
    return routes, missed


Progress = Callable[[str, int, int], None]
"""Called as ``progress(rep_id, reps_done, reps_total)`` each time a rep's plan is finished."""


def plan(
    problem: Problem, options: PlanOptions | None = None, progress: Progress | None = None, stop: Any = None
) -> Plan:
    """Plan every rep's visits over the horizon.

    Customers without a rep go to the rep whose start is nearest. Each rep is then planned on
    its own (in parallel processes when ``options.workers > 1``) within an equal share of
    ``options.time_limit``.

    Parameters
    ----------
    stop
        A ``multiprocessing`` Event (``multiprocessing.get_context().Event()``): once it is set,
        the searches stop and the best plan found so far is returned, with ``Plan.interrupted``
        true. The command line sets it on the first Ctrl-C. A KeyboardInterrupt in this process
        stops the worker processes too and is raised again.

    Returns
    -------
    Plan
        Itineraries, unscheduled visits with reasons, and key figures.

    Raises
    ------
    TooManyCustomersError
        Before any work, when one rep would own more customers than one rep's problem can hold
        (:data:`~routeopt.schedule.instance.MAX_CUSTOMERS`).
    """
    options = options or PlanOptions()
    began = time.perf_counter()
    check_size(None, sum(c.rep is None for c in problem.customers))
    problem = assign_nearest(problem, options.travel)
    owned = Counter(c.rep for c in problem.customers)
    for rep in problem.reps:
        check_size(rep.id, owned[rep.id])
    instances = [
        build_instance(rep, tuple(c for c in problem.customers if c.rep == rep.id), problem.horizon, options.travel)
        for rep in problem.reps
    ]
    workers = min(options.workers, len(instances))
    # Each rep gets an equal share of the machine time left (reps run `workers` at a time).
    rounds = -(-len(instances) // workers)
    per_rep = max(0.1, (options.time_limit - (time.perf_counter() - began)) * 0.95 / rounds)
    jobs = [(inst, per_rep, options) for inst in instances]
    solutions: list[RepSolution | None] = [None] * len(jobs)
    stop = stop if stop is not None else multiprocessing.get_context().Event()
    with watching(stop), _stop_workers_on_error(stop):
        if workers > 1:
            with ProcessPoolExecutor(max_workers=workers, initializer=worker_init, initargs=(stop,)) as pool:
                futures = {pool.submit(solve_rep, job): k for k, job in enumerate(jobs)}
                for done, future in enumerate(as_completed(futures), start=1):
                    k = futures[future]
                    solutions[k] = future.result()
                    if progress:
                        progress(instances[k].rep.id, done, len(jobs))
        else:
            for k, job in enumerate(jobs):
                solutions[k] = solve_rep(job)
                if progress:
                    progress(instances[k].rep.id, k + 1, len(jobs))
        interrupted = stop.is_set()
    routes: list[DayRoute] = []
    unscheduled: list[Unscheduled] = []
    for inst, sol in zip(instances, solutions, strict=True):
        assert sol is not None
        r, u = rep_results(inst, sol)
        routes += r
        unscheduled += u
    return Plan(
        problem=problem,
        routes=tuple(routes),
        unscheduled=tuple(unscheduled),
        options=options,
        solver_seconds=round(time.perf_counter() - began, 3),
        interrupted=interrupted,
    )


@contextmanager
def _stop_workers_on_error(stop: Any) -> Iterator[None]:
    """Whatever ends the run early (a KeyboardInterrupt, an error) first tells the workers to stop,
    so that leaving the process pool does not wait for their whole time budget."""
    try:
        yield
    except BaseException:
        stop.set()
        raise
