"""Regularity and even days side by side: driving, customers kept on one weekday, days used and
the spread of daily working minutes, for each ``--regularity`` × ``--days`` setting. ``out+back``
is the part of the driving spent getting to each day's first visit and home from its last (the
rest is between visits): what more working days cost.

    python benchmarks/bench_regularity.py [--scenarios example s300] [--seeds 0 1 2] [--iterations 100]
                                          [--last-weekday keep|free] [--ceiling [--settings]] [--time-limit S]
                                          [--course-weights M ...]

The scenarios come from benchmarks/scenarios.py (written to a temporary folder). Each setting is
planned with ``--max-iterations`` (one worker) so that runs repeat; figures are means over seeds.
``--time-limit S`` plans as the planner runs for a user instead: ``S`` seconds, two workers, no cap on
iterations (runs then move with the machine).

``--course-weights M …`` plans each ``soft`` setting once per course weight (``--course-weight M``:
``M`` minutes per visit off its customer's course instead of the planner's own): what keeping more
or fewer customers on their weekday costs.

``--ceiling`` first prints, per scenario, the most a plan that makes every visit can keep: the
weekly and biweekly customers due twice or more, and those no weekday can hold (their whole chain
of visits due on one weekday's working days, every gap within their rule, the first within
``max_gap`` of their last visit: a weekly customer last seen 36 days before the horizon's end is
due five times in four weeks), and how many weekdays could hold each weekly customer's chain.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

import routeopt
from routeopt.model import DayRoute
from routeopt.schedule.instance import build_instance
from routeopt.schedule.regularity import chain_fits

ROOT = Path(__file__).resolve().parent.parent
SETTINGS = (("off", "compact"), ("soft", "compact"), ("strict", "compact"), ("off", "even"), ("soft", "even"))


def files(name: str, scen: Path) -> tuple[Path, Path]:
    if name == "example":
        return ROOT / "examples/takamatsu/customers.csv", ROOT / "examples/takamatsu/reps.csv"
    if not (scen / name).exists():
        subprocess.run([sys.executable, str(ROOT / "benchmarks/scenarios.py"), "--out", str(scen), "--scenarios", name],
                       check=True, capture_output=True)
    return scen / name / "customers.csv", scen / name / "reps.csv"


def out_and_back(route: DayRoute) -> int:
    """Driving minutes of ``route`` up to its first visit and after its last one."""
    kinds = [s.kind for s in route.stops]
    if "visit" not in kinds:
        return route.travel_min
    first, last = kinds.index("visit"), len(kinds) - 1 - kinds[::-1].index("visit")
    return sum(s.travel_min for s in route.stops[:first + 1]) + sum(s.travel_min for s in route.stops[last + 1:])


def run(customers: Path, reps: Path, regularity: str, days: str, seed: int, iterations: int,
        last_weekday: str = routeopt.PlanOptions.last_weekday, time_limit: float | None = None,
        course_weight: float | None = None) -> dict[str, float]:
    horizon = routeopt.make_horizon(dt.date(2026, 12, 1), 4, "JP")
    problem = routeopt.read_problem(str(customers), str(reps), horizon)
    shape = {"regularity": regularity, "days": days, "last_weekday": last_weekday, "course_weight": course_weight}
    if time_limit is None:
        options = routeopt.PlanOptions(time_limit=3600, seed=seed, workers=1, max_iterations=iterations, **shape)
    else:
        options = routeopt.PlanOptions(time_limit=time_limit, seed=seed, workers=2, **shape)
    plan = routeopt.plan(problem, options)
    summary = plan.summary()
    totals, per = summary["totals"], summary["per_rep"].values()
    reach = [r for r in per if r["visits_due"]]
    return {
        "drive": totals["travel_min"],
        "out_back": sum(out_and_back(r) for r in plan.routes),
        "coverage": totals["coverage"],
        "kept_weekly": totals["regularity"]["weekly_biweekly_share"] or 0.0,
        "kept_all": totals["regularity"]["share"] or 0.0,
        "spread": totals["regularity"]["start_spread_min"] or 0.0,
        "days_short": sum(r["working_days"] - r["days_used"] for r in reach),
        "max_over_mean": max(r["day_work_max_over_mean"] or 0.0 for r in reach),
        "min_over_mean": min(r["day_work_min_over_mean"] or 0.0 for r in reach),
        "seconds": plan.solver_seconds,
    }


def ceiling(problem: routeopt.Problem) -> tuple[int, int, Counter[int]]:
    """The weekly and biweekly customers of ``problem`` due twice or more, those of them that no
    weekday can hold (so that a plan making every visit keeps at most the others on one weekday),
    and the weekly ones counted by how many weekdays could hold their chain."""
    horizon = problem.horizon
    counted = unheld = 0
    holding: Counter[int] = Counter()
    for rep in problem.reps:
        inst = build_instance(rep, tuple(c for c in problem.customers if c.rep == rep.id), horizon,
                              routeopt.PlanOptions().travel)
        for ci, c in enumerate(inst.customers):
            if c.rule.target_gap not in (7, 14) or c.rule.due_count(horizon.start, horizon.end, c.last_visit) < 2:
                continue
            node = inst.node(ci)
            held = sum(chain_fits(inst, ci, offsets) for w in range(7)
                       if (offsets := [inst.offsets[d] for d, day in enumerate(inst.days)
                                       if day.weekday() == w and inst.windows[d][node]]))
            counted += 1
            unheld += not held
            if c.rule.target_gap == 7:
                holding[held] += 1
    return counted, unheld, holding


def ceiling_text(customers: Path, reps: Path) -> str:
    horizon = routeopt.make_horizon(dt.date(2026, 12, 1), 4, "JP")
    counted, unheld, holding = ceiling(routeopt.read_problem(str(customers), str(reps), horizon))
    weekly = ", ".join(f"{k} weekday{'' if k == 1 else 's'}: {n}" for k, n in sorted(holding.items()))
    return (f"{counted} weekly+biweekly customers due twice or more, {unheld} that no weekday holds: at most "
            f"{(counted - unheld) / counted:.3f} kept; weekly customers by weekdays that hold them: {weekly}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scenarios", nargs="+", default=["example", "s300"])
    parser.add_argument("--seeds", nargs="+", type=int, default=[0, 1, 2])
    parser.add_argument("--iterations", type=int, default=100)
    parser.add_argument("--time-limit", type=float, default=None,
                        help="seconds per plan with two workers, instead of a cap on iterations")
    parser.add_argument("--settings", nargs="*", default=[f"{r}/{d}" for r, d in SETTINGS])
    parser.add_argument("--last-weekday", default=routeopt.PlanOptions.last_weekday, choices=("keep", "free"),
                        help="free: courses chosen afresh, as if the last_visit weekdays were not planned")
    parser.add_argument("--course-weights", nargs="+", type=float, default=None,
                        help="plan each soft setting once per course weight (minutes per visit off its course)")
    parser.add_argument("--ceiling", action="store_true",
                        help="first print the most each scenario can keep on one weekday")
    args = parser.parse_args()
    scen = Path(tempfile.gettempdir()) / "routeopt-bench-regularity"
    if args.ceiling:
        for name in args.scenarios:
            print(f"{name}: {ceiling_text(*files(name, scen))}", flush=True)
    if not args.settings:  # the ceiling alone
        return
    print("scenario  setting        drive  out+back  vs_off  coverage  kept_wk  kept_all  spread  days_short"
          "  max/mean  min/mean  s")
    for name in args.scenarios:
        customers, reps = files(name, scen)
        base = None
        for setting, weight in [(named, w) for named in args.settings
                                for w in (args.course_weights if named.startswith("soft/") and args.course_weights
                                          else [None])]:
            regularity, days = setting.split("/")
            runs = [run(customers, reps, regularity, days, s, args.iterations, args.last_weekday, args.time_limit,
                        weight) for s in args.seeds]
            if weight is not None:
                setting = f"soft({weight:g})/{days}"
            mean = {k: statistics.mean(r[k] for r in runs) for k in runs[0]}
            base = base or mean["drive"]
            print(f"{name:9} {setting:13} {mean['drive']:6.0f}  {mean['out_back']:8.0f}  {mean['drive'] / base:6.3f}"
                  f"  {mean['coverage']:8.4f}"
                  f"  {mean['kept_weekly']:7.3f}  {mean['kept_all']:8.3f}  {mean['spread']:6.0f}"
                  f"  {mean['days_short']:10.1f}  {mean['max_over_mean']:8.3f}  {mean['min_over_mean']:8.3f}"
                  f"  {mean['seconds']:.0f}", flush=True)
            print(json.dumps({"scenario": name, "setting": setting, **mean}), file=sys.stderr)


if __name__ == "__main__":
    main()
