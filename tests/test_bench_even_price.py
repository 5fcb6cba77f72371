"""benchmarks/bench_even_price.py: its relaxation of a rep's month admits routeopt's own plan, and
reads a PyVRP plan back in routeopt's terms."""

import datetime as dt
import math
import sys
from pathlib import Path

import pytest

import routeopt
from routeopt.model import Customer, Rep, VisitRule
from routeopt.schedule.instance import FIRST_CUSTOMER, build_instance
from routeopt.schedule.solution import RepSolution
from routeopt.schedule.solve import solve_rep

pytest.importorskip("pyvrp")
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

import bench_even_price as bep  # noqa: E402

START = dt.date(2026, 12, 1)  # a Tuesday
OFFICE = (34.3505, 134.0465)


def book(weeks: int) -> routeopt.Problem:
    customers = tuple(
        Customer(f"C{i}", OFFICE[0] + 0.01 * math.cos(i), OFFICE[1] + 0.012 * math.sin(i), rep="R1",
                 rule=VisitRule.from_target(7 if i % 3 == 0 else 14), visit_minutes=30,
                 hours="Mo-Fr 10:00-12:00,13:00-17:00" if i % 4 == 0 else None,
                 last_visit=START - dt.timedelta(days=3 + i % 5) if i % 2 else None)
        for i in range(12))
    return routeopt.Problem(customers, (Rep("R1", *OFFICE, *OFFICE),), routeopt.make_horizon(START, weeks, "JP"))


def rep_instance(problem: routeopt.Problem):
    return build_instance(problem.reps[0], problem.customers, problem.horizon, routeopt.PlanOptions().travel)


def test_each_visit_may_fall_where_a_chain_of_the_gap_rules_can_put_it():
    # weekly (gaps 5–9) last seen Tuesday 24 November: due 4 times by 28 December
    customer = Customer("W", *OFFICE, rep="R1", rule=VisitRule.from_target(7), last_visit=dt.date(2026, 11, 24))
    problem = routeopt.Problem((customer,), (Rep("R1", *OFFICE, *OFFICE),), routeopt.make_horizon(START, 4, "JP"))
    windows = bep.visit_windows(rep_instance(problem), 0)
    # the first from day 0 (11/24 + 5 is before the horizon) to 11/24 + 9; the last from 11/24 + 4·5 to the end,
    # each leaving 5 days for every visit after it
    assert windows == [(0, 2), (3, 11), (8, 20), (13, 27)]


def test_a_customer_without_a_last_visit_starts_within_its_first_gap():
    customer = Customer("B", *OFFICE, rep="R1", rule=VisitRule.from_target(14))  # gaps 10–18
    problem = routeopt.Problem((customer,), (Rep("R1", *OFFICE, *OFFICE),), routeopt.make_horizon(START, 4, "JP"))
    assert bep.visit_windows(rep_instance(problem), 0) == [(0, 13), (10, 27)]


@pytest.mark.parametrize("days", ["compact", "even"])
def test_routeopt_plan_is_a_solution_of_its_relaxation_at_its_own_driving(days):
    problem = book(weeks=2)
    plan = routeopt.plan(problem, routeopt.PlanOptions(time_limit=60, seed=0, workers=1, max_iterations=5,
                                                       days=days, regularity="off"))
    assert plan.summary()["totals"]["coverage"] == 1.0
    inst = rep_instance(problem)
    month = bep.relaxed_month(inst, cap=540, every_day=False)
    solution = bep.plan_in_model(month, list(plan.routes))
    assert solution.is_feasible()
    assert solution.distance() == sum(r.travel_min for r in plan.routes)
    worked = sum(1 for r in plan.routes if r.visits)
    assert bep.broken(month, solution) == (worked, 0, 0)  # read back, it breaks none of routeopt's rules


def test_a_day_too_short_for_the_plan_makes_it_infeasible_in_the_relaxation():
    problem = book(weeks=2)
    plan = routeopt.plan(problem, routeopt.PlanOptions(time_limit=60, seed=0, workers=1, max_iterations=5,
                                                       days="compact", regularity="off"))
    longest = max(r.work_min for r in plan.routes if r.visits)
    month = bep.relaxed_month(rep_instance(problem), cap=longest - 60, every_day=False)
    assert not bep.plan_in_model(month, list(plan.routes)).is_feasible()


def test_the_even_cap_is_the_band_over_the_mean_day_lunch_included():
    rep = Rep("R1", *OFFICE, *OFFICE)  # 45 min lunch
    expected = 1.3 * (1000 + 450 + 400 + 50) / 10
    assert bep.even_cap(rep, service=1000, days=10, driving=400, waiting=50) == pytest.approx(expected)


def planned(sol) -> int:
    return sum(len(seq) for seq in sol.seqs.values())


def due(problem: routeopt.Problem) -> int:
    return sum(problem.due_visits().values())


def test_a_relaxed_even_plan_repaired_is_a_valid_plan_of_every_visit():
    from pyvrp.stop import MaxIterations

    problem = book(weeks=2)
    inst = rep_instance(problem)
    month = bep.relaxed_month(inst, cap=300, every_day=True)
    found = bep.pyvrp.solve(month.data, MaxIterations(200), seed=0, display=False).best
    sol, _ = bep.repaired(inst, bep.day_visits(month, found), problem.due_visits(), seed=0)
    assert bep.valid(inst, sol, problem.due_visits())
    assert planned(sol) == due(problem) == sum(len(seq) for seq in bep.day_visits(month, found).values())


def compact_plan():
    """The small book's problem, its rep's instance and routeopt's compact plan of it (valid)."""
    problem = book(weeks=2)
    inst = rep_instance(problem)
    plan = solve_rep((rep_instance(problem), 60, routeopt.PlanOptions(
        time_limit=60, seed=0, workers=1, max_iterations=5, days="compact", regularity="off")))
    assert bep.valid(inst, plan, problem.due_visits())
    return problem, inst, plan


def test_a_customer_whose_chain_breaks_the_gap_rules_is_re_planned_alone():
    problem, inst, plan = compact_plan()
    seqs = {d: list(seq) for d, seq in plan.seqs.items()}
    node = next(n for seq in seqs.values() for n in seq if inst.customers[n - FIRST_CUSTOMER].rule.target_gap == 7)
    first, second = sorted(d for d, seq in seqs.items() if node in seq)[:2]
    seqs[second].remove(node)
    seqs.setdefault(first + 1, []).append(node)  # the next working day: a gap of at most 3 days
    broken = RepSolution(seqs={d: s for d, s in seqs.items() if s})
    broken.timings = {d: inst.time(d, s, {}) for d, s in broken.seqs.items()}
    assert not bep.valid(inst, broken, problem.due_visits())
    sol, moved = bep.repaired(inst, broken.seqs, problem.due_visits(), seed=0)
    assert moved == 1
    assert bep.valid(inst, sol, problem.due_visits()) and planned(sol) == due(problem)


def test_a_plan_short_of_a_visit_due_is_not_valid():
    problem, inst, plan = compact_plan()
    day = max(plan.seqs, key=lambda d: len(plan.seqs[d]))
    plan.seqs[day] = plan.seqs[day][1:]  # its first visit dropped, the rest of the day still timed
    plan.timings[day] = inst.time(day, plan.seqs[day], {})
    assert plan.timings[day] is not None
    assert not bep.valid(inst, plan, problem.due_visits())
