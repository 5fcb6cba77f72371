"""benchmarks/bench_regularity.py: its ceiling (which weekly and biweekly customers no weekday can hold) and its split
of the driving into the drives out and back and the rest."""

import datetime as dt
import sys
from pathlib import Path

import pytest

import routeopt
from routeopt.model import Customer, DayRoute, Rep, Stop, VisitRule

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

import bench_regularity as br  # noqa: E402

START = dt.date(2026, 12, 1)  # a Tuesday: four of each weekday in four weeks
OFFICE = (34.3505, 134.0465)


def weekly(cid: str, last_visit: dt.date | None) -> Customer:
    return Customer(cid, OFFICE[0], OFFICE[1], rep="R1", rule=VisitRule.from_target(7), last_visit=last_visit)


def test_a_weekly_customer_due_five_times_in_four_weeks_is_held_by_no_weekday():
    # last seen on Sunday 11/22: due five times by 12/28, and every weekday has four working days
    problem = routeopt.Problem(
        (weekly("C1", dt.date(2026, 11, 22)), weekly("C2", dt.date(2026, 11, 27)), weekly("C3", None)),
        (Rep("R1", *OFFICE),), routeopt.make_horizon(START, 4))
    counted, unheld, holding = br.ceiling(problem)
    assert (counted, unheld) == (3, 1)
    # 11/27 (a Friday): the first visit 5-9 days later, on Wednesday to Friday of the first week;
    # without a last visit any weekday holds four visits
    assert holding == {0: 1, 3: 1, 5: 1}


def test_out_and_back_is_the_driving_before_the_first_visit_and_after_the_last():
    def stop(kind, at, travel):
        minutes = {"visit": 20, "break": 45}.get(kind, 0)
        return Stop(kind, *OFFICE, arrive=at, start=at, end=at + minutes, travel_min=travel)

    day = DayRoute("R1", START, (stop("start", 540, 0), stop("break", 560, 12), stop("visit", 620, 7),
                                 stop("visit", 650, 10), stop("visit", 690, 20), stop("end", 730, 15)))
    assert br.out_and_back(day) == 12 + 7 + 15  # via the lunch place to the first visit; home from the last
    assert day.travel_min - br.out_and_back(day) == 10 + 20  # between visits
    empty = DayRoute("R1", START, (stop("start", 540, 0), stop("end", 540, 0)))
    assert br.out_and_back(empty) == 0


@pytest.fixture
def asked(monkeypatch):
    """The options ``routeopt.plan`` is called with (it still plans)."""
    seen = []
    real = routeopt.plan

    def plan(problem, options):
        seen.append(options)
        return real(problem, options)

    monkeypatch.setattr(br.routeopt, "plan", plan)
    return seen


def test_by_time_the_bundled_example_is_planned_as_a_user_plans_it(asked):
    customers, reps = br.files("example", Path("unused"))
    result = br.run(customers, reps, "off", "even", seed=0, iterations=1, last_weekday="free", time_limit=3)
    (options,) = asked
    assert (options.time_limit, options.workers, options.max_iterations) == (3, 2, None)
    assert result["coverage"] == 1.0
    assert result["days_short"] == 0  # even days: every working day in reach worked


def test_a_course_weight_is_the_planner_s_option_for_the_soft_settings(asked):
    customers, reps = br.files("example", Path("unused"))
    br.run(customers, reps, "soft", "even", seed=0, iterations=1, last_weekday="free", course_weight=7.0)
    br.run(customers, reps, "soft", "even", seed=0, iterations=1, last_weekday="free")
    assert [(o.regularity, o.course_weight, o.max_iterations) for o in asked] == [("soft", 7.0, 1), ("soft", None, 1)]
