"""One rep's plan within its budget: the engine ``PlanOptions.engine`` names (routeopt's iterated
local search, OR-Tools rounds, or both) around the shape preferences
(:func:`~routeopt.schedule.preferences.plan_with_preferences`). The planner runs this for every
rep, side by side."""

from __future__ import annotations

import time

from ..options import PlanOptions
from .accept import RecordToRecord
from .clock import expired
from .instance import RepInstance
from .local_search import improve
from .ortools_engine import refine
from .preferences import plan_with_preferences
from .search import iterated_local_search
from .solution import RepSolution
from .stop import Stop

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
    used = 0  # iterations of the local search handed out so far

    def search(inst: RepInstance, sol: RepSolution, share: float) -> RepSolution:
        nonlocal used
        until = time.monotonic() + share * (deadline - time.monotonic())
        cap = None
        if options.max_iterations is not None:
            cap = round(share * (options.max_iterations - used))
            used += cap
        if engine == "local":
            return iterated_local_search(inst, sol, Stop(until - time.monotonic(), cap), options.seed,
                                         RecordToRecord(THRESHOLD))
        return engine_rounds(inst, sol, until, seconds * share, options, engine, cap)

    sol = plan_with_preferences(inst, options, search, deadline)
    inst.forget()  # in this process (one worker) the planner keeps the instance until every rep is planned
    return sol


def engine_rounds(inst: RepInstance, sol: RepSolution, deadline: float, seconds: float, options: PlanOptions,
                  engine: str, cap: int | None) -> RepSolution:
    """OR-Tools rounds (large-neighbourhood search over the day windows), each followed by the
    local moves, until a round gains nothing; "hybrid" then spends what is left on the iterated
    local search (at most ``cap`` iterations)."""
    while not expired(deadline - 1):
        before = sol.cost
        budget = min(deadline - time.monotonic(), max(5.0, seconds / 4))
        limit = None if cap is None else 50 * (cap + 1)
        sol = refine(inst, sol, budget, limit)
        sol = improve(inst, sol, deadline - time.monotonic(), options.seed)
        if sol.cost >= before:
            break
    if engine == "hybrid" and not expired(deadline):
        sol = iterated_local_search(inst, sol, Stop(deadline - time.monotonic(), cap), options.seed,
                                    RecordToRecord(THRESHOLD))
    return sol
