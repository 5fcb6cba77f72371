"""Relax and fix (routeopt.schedule.relaxfix): visit-day patterns chosen by relaxed routings."""

from __future__ import annotations

from test_bench import calendar_days, days_instance, planned

from routeopt.bench import lit_instance
from routeopt.schedule.relaxfix import projection, relax_and_fix, relaxed_days

# customer 4 (far east, two visits: days 1+3 or 2+4) is on days 1 and 3, away from the east
# customers 1 (day 2 only) and 2 (day 4 only); customer 3 (west) is on day 1 only.
EAST = [(1, 50, 1, (2,)), (2, 52, 1, (8,)), (3, -50, 1, (1,)), (4, 55, 2, (5, 10))]
WEST_ROUTES = {0: [4, 3], 1: [1], 2: [4], 3: [2]}


def test_in_the_relaxation_the_kth_visit_may_take_the_kth_day_of_any_pattern():
    # customer 1: two visits, days 1+3, 2+4 or 3+5, on days 1 and 3; customer 2: one visit, any day.
    inst = lit_instance(days_instance([(1, 50, 2, (5, 10, 20)), (2, -50, 1, (1, 2, 4, 8, 16))], days=5))
    sol = planned(inst, {0: [1], 2: [1], 1: [2]})
    assert relaxed_days(inst, sol, fixed=set()) == {(2, 0): {0, 1, 2}, (2, 2): {2, 3, 4}, (3, 1): {0, 1, 2, 3, 4}}
    assert relaxed_days(inst, sol, fixed={2}) == {(3, 1): {0, 1, 2, 3, 4}}  # node 2 = customer 1 keeps its days


def test_the_projection_prices_the_cheapest_allowed_pattern_against_the_other_routes():
    inst = lit_instance(days_instance(EAST, days=4))
    sol = planned(inst, WEST_ROUTES)
    price, pattern = projection(inst, sol, 5)  # node 5 = customer 4
    assert pattern == frozenset({1, 3})
    assert price < -200  # two trips east saved, nothing added on days 2 and 4


def test_relax_and_fix_moves_a_customer_to_the_pattern_its_neighbours_are_on():
    inst = lit_instance(days_instance(EAST, days=4))
    sol = planned(inst, WEST_ROUTES)
    before = sol.cost
    plan = relax_and_fix(inst, sol, time_limit=10, seed=0, max_iterations=500)
    assert plan is not None
    days = calendar_days(inst, plan)
    assert days == {3: [0], 1: [1], 4: [1, 3], 2: [3]}
    assert all(frozenset(d) in inst.patterns[n - 1] for n, d in days.items())
    assert plan.cost < before - 200
    assert calendar_days(inst, sol) == {3: [0], 4: [0, 2], 1: [1], 2: [3]}  # the plan given is left as it was


def test_relax_and_fix_with_the_same_seed_and_iteration_cap_gives_the_same_plan():
    spots = [*EAST, (5, -40, 2, (5, 10)), (6, 30, 1, (1, 2, 4, 8)), (7, -20, 1, (1, 2, 4, 8))]
    inst = lit_instance(days_instance(spots, days=4))
    start = {0: [4, 3, 5], 1: [1, 6], 2: [4, 5], 3: [2, 7]}
    first = relax_and_fix(inst, planned(inst, start), time_limit=30, seed=3, max_iterations=300)
    second = relax_and_fix(inst, planned(inst, start), time_limit=30, seed=3, max_iterations=300)
    assert first is not None and second is not None
    assert first.seqs == second.seqs
