"""benchmarks/bench_replan.py's random changes: each must be a table a user could give."""

import datetime as dt
import random
import sys
from pathlib import Path

import pandas as pd

import routeopt

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

import bench_replan as bench  # noqa: E402

START = dt.date(2026, 12, 1)


def test_a_closed_day_is_never_the_day_of_the_customers_appointment(tmp_path):
    # C1 is weekly with an appointment on Wednesday 12/09: its first visit from 12/08 on is the
    # appointment, and closing it that day would make the table refuse itself
    customers = pd.DataFrame([{
        "id": "C1", "lat": "34.33", "lon": "134.05", "rep": "R1", "frequency": "weekly", "visit_minutes": "30",
        "hours": "", "closed": "", "priority": "1", "last_visit": "2026-11-27", "appointment": "2026-12-09 14:00",
    }])
    reps = pd.DataFrame([{"id": "R1", "start_lat": "34.3505", "start_lon": "134.0465", "shift": "09:00-18:00"}])
    customers.to_csv(tmp_path / "c.csv", index=False)
    reps.to_csv(tmp_path / "r.csv", index=False)
    horizon = routeopt.make_horizon(START, 4)
    problem = routeopt.read_problem(str(tmp_path / "c.csv"), str(tmp_path / "r.csv"), horizon)
    old = routeopt.plan(problem, routeopt.PlanOptions(workers=1, max_iterations=1, regularity="off", days="compact"))
    since = dt.date(2026, 12, 8)
    assert min(d for _, d in bench.visit_places(old, since)["C1"]) == dt.date(2026, 12, 9)

    changed, what = bench.change_tables("closed day", customers, problem, old, since, random.Random(0))

    closed = changed.loc[changed.id == "C1", "closed"].iloc[0]
    assert closed and closed != "2026-12-09" and what == f"C1 closed on {closed}"
    changed.to_csv(tmp_path / "c2.csv", index=False)
    routeopt.read_problem(str(tmp_path / "c2.csv"), str(tmp_path / "r.csv"), horizon)  # a table it accepts
