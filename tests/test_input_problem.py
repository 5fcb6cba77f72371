"""read_problem: reps first, then customers checked against them and the horizon."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from routeopt.errors import InputError, RouteoptWarning
from routeopt.input import read_problem
from routeopt.model import Horizon

DATA = Path(__file__).parent / "data"
HORIZON = Horizon(dt.date(2026, 12, 1), 4)


def test_ok_small_problem():
    problem = read_problem(DATA / "ok_small_customers.csv", DATA / "ok_small_reps.csv", HORIZON)
    assert [r.id for r in problem.reps] == ["R1"]
    assert len(problem.customers) == 5
    assert problem.horizon == HORIZON


def test_customers_are_checked_against_the_reps_file():
    with pytest.raises(InputError, match=r'customers_unknown_rep.csv row 2 \(id=C001\): rep "R9" is not in the reps'):
        read_problem(DATA / "bad" / "customers_unknown_rep.csv", DATA / "ok_small_reps.csv", HORIZON)


def test_reps_are_read_first():
    with pytest.raises(InputError, match=r"^reps_duplicate_id.csv row 3"):
        read_problem(DATA / "bad" / "customers_unknown_rep.csv", DATA / "bad" / "reps_duplicate_id.csv", HORIZON)


def test_an_appointment_before_the_horizon_is_history():
    late = Horizon(dt.date(2026, 12, 8), 4)
    with pytest.warns(RouteoptWarning, match=r"^ok_small_customers.csv: 1 appointment outside the plan \(2026-12-08"):
        problem = read_problem(DATA / "ok_small_customers.csv", DATA / "ok_small_reps.csv", late)
    c002 = next(c for c in problem.customers if c.id == "C002")
    assert (c002.appointments, c002.last_visit) == ((), None)


def test_dataframes_give_the_same_problem_as_the_files():
    customers = pd.read_csv(DATA / "ok_small_customers.csv", dtype=str, keep_default_na=False)
    reps = pd.read_csv(DATA / "ok_small_reps.csv")  # numbers as numbers, as pandas reads them
    from_frames = read_problem(customers, reps, HORIZON)
    assert from_frames == read_problem(DATA / "ok_small_customers.csv", DATA / "ok_small_reps.csv", HORIZON)


def test_a_dataframe_with_an_unknown_rep_is_bad_input_naming_its_row():
    customers = pd.DataFrame({"id": ["G01", "G02"], "lat": [34.34, 34.35], "lon": [134.05, 134.06],
                              "rep": ["R1", "R9"]})
    reps = pd.DataFrame({"id": ["R1"], "start_lat": [34.34], "start_lon": [134.05]})
    with pytest.raises(InputError, match=r'^customers row 3 \(id=G02\): rep "R9" is not in the reps'):
        read_problem(customers, reps, HORIZON)
