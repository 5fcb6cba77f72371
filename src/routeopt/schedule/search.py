"""The iterated local search over one rep's plan: the local search to a local optimum, then
ruin and recreate a few customers' chains and the local search again, over and over, keeping
the best plan found."""

from __future__ import annotations

import random
import time

from .clock import expired
from .instance import FIRST_CUSTOMER, RepInstance
from .local_search import improve, with_neighbours
from .penalty import OverloadPenalty
from .ruin import ruin_and_recreate
from .solution import RepSolution, copy_solution

PATIENCE = 1000
"""The iterated local search stops after this many perturbations in a row without a better plan
(a 60-customer rep does about 1000 in 20 s on this machine: small problems stop early, larger
ones use their whole budget)."""


def score(sol: RepSolution) -> tuple[float, float]:
    """What the search minimises: missed visits weighted by priority first, then day costs."""
    return (len(sol.missed), sol.cost)


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
    inst: RepInstance,
    sol: RepSolution,
    time_limit: float,
    seed: int = 0,
    max_iterations: int | None = None,
    patience: int | None = PATIENCE,
    threshold: float = 0.0,
) -> RepSolution:
    """Iterated local search: improve to a local optimum, then repeatedly ruin and recreate a
    few customers' chains and improve again, until ``time_limit`` seconds, ``max_iterations``
    perturbations (the same seed and iteration count give the same plan) or ``patience``
    perturbations in a row without a better plan (``None``: no such stop). Returns the best
    plan found.

    Acceptance is record-to-record travel: the search goes on from a trial that covers as much
    as the best plan and costs at most ``threshold`` × the best cost more than it; the
    allowance shrinks linearly to nothing by the end of the run (``0``: only better plans).
    With a vehicle capacity, trials may overload vehicles at an adaptive cost
    (:mod:`~routeopt.schedule.penalty`); only plans within capacity are kept.
    """
    began = time.monotonic()
    deadline = began + time_limit
    rng = random.Random(seed)
    best = improve(inst, sol, time_limit, seed)
    current = best
    load = OverloadPenalty(inst, best) if inst.rules.capacity is not None and inst.demand is not None else None
    iteration = stalled = 0
    while not expired(deadline) and (max_iterations is None or iteration < max_iterations):
        if patience is not None and stalled >= patience:
            break
        iteration += 1
        stalled += 1
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
        if score(trial) < score(best):
            best, stalled = trial, 0
        if max_iterations is not None:
            progress = iteration / max_iterations
        else:
            progress = (time.monotonic() - began) / time_limit if time_limit > 0 else 1.0
        allowance = threshold * max(0.0, 1.0 - progress) * best.cost
        if len(trial.missed) <= len(best.missed) and trial.cost <= best.cost + allowance:
            current = trial
    return best
