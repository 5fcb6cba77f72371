#!/usr/bin/env python3
"""Who is left out when the team is short: visits missed per priority on an overloaded book.

    python benchmarks/bench_priority.py                     # s300's book on 2 of its 3 reps
    python benchmarks/bench_priority.py --max-iterations 200 --out benchmarks/out/priority

The book is s300 (``scenarios.py``) with the customers of its third rep left without a rep (the
planner gives them to the nearest of the other two), no ``max_visits`` cap, and every visit 1.8 ×
as long (at most 240 minutes): about a third more work than the two reps have minutes. The plan
is made with a fixed seed and ``--max-iterations`` (repeatable), checked with ``routeopt
validate``, and the visits due and missed are counted per priority. A planner that lets priority
decide misses the priority-1 visits and keeps the others.
"""

from __future__ import annotations

import argparse
import csv
from collections import Counter
from pathlib import Path

import scenarios

import routeopt
from routeopt.evaluate.validate import validate_files

HERE = Path(__file__).resolve().parent
LONGER = 1.8
"""How much longer every visit is than in s300 (the overload)."""


def make_book(out: Path) -> tuple[Path, Path]:
    """Write the overloaded book (customers.csv, reps.csv) into ``out``."""
    customers, reps = scenarios.write_scenario("s300", out / "s300")
    rows = list(csv.DictReader(customers.open(encoding="utf-8-sig")))
    dropped = {r["id"] for r in csv.DictReader(reps.open(encoding="utf-8-sig"))} - {"R1", "R2"}
    for row in rows:
        row["rep"] = "" if row["rep"] in dropped else row["rep"]
        row["visit_minutes"] = str(min(240, int(int(row["visit_minutes"] or 30) * LONGER)))
    kept = [r for r in csv.DictReader(reps.open(encoding="utf-8-sig")) if r["id"] not in dropped]
    for rep in kept:
        rep["max_visits"] = ""
    paths = out / "customers.csv", out / "reps.csv"
    for path, table in zip(paths, (rows, kept), strict=True):
        with path.open("w", encoding="utf-8-sig", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=list(table[0]))
            writer.writeheader()
            writer.writerows(table)
    return paths


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=HERE / "out" / "priority")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--max-iterations", type=int, default=200)
    ap.add_argument("--time-limit", type=float, default=300)
    args = ap.parse_args()
    customers, reps = make_book(args.out)
    horizon = routeopt.make_horizon(scenarios.START, 4, scenarios.HOLIDAYS)
    problem = routeopt.read_problem(customers, reps, horizon)
    options = routeopt.PlanOptions(time_limit=args.time_limit, seed=args.seed, max_iterations=args.max_iterations)
    plan = routeopt.plan(problem, options)
    folder = plan.write(args.out / "plan")
    report = validate_files(folder, customers, reps)
    priority = {c.id: c.priority for c in problem.customers}
    due, missed = Counter(), Counter()
    for cid, n in problem.due_visits().items():
        due[priority[cid]] += n
    for u in plan.unscheduled:
        missed[priority[u.customer_id]] += 1
    totals = plan.summary()["totals"]
    print(f"coverage {totals['coverage']:.4f}, driving {totals['travel_min']} min, "
          f"broken rules {sum(report.counts().values())}")
    made = Counter(problem.due_visits())
    made.subtract(Counter(u.customer_id for u in plan.unscheduled))
    minutes = {c.id: c.visit_minutes for c in problem.customers}
    used = sum(n * minutes[cid] for cid, n in made.items()) + totals["travel_min"]
    planned = sum(made.values())
    estimate = routeopt.estimate_capacity(problem)
    print(f"capacity estimate: {estimate.minutes_per_made_visit:.1f} min per visit the team would make "
          f"(book's mean {estimate.minutes_per_visit:.1f}) vs {used / planned:.1f} planned "
          f"({estimate.minutes_per_made_visit / (used / planned) - 1:+.1%}); visits lost: estimated "
          f"{estimate.visits_lost}, planned {sum(due.values()) - planned}")
    print("| priority | visits due | missed | share missed |")
    print("|---|---|---|---|")
    for p in sorted(due, reverse=True):
        print(f"| {p:g} | {due[p]} | {missed[p]} | {missed[p] / due[p]:.1%} |")


if __name__ == "__main__":
    main()
