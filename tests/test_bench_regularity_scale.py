"""benchmarks/bench_regularity_scale.py counts a rep's days as a planner could use them: the working
days on which one of its customers is open, and no more days than it has visits."""

import datetime as dt
import sys
from pathlib import Path

import routeopt
from routeopt.model import Customer, Rep, VisitRule

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

import bench_regularity_scale as brs  # noqa: E402

START = dt.date(2026, 12, 1)  # a Tuesday
OFFICE = (34.3505, 134.0465)


def problem(closed_weekdays: frozenset[int]) -> routeopt.Problem:
    """R1 owns two weekly customers closed on ``closed_weekdays``; R2 owns none."""
    customers = tuple(Customer(f"C{i}", OFFICE[0] + 0.01 * i, OFFICE[1], rep="R1", rule=VisitRule.from_target(7),
                               closed_weekdays=closed_weekdays) for i in range(2))
    return routeopt.Problem(customers, (Rep("R1", *OFFICE), Rep("R2", *OFFICE)), routeopt.make_horizon(START, 4))


def test_days_in_reach_leave_out_the_days_every_customer_is_closed():
    open_every_day = brs.days_in_reach(problem(frozenset()))
    closed_wednesdays = brs.days_in_reach(problem(frozenset({2})))
    assert open_every_day == {"R1": 20}  # a rep with no visit due is not counted
    assert closed_wednesdays == {"R1": 16}


def test_a_rep_cannot_use_more_days_than_it_has_visits():
    assert brs.usable({"visits_planned": 7}, 20) == 7
    assert brs.usable({"visits_planned": 70}, 20) == 20
