"""``plan(problem, options) -> Plan``: the one function every way in (CLI, library) calls."""

from __future__ import annotations

import multiprocessing
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from typing import Any

from .model import DayRoute, Problem, Unscheduled
from .options import PlanOptions
from .result import Plan
from .schedule.clock import expired, watching, worker_init
from .schedule.construct import construct
from .schedule.diagnose import rediagnose
from .schedule.improve import improve, search
from .schedule.instance import RepInstance, build_instance
from .schedule.ortools_engine import refine
from .schedule.rhythm import offset_date
from .schedule.solution import RepSolution
from .schedule.stops import day_route
from .territory.nearest import assign_nearest

AUTO_ENGINE = "local"
"""The engine ``auto`` stands for, chosen by benchmarks/bench_planner.py (see RESULTS.md)."""


THRESHOLD = 0.04
"""Record-to-record allowance of the local search at the start of a rep's run (share of its best
cost, shrinking to nothing): on the bundled example, 3 reps × 20 s, seeds 1 and 2, total
driving averaged 1921 min with 0 (only better plans), 1901 with 0.01, 1885 with 0.03, 1878
with 0.05 and 1918 with 0.1."""


def solve_rep(job: tuple[RepInstance, float, PlanOptions]) -> RepSolution:
    """Plan one rep within ``seconds`` (runs in a worker process when reps are solved side by side)."""
    inst, seconds, options = job
    deadline = time.monotonic() + seconds
    engine = AUTO_ENGINE if options.engine == "auto" else options.engine
    sol = construct(inst)
    if engine == "local":
        return search(inst, sol, deadline - time.monotonic(), options.seed, options.max_iterations,
                      threshold=THRESHOLD)
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
        sol = search(inst, sol, deadline - time.monotonic(), options.seed, options.max_iterations,
                     threshold=THRESHOLD)
    return sol


def rep_results(inst: RepInstance, sol: RepSolution) -> tuple[list[DayRoute], list[Unscheduled]]:
    routes = [day_route(inst, day, timing) for day, timing in sorted(sol.timings.items()) if timing.seq]
    missed = [
        Unscheduled(inst.customers[m.customer].id, offset_date(inst.horizon, m.due), m.reason)
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
    its own (in parallel processes when ``options.workers > 1``) within a share of
    ``options.time_limit`` proportional to its visits due (:func:`rep_budgets`): a rep with
    twice the visits has a search twice as long, and a rep with none is done at once. The
    budget only bounds time; with ``options.max_iterations`` the same seed gives the same plan
    whenever no rep reaches its budget first.

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
    """
    options = options or PlanOptions()
    began = time.perf_counter()
    problem = assign_nearest(problem, options.travel)
    instances = [
        build_instance(rep, tuple(c for c in problem.customers if c.rep == rep.id), problem.horizon, options.travel)
        for rep in problem.reps
    ]
    workers = min(options.workers, len(instances))
    due = problem.due_visits()
    visits = [sum(due[c.id] for c in inst.customers) for inst in instances]
    budgets = rep_budgets(visits, options.time_limit - (time.perf_counter() - began), workers)
    jobs = [(inst, seconds, options) for inst, seconds in zip(instances, budgets, strict=True)]
    solutions: list[RepSolution | None] = [None] * len(jobs)
    stop = stop if stop is not None else multiprocessing.get_context().Event()
    with watching(stop), _stop_workers_on_error(stop):
        if workers > 1:
            with ProcessPoolExecutor(max_workers=workers, initializer=worker_init, initargs=(stop,)) as pool:
                longest_first = sorted(range(len(jobs)), key=lambda k: -budgets[k])  # packs the processes better
                futures = {pool.submit(solve_rep, jobs[k]): k for k in longest_first}
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


MIN_REP_SECONDS = 0.1
"""The least search time of a rep (a rep with no visit due needs none, but construction runs)."""


def rep_budgets(visits: list[int], seconds: float, workers: int) -> list[float]:
    """Search seconds per rep: 95 % of the machine time left (``seconds`` on each of ``workers``
    processes) shared in proportion to each rep's visits due, at least :data:`MIN_REP_SECONDS`
    and at most 95 % of ``seconds`` (a rep runs in one process). All reps share equally when
    none has a visit due."""
    total = sum(visits)
    machine = max(0.0, seconds) * 0.95 * max(1, workers)
    wall = max(MIN_REP_SECONDS, max(0.0, seconds) * 0.95)
    if total == 0:
        return [max(MIN_REP_SECONDS, min(wall, machine / max(1, len(visits))))] * len(visits)
    return [max(MIN_REP_SECONDS, min(wall, machine * v / total)) for v in visits]


@contextmanager
def _stop_workers_on_error(stop: Any) -> Iterator[None]:
    """Whatever ends the run early (a KeyboardInterrupt, an error) first tells the workers to stop,
    so that leaving the process pool does not wait for their whole time budget."""
    try:
        yield
    except BaseException:
        stop.set()
        raise
