#!/usr/bin/env python3
"""routeopt's planner against straightforward OR-Tools baselines, side by side, equal budgets.

    python benchmarks/bench_planner.py [--scenarios s120,s300,s1000] [--time-limit T] [--out DIR]
    python benchmarks/bench_planner.py --quick          # 30 customers, 1 rep, 1 week, 3 s each

Scenarios come from ``scenarios.py`` (real Takamatsu locations, synthetic book; 4 weeks from
2026-12-01, JP holidays). Default budgets: s120 30 s, s300 60 s, s1000 180 s; ``--time-limit``
overrides all. Every planner gets the same wall-clock budget and the same number of worker
processes (the machine's cores): routeopt through ``routeopt.plan(problem,
PlanOptions(time_limit=T, seed=0, regularity=..., days=...))`` once per plan shape of ``--shapes``
(default ``off-compact,soft-even``: ``routeopt+off-compact`` and ``routeopt+soft-even``, named
explicitly so that the figures do not hang on the defaults), the baselines through ``ortools_baseline.solve_baseline``:
``baseline`` with a skilled user's search (parallel cheapest insertion, then guided local search
for the whole budget), ``baseline:default`` with OR-Tools' default search parameters (the
issue's literal "default search"; see ``ortools_baseline.py``). Against a baseline that plans
under 95 % of the visits due, no travel ratio is given.

Each (scenario, planner) runs in a fresh child process, so that its peak memory
(``resource.getrusage``: the process itself and its largest worker) is its own; ``--in-process``
runs them here instead (peak memory is then that of the whole run so far). Every plan folder is
re-checked with routeopt's validator (its figures fill the table) and, when present, with the
independent checker ``../shared/tools/check_plan.py`` (run with this Python).

``--engines local,ortools`` runs routeopt once per named engine and shape
(``routeopt:local+off-compact``, ...: ``PlanOptions(engine=...)``) instead of with the default engine.

Prints a markdown table, the routeopt/baseline ratios (against each baseline), the baselines'
solver statuses and every broken rule found. ``--record`` also appends them to the History of
``benchmarks/RESULTS.md`` with the command, machine, date, versions and ``--note``, and makes the
scenarios' row of its current-figures table this run's (the way ``bench_literature.py --record``
does). Plans go to ``--out`` (default ``benchmarks/out/bench``),
the checker's reports next to them (``check_plan.txt``).
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import datetime as dt
import json
import os
import platform
import resource
import shlex
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

import bench_literature  # noqa: E402
import ortools  # noqa: E402
import ortools_baseline  # noqa: E402
import results_md  # noqa: E402
import scenarios  # noqa: E402

import routeopt  # noqa: E402
from routeopt.evaluate.validate import validate_plan  # noqa: E402

ROOT = HERE.parent
CHECKER = ROOT.parent / "shared" / "tools" / "check_plan.py"
DEFAULT_OUT = HERE / "out" / "bench"
RESULTS_MD = results_md.RESULTS_MD
BUDGETS = {"s120": 30.0, "s300": 60.0, "s1000": 180.0}
QUICK_BUDGET = 3.0
SHAPES = ("off-compact", "soft-even")
"""routeopt's plan shapes, each run explicitly (``PlanOptions(regularity=..., days=...)``, whatever
the defaults are): ``off-compact`` is the one the issue's driving target is set for, ``soft-even``
(regular courses, even days) is reported beside it."""
PLANNERS = (*(f"routeopt+{shape}" for shape in SHAPES), "baseline", "baseline:default")
BASELINES = tuple(p for p in PLANNERS if p.startswith("baseline"))
COMPARABLE = 0.95
"""A baseline's travel is compared only when it plans at least this share of the visits due."""


@dataclass
class Result:
    """One planner on one scenario: the plan folder, its figures and every check."""

    scenario: str
    planner: str
    budget: float
    folder: Path
    customers: Path
    reps: Path
    weeks: int
    wall_s: float
    peak_self_mib: float
    peak_children_mib: float
    figures: dict[str, Any] = field(default_factory=dict)
    unscheduled: int = 0
    validate: dict[str, int] = field(default_factory=dict)
    validate_text: str = ""
    checker: str = "checker absent"
    checker_violations: dict[str, int] = field(default_factory=dict)
    checker_text: str = ""
    checker_figures: dict[str, Any] = field(default_factory=dict)
    statuses: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.validate and not self.checker_violations


# ------------------------------------------------------------------------------------ running


def horizon(weeks: int) -> routeopt.Horizon:
    return routeopt.make_horizon(scenarios.START, weeks, scenarios.HOLIDAYS)


def run_planner(planner: str, customers: Path, reps: Path, weeks: int, budget: float, folder: Path) -> dict[str, Any]:
    """Plan with ``planner`` within ``budget`` seconds and write the plan folder; returns timings
    and (for the baseline) the solver status per rep."""
    problem = routeopt.read_problem(customers, reps, horizon(weeks))
    out: dict[str, Any] = {"statuses": [], "notes": []}
    began = time.perf_counter()
    if planner.partition(":")[0].partition("+")[0] == "routeopt":
        plan = routeopt.plan(problem, routeopt_options(planner, budget))
    elif planner.partition(":")[0] == "baseline":
        search = planner.partition(":")[2] or "skilled"  # "baseline:NAME" = ortools_baseline's search NAME
        result = ortools_baseline.solve_baseline(problem, time_limit=budget, seed=0, search=search)
        plan = result.plan
        out["statuses"] = [f"{r.rep}: {r.status} ({search} search), {r.n_visits} visits in the model "
                           f"({r.no_day} more had no allowed day), {len(r.dropped) - r.no_day} dropped by the "
                           f"solver, objective {r.objective}, {r.seconds:.1f} s" for r in result.runs]
        out["notes"] = result.notes
    else:
        raise ValueError(f"unknown planner {planner!r}")
    out["wall_s"] = round(time.perf_counter() - began, 2)
    plan.write(folder)
    out["peak_self_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    out["peak_children_mib"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return out


def routeopt_options(planner: str, budget: float) -> routeopt.PlanOptions:
    """The options of routeopt planner ``planner``: ``routeopt[:ENGINE][+REGULARITY-DAYS]``
    (``PlanOptions(engine=ENGINE, regularity=REGULARITY, days=DAYS)``; ``off-compact`` when no
    shape is named), seed 0, ``budget`` seconds."""
    name, _, shape = planner.partition("+")
    engine = name.partition(":")[2]
    extra: dict[str, Any] = {"engine": engine} if engine else {}
    regularity, _, days = (shape or "off-compact").partition("-")
    return routeopt.PlanOptions(time_limit=budget, seed=0, regularity=regularity, days=days, **extra)


def run_child(planner: str, customers: Path, reps: Path, weeks: int, budget: float, folder: Path) -> dict[str, Any]:
    """:func:`run_planner` in a fresh Python process (its own peak memory)."""
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", planner, "--customers", str(customers),
           "--reps", str(reps), "--weeks", str(weeks), "--time-limit", str(budget), "--out", str(folder)]
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"{planner} failed:\n{done.stderr[-3000:]}")
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def check(folder: Path, customers: Path, reps: Path, weeks: int) -> tuple[str, dict[str, int], str, dict[str, Any]]:
    """The independent checker's verdict, violation counts, full text and figures."""
    if not CHECKER.exists():
        return "checker absent", {}, "", {}
    done = subprocess.run(
        [sys.executable, str(CHECKER), "--customers", str(customers), "--reps", str(reps), "--plan", str(folder),
         "--start", scenarios.START.isoformat(), "--weeks", str(weeks), "--holidays", scenarios.HOLIDAYS,
         "--show", "10"],
        capture_output=True, text=True,
    )
    text = done.stdout + done.stderr
    (folder / "check_plan.txt").write_text(text, encoding="utf-8")
    if done.returncode == 2 or not done.stdout.strip():
        return "checker could not check", {"checker_error": 1}, text, {}
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    violations = dict(figures.get("violations", {}))
    return ("0 broken rules" if done.returncode == 0 else "BROKEN " + json.dumps(violations)), violations, text, figures


def evaluate(scenario: str, planner: str, budget: float, folder: Path, customers: Path, reps: Path, weeks: int,
             run: dict[str, Any]) -> Result:
    problem = routeopt.read_problem(customers, reps, horizon(weeks))
    report = validate_plan(folder, problem)
    with open(folder / "unscheduled.csv", encoding="utf-8-sig", newline="") as fh:
        unscheduled = sum(1 for _ in csv.DictReader(fh))
    verdict, violations, text, checker_figures = check(folder, customers, reps, weeks)
    return Result(
        scenario=scenario, planner=planner, budget=budget, folder=folder, customers=customers, reps=reps, weeks=weeks,
        wall_s=run["wall_s"], peak_self_mib=run["peak_self_mib"], peak_children_mib=run["peak_children_mib"],
        figures=report.figures, unscheduled=unscheduled, validate=report.counts(),
        validate_text=report.to_text(show=10), checker=verdict, checker_violations=violations, checker_text=text,
        checker_figures=checker_figures, statuses=run["statuses"], notes=run["notes"],
    )


def bench(names: list[str], out: Path, time_limit: float | None, in_process: bool,
          weeks_of: dict[str, int] | None = None, planners: tuple[str, ...] = PLANNERS) -> list[Result]:
    """Run the planners on every scenario of ``names``; budgets from :data:`BUDGETS` unless
    ``time_limit`` is given."""
    results = []
    for name in names:
        customers, reps = scenarios.write_scenario(name, out / "scenarios")
        weeks = (weeks_of or {}).get(name, scenarios.WEEKS)
        budget = time_limit if time_limit is not None else BUDGETS.get(name, QUICK_BUDGET)
        for planner in planners:
            folder = out / "plans" / name / planner.replace(":", "-").replace("+", "-")
            folder.parent.mkdir(parents=True, exist_ok=True)
            runner = run_planner if in_process else run_child
            print(f"… {name} {planner} ({budget:g} s)", file=sys.stderr, flush=True)
            run = runner(planner, customers, reps, weeks, budget, folder)
            results.append(evaluate(name, planner, budget, folder, customers, reps, weeks, run))
    return results


def run_quick(out: Path = DEFAULT_OUT / "quick", in_process: bool = True) -> list[Result]:
    """The quick mode: the 30-customer, 1-rep, 1-week scenario, 3 s per planner."""
    return bench(["quick"], out, QUICK_BUDGET, in_process, {"quick": scenarios.QUICK.weeks})


# ------------------------------------------------------------------------------------ report


def table(results: list[Result], in_process: bool) -> str:
    mem = "peak MiB self / children, whole run so far" if in_process else "peak MiB self / worker"
    lines = [
        f"| scenario | planner | budget s | coverage | planned/due | travel min | travel km | wait min | work min "
        f"| rep-days | unscheduled | wall s | {mem} | validate | check_plan |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        f = r.figures
        validate = "OK" if not r.validate else "BROKEN " + json.dumps(r.validate)
        lines.append(
            f"| {r.scenario} | {r.planner} | {r.budget:g} | {f['coverage']:.1%} "
            f"| {f['visits_planned']}/{f['visits_due']} "
            f"| {f['travel_min']} | {f['travel_km']:.1f} | {f['wait_min']} | {f['work_min']} | {f['rep_days']} "
            f"| {r.unscheduled} | {r.wall_s:.1f} | {r.peak_self_mib:.0f} / {r.peak_children_mib:.0f} | {validate} "
            f"| {r.checker} |"
        )
    return "\n".join(lines)


def ratios(results: list[Result]) -> str:
    """routeopt against each baseline, scenario by scenario; no travel ratio ("—") against a
    baseline that plans under :data:`COMPARABLE` of the visits due (less driving for fewer visits
    says nothing)."""
    lines = ["| scenario | against | its coverage | travel min routeopt/baseline | travel km routeopt/baseline "
             "| planned routeopt − baseline |",
             "|---|---|---|---|---|---|"]
    by = {(r.scenario, r.planner): r for r in results}
    for a in results:
        if not a.planner.startswith("routeopt"):
            continue
        for b in (by.get((a.scenario, name)) for name in BASELINES):
            if b is None:
                continue
            fa, fb = a.figures, b.figures
            tm = km = "—"
            if fb["coverage"] >= COMPARABLE and fb["travel_min"] and fb["travel_km"]:
                tm, km = f"{fa['travel_min'] / fb['travel_min']:.3f}", f"{fa['travel_km'] / fb['travel_km']:.3f}"
            name = f"{a.scenario} ({a.planner})"
            lines.append(f"| {name} | {b.planner} | {fb['coverage']:.1%} | {tm} | {km} "
                         f"| {fa['visits_planned'] - fb['visits_planned']:+d} |")
    return "\n".join(lines)


def headline(results: list[Result]) -> str:
    """The run in one line, for the current-figures table: routeopt's travel ÷ the skilled
    baseline's (when that plans at least :data:`COMPARABLE` of the visits), coverage, broken rules."""
    by = {(r.scenario, r.planner): r for r in results}
    ratios, coverage = [], []
    for a in results:
        if not a.planner.startswith("routeopt"):
            continue
        name = f"{a.scenario} ({a.planner})"
        b = by.get((a.scenario, "baseline"))
        coverage.append(f"{name} {a.figures['coverage']:.1%}"
                        + (f" (baseline {b.figures['coverage']:.1%})" if b is not None else ""))
        if b is not None and b.figures["coverage"] >= COMPARABLE and b.figures["travel_min"]:
            ratios.append(f"{name} {a.figures['travel_min'] / b.figures['travel_min']:.3f}")
    parts = ([f"travel ÷ the baseline's: {', '.join(ratios)}"] if ratios else []) + [
        f"coverage {', '.join(coverage)}", "no rule broken" if all(r.ok for r in results) else "RULES BROKEN"]
    return "; ".join(parts)


def details(results: list[Result]) -> str:
    lines = []
    for r in results:
        if r.statuses:
            lines.append(f"\n{r.planner} solver status, {r.scenario}:")
            lines += [f"  {s}" for s in r.statuses]
        for note in r.notes:
            lines.append(f"  note: {note}")
    for r in results:
        if r.validate:
            lines.append(f"\n{r.scenario} {r.planner}: routeopt validate\n{r.validate_text}")
        if r.checker_violations:
            lines.append(f"\n{r.scenario} {r.planner}: check_plan.py ({r.folder / 'check_plan.txt'})\n{r.checker_text}")
        cf = r.checker_figures
        if cf and (cf.get("travel_min") != r.figures.get("travel_min")
                   or cf.get("visits_planned") != r.figures.get("visits_planned")):
            lines.append(f"\n{r.scenario} {r.planner}: check_plan.py figures differ from routeopt validate's: "
                         f"{json.dumps(cf)}")
    if not any(r.validate or r.checker_violations for r in results):
        lines.append("\nNo rule broken by any planner"
                     + (" (routeopt validate and check_plan.py)." if CHECKER.exists() else
                        " (routeopt validate; check_plan.py absent)."))
    return "\n".join(lines)


def header(workers: int) -> str:
    return (f"# {dt.date.today()} · {platform.processor() or platform.machine()} · {os.cpu_count()} cores · "
            f"{workers} workers per planner · Python {platform.python_version()} · routeopt {routeopt.__version__} · "
            f"OR-Tools {ortools.__version__}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scenarios", default=",".join(scenarios.SCENARIOS), help="comma-separated: s120,s300,s1000")
    ap.add_argument("--time-limit", type=float, default=None, help="seconds per planner and scenario (all)")
    ap.add_argument("--out", type=Path, default=None)
    ap.add_argument("--quick", action="store_true", help="tiny scenario (30 customers, 1 rep, 1 week), 3 s")
    ap.add_argument("--in-process", action="store_true", help="run the planners here, not in child processes")
    ap.add_argument("--engines", default="",
                    help="comma-separated routeopt engines to run instead of the default (PlanOptions(engine=...))")
    ap.add_argument("--shapes", default=",".join(SHAPES),
                    help="comma-separated routeopt plan shapes REGULARITY-DAYS, each run (with each engine)")
    ap.add_argument("--record", action="store_true", help="append the tables to benchmarks/RESULTS.md")
    ap.add_argument("--note", default="", help="a remark recorded with --record")
    # internal: one planner in a child process
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("--customers", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--reps", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--weeks", type=int, default=scenarios.WEEKS, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        run = run_planner(args.child, args.customers, args.reps, args.weeks, args.time_limit, args.out)
        print(json.dumps(run, ensure_ascii=False))
        return 0
    began = time.perf_counter()
    if args.quick:
        results = run_quick(args.out or DEFAULT_OUT / "quick", in_process=True)
        in_process = True
    else:
        names = [n.strip() for n in args.scenarios.split(",") if n.strip()]
        unknown = [n for n in names if n not in scenarios.SCENARIOS]
        if unknown:
            ap.error(f"unknown scenario(s) {unknown}; choose from {list(scenarios.SCENARIOS)}")
        in_process = args.in_process
        engines = [f":{e.strip()}" for e in args.engines.split(",") if e.strip()] or [""]
        shapes = [s.strip() for s in args.shapes.split(",") if s.strip()]
        planners = (*[f"routeopt{e}+{s}" for e in engines for s in shapes], *BASELINES)
        for planner in planners[:-len(BASELINES)]:
            try:
                routeopt_options(planner, 1.0)
            except ValueError as e:
                ap.error(f"{planner}: {e}")
        results = bench(names, args.out or DEFAULT_OUT, args.time_limit, in_process, planners=planners)
    body = "\n\n".join([table(results, in_process), ratios(results), details(results).strip("\n")])
    wall = time.perf_counter() - began
    print(header(dataclasses.replace(routeopt.PlanOptions()).workers))
    print()
    print(body)
    print(f"\nwhole run: {wall:.0f} s")
    if args.record:
        given = argv if argv is not None else sys.argv[1:]
        command = f"python benchmarks/bench_planner.py {' '.join(shlex.quote(a) for a in given)}"
        names = list(dict.fromkeys(r.scenario for r in results))  # in the order they ran
        title = f"Planner vs the OR-Tools baselines ({' / '.join(names)})"
        figure = results_md.Figure(title, headline(results), results_md.command_line("bench_planner.py", given))
        results_md.record(title, bench_literature.record_section(command, body, wall, args.note), figure, RESULTS_MD)
        print(f"\nrecorded in {RESULTS_MD}")
    return 0 if all(r.ok for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
