#!/usr/bin/env python3
"""The planner's backends side by side: the local process pool against Ray with 1 and 2 CPUs, every
rep at the same search budget; what a rep costs to send; where more nodes would take a national book;
what a longer budget per rep gains.

    python benchmarks/bench_backend.py s1000 --seconds 5.7                  # pool, Ray 1 CPU, Ray 2 CPUs
    python benchmarks/bench_backend.py national --seconds 1 --budgets 5.7,30 --sample 4
    python benchmarks/bench_backend.py s1000 --runs none --budgets 5.7,30   # only the budget sample

Scenarios: ``s120``, ``s300``, ``s1000`` (benchmarks/scenarios.py, written when missing) and
``national``: a stand-in national book of 20,000 customers and 200 reps, made here by repeating
the s1000 recipe over 25 towns of 800 customers and 8 reps (each a seeded draw of the real
Takamatsu points, moved onto a 5 × 5 grid 0.6° apart with up to ±0.001° of jitter); each rep holds
about 100 customers, as in s1000 (125).

Each run is a fresh process that builds every rep's instance as the planner does, hands them to
:func:`routeopt.backend.solve_all` with ``--seconds`` each, and reports: wall time from the first
job handed over to the last plan back (Ray's start-up apart), the seconds each rep's solve took in
its worker, the peak resident memory of each worker (``ru_maxrss``), and the peak PSS of the whole
process tree (the driver, the pool's workers or Ray's daemons and workers), with the tree's PSS
before the run (the driver with every instance built, plus Ray's idle processes) and the driver's
alone. Ray runs start a Ray of their own on the loopback address.

``--budgets A,B`` plans ``--sample`` reps (evenly spread over the book) with each budget, two at a
time on the process pool, and compares their driving minutes and visits planned.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import multiprocessing
import os
import pickle
import platform
import random
import resource
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import scenarios

import routeopt
from routeopt.backend import solve_all
from routeopt.planner import rep_results
from routeopt.schedule.instance import RepInstance, build_instance
from routeopt.schedule.solve import solve_rep
from routeopt.territory.nearest import assign_nearest

HERE = Path(__file__).resolve().parent
OUT = HERE / "out" / "scenarios"
CONFIGS = {"pool": ("local", 2), "ray1": ("ray", 1), "ray2": ("ray", 2)}
"""Run name → (backend, workers or Ray CPUs)."""
RAY_ENV = {"RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER": "0", "RAY_USAGE_STATS_ENABLED": "0"}
"""Ray on this machine only: every address 127.0.0.1, no usage report."""
TOWNS, TOWN_CUSTOMERS, TOWN_REPS, GRID_DEG, JITTER_DEG = 25, 800, 8, 0.6, 0.001
MB = 1e6


# --- scenarios -----------------------------------------------------------------------------------

def scenario(name: str) -> tuple[Path, Path]:
    folder = OUT / name
    if not (folder / "customers.csv").exists():
        return national_book(folder) if name == "national" else scenarios.write_scenario(name, OUT)
    return folder / "customers.csv", folder / "reps.csv"


def national_book(folder: Path) -> tuple[Path, Path]:
    """Write the stand-in national book (see the module's docstring) into ``folder``."""
    rng = random.Random("national")
    customers: list[dict[str, str]] = []
    reps: list[dict[str, str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        for town in range(TOWNS):
            c_path, r_path = scenarios.make_scenario(f"t{town:02d}", TOWN_CUSTOMERS, TOWN_REPS, 2000 + town, tmp)
            dlat, dlon = GRID_DEG * (town // 5), GRID_DEG * (town % 5)
            prefix = f"T{town:02d}-"
            for row in read_rows(c_path):
                row["id"], row["rep"] = prefix + row["id"], prefix + row["rep"]
                row["lat"] = f"{float(row['lat']) + dlat + rng.uniform(-JITTER_DEG, JITTER_DEG):.6f}"
                row["lon"] = f"{float(row['lon']) + dlon + rng.uniform(-JITTER_DEG, JITTER_DEG):.6f}"
                customers.append(row)
            for row in read_rows(r_path):
                row["id"] = prefix + row["id"]
                for end in ("start", "end"):
                    row[f"{end}_lat"] = f"{float(row[f'{end}_lat']) + dlat:.4f}"
                    row[f"{end}_lon"] = f"{float(row[f'{end}_lon']) + dlon:.4f}"
                reps.append(row)
    folder.mkdir(parents=True, exist_ok=True)
    write_rows(folder / "customers.csv", customers)
    write_rows(folder / "reps.csv", reps)
    return folder / "customers.csv", folder / "reps.csv"


def read_rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def write_rows(path: Path, rows: list[dict[str, str]]) -> None:
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def instances(name: str) -> tuple[routeopt.Problem, list[RepInstance]]:
    """The book's problem and every rep's instance, built as the planner builds them."""
    customers, reps = scenario(name)
    horizon = routeopt.make_horizon(scenarios.START, scenarios.WEEKS, scenarios.HOLIDAYS)
    problem = routeopt.read_problem(customers, reps, horizon)
    travel = routeopt.GreatCircle()
    problem = assign_nearest(problem, travel)
    return problem, [
        build_instance(rep, tuple(c for c in problem.customers if c.rep == rep.id), problem.horizon, travel)
        for rep in problem.reps
    ]


# --- one run, in a process of its own --------------------------------------------------------------

def timed(job: tuple[Any, ...]) -> tuple[Any, float, int]:
    """Plan one rep as the planner does; also the seconds it took and the worker's peak memory (kB)."""
    began = time.perf_counter()
    solution = solve_rep(job)
    return solution, time.perf_counter() - began, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def tree_pss_kb(root: int) -> int:
    """PSS (kB) of ``root`` and every process below it."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        todo += children.get(pid, [])
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total


class PeakMemory:
    """Samples the PSS of this process's tree five times a second while in the block."""

    def __init__(self) -> None:
        self.peak = 0
        self._done = threading.Event()

    def __enter__(self) -> PeakMemory:
        def sample() -> None:
            while not self._done.wait(0.2):
                self.peak = max(self.peak, tree_pss_kb(os.getpid()))

        self._thread = threading.Thread(target=sample, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._done.set()
        self._thread.join()


def run(name: str, config: str, seconds: float) -> dict[str, Any]:
    backend, width = CONFIGS[config]
    began = time.perf_counter()
    problem, insts = instances(name)
    built = time.perf_counter() - began
    options = routeopt.PlanOptions(seed=0, workers=width, backend=backend)
    driver_kb = tree_pss_kb(os.getpid())
    idle_kb, ray_start = driver_kb, 0.0
    if backend == "ray":
        import ray

        t = time.perf_counter()
        ray.init(address="local", num_cpus=width, include_dashboard=False, logging_level="WARNING")
        ray_start = time.perf_counter() - t
        time.sleep(2)
        idle_kb = tree_pss_kb(os.getpid())
    jobs = [(inst, seconds, options) for inst in insts]
    per_rep: list[float] = []
    worker_kb: list[int] = []
    travel = 0
    with PeakMemory() as memory:
        t = time.perf_counter()
        for finished in solve_all(timed, jobs, options, multiprocessing.get_context().Event()):
            solution, took, maxrss = finished.solution
            per_rep.append(took)
            worker_kb.append(maxrss)
            routes, _ = rep_results(insts[finished.index], solution)
            travel += sum(r.travel_min for r in routes)
        wall = time.perf_counter() - t
    return {
        "scenario": name, "config": config, "reps": len(insts), "customers": len(problem.customers),
        "seconds_per_rep": seconds, "build_s": round(built, 2), "ray_start_s": round(ray_start, 2),
        "wall_s": round(wall, 2), "rep_s": [round(x, 3) for x in per_rep], "worker_peak_mb": max(worker_kb) / 1e3,
        "tree_peak_mb": memory.peak / 1e3, "before_mb": idle_kb / 1e3,
        "driver_mb": driver_kb / 1e3, "travel_min": travel,
    }


# --- what travels ---------------------------------------------------------------------------------

def sizes(name: str) -> dict[str, float]:
    """Pickled bytes of each rep's job as Ray sends it (and of its plan coming back), against the book."""
    from routeopt.backend.ray import travelling

    problem, insts = instances(name)
    options = routeopt.PlanOptions()
    sent = [len(pickle.dumps(travelling((inst, 5.7, options)), protocol=5)) for inst in insts]
    back = [len(pickle.dumps(solve_rep((inst, 0.1, replace(options, max_iterations=0))), protocol=5))
            for inst in insts[:3]]
    return {
        "customers_per_rep_mean": len(problem.customers) / len(insts),
        "customers_per_rep_max": max(len(inst.customers) for inst in insts),
        "job_mb_mean": sum(sent) / len(sent) / MB, "job_mb_max": max(sent) / MB,
        "plan_back_mb_max": max(back) / MB, "book_mb": len(pickle.dumps(problem, protocol=5)) / MB,
    }


# --- a longer budget for a sample of reps --------------------------------------------------------

def budgets(name: str, seconds: list[float], sample: int) -> list[dict[str, Any]]:
    _, insts = instances(name)
    step = len(insts) / sample
    chosen = [insts[int(k * step)] for k in range(sample)]
    rows = []
    for budget in seconds:
        options = routeopt.PlanOptions(seed=0, workers=2)
        jobs = [(inst, budget, options) for inst in chosen]
        for finished in solve_all(timed, jobs, options, multiprocessing.get_context().Event()):
            solution, took, _ = finished.solution
            inst = chosen[finished.index]
            routes, missed = rep_results(inst, solution)
            rows.append({"rep": inst.rep.id, "customers": len(inst.customers), "budget_s": budget,
                         "used_s": round(took, 1), "travel_min": sum(r.travel_min for r in routes),
                         "visits": sum(len(r.visits) for r in routes), "missed": len(missed)})
    return rows


# --- report --------------------------------------------------------------------------------------

def expected(rep_s: list[float], cpus: int) -> float:
    """Makespan of the measured per-rep times over ``cpus`` (longest first, each to the first free CPU)."""
    free = [0.0] * cpus
    for t in sorted(rep_s, reverse=True):
        k = free.index(min(free))
        free[k] += t
    return max(free)


def report(size: dict[str, float], runs: list[dict[str, Any]], sample: list[dict[str, Any]]) -> str:
    lines = [f"machine: {platform.node()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
             f"Ray {ray_version()}", ""]
    lines.append(f"sent per rep (pickled, as Ray sends it): mean {size['job_mb_mean']:.3f} MB, max "
                 f"{size['job_mb_max']:.3f} MB ({size['customers_per_rep_mean']:.0f} customers a rep on average, "
                 f"{size['customers_per_rep_max']} at most); a plan back ≤ {size['plan_back_mb_max']:.3f} MB; "
                 f"the whole book {size['book_mb']:.2f} MB")
    if runs:
        lines += ["", "| run | reps | s per rep | wall s | sum of rep s | mean rep s | Ray start s | peak PSS of all "
                  "processes MB | before the run MB | driver MB | peak RSS per worker MB | driving min |",
                  "|---|---|---|---|---|---|---|---|---|---|---|---|"]
        for r in runs:
            lines.append(f"| {r['config']} | {r['reps']} | {r['seconds_per_rep']} | {r['wall_s']} | "
                         f"{sum(r['rep_s']):.1f} | {sum(r['rep_s']) / len(r['rep_s']):.2f} | {r['ray_start_s']} | "
                         f"{r['tree_peak_mb']:.0f} | {r['before_mb']:.0f} | {r.get('driver_mb', 0):.0f} | "
                         f"{r['worker_peak_mb']:.0f} | "
                         f"{r['travel_min']} |")
        lines.append("")
        for r in runs:
            cpus = CONFIGS[r["config"]][1]
            ideal = expected(r["rep_s"], cpus)
            lines.append(f"{r['config']}: wall {r['wall_s']} s, {ideal:.1f} s expected from its own per-rep times "
                         f"on {cpus} CPU(s): overhead {r['wall_s'] - ideal:.1f} s")
        base = next((r for r in runs if r["config"] == "ray2"), runs[-1])
        reps, rep_s = base["reps"], base["rep_s"]
        one = expected(rep_s, 2)
        lines += ["", f"expected wall time on N nodes of 2 CPUs from the per-rep times of {base['config']} (mean "
                  f"{sum(rep_s) / len(rep_s):.2f} s a rep; longest first to the first free CPU, no overhead), and "
                  "the budget each rep could get in the wall time of 1 node:", "",
                  "| nodes × 2 CPUs | wall s at this budget | rep budget in the wall time of 1 node |", "|---|---|---|"]
        for nodes in (1, 2, 4, 10, 25, 50, 100):
            cpus = 2 * nodes
            lines.append(f"| {nodes} | {expected(rep_s, cpus):.1f} | {one / math.ceil(reps / cpus):.1f} s |")
    if sample:
        lines += ["", "| rep | customers | budget s | used s | driving min | visits | missed |",
                  "|---|---|---|---|---|---|---|"]
        for s in sorted(sample, key=lambda s: (s["rep"], s["budget_s"])):
            lines.append(f"| {s['rep']} | {s['customers']} | {s['budget_s']} | {s['used_s']} | {s['travel_min']} | "
                         f"{s['visits']} | {s['missed']} |")
        lo, hi = min(s["budget_s"] for s in sample), max(s["budget_s"] for s in sample)
        at = {b: sum(s["travel_min"] for s in sample if s["budget_s"] == b) for b in (lo, hi)}
        visits = {b: sum(s["visits"] for s in sample if s["budget_s"] == b) for b in (lo, hi)}
        lines.append(f"\nsample total: {at[lo]} min driving at {lo} s, {at[hi]} at {hi} s "
                     f"({(at[hi] - at[lo]) / at[lo]:+.1%}); visits {visits[lo]} → {visits[hi]}")
    return "\n".join(lines)


def ray_version() -> str:
    try:
        import ray
    except ImportError:
        return "not installed"
    return str(ray.__version__)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("scenario", help="s120, s300, s1000 or national")
    ap.add_argument("--seconds", type=float, default=5.7, help="search budget of every rep in the runs")
    ap.add_argument("--runs", default="pool,ray1,ray2", help=f"comma-separated, of {', '.join(CONFIGS)}; or none")
    ap.add_argument("--budgets", default="", help="two budgets, e.g. 5.7,30: a sample of reps planned with each")
    ap.add_argument("--sample", type=int, default=4, help="reps in the budget sample")
    ap.add_argument("--run", choices=list(CONFIGS), help=argparse.SUPPRESS)  # one run, in a child process
    ap.add_argument("--json", type=Path, help="also write every figure as JSON here")
    args = ap.parse_args()
    if args.run:
        print(json.dumps(run(args.scenario, args.run, args.seconds)))
        return
    scenario(args.scenario)
    load = os.getloadavg()[0]
    size = sizes(args.scenario)
    runs = []
    for config in [] if args.runs == "none" else args.runs.split(","):
        cmd = [sys.executable, __file__, args.scenario, "--run", config, "--seconds", str(args.seconds)]
        done = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ, **RAY_ENV}, check=True)
        runs.append(json.loads(done.stdout.strip().splitlines()[-1]))
        print(f"{config}: {runs[-1]['wall_s']} s", file=sys.stderr)
    sample = budgets(args.scenario, [float(b) for b in args.budgets.split(",")], args.sample) if args.budgets else []
    print(f"{time.strftime('%Y-%m-%d %H:%M')} UTC, {args.scenario}, load average at the start {load:.1f}")
    print(report(size, runs, sample))
    if args.json:
        args.json.write_text(json.dumps({"sizes": size, "runs": runs, "budgets": sample}, indent=1))


if __name__ == "__main__":
    main()
