"""Plan the bundled Takamatsu example with each planner stage, side by side, and check each plan.

    python benchmarks/bench_example.py [--time-limit 60] [--out benchmarks/out/example]

Prints one row per stage (construction only; construction + local search) with coverage,
travel, waiting, working minutes, solver seconds and peak memory, and the independent checker's
verdict when ``../shared/tools/check_plan.py`` is present. Paste the table into the History of
RESULTS.md and update the example's row of its current figures.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

import routeopt
from routeopt.planner import rep_results
from routeopt.schedule.construct import construct
from routeopt.schedule.instance import build_instance

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "takamatsu"
CHECKER = ROOT.parent / "shared" / "tools" / "check_plan.py"


def run_stage(problem: routeopt.Problem, options: routeopt.PlanOptions, stage: str) -> routeopt.Plan:
    """Plan with only the construction, or with construction + improvement (the default)."""
    if stage == "full":
        return routeopt.plan(problem, options)
    began = time.perf_counter()
    routes, missed = [], []
    for rep in problem.reps:
        inst = build_instance(rep, tuple(c for c in problem.customers if c.rep == rep.id), problem.horizon,
                              options.travel)
        r, u = rep_results(inst, construct(inst))
        routes += r
        missed += u
    return routeopt.Plan(problem, tuple(routes), tuple(missed), options, round(time.perf_counter() - began, 3))


def check(folder: Path, customers: Path, reps: Path) -> str:
    if not CHECKER.exists():
        return "checker absent"
    done = subprocess.run(
        [sys.executable, str(CHECKER), "--customers", str(customers), "--reps", str(reps), "--plan", str(folder),
         "--start", "2026-12-01", "--weeks", "4", "--holidays", "JP"],
        capture_output=True, text=True,
    )
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    return "0 broken rules" if done.returncode == 0 else f"BROKEN {figures['violations']}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--time-limit", type=float, default=60.0)
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "out" / "example")
    args = ap.parse_args()
    customers, reps = EXAMPLE / "customers.csv", EXAMPLE / "reps.csv"
    horizon = routeopt.make_horizon(dt.date(2026, 12, 1), 4, "JP")
    problem = routeopt.read_problem(customers, reps, horizon)
    options = routeopt.PlanOptions(time_limit=args.time_limit, seed=0)
    print(f"# {dt.date.today()} · {platform.processor() or platform.machine()} · {options.workers} workers · "
          f"Python {platform.python_version()} · routeopt {routeopt.__version__}")
    print("| stage | coverage | planned/due | travel min | travel km | wait min | work min | rep-days | s | check |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for stage in ("construction", "full"):
        plan = run_stage(problem, dataclasses.replace(options), stage)
        folder = plan.write(args.out / stage)
        t = plan.summary()["totals"]
        days = len(plan.routes)
        print(f"| {stage} | {t['coverage']:.1%} | {t['visits_planned']}/{t['visits_due']} | {t['travel_min']} | "
              f"{t['travel_km']:.1f} | {t['wait_min']} | {t['work_min']} | {days} | {plan.solver_seconds:.1f} | "
              f"{check(folder, customers, reps)} |")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"\npeak memory: main process {peak:.0f} MiB, largest worker {children:.0f} MiB")


if __name__ == "__main__":
    main()
