#!/usr/bin/env python3
"""Regularity and even days at scale: ``routeopt plan`` with each ``--regularity``/``--days``
setting on the national fleet, s1000 or the overloaded shared office, at the same budget.

    python benchmarks/bench_regularity_scale.py national --time-limit 900            # both settings at once
    python benchmarks/bench_regularity_scale.py s1000 --time-limit 180
    python benchmarks/bench_regularity_scale.py office --max-iterations 20 --one-at-a-time

Scenarios: ``scenario_national.py`` (20,000 customers, 200 reps, the k-means split),
``scenarios.py`` s1000 (1,000 customers, 8 reps), ``scenario_office.py`` (900 customers, 8 reps
at one office, 1.31 × overloaded). Each setting (default ``off/compact`` and ``soft/even``) is
planned by the command line in its own child process (``--workers`` 2, ``--seed`` 0), all of
them at the same time unless ``--one-at-a-time`` (a shared machine then loads them alike).
Printed per setting: wall seconds, peak memory (the planning process and its largest worker,
``getrusage``), coverage, driving minutes per planned visit, the share of weekly and biweekly
customers kept on one weekday, the days used of the days in reach (working days on which some
customer of the rep is open, over the reps with a visit due), of the days usable (as many, or
the rep's visits planned when fewer) and how many reps use fewer than that, each rep's longest
day (mean over reps) and most ÷ mean daily working minutes (the largest, and the median over
reps: a light rep's even days are short, so its ratio can grow while its longest day shrinks),
``routeopt validate`` and ``shared/tools/check_plan.py`` (broken rules). A JSON line per
setting goes to ``OUT/SCENARIO/result.json``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import scenarios

import routeopt
from routeopt.schedule.instance import customer_windows

HERE = Path(__file__).resolve().parent
CHECKER = HERE.parents[1] / "shared" / "tools" / "check_plan.py"
DEFAULT_OUT = HERE / "out" / "regularity_scale"
SETTINGS = ("off/compact", "soft/even")


def scenario(name: str, out: Path) -> tuple[Path, Path]:
    """(customers, reps) of the named scenario, written under ``out``."""
    if name == "national":
        import scenario_national
        return scenario_national.make_national(out)
    if name == "office":
        import scenario_office
        return scenario_office.make_office(out)
    return scenarios.write_scenario(name, out)


def common(reps: Path) -> list[str]:
    return ["--reps", str(reps), "--start", scenarios.START.isoformat(), "--weeks", str(scenarios.WEEKS),
            "--holidays", scenarios.HOLIDAYS]


def child(argv: list[str], usage: Path) -> int:
    """``routeopt`` with ``argv`` in this process; its wall time and peak memory to ``usage``."""
    from routeopt_cli.main import run

    sys.argv = ["routeopt", *argv]
    began = time.perf_counter()
    code = 0
    try:
        run()
    except SystemExit as e:
        code = int(e.code or 0)
    usage.write_text(json.dumps({
        "wall_s": round(time.perf_counter() - began, 1),
        "peak_self_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "peak_worker_mib": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024),
        "code": code,
    }), encoding="utf-8")
    return code


def start_plan(setting: str, customers: Path, reps: Path, folder: Path, args: argparse.Namespace) -> subprocess.Popen:
    regularity, days = setting.split("/")
    budget = ["--time-limit", str(args.time_limit)]
    if args.max_iterations is not None:
        budget += ["--max-iterations", str(args.max_iterations)]
    argv = ["plan", str(customers), *common(reps), "--out", str(folder / "plan"), *budget,
            "--workers", str(args.workers), "--seed", "0", "--regularity", regularity, "--days", days, "--quiet"]
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "command.txt").write_text("routeopt " + " ".join(argv) + "\n", encoding="utf-8")
    return subprocess.Popen([sys.executable, str(Path(__file__).resolve()), "--child", str(folder / "usage.json"),
                             "--", *argv], stdout=subprocess.DEVNULL, stderr=open(folder / "stderr.txt", "w"))


def days_in_reach(problem: routeopt.Problem) -> dict[str, int]:
    """Per rep with a visit due: its working days on which some customer of its own is open."""
    due = problem.due_visits()
    out = {}
    for rep in problem.reps:
        mine = [c for c in problem.customers if c.rep == rep.id]
        if any(due[c.id] for c in mine):
            out[rep.id] = sum(1 for day in problem.horizon.working_days(rep)
                              if any(customer_windows(c, day, rep.shift) for c in mine))
    return out


def usable(rep: dict[str, Any], in_reach: int) -> int:
    """The days a rep could work in the plan: its days in reach, or fewer when it has fewer visits."""
    return min(in_reach, rep["visits_planned"])


def figures(folder: Path, customers: Path, reps: Path, problem: routeopt.Problem,
            reach: dict[str, int]) -> dict[str, Any]:
    plan = folder / "plan"
    usage = json.loads((folder / "usage.json").read_text(encoding="utf-8"))
    summary = json.loads((plan / "summary.json").read_text(encoding="utf-8"))
    totals, per = summary["totals"], summary["per_rep"]
    validate = subprocess.run([sys.executable, "-m", "routeopt_cli.main", "validate", str(plan), "--customers",
                               str(customers), "--reps", str(reps), "--json"], capture_output=True, text=True)
    broken = json.loads(validate.stdout).get("violations", {}) if validate.stdout.strip() else {"no report": 1}
    checker = subprocess.run([sys.executable, str(CHECKER), "--customers", str(customers), *common(reps)[:2],
                              "--plan", str(plan), *common(reps)[2:]], capture_output=True, text=True)
    (folder / "check_plan.txt").write_text(checker.stdout + checker.stderr, encoding="utf-8")
    checked = json.loads(checker.stdout.strip().splitlines()[-1]) if checker.stdout.strip() else {}
    ratios = [per[r]["day_work_max_over_mean"] for r in reach if per[r]["day_work_max_over_mean"] is not None]
    return {
        **usage,
        "coverage": totals["coverage"], "visits_planned": totals["visits_planned"],
        "visits_due": totals["visits_due"], "travel_min": totals["travel_min"],
        "travel_per_visit": round(totals["travel_min"] / max(1, totals["visits_planned"]), 2),
        "weekly_biweekly_kept": totals["regularity"]["weekly_biweekly_share"],
        "days_used": sum(per[r]["days_used"] for r in reach),
        "days_in_reach": sum(reach.values()),
        "days_usable": sum(usable(per[r], n) for r, n in reach.items()),
        "reps_with_a_day_unused": sum(1 for r, n in reach.items() if per[r]["days_used"] < usable(per[r], n)),
        "longest_day_mean": round(statistics.mean(per[r]["day_work_min_most"] for r in reach)) if reach else None,
        "max_over_mean_largest": max(ratios, default=None),
        "max_over_mean_median": statistics.median(ratios) if ratios else None,
        "validate_code": validate.returncode, "validate_broken": broken,
        "checker_code": checker.returncode, "checker_broken": checked.get("violations", {"no report": 1}),
    }


def table(name: str, results: dict[str, dict[str, Any]], args: argparse.Namespace, wall: float) -> str:
    budget = (f"--time-limit {args.time_limit:g}" + (f" --max-iterations {args.max_iterations}"
                                                     if args.max_iterations is not None else ""))
    how = "one at a time" if args.one_at_a_time else "side by side (started together)"
    lines = [
        f"{name}: `routeopt plan ... {budget} --workers {args.workers} --seed 0 --regularity R --days D`, "
        f"settings {how}; {dt.date.today()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"load average at the end {os.getloadavg()[0]:.1f}; whole run {wall:.0f} s",
        "",
        "| setting | wall s | peak MiB main / largest worker | coverage | planned / due | driving min "
        "| driving / visit | weekly+biweekly on one weekday | days used / usable / in reach (reps short) "
        "| longest day min, mean over reps | day work max ÷ mean: largest, median rep | validate | check_plan |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for setting, f in results.items():
        kept = "—" if f["weekly_biweekly_kept"] is None else f"{f['weekly_biweekly_kept']:.1%}"
        spread = ("—" if f["max_over_mean_largest"] is None
                  else f"{f['max_over_mean_largest']:.3f}, {f['max_over_mean_median']:.3f}")
        validate = "OK" if f["validate_code"] == 0 else "BROKEN " + json.dumps(f["validate_broken"])
        checker = "0 broken rules" if f["checker_code"] == 0 else "BROKEN " + json.dumps(f["checker_broken"])
        lines.append(
            f"| {setting} | {f['wall_s']:.0f} | {f['peak_self_mib']} / {f['peak_worker_mib']} | {f['coverage']:.4f} "
            f"| {f['visits_planned']} / {f['visits_due']} | {f['travel_min']} | {f['travel_per_visit']:.2f} "
            f"| {kept} | {f['days_used']} / {f['days_usable']} / {f['days_in_reach']} ({f['reps_with_a_day_unused']}) "
            f"| {f['longest_day_mean']} | {spread} "
            f"| {validate} | {checker} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--child"]:
        return child(argv[3:], Path(argv[1]))
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("scenario", choices=["national", "s1000", "office", "s300", "s120"])
    ap.add_argument("--settings", nargs="+", default=list(SETTINGS), help="REGULARITY/DAYS, e.g. soft/even")
    ap.add_argument("--time-limit", type=float, default=900.0, help="routeopt plan --time-limit")
    ap.add_argument("--max-iterations", type=int, default=None, help="routeopt plan --max-iterations")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--one-at-a-time", action="store_true", help="the settings one after the other")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    ap.add_argument("--figures-only", action="store_true", help="the figures of the plans an earlier run left in OUT")
    args = ap.parse_args(argv)
    began = time.perf_counter()
    customers, reps = scenario(args.scenario, args.out / args.scenario)
    problem = routeopt.read_problem(customers, reps, routeopt.make_horizon(scenarios.START, scenarios.WEEKS,
                                                                           scenarios.HOLIDAYS))
    reach = days_in_reach(problem)
    folders = {s: args.out / args.scenario / s.replace("/", "-") for s in args.settings}
    running = []
    for setting in [] if args.figures_only else args.settings:
        running.append(start_plan(setting, customers, reps, folders[setting], args))
        if args.one_at_a_time:
            running[-1].wait()
    codes = [p.wait() for p in running]
    if any(codes):
        raise SystemExit(f"a plan failed: {dict(zip(args.settings, codes, strict=False))}; see {args.out}")
    results = {s: figures(folders[s], customers, reps, problem, reach) for s in args.settings}
    with open(args.out / args.scenario / "result.json", "w", encoding="utf-8") as fh:
        for setting, f in results.items():
            fh.write(json.dumps({"setting": setting, **f}) + "\n")
    print(table(args.scenario, results, args, time.perf_counter() - began))
    ok = all(f["validate_code"] == 0 and f["checker_code"] == 0 for f in results.values())
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
