#!/usr/bin/env python3
"""Territory benchmark: design territories for the 1000-customer / 8-rep scenario whose current
split is deliberately uneven, and compare current vs designed vs capped with the real planner.

    python benchmarks/bench_territory.py                      # s1000, 120 s per split, recorded in RESULTS.md
    python benchmarks/bench_territory.py --quick --no-append  # 60 customers / 3 reps, a few seconds

Steps (each a routeopt command, run as a user would, in a child process):

1. ``scenarios.py``: the s1000 scenario and ``current.csv`` (``scenarios.uneven_split``), where rep
   R8 has taken over the customers nearest its start until it holds 1.5 × the mean visit minutes;
2. ``routeopt territory current.csv --out designed.csv`` (free design);
3. ``routeopt territory current.csv --keep-current --max-moves 100 --out capped.csv``
   (10 % of the customers);
4. ``routeopt compare current.csv designed.csv capped.csv --time-limit 120 --workers 2
   --out table.csv --plans plans`` (and ``table_workload.png``).

Then the targets are checked (designed max ÷ mean working minutes ≤ 1.10 and travel ≤ the
current split's; the capped split closes ≥ half of the gap max ÷ mean − 1), and the workload
estimate is checked against the plans: estimated vs planned working and travel minutes per rep,
and the least-squares fit of the travel shares (the calibration stated in the README).

The tables go to the History of ``RESULTS.md`` and the figures to the scenario's row of its
current-figures table (``results_md.py``), unless ``--no-append``.
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
from pathlib import Path

import numpy as np
import results_md
import scenarios

HERE = Path(__file__).resolve().parent
RESULTS = results_md.RESULTS_MD
DEFAULT_OUT = HERE / "out" / "territory"


def routeopt(*args: str) -> tuple[str, float]:
    """Run a routeopt command in a child process; its stdout and wall seconds."""
    began = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "routeopt_cli.main", *args], capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"routeopt {' '.join(args)} failed ({proc.returncode}): {proc.stderr.strip()}")
    return proc.stdout, time.perf_counter() - began


def calibration(folder: Path, splits: dict[str, Path], reps: Path, weeks: int, plans: dict[str, dict]) -> dict:
    """Estimated vs planned minutes per rep and split; least-squares travel shares."""
    import routeopt
    from routeopt.territory.geometry import Geometry
    from routeopt.territory.workload import WorkloadModel, owner_index, rep_estimates

    model = WorkloadModel()
    horizon = routeopt.make_horizon(scenarios.START, weeks, scenarios.HOLIDAYS)
    rows, features = [], []
    for name, path in splits.items():
        problem = routeopt.read_problem(path, reps, horizon)
        geometry = Geometry.of(problem, routeopt.GreatCircle())
        owner = owner_index(problem, [c.rep for c in problem.customers])
        est = rep_estimates(problem, geometry, owner, model)
        due_of = problem.due_visits()
        due = np.array([due_of[c.id] for c in problem.customers], dtype=float)
        everyone = np.arange(len(owner))
        near = geometry.neighbour_minutes(owner, everyone, owner, model.neighbours)
        out_back, _ = geometry.out_back(everyone, owner)
        for r, rep in enumerate(problem.reps):
            mine = owner == r
            planned = plans[name][rep.id]
            rows.append((name, rep.id, est[r]["work_min"], planned["work_min"], est[r]["travel_min"],
                         planned["travel_min"]))
            features.append((float((due * near)[mine].sum()), float((due * 2 * out_back)[mine].sum()),
                             planned["travel_min"]))
    a = np.array(features)
    coef, *_ = np.linalg.lstsq(a[:, :2], a[:, 2], rcond=None)
    work_err = np.array([e / p - 1 for _, _, e, p, _, _ in rows])
    travel_err = np.array([e / p - 1 for *_, e, p in rows if p])
    return {"rows": rows, "fit": [float(c) for c in coef], "model": model,
            "work_err": (float(np.abs(work_err).mean()), float(np.abs(work_err).max())),
            "travel_err": (float(np.abs(travel_err).mean()), float(np.abs(travel_err).max()))}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    ap.add_argument("--time-limit", type=float, default=120.0, help="planner seconds per split")
    ap.add_argument("--territory-time-limit", type=float, default=30.0, help="design seconds")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--quick", action="store_true", help="60 customers, 3 reps, 2 weeks, short limits")
    ap.add_argument("--no-append", action="store_true", help="do not record the run in RESULTS.md")
    args = ap.parse_args()

    if args.quick:
        name, n, k, seed, weeks, heavy = "t60", 60, 3, 7, 2, "R1"
        args.time_limit, args.territory_time_limit = min(args.time_limit, 6.0), min(args.territory_time_limit, 5.0)
    else:
        s = scenarios.SCENARIOS["s1000"]
        name, n, k, seed, weeks, heavy = "s1000", s.n_customers, s.n_reps, s.seed, s.weeks, "R8"
    customers, reps = scenarios.make_scenario(name, n, k, seed, args.out, weeks)
    folder = customers.parent
    current = scenarios.uneven_split(customers, reps, folder / "current.csv", heavy=heavy, weeks=weeks)
    moves = n // 10
    common = ["--reps", str(reps), "--start", scenarios.START.isoformat(), "--weeks", str(weeks),
              "--holidays", scenarios.HOLIDAYS]
    design_args = [*common, "--time-limit", str(args.territory_time_limit), "--seed", "0"]
    out_designed, t_designed = routeopt("territory", str(current), "--out", str(folder / "designed.csv"), *design_args)
    out_capped, t_capped = routeopt("territory", str(current), "--out", str(folder / "capped.csv"), "--keep-current",
                                    "--max-moves", str(moves), *design_args)
    print(out_designed.splitlines()[-1])
    print(out_capped.splitlines()[-1])
    table_path = folder / "table.csv"
    compare_out, t_compare = routeopt(
        "compare", str(current), str(folder / "designed.csv"), str(folder / "capped.csv"), *common,
        "--time-limit", str(args.time_limit), "--workers", str(args.workers), "--seed", "0", "--out", str(table_path),
        "--plans", str(folder / "plans"))
    print(compare_out)
    with open(table_path, encoding="utf-8-sig") as fh:  # compare writes the table with a BOM, for Excel
        table = list(csv.DictReader(fh))

    plans = {  # the plans behind the table, for the check of the workload estimate
        split: json.loads((folder / "plans" / split / "summary.json").read_text(encoding="utf-8"))["per_rep"]
        for split in ("current", "designed", "capped")
    }
    cal = calibration(folder, {s: folder / f"{s}.csv" for s in plans}, reps, weeks, plans)

    by = {row["split"]: row for row in table}
    cur, des = by["current"], by["designed"]
    mom = {s: float(by[s]["work_max_over_mean"]) for s in by}
    closed = (mom["current"] - mom["capped"]) / (mom["current"] - 1) if mom["current"] > 1 else 1.0
    checks = [
        ("designed max ÷ mean ≤ 1.10", f"{mom['designed']:.3f}", mom["designed"] <= 1.10),
        ("designed travel ≤ current travel", f"{des['travel_min']} vs {cur['travel_min']} min",
         int(des["travel_min"]) <= int(cur["travel_min"])),
        (f"capped (≤ {moves} moves) closes ≥ half the gap", f"{closed:.0%} of {mom['current'] - 1:.3f} closed",
         closed >= 0.5),
    ]
    for text, value, ok in checks:
        print(f"{'MET' if ok else 'NOT MET'}: {text}: {value}")
    print(f"workload estimate vs plans: working minutes mean |error| {cal['work_err'][0]:.1%} "
          f"(max {cal['work_err'][1]:.1%}); travel {cal['travel_err'][0]:.1%} (max {cal['travel_err'][1]:.1%}); "
          f"least-squares travel shares {cal['fit'][0]:.3f} × neighbours + {cal['fit'][1]:.3f} × out-and-back")
    if args.no_append:
        return
    cols = ["split", "moved", "travel_min", "travel_km", "work_min_min", "work_min_mean", "work_min_max",
            "work_max_over_mean", "overtime_min", "coverage", "visits_unscheduled", "mean_km_to_start"]
    title = f"Territories: current (uneven) vs designed vs capped ({name}: {n} customers, {k} reps, {weeks} weeks)"
    lines = [
        f"- Command: `python benchmarks/bench_territory.py` (territory design {args.territory_time_limit:.0f} s, "
        f"1 CP-SAT worker, seed 0; compare: planner {args.time_limit:.0f} s per split, {args.workers} workers, seed 0)",
        f"- Same as: `routeopt territory current.csv --out designed.csv` · `routeopt territory current.csv "
        f"--keep-current --max-moves {moves} --out capped.csv` · `routeopt compare current.csv designed.csv "
        f"capped.csv --time-limit {args.time_limit:.0f} --workers {args.workers} --out table.csv` "
        f"(all with `--reps reps.csv --start {scenarios.START} --weeks {weeks} --holidays JP`)",
        f"- Code: commit {results_md.commit()}",
        f"- Machine: {os.cpu_count()} cores, Python {platform.python_version()}; date {dt.date.today()}; "
        f"territory {t_designed:.0f} s (designed) and {t_capped:.0f} s (capped) wall, compare {t_compare:.0f} s wall",
        f"- Current split: `scenarios.uneven_split` — {heavy} took over the customers nearest its start until it "
        "held 1.5 × the mean visit minutes",
        "",
        "| " + " | ".join(cols) + " |",
        "|" + "---|" * len(cols),
    ]
    lines += ["| " + " | ".join(row[c] for c in cols) + " |" for row in table]
    lines += [""]
    lines += [f"- {'met' if ok else '**not met**'}: {text} — {value}" for text, value, ok in checks]
    lines += [
        f"- Workload estimate against the plans behind the table ({3 * k} rep plans): working minutes per rep "
        f"off by {cal['work_err'][0]:.1%} on average (max {cal['work_err'][1]:.1%}), travel minutes by "
        f"{cal['travel_err'][0]:.1%} (max {cal['travel_err'][1]:.1%}); "
        f"a least-squares fit of the planned travel gives {cal['fit'][0]:.3f} × (mean minutes to the 3 nearest "
        f"customers of the territory) + {cal['fit'][1]:.3f} × (start → customer → end) per visit, "
        f"against the model's {cal['model'].neighbour_share} and {cal['model'].start_share}.",
        "",
    ]
    figure = results_md.Figure(
        f"Territories ({name})",
        f"designed: max ÷ mean {mom['designed']:.3f} (current {mom['current']:.3f}), travel {des['travel_min']} min "
        f"(current {cur['travel_min']}); capped (≤ {moves} moves): {by['capped']['moved']} moved, "
        f"max ÷ mean {mom['capped']:.3f}",
        results_md.command_line("bench_territory.py", sys.argv[1:]),
    )
    results_md.record(title, "\n".join(lines), figure, RESULTS)
    print(f"recorded in {RESULTS}")


if __name__ == "__main__":
    main()
