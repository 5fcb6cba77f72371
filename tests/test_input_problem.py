"""read_problem: reps first, then customers checked against them and the horizon."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from routeopt.errors import InputError
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


def test_appointments_are_checked_against_the_horizon():
    late = Horizon(dt.date(2026, 12, 8), 4)
    with pytest.raises(InputError, match=r'appointment "2026-12-03 14:30" is outside the plan'):
        read_problem(DATA / "ok_small_customers.csv", DATA / "ok_small_reps.csv", late)
