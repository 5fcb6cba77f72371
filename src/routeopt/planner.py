"""``plan(problem, options) -> Plan``: the one function every way in (CLI, library) calls."""

from __future__ import annotations

import heapq
import multiprocessing
import time
import warnings
from collections import Counter, defaultdict
from collections.abc import Callable
from contextlib import closing
from typing import Any

from .backend import solve_all, width
from .errors import RouteoptWarning
from .model import DayRoute, Problem, Unscheduled
from .options import PlanOptions
from .result import Plan, Rerun
from .schedule.clock import watching
from .schedule.diagnose import rediagnose
from .schedule.instance import RepInstance, build_instance, check_size
from .schedule.regularity import with_courses
from .schedule.rhythm import offset_date
from .schedule.solution import RepSolution
from .schedule.solve import solve_rep
from .schedule.stops import day_route
from .territory.nearest import assign_nearest


def rep_results(inst: RepInstance, sol: RepSolution) -> tuple[list[DayRoute], list[Unscheduled]]:
    if sol.courses is not None and sol.strict_courses:  # the misses explained against the rule
        inst = with_courses(inst, sol.courses, strict=True)
    routes = [day_route(inst, day, timing) for day, timing in sorted(sol.timings.items()) if timing.seq]
    missed = [
        Unscheduled(inst.customers[m.customer].id, offset_date(inst.horizon, m.due), m.reason.text, m.reason.code)
        for m in rediagnose(inst, sol)
    ]
    return routes, missed


def check_sizes(problem: Problem) -> None:
    """Raise :class:`~routeopt.errors.TooManyCustomersError` when one rep owns (or the customers
    without a rep number) more than one rep's problem can hold: before any work."""
    owned = Counter(c.rep for c in problem.customers)
    check_size(None, owned[None])
    for rep in problem.reps:
        check_size(rep.id, owned[rep.id])


Progress = Callable[[str, int, int], None]
"""Called as ``progress(rep_id, reps_done, reps_total)`` each time a rep's plan is finished."""


def plan(
    problem: Problem, options: PlanOptions | None = None, progress: Progress | None = None, stop: Any = None
) -> Plan:
    """Plan every rep's visits over the horizon.

    Customers without a rep go to the rep whose start is nearest. Each rep is then planned on
    its own (in parallel processes when ``options.workers > 1``, or as Ray tasks with
    ``options.backend == "ray"``) within a share of ``options.time_limit`` proportional to its
    visits due (:func:`rep_budgets`): a rep with twice the visits has a search twice as long, and a
    rep with none is done at once. The budget only bounds time; with ``options.max_iterations``
    the same seed gives the same plan whenever no rep reaches its budget first.

    Parameters
    ----------
    stop
        A ``multiprocessing`` Event (``multiprocessing.get_context().Event()``): once it is set,
        the searches stop and the best plan found so far is returned, with ``Plan.interrupted``
        true. The command line sets it on the first Ctrl-C. A KeyboardInterrupt in this process
        stops the worker processes (or Ray tasks) too and is raised again.

    Returns
    -------
    Plan
        Itineraries, unscheduled visits with reasons, and key figures.

    Raises
    ------
    TooManyCustomersError
        Before any work, when one rep would own more customers than one rep's problem can hold
        (:data:`~routeopt.schedule.instance.MAX_CUSTOMERS`).
    MissingExtraError
        With ``backend="ray"`` when Ray is not installed (``pip install "routeopt[ray]"``).
    InputError
        When the Ray cluster at ``options.ray_address`` cannot be joined.
    """
    options = options or PlanOptions()
    began = time.perf_counter()
    check_sizes(problem)
    problem = assign_nearest(problem, options.travel)
    check_sizes(problem)
    owned = defaultdict(list)
    for c in problem.customers:
        owned[c.rep].append(c)
    instances = [build_instance(rep, tuple(owned[rep.id]), problem.horizon, options.travel) for rep in problem.reps]
    workers = min(width(options), len(instances))
    due = problem.due_visits()
    visits = [sum(due[c.id] for c in inst.customers) for inst in instances]
    budgets = rep_budgets(visits, options.time_limit - (time.perf_counter() - began), workers)
    order = sorted(range(len(instances)), key=lambda k: -budgets[k])  # longest first: packs the workers better
    jobs = [(instances[k], budgets[k], options) for k in order]
    solutions: list[RepSolution | None] = [None] * len(jobs)
    stop = stop if stop is not None else multiprocessing.get_context().Event()
    reruns: dict[int, Rerun] = {}
    with watching(stop), closing(solve_all(solve_rep, jobs, options, stop)) as results:
        for done, finished in enumerate(results, start=1):
            k = order[finished.index]
            solutions[k] = finished.solution
            if finished.rerun:
                reruns[k] = Rerun(instances[k].rep.id, finished.rerun)
            if progress:
                progress(instances[k].rep.id, done, len(jobs))
        interrupted = stop.is_set()
    routes: list[DayRoute] = []
    unscheduled: list[Unscheduled] = []
    for inst, sol in zip(instances, solutions, strict=True):
        assert sol is not None
        r, u = rep_results(inst, sol)
        routes += r
        unscheduled += u
    seconds = time.perf_counter() - began
    if not interrupted and seconds > options.time_limit * (1 + OVERRUN_SHARE) + OVERRUN_SECONDS:
        largest = max(len(inst.customers) for inst in instances)
        warnings.warn(f"the plan took {seconds:.0f} s, more than the time limit of {options.time_limit:g} s: each "
                      f"rep's first plan is built whole, and a rep with {largest:,} customers takes longer than that "
                      "(give more time, or split the customers among more reps).", RouteoptWarning, stacklevel=2)
    return Plan(
        problem=problem,
        routes=tuple(routes),
        unscheduled=tuple(unscheduled),
        options=options,
        solver_seconds=round(seconds, 3),
        interrupted=interrupted,
        reruns=tuple(reruns[k] for k in sorted(reruns)),
    )


OVERRUN_SHARE, OVERRUN_SECONDS = 0.5, 10.0
"""A run may end this share of its time limit and these seconds after it before the planner says
it took longer: the searches stop within their budgets, but building each rep's first plan (and
its travel times) is never cut short."""
MIN_REP_SECONDS = 0.1
"""The least search time of a rep (a rep with no visit due needs none, but construction runs)."""


def rep_budgets(visits: list[int], seconds: float, workers: int) -> list[float]:
    """Search seconds per rep: 95 % of the machine time left (``seconds`` on each of ``workers``
    processes) shared in proportion to each rep's visits due, at least :data:`MIN_REP_SECONDS`
    and at most 95 % of ``seconds`` (a rep runs in one process). All reps share equally when
    none has a visit due. When the reps, run longest first on the ``workers`` processes
    (:func:`packed_seconds`), would end after 95 % of ``seconds`` (three reps alike on two
    processes: the third starts when one of the first two ends), every share is cut alike so
    that the last ends by then."""
    total = sum(visits)
    machine = max(0.0, seconds) * 0.95 * max(1, workers)
    wall = max(MIN_REP_SECONDS, max(0.0, seconds) * 0.95)
    if total == 0:
        budgets = [max(MIN_REP_SECONDS, min(wall, machine / max(1, len(visits))))] * len(visits)
    else:
        budgets = [max(MIN_REP_SECONDS, min(wall, machine * v / total)) for v in visits]
    span = packed_seconds(budgets, workers)
    if span <= wall:
        return budgets
    return [max(MIN_REP_SECONDS, b * wall / span) for b in budgets]


def packed_seconds(budgets: list[float], workers: int) -> float:
    """When the last rep ends if each takes its whole budget, longest first, each on the first of
    ``workers`` processes to be free (the order :func:`plan` hands them out in)."""
    ends = [0.0] * max(1, min(workers, len(budgets)))
    for seconds in sorted(budgets, reverse=True):
        heapq.heapreplace(ends, ends[0] + seconds)
    return max(ends)
