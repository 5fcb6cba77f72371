"""Pattern moves judged by routing: a customer with several visits tries each of its other allowed
visit-day patterns, and a short routing of the whole plan decides.

The search (:mod:`~routeopt.schedule.search`) prices a new pattern by inserting its visits into the
routes as they are. When the vehicles are nearly full, that price is far off: moving a customer of
three visits to other days is only worth it once the one-visit customers around it have moved too,
which the whole-plan routing does (it may move every one-visit customer to another day). So here
each move puts the customer's visits on the days of the new pattern, each at its cheapest place
(overloading a vehicle if need be), and hands that plan to the routing, which keeps the move only
when it finds a plan within every rule that costs less than the current one. On Cordeau's p12
(163 customers, 15 of them with two or three visits, vehicles full), the patterns the search chose
cost about 7 % more than the best known's, whatever the routing.

The moves of the customers with the largest load go first: with vehicles nearly full, their days
decide how the days pack, and a loaded machine leaves time for only a few moves (on p12, moving
the customer of three visits of 105, in vehicles of 140, gained 3 % at once).
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable

from .clock import expired
from .instance import FIRST_CUSTOMER, RepInstance
from .solution import RepSolution, copy_solution

Router = Callable[[RepInstance, RepSolution, float, int, int | None], bool]
"""Re-routes a plan for at most some seconds (seed, cap on its iterations); returns whether it
replaced the plan with a cheaper one within every rule (e.g.
:func:`~routeopt.schedule.pyvrp_engine.route_across_days`)."""

MOVE_ITERATIONS = 1000
"""The routing's iterations to judge one move (about 1.5 s of one core on p12's 185 visits)."""


def pattern_moves(inst: RepInstance, sol: RepSolution) -> list[tuple[int, frozenset[int]]]:
    """Every (customer index, other allowed pattern) of the customers with several visits."""
    assert inst.patterns is not None, "only for customers with allowed day patterns"
    days = _days(inst, sol)
    return [(ci, p) for ci, patterns in enumerate(inst.patterns) if len(days.get(ci, ())) > 1
            for p in patterns if p != frozenset(days[ci])]


def repattern(
    inst: RepInstance, sol: RepSolution, route: Router, time_limit: float, seed: int = 0,
    max_iterations: int | None = None,
) -> int:
    """Try :func:`pattern_moves`, customers with the largest load per period first (demand times
    visits; in random order, ``seed``, among equals), each judged by ``route`` with
    :data:`MOVE_ITERATIONS` iterations, keeping those it makes cheaper, until ``time_limit`` seconds
    or ``max_iterations`` of the routing in all (then the same seed gives the same plan unless the
    time runs out first). ``sol`` is changed in place. Returns the number of moves kept."""
    deadline = time.monotonic() + time_limit
    rng = random.Random(seed)
    moves = pattern_moves(inst, sol)
    rng.shuffle(moves)
    demand = inst.demand or (0.0,) * inst.n_nodes
    moves.sort(key=lambda move: -demand[inst.node(move[0])] * len(move[1]))  # stable: random among equals
    budget = None if max_iterations is None else max_iterations // MOVE_ITERATIONS
    kept = 0
    for k, (ci, pattern) in enumerate(moves):
        if expired(deadline) or (budget is not None and k >= budget):
            break
        if frozenset(_days(inst, sol).get(ci, ())) == pattern:  # an earlier move changed it
            continue
        trial = _moved(inst, sol, ci, pattern)
        if route(inst, trial, max(0.0, deadline - time.monotonic()), rng.randrange(1 << 30), MOVE_ITERATIONS):
            sol.seqs, sol.timings = trial.seqs, trial.timings
            kept += 1
    return kept


def _days(inst: RepInstance, sol: RepSolution) -> dict[int, list[int]]:
    out: dict[int, list[int]] = {}
    for r, seq in sorted(sol.seqs.items()):
        for node in seq:
            out.setdefault(node - FIRST_CUSTOMER, []).append(inst.offsets[r])
    return out


def _moved(inst: RepInstance, sol: RepSolution, ci: int, pattern: frozenset[int]) -> RepSolution:
    """``sol`` with customer ``ci``'s visits on the days of ``pattern``, each at its cheapest place
    by distance (the load is the routing's to settle); its timings, and so its cost, stay ``sol``'s,
    the price the routing has to beat."""
    node = inst.node(ci)
    trial = copy_solution(sol)
    trial.seqs = {r: [n for n in seq if n != node] for r, seq in trial.seqs.items()}
    travel = inst.travel
    end = FIRST_CUSTOMER - 1  # the route's end node
    for day in sorted(pattern):
        best: tuple[float, int, int] | None = None
        for r, off in enumerate(inst.offsets):
            if off != day:
                continue
            seq = trial.seqs.get(r, [])
            for i in range(len(seq) + 1):
                a = seq[i - 1] if i else 0
                b = seq[i] if i < len(seq) else end
                extra = travel[a][node] + travel[node][b] - travel[a][b]
                if best is None or extra < best[0]:
                    best = (extra, r, i)
        assert best is not None, "every day of a pattern has a route"
        trial.seqs.setdefault(best[1], []).insert(best[2], node)
    trial.seqs = {r: seq for r, seq in trial.seqs.items() if seq}
    return trial
