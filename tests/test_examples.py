"""The bundled example plans cleanly, and its English/UTF-8 and Japanese/CP932 variants agree."""

import subprocess
import sys
from pathlib import Path

import pytest

import routeopt
from routeopt.evaluate.validate import validate_plan

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "takamatsu"
CHECKER = ROOT.parent / "shared" / "tools" / "check_plan.py"
HORIZON = routeopt.make_horizon(__import__("datetime").date(2026, 12, 1), 4, "JP")


@pytest.fixture(scope="module")
def plans(tmp_path_factory):
    out = {}
    for variant, (customers, reps) in {
        "en": ("customers.csv", "reps.csv"),
        "ja": ("customers_ja_cp932.csv", "reps_ja_cp932.csv"),
    }.items():
        problem = routeopt.read_problem(EXAMPLE / customers, EXAMPLE / reps, HORIZON)
        plan = routeopt.plan(problem, routeopt.PlanOptions(time_limit=60, seed=0, engine="local", max_iterations=2))
        folder = plan.write(tmp_path_factory.mktemp(variant) / "plan")
        out[variant] = (problem, plan, folder)
    return out


def test_both_variants_give_the_same_plan(plans):
    (_, en, _), (_, ja, _) = plans["en"], plans["ja"]
    assert en.itinerary().equals(ja.itinerary())
    assert en.unscheduled_table().equals(ja.unscheduled_table())


def test_example_plan_breaks_no_rule(plans):
    problem, plan, folder = plans["en"]
    report = validate_plan(folder, problem)
    assert report.ok, report.to_text()
    assert plan.summary()["totals"]["coverage"] >= 0.95


@pytest.mark.skipif(not CHECKER.exists(), reason="shared checker not present (fresh clone)")
@pytest.mark.parametrize("variant,customers,reps", [
    ("en", "customers.csv", "reps.csv"), ("ja", "customers_ja_cp932.csv", "reps_ja_cp932.csv")])
def test_independent_checker_finds_no_broken_rule(plans, variant, customers, reps):
    folder = plans[variant][2]
    done = subprocess.run(
        [sys.executable, str(CHECKER), "--customers", str(EXAMPLE / customers), "--reps", str(EXAMPLE / reps),
         "--plan", str(folder), "--start", "2026-12-01", "--weeks", "4", "--holidays", "JP"],
        capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
