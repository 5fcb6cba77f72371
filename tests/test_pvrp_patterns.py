"""benchmarks/pvrp_patterns.py: a plan's customers with several visits moved to given days."""

import math
import sys
from pathlib import Path

from routeopt.bench import lit_instance
from routeopt.input.literature import LitInstance, LitNode
from routeopt.schedule.solution import RepSolution

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

from pvrp_patterns import moved  # noqa: E402


def line_instance() -> LitInstance:
    """Four days, one vehicle a day: customers 1 (x=50) and 2 (x=-50), one visit any day; customer 3
    (x=55), two visits on days 1+3 or 2+4."""
    depot = LitNode(0, 0, 0, 0, 0, 0, math.inf, 0, ())
    spots = [(1, 50, 1, (1, 2, 4, 8)), (2, -50, 1, (1, 2, 4, 8)), (3, 55, 2, (5, 10))]
    customers = tuple(LitNode(i, x, 0, 0, 1, 0, math.inf, n, masks) for i, x, n, masks in spots)
    return LitInstance("LINE", "pvrp", 1, 100, None, 4, depot, customers, (0, math.inf))


def test_moved_puts_each_visit_of_a_customer_on_the_given_days_and_keeps_the_price_to_beat():
    inst = lit_instance(line_instance())
    sol = RepSolution()
    for route, seq in {0: [4, 3], 1: [2], 2: [4]}.items():  # node = customer number + 1
        sol.seqs[route] = seq
        sol.timings[route] = inst.time(route, seq, {})
    trial = moved(inst, sol, {4: frozenset({1, 3})})
    days = {node: sorted(r for r, seq in trial.seqs.items() if node in seq) for node in (2, 3, 4)}
    assert days == {2: [1], 3: [0], 4: [1, 3]}  # one vehicle a day: route = day
    assert trial.cost == sol.cost  # the timings stay the plan's: the routing has to beat them
    assert sol.seqs == {0: [4, 3], 1: [2], 2: [4]}  # the plan itself is left as it was
