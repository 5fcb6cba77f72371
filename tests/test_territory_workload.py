"""The workload estimate of the territory design reads travel as the planner does."""

import csv
import datetime as dt
import itertools

import numpy as np

import routeopt
from routeopt.model import Customer, Problem, Rep
from routeopt.territory.geometry import Geometry
from routeopt.travel import MatrixFile


def test_a_matrix_file_naming_reps_by_their_id_serves_the_estimate(tmp_path):
    # three shops and two reps who end their days where they start: the file has no "R1:end"
    shops = tuple(Customer(f"C{i}", 34.30 + 0.01 * i, 134.0) for i in range(3))
    reps = (Rep("R1", 34.30, 134.05), Rep("R2", 34.35, 134.00))
    ids = [c.id for c in shops] + [r.id for r in reps]
    path = tmp_path / "matrix.csv"
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["from_id", "to_id", "minutes", "km"])
        writer.writerows([a, b, 10 + len(a + b), 5] for a, b in itertools.permutations(ids, 2))
    problem = Problem(shops, reps, routeopt.make_horizon(dt.date(2026, 12, 1), 1))
    geometry = Geometry.of(problem, MatrixFile.read(path))
    # the mean of start → shop and shop → end, both the rep's rows: C0 ↔ R1 is 10 + len("C0R1") minutes
    minutes, _ = geometry.out_back(np.array([0]), np.array([0]))
    assert minutes[0] == 14
