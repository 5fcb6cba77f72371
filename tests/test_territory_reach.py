"""Territories that hold where the reps are: a customer goes only to a rep within reach, a region
short of reps is named instead of being shipped across the map, and no rep is left without
customers it could serve.

Fixtures are built in code: towns of weekly 30-minute customers scattered around a centre
(``town``), reps starting at given places.
"""

import dataclasses
import datetime as dt
import math
import time

import numpy as np
import pytest

import routeopt
from routeopt.model import Customer, Problem, Rep
from routeopt.territory.balance import improve
from routeopt.territory.capacity import estimate_capacity
from routeopt.territory.cpsat import AssignmentModel, solve_assignment
from routeopt.territory.design import TerritoryOptions, design
from routeopt.territory.geometry import Geometry
from routeopt.territory.reach import Reach, nearest_start_minutes

MONDAY = dt.date(2026, 11, 30)  # no Japanese public holiday in the following weeks
CITY = (34.3505, 134.0465)
KM_LAT = 1 / 111.0


def town(prefix: str, n: int, centre: tuple[float, float], spread_km: float, seed: int) -> tuple[Customer, ...]:
    rng = np.random.default_rng(seed)
    dlat = rng.uniform(-1, 1, n) * spread_km * KM_LAT
    dlon = rng.uniform(-1, 1, n) * spread_km * KM_LAT / math.cos(math.radians(centre[0]))
    return tuple(Customer(f"{prefix}{k:04d}", centre[0] + a, centre[1] + b) for k, (a, b) in
                 enumerate(zip(dlat, dlon, strict=True)))


def east(km: float) -> tuple[float, float]:
    return CITY[0], CITY[1] + km * KM_LAT / math.cos(math.radians(CITY[0]))


def problem(customers: tuple[Customer, ...], reps: tuple[Rep, ...], weeks: int = 1) -> Problem:
    return Problem(customers=customers, reps=reps, horizon=routeopt.make_horizon(MONDAY, weeks, None))


@pytest.fixture(scope="module")
def two_towns() -> Problem:
    """A busy town with one rep (about twice its week's work) and a quiet town 60 km away whose rep
    has little to do: the towns are out of each other's reach."""
    busy = town("A", 160, CITY, 4, seed=1)
    quiet = town("B", 20, east(60), 4, seed=2)
    return problem(busy + quiet, (Rep("RA", *CITY), Rep("RB", *east(60))))


def test_reach_is_the_nearest_start_plus_slack_within_a_cap():
    reach = Reach(slack=20, factor=1.5, cap=60)
    nearest = np.array([0.0, 10.0, 50.0, 100.0])
    assert reach.minutes(nearest).tolist() == [20.0, 30.0, 60.0, 100.0]  # never below the nearest start


def test_a_customer_goes_only_to_a_rep_within_reach(two_towns):
    d = design(two_towns, TerritoryOptions(time_limit=10))
    assert all(d.owner[c.id] == "RA" for c in two_towns.customers if c.id.startswith("A"))
    assert d.after.loc["RA", "load"] > 1.5  # the busy town stays short ...
    note = " ".join(d.warnings)
    assert "1 reps stay over capacity (RA" in note and "more rep" in note  # ... and the design says so


def test_without_a_reach_the_same_book_is_shipped_to_the_far_town(two_towns):
    d = design(two_towns, TerritoryOptions(time_limit=10, reach=None))
    assert sum(d.owner[c.id] == "RB" for c in two_towns.customers if c.id.startswith("A")) > 20


def test_the_reach_lets_load_flow_to_a_neighbour_in_the_same_city():
    # two reps 5 km apart in one city; everything is the first one's today
    customers = tuple(dataclasses.replace(c, rep="R1") for c in town("C", 200, CITY, 8, seed=3))
    reps = (Rep("R1", *CITY), Rep("R2", *east(5)))
    d = design(problem(customers, reps), TerritoryOptions(time_limit=10))
    assert d.max_over_mean() < 1.10 < d.max_over_mean("before")
    assert not any("over capacity" in w for w in d.warnings)


def test_a_rep_without_customers_today_gets_the_customers_near_its_start():
    customers = tuple(dataclasses.replace(c, rep="R1" if k % 2 else "R2")
                      for k, c in enumerate(town("C", 240, CITY, 10, seed=4)))
    reps = (Rep("R1", *CITY), Rep("R2", *east(6)), Rep("R3", *east(-6)))
    d = design(problem(customers, reps), TerritoryOptions(time_limit=10))
    counts = d.after["customers"]
    assert (counts > 0).all() and counts["R3"] >= 240 / 3 * 0.6
    assert not any("gets no customers" in w for w in d.warnings)


def test_a_rep_with_no_customer_within_reach_is_named():
    customers = town("C", 60, CITY, 3, seed=5)
    reps = (Rep("R1", *CITY), Rep("R2", *east(3)), Rep("FAR", *east(200)))
    d = design(problem(customers, reps), TerritoryOptions(time_limit=10))
    assert d.after.loc["FAR", "customers"] == 0
    assert any(w.startswith("FAR gets no customers: no customer is within reach") for w in d.warnings)


def test_nearest_start_minutes_are_the_drive_from_the_nearest_start():
    customers = (Customer("X", *east(1)), Customer("Y", *east(9)))
    p = problem(customers, (Rep("R1", *CITY), Rep("R2", *east(10))))
    g = Geometry.of(p, routeopt.GreatCircle())
    near = nearest_start_minutes(g)
    minutes, _ = g.out_back(np.array([0, 1]), np.array([0, 1]))
    assert near.tolist() == pytest.approx(minutes.tolist())


# ------------------------------------------------------------------ capacity under overload


def short_book(priority_two: int = 0, long: int = 0) -> Problem:
    """120 weekly customers in a town 10 km from the office of one rep: about three times a
    week's work; the first ``long`` of them stay 90 minutes instead of 30, the first
    ``priority_two`` have priority 2."""
    customers = tuple(dataclasses.replace(c, priority=2.0 if k < priority_two else 1.0,
                                          visit_minutes=90 if k < long else 30)
                      for k, c in enumerate(town("C", 120, east(10), 2, seed=6)))
    return problem(customers, (Rep("R1", *CITY),))


def test_a_short_team_makes_its_visits_on_full_days_so_they_cost_less_than_the_books_mean():
    est = estimate_capacity(short_book())
    assert est.is_short
    assert est.minutes_made == pytest.approx(est.plannable_min)  # the team's minutes are all used ...
    assert est.minutes_per_made_visit < est.minutes_per_visit  # ... on visits whose drive from the office is shared
    assert est.visits_lost == round(est.visits_due - est.visits_made)
    assert est.visits_lost < round(est.short_min / est.minutes_per_visit)


def test_a_short_team_keeps_the_higher_priority_visits_first():
    # 20 long visits: made first when they matter more, so fewer visits fit in the same minutes
    alike = estimate_capacity(short_book(long=20))
    first = estimate_capacity(short_book(priority_two=20, long=20))
    assert first.minutes_made == pytest.approx(alike.minutes_made)
    assert 20 <= first.visits_made < alike.visits_made - 5
    assert first.minutes_per_made_visit > alike.minutes_per_made_visit


def test_a_team_with_time_to_spare_makes_every_visit_at_the_books_minutes():
    est = estimate_capacity(problem(town("C", 30, CITY, 3, seed=7), (Rep("R1", *CITY), Rep("R2", *CITY))))
    assert not est.is_short
    assert est.visits_made == est.visits_due and est.minutes_made == est.needed_min and est.visits_lost == 0


def test_visits_no_working_day_can_take_are_lost_whatever_the_team():
    book = town("C", 30, CITY, 3, seed=7)
    closed = [dataclasses.replace(c, closed_weekdays=frozenset(range(7))) if k < 2 else  # never open
              dataclasses.replace(c, hours="Mo-Su 09:00-09:20", visit_minutes=30) if k < 3 else c  # open too little
              for k, c in enumerate(book)]
    team = (Rep("R1", *CITY), Rep("R2", *CITY))
    est = estimate_capacity(problem(tuple(closed), team))
    due = problem(tuple(closed), team).due_visits()
    lost = sum(due[c.id] for c in closed[:3])
    assert not est.is_short and est.unplannable == lost > 0 and est.visits_lost == lost
    assert est.visits_made == est.visits_due - lost  # the others, and their minutes only are needed:
    open_book = estimate_capacity(problem(tuple(c for c in closed[3:]), team))
    assert est.needed_min == pytest.approx(open_book.needed_min, rel=0.05)
    assert f"{lost:,} of the visits due cannot be planned on any day" in est.message()
    assert estimate_capacity(problem(tuple(book), team)).unplannable == 0


def test_load_above_capacity_costs_the_same_in_cp_sat_and_in_the_local_search():
    # 6 customers, 2 reps, every pair allowed; rep 1 drives far less to everyone but has half the
    # capacity: without the levels the best split would give it 3 customers (relative load 600)
    n = 6
    i = np.repeat(np.arange(n), 2)
    r = np.tile([0, 1], n)
    data = AssignmentModel(
        i=i, r=r, load=np.full(2 * n, 100), lunch_by_minutes=np.zeros(2 * n, dtype=np.int64),
        lunch_by_visits=np.zeros(2 * n, dtype=np.int64), travel=np.tile([30, 1], n),
        current=np.full(n, -1), scale=np.array([1, 2]), target=450, tolerance=0, balance_weight=1,
        travel_weight=10, move_weight=0, max_moves=None, over_levels=(500, 700, 900),
    )
    solved = solve_assignment(data, None, time_limit=10, seed=0, workers=1)
    assert solved is not None and solved.status == "OPTIMAL"
    assert solved.objective == data.objective(solved.owner)
    local = improve(data, np.zeros(n, dtype=int), time.monotonic() + 10)
    assert data.objective(local) == data.objective(solved.owner)
    assert 2 * 100 * (solved.owner == 1).sum() <= 500  # rep 1 stays below the first level
    without = dataclasses.replace(data, over_levels=())
    assert 2 * 100 * (solve_assignment(without, None, 10, 0, 1).owner == 1).sum() > 500


def test_a_team_with_minutes_enough_in_total_is_short_where_the_customers_are():
    busy = town("A", 160, CITY, 4, seed=1)  # about twice what its one rep can do in the week
    quiet = town("B", 20, east(60), 4, seed=2)  # three reps 60 km away with little to do
    reps = (Rep("RA", *CITY), *(Rep(f"RB{k}", *east(60)) for k in range(3)))
    est = estimate_capacity(problem(busy + quiet, reps))
    assert not est.is_short and est.is_short_somewhere
    assert est.short_at[0] == "RA"
    busy_need = est.needed_min * 160 / 180  # roughly: the busy town's share of the book
    assert 0.3 * busy_need < est.regional_short_min < busy_need
    assert est.visits_lost > 0 and "not where the customers are" in est.message()
    everywhere = estimate_capacity(problem(busy + quiet, reps), reach=Reach(slack=200, cap=300))
    assert not everywhere.is_short_somewhere  # with the far town within reach, nothing is short
