#!/usr/bin/env python3
"""Territories where sales teams really are: the shared office, the national fleet, s1000 uneven.

    python benchmarks/bench_territory_scale.py office   --plan-time 120   # (a) every rep at one office, overloaded
    python benchmarks/bench_territory_scale.py national --plan-time 300   # (b) 20,000 customers, 200 reps
    python benchmarks/bench_territory_scale.py s1000    --plan-time 120   # (c) the s1000 uneven split

Each run, as a user would, in child processes: the scenario's generator
(``scenario_office.py``, ``scenario_national.py``, ``scenarios.py`` + ``uneven_split``);
``routeopt capacity``; ``routeopt territory CURRENT --out designed.csv`` (wall time and peak memory
measured); ``routeopt compare current.csv designed.csv --plans plans`` at the same planner budget
(``--workers 2 --seed 0``); ``routeopt validate`` and ``shared/tools/check_plan.py`` on every plan.
It prints the figures (and ``--append`` adds them to RESULTS.md): per split coverage, working
minutes max ÷ mean, driving per planned visit, missed share per priority; and the capacity
estimate against the plans — the estimated minutes per visit (on site + driving) against the
plans' own, and (when the plan covers nearly everything) the book's estimated minutes against
the minutes the plan uses.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import platform
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

import scenarios

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "RESULTS.md"
CHECKER = HERE.parents[1] / "shared" / "tools" / "check_plan.py"


def run(*args: str, check: bool = True) -> tuple[subprocess.CompletedProcess[str], float, int]:
    """Run a command; (process, wall seconds, peak memory in MB of the child)."""
    began = time.perf_counter()
    timed = ["/usr/bin/time", "-f", "%M"] if Path("/usr/bin/time").exists() else []
    proc = subprocess.run([*timed, *args], capture_output=True, text=True)
    wall = time.perf_counter() - began
    peak = 0
    if timed:
        lines = proc.stderr.strip().splitlines()
        if lines and lines[-1].isdigit():  # /usr/bin/time's line: peak resident memory in kB
            peak = int(lines[-1]) // 1024
            proc.stderr = "\n".join(lines[:-1])
    if check and proc.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed ({proc.returncode}): {proc.stderr.strip()[-2000:]}")
    return proc, wall, peak


def routeopt(*args: str, check: bool = True) -> tuple[subprocess.CompletedProcess[str], float, int]:
    return run(sys.executable, "-m", "routeopt_cli.main", *args, check=check)


def scenario(name: str, out: Path) -> tuple[Path, Path]:
    """(current split, reps) of the named scenario."""
    if name == "office":
        import scenario_office
        return scenario_office.make_office(out)
    if name == "national":
        import scenario_national
        return scenario_national.make_national(out)
    s = scenarios.SCENARIOS["s1000"]
    customers, reps = scenarios.make_scenario("s1000", s.n_customers, s.n_reps, s.seed, out, s.weeks)
    return scenarios.uneven_split(customers, reps, customers.with_name("current.csv"), heavy="R8"), reps


def plan_figures(plan: Path, customers: Path, reps: Path) -> dict:
    summary = json.loads((plan / "summary.json").read_text(encoding="utf-8"))
    totals = summary["totals"]
    with open(customers, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    priority = {r["id"]: r.get("priority") or "1" for r in rows}
    minutes = {r["id"]: int(r.get("visit_minutes") or 30) for r in rows}
    due_by, missed_by = defaultdict(int), defaultdict(int)
    with open(plan / "unscheduled.csv", encoding="utf-8-sig", newline="") as fh:
        for r in csv.DictReader(fh):
            missed_by[priority[r["customer_id"]]] += 1
    visit_min = 0
    with open(plan / "itinerary.csv", encoding="utf-8-sig", newline="") as fh:
        for r in csv.DictReader(fh):
            if r["kind"] == "visit":
                visit_min += minutes[r["customer_id"]]
    import routeopt
    problem = routeopt.read_problem(customers, reps,
                                    routeopt.make_horizon(dt.date.fromisoformat(summary["options"]["start"]),
                                                          summary["options"]["weeks"], summary["options"]["holidays"]))
    for cid, n in problem.due_visits().items():
        due_by[priority[cid]] += n
    return {
        "coverage": totals["coverage"], "visits_due": totals["visits_due"], "visits_planned": totals["visits_planned"],
        "travel_min": totals["travel_min"], "work_min": totals["work_min"], "wait_min": totals["wait_min"],
        "visit_min": visit_min, "work_max_over_mean": totals["workload_max_over_mean"],
        "travel_per_visit": round(totals["travel_min"] / max(1, totals["visits_planned"]), 2),
        "missed_by_priority": {p: round(missed_by[p] / due_by[p], 3) for p in sorted(due_by)},
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("scenario", choices=["office", "national", "s1000"])
    ap.add_argument("--out", type=Path, default=HERE / "out" / "territory_scale")
    ap.add_argument("--plan-time", type=float, default=120.0, help="planner seconds per split")
    ap.add_argument("--territory-time", type=float, default=30.0, help="routeopt territory --time-limit")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--append", action="store_true", help="append the figures to RESULTS.md")
    ap.add_argument("--also", type=Path, action="append", default=[],
                    help="another split to plan beside current and designed (e.g. an earlier version's design)")
    args = ap.parse_args()

    current, reps = scenario(args.scenario, args.out / args.scenario)
    folder = current.parent
    weeks = scenarios.WEEKS
    common = ["--reps", str(reps), "--start", scenarios.START.isoformat(), "--weeks", str(weeks), "--holidays", "JP"]
    capacity = json.loads(routeopt("capacity", str(current), *common, "--json")[0].stdout)
    designed = folder / "designed.csv"
    proc, t_design, mem_design = routeopt("territory", str(current), "--out", str(designed), *common,
                                          "--time-limit", str(args.territory_time), "--quiet")
    design_note = proc.stderr.strip().splitlines()
    plans = folder / "plans"
    if plans.exists():
        import shutil
        shutil.rmtree(plans)
    current_copy = folder / "current.csv"
    if current != current_copy:
        current_copy.write_bytes(current.read_bytes())
    extra = [folder / p.name for p in args.also]
    for src, dst in zip(args.also, extra, strict=True):
        if src.resolve() != dst.resolve():
            dst.write_bytes(src.read_bytes())
    _, t_compare, mem_compare = routeopt("compare", str(current_copy), str(designed), *map(str, extra), *common,
                                         "--time-limit", str(args.plan_time), "--workers", str(args.workers),
                                         "--seed", "0", "--plans", str(plans), "--out", str(folder / "table.csv"),
                                         "--quiet")
    figures, checks = {}, {}
    for split, customers in (("current", current_copy), ("designed", designed), *((p.stem, p) for p in extra)):
        plan = plans / split
        figures[split] = plan_figures(plan, customers, reps)
        ok_validate = routeopt("validate", str(plan), "--customers", str(customers), "--reps", str(reps),
                               check=False)[0].returncode == 0
        ok_checker = run(sys.executable, str(CHECKER), "--customers", str(customers), "--reps", str(reps), "--plan",
                         str(plan), "--start", scenarios.START.isoformat(), "--weeks", str(weeks), "--holidays", "JP",
                         check=False)[0].returncode == 0
        checks[split] = (ok_validate, ok_checker)
    book_per_visit = (capacity["visit_min"] + capacity["driving_min"]) / capacity["visits_due"]
    est_per_visit = capacity["made_min"] / max(1, capacity["visits_made"])  # the visits the team would make
    lines = [
        "",
        f"## Territory at scale: {args.scenario} (current vs designed split)",
        "",
        f"- Command: `python benchmarks/bench_territory_scale.py {args.scenario} --plan-time {args.plan_time:.0f} "
        f"--territory-time {args.territory_time:.0f}` — date {dt.date.today()}, machine: {os.cpu_count()} cores shared "
        f"with other work, Python {platform.python_version()}",
        f"- `routeopt territory --time-limit {args.territory_time:.0f}`: {t_design:.0f} s wall, peak {mem_design} MB"
        + (f"; it said: {' / '.join(design_note)}" if design_note else ""),
        f"- `routeopt compare` (planner {args.plan_time:.0f} s per split, {args.workers} workers, seed 0): "
        f"{t_compare:.0f} s wall, peak {mem_compare} MB",
        f"- capacity estimate: {capacity['visits_due']} visits, {capacity['needed_min']} min needed "
        f"({book_per_visit:.1f} min per visit), team {capacity['team_min']} min, "
        f"plannable {capacity['plannable_min']}; "
        f"reps needed {capacity['reps_needed']} (team {capacity['reps']}), "
        f"visits lost ≈ {capacity['visits_lost']}; "
        f"the visits the team would make: {capacity['visits_made']}, {capacity['made_min']} min "
        f"({est_per_visit:.1f} min per visit)",
        "",
        "| split | coverage | work max÷mean | driving min / planned visit | (visit+driving) min / planned visit "
        "| visit+driving min | waiting min | missed share by priority | validate, check_plan |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for split, f in figures.items():
        per_visit = (f["visit_min"] + f["travel_min"]) / max(1, f["visits_planned"])
        missed = ", ".join(f"p{p} {v:.1%}" for p, v in f["missed_by_priority"].items())
        ok = " / ".join("ok" if c else "BROKEN" for c in checks[split])
        lines.append(f"| {split} | {f['coverage']:.3f} | {f['work_max_over_mean']:.3f} | {f['travel_per_visit']:.2f} | "
                     f"{per_visit:.1f} | {f['visit_min'] + f['travel_min']} | {f['wait_min']} | {missed} | {ok} |")
    d = figures["designed"]
    per_visit_plan = (d["visit_min"] + d["travel_min"]) / max(1, d["visits_planned"])
    lines += [
        "",
        f"- capacity estimate vs the designed split's plan: {est_per_visit:.1f} estimated (of the visits the team "
        f"would make; the book's mean {book_per_visit:.1f}) vs {per_visit_plan:.1f} planned minutes per visit "
        f"({est_per_visit / per_visit_plan - 1:+.1%}; book's mean {book_per_visit / per_visit_plan - 1:+.1%}); "
        f"the book's {capacity['needed_min']} "
        f"estimated minutes vs {d['visit_min'] + d['travel_min']} planned for {d['coverage']:.1%} of the visits "
        f"(scaled to all visits: {(d['visit_min'] + d['travel_min']) / max(d['coverage'], 1e-9):.0f}, "
        f"{capacity['needed_min'] / ((d['visit_min'] + d['travel_min']) / max(d['coverage'], 1e-9)) - 1:+.1%}); "
        f"the plan fills {(d['visit_min'] + d['travel_min']) / capacity['team_min']:.1%} of the team's working minutes "
        f"with visits and driving (PLAN_FILL assumes 95 %); estimated plannable {capacity['plannable_min']} vs "
        f"planned {d['visit_min'] + d['travel_min']} min "
        f"({capacity['plannable_min'] / max(1, d['visit_min'] + d['travel_min']) - 1:+.1%}); visits lost: estimated "
        f"{capacity['visits_lost']}, planned {d['visits_due'] - d['visits_planned']}",
        "",
    ]
    text = "\n".join(lines)
    print(text)
    (folder / "result.json").write_text(json.dumps({"figures": figures, "capacity": capacity, "checks": checks,
                                                    "territory_s": t_design, "territory_mb": mem_design},
                                                   indent=2), encoding="utf-8")
    if args.append:
        with open(RESULTS, "a", encoding="utf-8") as fh:
            fh.write(text)


if __name__ == "__main__":
    main()
