"""The iterated local search over one rep's plan: the local search to a local optimum, then
ruin and recreate a few customers' chains and the local search again, over and over, keeping
the best plan found."""

from __future__ import annotations

import random
import time

from .accept import Acceptance, RecordToRecord, Score
from .instance import FIRST_CUSTOMER, RepInstance
from .local_search import improve, with_neighbours
from .penalty import OverloadPenalty
from .ruin import ruin_and_recreate
from .solution import RepSolution, copy_solution
from .stop import Stop


def score(inst: RepInstance, sol: RepSolution) -> Score:
    """What the search minimises: missed visits weighted by their customers' priority first (so
    that, when not every visit fits, the least important ones are left out), then day costs."""
    return (inst.missed_weight(sol.missed), sol.cost)


def settle(inst: RepInstance, trial: RepSolution, penalty: OverloadPenalty, deadline: float, seed: int) -> bool:
    """Repair ``trial`` if it is overloaded (its overloaded days and the customers on them, at
    the penalty's repair cost) and count it with ``penalty``; returns whether it is within capacity."""
    over = [d for d, t in trial.timings.items() if t.penalty]
    if over:
        repair = penalty.repair_weight
        for d in over:  # re-priced at the repair's cost of overload
            timing = inst.time(d, trial.seqs[d], trial.fixed.get(d, {}), repair)
            assert timing is not None  # only its price changed
            trial.timings[d] = timing
        customers = {n - FIRST_CUSTOMER for d in over for n in trial.seqs[d]}
        improve(inst, trial, max(0.0, deadline - time.monotonic()), seed,
                focus=set(over), scope=with_neighbours(inst, customers), overload=repair)
    penalty.register(feasible=not over)
    return not any(t.penalty for t in trial.timings.values())


def iterated_local_search(
    inst: RepInstance, sol: RepSolution, stop: Stop, seed: int = 0, accept: Acceptance | None = None
) -> RepSolution:
    """Iterated local search: improve to a local optimum, then repeatedly ruin and recreate a
    few customers' chains and improve again, until ``stop`` says so (a time limit, a cap on
    iterations, patience: :class:`~routeopt.schedule.stop.Stop`; with a cap, the same seed gives
    the same plan). Returns the best plan found.

    After each iteration ``accept`` decides whether the search goes on from the trial or from
    where it was (default: :class:`~routeopt.schedule.accept.RecordToRecord` with no allowance,
    only plans no worse than the best). With a vehicle capacity, trials may overload vehicles at
    an adaptive cost (:mod:`~routeopt.schedule.penalty`); only plans within capacity are kept.
    """
    accept = accept if accept is not None else RecordToRecord()
    deadline = stop.deadline
    rng = random.Random(seed)
    best = improve(inst, sol, deadline - time.monotonic(), seed)
    current = best
    load = OverloadPenalty(inst, best) if inst.rules.capacity is not None and inst.demand is not None else None
    while not stop(score(inst, best)):
        trial = copy_solution(current)
        overload = load.weight if load is not None else 0.0
        touched = ruin_and_recreate(inst, trial, rng, overload=overload)
        if touched is None:
            continue
        days, customers = touched
        trial = improve(inst, trial, max(0.0, deadline - time.monotonic()), rng.randrange(1 << 30),
                        focus=days, scope=with_neighbours(inst, customers), overload=overload)
        if load is not None and not settle(inst, trial, load, deadline, rng.randrange(1 << 30)):
            continue
        if score(inst, trial) < score(inst, best):
            best = trial
        if accept(score(inst, best), score(inst, trial), stop.progress()):
            current = trial
    return best
