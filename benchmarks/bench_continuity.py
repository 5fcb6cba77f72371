"""Two months in a row: does a customer keep its weekday from one month's plan to the next?

    python benchmarks/bench_continuity.py [--scenarios example s300] [--seeds 0 1 2] [--iterations 100]
                                          [--regularity soft|strict]

Month 1 is a first plan: its ``last_visit`` dates are the scenario's own, not made by a plan
(the example's are drawn at random), so it is planned with ``last_weekday="free"`` (every course
chosen afresh) — and with ``"keep"`` beside it, the unfriendly case for keeping them. Month 2
starts the day after month 1 ends; each customer's ``last_visit`` is its last visit in month 1's
``free`` plan (the customers month 1 did not visit keep theirs). Month 2 is then planned twice
from the same tables, side by side: ``"keep"`` (the default: each customer also on the weekday of
its last visit, at a cost) and ``"free"`` (as before this option).

Every plan repeats (one worker, ``--max-iterations``), so the figures do not depend on the
machine's load; they are means over the seeds. "kept from before": among the customers with a
one-weekday rhythm and a ``last_visit``, the share seen only on that weekday in the plan.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

import scenarios

import routeopt

ROOT = Path(__file__).resolve().parent.parent
START = dt.date(2026, 12, 1)
WEEKS = 4
WAYS = ("free", "keep")


def tables(name: str, out: Path) -> tuple[Path, Path]:
    """(customers, reps) of the bundled example or of a generated scenario (written under ``out``)."""
    if name == "example":
        return ROOT / "examples/takamatsu/customers.csv", ROOT / "examples/takamatsu/reps.csv"
    return scenarios.write_scenario(name, out)


def plan(problem: routeopt.Problem, seed: int, iterations: int, last_weekday: str,
         regularity: str = routeopt.PlanOptions.regularity) -> routeopt.Plan:
    options = routeopt.PlanOptions(time_limit=3600, seed=seed, workers=1, max_iterations=iterations,
                                   last_weekday=last_weekday, regularity=regularity)
    return routeopt.plan(problem, options)


def figures(result: routeopt.Plan) -> dict[str, float]:
    totals = result.summary()["totals"]
    regular = totals["regularity"]
    return {
        "drive": totals["travel_min"],
        "coverage": totals["coverage"],
        "kept_before": regular["last_weekday_share"] or 0.0,
        "kept_weekly": regular["weekly_biweekly_share"] or 0.0,
    }


def next_month(problem: routeopt.Problem, month: routeopt.Plan) -> routeopt.Problem:
    """``problem`` over the four weeks after ``month``, each customer's ``last_visit`` its last visit there."""
    last: dict[str, dt.date] = {}
    for route in month.routes:
        for stop in route.visits:
            last[stop.customer_id] = max(last.get(stop.customer_id, route.date), route.date)
    horizon = routeopt.make_horizon(problem.horizon.end + dt.timedelta(days=1), WEEKS, "JP")
    customers = tuple(dataclasses.replace(c, last_visit=last.get(c.id, c.last_visit), appointments=())
                      for c in problem.customers)
    return dataclasses.replace(problem, customers=customers, horizon=horizon)


def run(name: str, seeds: list[int], iterations: int, out: Path,
        regularity: str = routeopt.PlanOptions.regularity) -> dict[str, dict[str, Any]]:
    customers, reps = tables(name, out)
    first = routeopt.read_problem(str(customers), str(reps), routeopt.make_horizon(START, WEEKS, "JP"))
    rows: dict[str, list[dict[str, float]]] = {}
    for seed in seeds:
        month1 = {way: plan(first, seed, iterations, way, regularity) for way in WAYS}
        second = next_month(first, month1["free"])
        for way in WAYS:
            month2 = plan(second, seed, iterations, way, regularity)
            for label, result in ((f"month 1, {way}", month1[way]), (f"month 2, {way}", month2)):
                rows.setdefault(label, []).append(figures(result))
                print(json.dumps({"scenario": name, "seed": seed, "plan": label, **rows[label][-1]}), file=sys.stderr)
    return {label: {k: statistics.mean(r[k] for r in runs) for k in runs[0]} for label, runs in rows.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scenarios", nargs="+", default=["example", "s300"])
    parser.add_argument("--seeds", nargs="+", type=int, default=[0, 1, 2])
    parser.add_argument("--iterations", type=int, default=100)
    parser.add_argument("--regularity", choices=("soft", "strict"), default=routeopt.PlanOptions.regularity)
    args = parser.parse_args()
    out = Path(tempfile.gettempdir()) / "routeopt-bench-continuity"
    print("| scenario | plan | driving min | vs free | kept from before | weekly+biweekly on one weekday | coverage |")
    print("|---|---|---|---|---|---|---|")
    for name in args.scenarios:
        result = run(name, args.seeds, args.iterations, out, args.regularity)
        for label, mean in result.items():
            free = result[label.replace("keep", "free")]["drive"]
            print(f"| {name} | {label} | {mean['drive']:.0f} | {mean['drive'] / free - 1:+.1%} "
                  f"| {mean['kept_before']:.1%} | {mean['kept_weekly']:.1%} | {mean['coverage']:.4f} |", flush=True)


if __name__ == "__main__":
    main()
