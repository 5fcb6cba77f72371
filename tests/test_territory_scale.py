"""Territories where sales teams really are: every rep at one office, more work than people, a
large book; the capacity estimate and the planner's time shares.

Fixtures are built in code: customers on a jittered grid around a Takamatsu office (``book``),
reps all starting there (``office_reps``).
"""

import dataclasses
import datetime as dt
import math
import tracemalloc

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

import routeopt
from routeopt.model import Customer, Problem, Rep
from routeopt.planner import MIN_REP_SECONDS, rep_budgets
from routeopt.territory.capacity import PLAN_FILL, estimate_capacity
from routeopt.territory.design import TerritoryOptions, design
from routeopt.territory.geometry import Geometry
from routeopt_cli.main import app

runner = CliRunner()
OFFICE = (34.3505, 134.0465)
MONDAY = dt.date(2026, 11, 30)  # no Japanese public holiday in the following four weeks


def book(n: int, seed: int = 0, spread_km: float = 12.0) -> tuple[Customer, ...]:
    """``n`` weekly customers, 30 minutes each, scattered up to ``spread_km`` around the office."""
    rng = np.random.default_rng(seed)
    dlat = rng.uniform(-1, 1, n) * spread_km / 111.0
    dlon = rng.uniform(-1, 1, n) * spread_km / (111.0 * math.cos(math.radians(OFFICE[0])))
    places = zip(OFFICE[0] + dlat, OFFICE[1] + dlon, strict=True)
    return tuple(Customer(f"C{k:05d}", lat, lon) for k, (lat, lon) in enumerate(places))


def office_reps(m: int) -> tuple[Rep, ...]:
    return tuple(Rep(f"R{k + 1}", *OFFICE) for k in range(m))


def problem(customers: tuple[Customer, ...], reps: tuple[Rep, ...], weeks: int = 1) -> Problem:
    return Problem(customers=customers, reps=reps, horizon=routeopt.make_horizon(MONDAY, weeks, None))


# --------------------------------------------------------------------------- shared office


def test_a_shared_office_design_gives_every_rep_a_compact_territory():
    reps = office_reps(8)
    owned_by_first = tuple(dataclasses.replace(c, rep="R1") for c in book(240))  # R1 holds everything today
    d = design(problem(owned_by_first, reps), TerritoryOptions(time_limit=20))
    counts = pd.Series(d.owner).value_counts()
    assert set(counts.index) == {r.id for r in reps}
    assert counts.min() >= 240 / 8 * 0.6
    assert d.max_over_mean() < 1.10 < d.max_over_mean("before")
    # compact: a territory's customers lie nearer each other than customers of the whole book do
    xy = np.array([(c.lat, c.lon) for c in owned_by_first])
    owner = np.array([d.owner[c.id] for c in owned_by_first])
    spread = np.mean([xy[owner == r.id].std(axis=0).mean() for r in reps])
    assert spread < 0.6 * xy.std(axis=0).mean()


def test_an_overloaded_shared_office_is_split_evenly_relative_to_capacity():
    reps = list(office_reps(4))
    reps[0] = dataclasses.replace(reps[0], days_off=frozenset({MONDAY, MONDAY + dt.timedelta(days=1)}))
    customers = book(300, seed=1)  # 300 weekly visits of 30 min: about twice what 4 reps have in a week
    d = design(problem(customers, tuple(reps)), TerritoryOptions(time_limit=20))
    assert (d.after["load"] > 1.3).all()
    assert d.max_over_mean() < 1.06
    # the rep with 3 working days carries about 3/5 of the others' work, not the same work
    work = d.after["work_min"]
    assert work["R1"] < 0.75 * work.drop("R1").mean()


def test_keep_current_in_a_shared_office_reaches_reps_whose_books_are_empty():
    reps = office_reps(6)
    customers = tuple(dataclasses.replace(c, rep=f"R{1 + k % 3}") for k, c in enumerate(book(180, seed=2)))
    d = design(problem(customers, reps), TerritoryOptions(time_limit=20, keep_current=True))
    assert set(d.owner.values()) == {r.id for r in reps}
    assert d.max_over_mean() < 1.10


def test_max_moves_is_kept_in_a_shared_office():
    reps = office_reps(4)
    customers = tuple(dataclasses.replace(c, rep="R1" if k < 90 else f"R{2 + k % 3}")
                      for k, c in enumerate(book(150, seed=3)))
    d = design(problem(customers, reps), TerritoryOptions(time_limit=10, keep_current=True, max_moves=12))
    assert 0 < len(d.moved) <= 12
    assert d.max_over_mean() < d.max_over_mean("before")


# ------------------------------------------------------------------------------- scale


class NoBigMatrices:
    """The embedded travel model, refusing any all-pairs matrix of more than 100 points."""

    def __init__(self) -> None:
        self.model = routeopt.GreatCircle()

    def matrices(self, points):
        assert len(points) <= 100, f"an all-pairs matrix of {len(points)} points"
        return self.model.matrices(points)

    def legs_between(self, origins, destinations):
        return self.model.legs_between(origins, destinations)

    def describe(self):
        return self.model.describe()


@pytest.fixture(scope="module")
def large():
    """5,000 customers over 50 km, 25 reps at scattered starts."""
    rng = np.random.default_rng(5)
    reps = tuple(Rep(f"R{k + 1}", OFFICE[0] + a, OFFICE[1] + b)
                 for k, (a, b) in enumerate(rng.uniform(-0.15, 0.15, (25, 2))))
    return problem(book(5_000, seed=5, spread_km=25), reps)


def test_a_5000_customer_design_never_builds_an_all_pairs_matrix(large):
    n = len(large.customers)
    tracemalloc.start()  # slows Python down about tenfold: a short design, then the capacity estimate
    d = design(large, TerritoryOptions(time_limit=5, travel=NoBigMatrices()))
    estimate = estimate_capacity(large, NoBigMatrices())
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < n * n * 8 / 4  # an n × n float matrix alone would be 200 MB
    assert len(d.owner) == n and estimate.visits_due == n


def test_a_5000_customer_design_balances_within_seconds(large):
    d = design(large, TerritoryOptions(time_limit=30))
    assert d.max_over_mean() < 1.10
    assert not d.warnings and len(d.rounds) < 30  # it settled before the time limit


def test_the_geometry_keeps_nearest_neighbours_not_a_matrix():
    p = problem(book(500, seed=6), office_reps(2))
    g = Geometry.of(p, routeopt.GreatCircle(), neighbours=5)
    assert g.near.shape == (500, 5)
    full = routeopt.GreatCircle().matrices([routeopt.travel.Point(c.id, c.lat, c.lon) for c in p.customers]).km
    np.fill_diagonal(full, np.inf)
    assert (np.sort(full, axis=1)[:, 0] == full[np.arange(500), g.near[:, 0]]).all()
    assert (g.office == 0).all()  # one office: the reps' starts coincide


def test_a_time_limit_returns_the_best_split_so_far_with_a_warning(tmp_path):
    customers = tmp_path / "customers.csv"
    reps = tmp_path / "reps.csv"
    pd.DataFrame([{"id": c.id, "lat": c.lat, "lon": c.lon, "rep": "R1"} for c in book(400, seed=7)]).to_csv(
        customers, index=False)
    pd.DataFrame([{"id": r.id, "start_lat": r.start_lat, "start_lon": r.start_lon} for r in office_reps(5)]).to_csv(
        reps, index=False)
    out = tmp_path / "designed.csv"
    result = runner.invoke(app, ["territory", str(customers), "--reps", str(reps), "--out", str(out),
                                 "--start", MONDAY.isoformat(), "--weeks", "1", "--time-limit", "0.001"])
    assert result.exit_code == 0, result.output
    assert "time limit" in result.output and "best split found" in result.output
    assert pd.read_csv(out)["rep"].notna().all()


def test_many_reps_get_a_summary_on_the_terminal_and_every_rep_in_the_csv(tmp_path):
    rng = np.random.default_rng(8)
    customers = tmp_path / "customers.csv"
    reps = tmp_path / "reps.csv"
    pd.DataFrame([{"id": c.id, "lat": c.lat, "lon": c.lon} for c in book(500, seed=8, spread_km=30)]).to_csv(
        customers, index=False)
    starts = rng.uniform(-0.2, 0.2, (25, 2))
    pd.DataFrame([{"id": f"R{k + 1}", "start_lat": OFFICE[0] + a, "start_lon": OFFICE[1] + b}
                  for k, (a, b) in enumerate(starts)]).to_csv(reps, index=False)
    out = tmp_path / "designed.csv"
    result = runner.invoke(app, ["territory", str(customers), "--reps", str(reps), "--out", str(out),
                                 "--start", MONDAY.isoformat(), "--weeks", "1", "--time-limit", "10"])
    assert result.exit_code == 0, result.output
    assert "most loaded" in result.output and "least loaded" in result.output
    assert "┃" not in result.output  # no 25-row table
    table = pd.read_csv(tmp_path / "designed_reps.csv", encoding="utf-8-sig")
    assert table["rep"].tolist() == [f"R{k + 1}" for k in range(25)]
    assert table["customers"].sum() == 500


# ----------------------------------------------------------------------------- capacity


def test_capacity_of_a_book_without_driving_is_visits_times_minutes():
    # every customer stands at the office: no driving; 100 weekly visits of 30 min in one week
    customers = tuple(Customer(f"C{k}", *OFFICE) for k in range(100))
    p = problem(customers, office_reps(1))
    assert sum(p.due_visits().values()) == 100
    est = estimate_capacity(p)
    assert est.needed_min == 100 * 30 and est.driving_min == 0
    assert est.team_min == 5 * (9 * 60 - 45)  # Monday to Friday, 09:00-18:00 less lunch
    assert est.plannable_min == pytest.approx(PLAN_FILL * est.team_min)
    assert est.short_min == pytest.approx(3000 - PLAN_FILL * 2475)
    assert est.reps_needed == math.ceil(3000 / (PLAN_FILL * 2475))
    assert est.visits_lost == round(est.short_min / 30)
    assert "1 more rep," in est.message() and f"{est.visits_lost:,} fewer visits" in est.message()


def test_capacity_counts_the_driving_of_the_workload_model():
    # two customers 6 km apart, the office at the first one
    far = (OFFICE[0] + 6 / 111.0, OFFICE[1])
    customers = (Customer("A", *OFFICE), Customer("B", *far))
    p = problem(customers, office_reps(1))
    minutes = routeopt.GreatCircle().matrices([routeopt.travel.Point("A", *OFFICE),
                                               routeopt.travel.Point("B", *far)]).minutes
    ab, ba = int(minutes[0, 1]), int(minutes[1, 0])
    model = routeopt.territory.workload.WorkloadModel()
    expected = (model.neighbour_share * (ab + ba) / 2 * 2  # each visit: the mean to its one neighbour
                + model.start_share * 2 * (0 + (ab + ba) / 2))  # A lies at the office, B a drive away
    assert estimate_capacity(p).driving_min == pytest.approx(expected)


def test_a_team_with_enough_minutes_is_not_short():
    est = estimate_capacity(problem(book(20), office_reps(2)))
    assert not est.is_short and est.visits_lost == 0 and "enough" in est.message()


def test_cli_capacity_answers_how_many_reps_the_book_needs(tmp_path):
    customers = tmp_path / "customers.csv"
    reps = tmp_path / "reps.csv"
    pd.DataFrame([{"id": f"C{k}", "lat": OFFICE[0], "lon": OFFICE[1]} for k in range(100)]).to_csv(
        customers, index=False)
    pd.DataFrame([{"id": "R1", "start_lat": OFFICE[0], "start_lon": OFFICE[1]}]).to_csv(reps, index=False)
    args = ["capacity", str(customers), "--reps", str(reps), "--start", MONDAY.isoformat(), "--weeks", "1"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "reps needed: 2 (the team has 1)" in result.output
    result = runner.invoke(app, [*args, "--json"])
    figures = __import__("json").loads(result.output)
    assert figures["visits_due"] == 100 and figures["is_short"] and figures["reps_needed"] == 2


def test_cli_plan_says_when_the_team_is_short(tmp_path):
    customers = tmp_path / "customers.csv"
    reps = tmp_path / "reps.csv"
    pd.DataFrame([{"id": f"C{k}", "lat": OFFICE[0] + k * 1e-4, "lon": OFFICE[1]} for k in range(40)]).to_csv(
        customers, index=False)
    pd.DataFrame([{"id": "R1", "start_lat": OFFICE[0], "start_lon": OFFICE[1], "workdays": "mon"}]).to_csv(
        reps, index=False)
    result = runner.invoke(app, ["plan", str(customers), "--reps", str(reps), "--start", MONDAY.isoformat(),
                                 "--weeks", "1", "--out", str(tmp_path / "plan"), "--time-limit", "2",
                                 "--max-iterations", "5", "--quiet"])
    assert result.exit_code == 0, result.output
    assert "capacity: the book needs ≈ 40 visits" in result.output and "more rep" in result.output


# ------------------------------------------------------------------------ planner budget


def test_reps_get_search_time_in_proportion_to_their_visits():
    budgets = rep_budgets([10, 30, 0], seconds=10, workers=1)
    assert budgets[1] == pytest.approx(3 * budgets[0])
    assert budgets[2] == pytest.approx(MIN_REP_SECONDS, rel=0.05)
    assert sum(budgets) == pytest.approx(9.5, abs=0.01)  # one process: one rep after the other


def test_no_rep_budget_exceeds_the_wall_time_on_many_workers():
    budgets = rep_budgets([100, 1, 1], seconds=10, workers=4)
    assert max(budgets) == pytest.approx(9.5)
    assert budgets[1] == pytest.approx(9.5 * 4 / 102)


@pytest.mark.parametrize("visits, workers", [
    ([163, 168, 169], 2), ([30, 30, 30, 30, 30], 2), ([30, 30, 20, 20, 20], 2), ([60, 60, 60, 60], 3),
    ([120, 100, 90, 80, 70, 60, 50, 40], 2)])
def test_reps_run_longest_first_on_the_workers_end_within_the_time_limit(visits, workers):
    budgets = rep_budgets(visits, seconds=60, workers=workers)
    ends = [0.0] * workers  # each rep, longest first, on the first process to be free
    for b in sorted(budgets, reverse=True):
        ends[ends.index(min(ends))] += b
    assert max(ends) == pytest.approx(57.0)
    assert all(b * visits[0] == pytest.approx(budgets[0] * v) for b, v in zip(budgets, visits, strict=True))


def test_reps_that_pack_evenly_keep_their_whole_share():
    assert rep_budgets([100, 100], seconds=60, workers=2) == [pytest.approx(57.0)] * 2
    assert rep_budgets([100, 50, 50], seconds=60, workers=2) == pytest.approx([57.0, 28.5, 28.5])


def test_reps_without_visits_share_equally():
    assert rep_budgets([0, 0], seconds=4, workers=2) == [pytest.approx(3.8)] * 2


def test_the_load_summary_counts_one_customer_in_the_singular():
    from routeopt_cli.territory import _customers

    assert (_customers(1), _customers(0), _customers(33)) == ("1 customer", "0 customers", "33 customers")
