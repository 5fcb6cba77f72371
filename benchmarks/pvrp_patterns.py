#!/usr/bin/env python3
"""Is a Cordeau PVRP plan's gap in its visit-day patterns or in its routes?

    python benchmarks/pvrp_patterns.py SOLUTION.json [--seconds 40] [--seed 1]

Takes a plan (``NAME.solution.json`` of ``routeopt bench`` or ``bench_literature.py``; the instance
is ``../shared/benchmarks/pvrp/NAME``) and lets PyVRP's routing of the whole plan
(:func:`routeopt.schedule.pyvrp_engine.route_across_days`, customers with one visit free to change
their day) run for the same time twice:

* ``own patterns``: from the plan as it is;
* ``Cordeau's patterns``: from the plan with every customer of several visits moved to the days it
  has in Cordeau's own solution (``solutions_cordeau/NAME.res``), each visit at its cheapest place
  (vehicles may be overloaded: the routing has to settle the loads).

Each line gives the cost of the cheapest plan within every rule the routing found, or says it found
none cheaper than the plan given, with the gap to the best known (``pvrp/bks.csv``). When only the
second finds a cheaper plan, the plan's gap lies in the patterns its search chose.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path

from routeopt.bench import lit_instance
from routeopt.input.literature import pattern_days, read_instance
from routeopt.schedule.instance import FIRST_CUSTOMER, RepInstance
from routeopt.schedule.pyvrp_engine import route_across_days
from routeopt.schedule.solution import RepSolution, copy_solution

DATA = Path(__file__).resolve().parents[2] / "shared" / "benchmarks" / "pvrp"


def read_plan(inst: RepInstance, record: dict, numbers: dict[int, int], vehicles: int) -> RepSolution:
    """A solution record (``routes``: day, vehicle, customer numbers) as a timed plan of ``inst``."""
    sol = RepSolution()
    by_day: dict[int, list[list[int]]] = {}
    for route in record["routes"]:
        by_day.setdefault(route["day"], []).append([numbers[c] for c in route["customers"]])
    for day, seqs in by_day.items():
        for k, seq in enumerate(s for s in seqs if s):
            route = (day - 1) * vehicles + k
            timing = inst.time(route, seq, {})
            if timing is None:
                sys.exit(f"day {day}, route {k + 1} breaks a rule")
            sol.seqs[route], sol.timings[route] = seq, timing
    return sol


def cordeau_days(name: str) -> dict[int, list[int]]:
    """Customer number → the days (1-based) of its visits in Cordeau's own solution."""
    days: dict[int, list[int]] = {}
    for line in (DATA / "solutions_cordeau" / f"{name}.res").read_text().splitlines()[1:]:
        fields = line.split()
        if len(fields) >= 5:
            for number in fields[5:-1]:
                days.setdefault(int(number), []).append(int(fields[0]))
    return days


def moved(inst: RepInstance, sol: RepSolution, days: dict[int, frozenset[int]]) -> RepSolution:
    """``sol`` with each node of ``days`` on those calendar days, each visit at its cheapest place
    by distance; the timings (the price to beat) stay ``sol``'s."""
    trial = copy_solution(sol)
    trial.seqs = {r: [n for n in seq if n not in days] for r, seq in trial.seqs.items()}
    travel, end = inst.travel, FIRST_CUSTOMER - 1
    for node, on in days.items():
        for day in sorted(on):
            options = []
            for r, off in enumerate(inst.offsets):
                if off == day:
                    seq = trial.seqs.get(r, [])
                    stops = [0, *seq, end]
                    options += [(travel[a][node] + travel[node][b] - travel[a][b], r, i)
                                for i, (a, b) in enumerate(zip(stops, stops[1:], strict=False))]
            _, r, i = min(options)
            trial.seqs.setdefault(r, []).insert(i, node)
    trial.seqs = {r: seq for r, seq in trial.seqs.items() if seq}
    return trial


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("solution", type=Path)
    parser.add_argument("--seconds", type=float, default=40.0, help="routing time of each variant (default 40)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    record = json.loads(args.solution.read_text())
    name = record["instance"]
    lit = read_instance(DATA / name)
    inst = lit_instance(lit)
    numbers = {c.index: FIRST_CUSTOMER + k for k, c in enumerate(lit.customers)}
    best = {row["instance"]: float(row["bks_distance"]) for row in csv.DictReader((DATA / "bks.csv").open())}[name]
    start = read_plan(inst, record, numbers, lit.vehicles_per_day)
    theirs = cordeau_days(name)
    several = {numbers[c.index]: frozenset(d - 1 for d in theirs[c.index]) for c in lit.customers
               if len(pattern_days(c.patterns[0], lit.days)) > 1 and len(c.patterns) > 1}
    differ = sum(1 for node, days in several.items() if frozenset(
        inst.offsets[r] for r, seq in start.seqs.items() if node in seq) != days)
    print(f"{name}: plan {start.cost:.2f} ({100 * (start.cost - best) / best:+.2f} %), best known {best:.2f}; "
          f"{len(several)} customers with several visits and a choice, {differ} on other days than Cordeau's")
    for label, plan in (("own patterns", copy_solution(start)), ("Cordeau's patterns", moved(inst, start, several))):
        if route_across_days(inst, plan, args.seconds, args.seed, None, several=False):
            print(f"  {label}: {plan.cost:.2f} ({100 * (plan.cost - best) / best:+.2f} %) after {args.seconds:g} s")
        else:
            print(f"  {label}: no plan cheaper than {start.cost:.2f} in {args.seconds:g} s")


if __name__ == "__main__":
    main()
