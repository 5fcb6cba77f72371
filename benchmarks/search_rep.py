#!/usr/bin/env python3
"""routeopt's search alone on reps of a benchmark scenario: where a rep's plan ends, by seed and budget.

    python benchmarks/search_rep.py s120 --rep R1 --seconds 30 --seeds 0,1,2 [--patience none] [--left-out]
        [--from-baseline SECONDS]
    python benchmarks/search_rep.py s1000 --rep all --seconds 42.7 --seeds 0,1,2,3,4,5 --jobs 2
    python benchmarks/search_rep.py s120 --rep all --seconds 3600 --max-iterations 1000 --seeds 0,1,2,3 --jobs 2

For each rep and seed: the construction, then the iterated local search
(:func:`routeopt.schedule.search.iterated_local_search`, as the planner runs it, with the
planner's acceptance threshold) for ``--seconds``; prints the
driving minutes, waiting minutes, working days used and visits planned. ``--patience none``
lets the search use its whole budget (the planner stops a rep after
:data:`~routeopt.schedule.stop.PATIENCE` perturbations without a better plan). With several
reps (``--rep all``), a last table sums each seed's driving over the reps; ``--jobs 2`` runs two
searches at a time, one per core, as the planner does.

``--from-baseline S`` starts the search from the skilled OR-Tools baseline's plan of the rep
(solved for ``S`` seconds with the same seed; the visits it leaves out start as misses) instead
of routeopt's construction: does the search end elsewhere from another start?

``--left-out`` also lists the visits that the skilled OR-Tools baseline's model cannot place (its
rhythm windows have no working day open for them, ``ortools_baseline.allowed_days``) and what
each of their visit days would save in routeopt's plan without that customer (order kept): the
driving behind routeopt's extra coverage.

``--routing-bound`` also prices each best plan's days as plain paths (start, the day's visits in
the best order, end; no opening hours, lunch or shift), exactly (:func:`path_bound`): a lower
bound of what any routing of the same visit days drives, so the plan's driving above it is all
that better routing could save, and the rest of a gap lies in the choice of visit days.

It answers questions the side-by-side benchmark (``bench_planner.py``) cannot: does more time
help, how far do seeds spread, what does extra coverage cost.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path

import bench_planner
import numpy as np
import ortools_baseline
import scenarios

import routeopt
from routeopt.options import PlanOptions
from routeopt.schedule.accept import RecordToRecord
from routeopt.schedule.construct import construct
from routeopt.schedule.instance import RepInstance, build_instance
from routeopt.schedule.search import iterated_local_search
from routeopt.schedule.solution import Miss, RepSolution
from routeopt.schedule.solve import THRESHOLD
from routeopt.schedule.stop import PATIENCE, Stop


@dataclass(frozen=True)
class Run:
    seed: int
    start: str  # "construction" or "baseline"
    start_travel: int
    seconds: float
    travel: int
    wait: int
    days: int
    visits: int
    missed: int


def rep_instance(scenario: str, rep_id: str, folder: Path) -> RepInstance:
    """The solver form of rep ``rep_id`` of ``scenario`` (written to ``folder``) with the default travel model."""
    customers, reps = scenarios.write_scenario(scenario, folder)
    problem = routeopt.read_problem(customers, reps, bench_planner.horizon(scenarios.get(scenario).weeks))
    rep = next((r for r in problem.reps if r.id == rep_id), None)
    if rep is None:
        raise LookupError(f"{scenario} has no rep {rep_id!r} (reps: {', '.join(r.id for r in problem.reps)})")
    book = tuple(c for c in problem.customers if c.rep == rep.id)
    return build_instance(rep, book, problem.horizon, PlanOptions().travel)


def baseline_start(inst: RepInstance, seconds: float, seed: int) -> RepSolution:
    """The skilled OR-Tools baseline's plan of ``inst`` in solver form (its left-out and dropped
    visits as misses, due on their ideal day)."""
    slots, reported = ortools_baseline.rep_slots(inst)
    run = ortools_baseline.solve_rep((inst, slots, seconds, seed, "skilled"))
    sol = RepSolution(missed=[Miss(ci, off, why) for ci, off, why in reported])
    for day, order in run.days.items():
        if not order:
            continue
        seq = [inst.node(slots[k].customer) for k in order]
        fixed = {inst.node(slots[k].customer): slots[k].appointment for k in order
                 if slots[k].appointment is not None}
        timing = inst.time(day, seq, fixed)
        if timing is None:  # the baseline re-times its days the same way: it should not happen
            sol.missed += [Miss(slots[k].customer, slots[k].ideal, ortools_baseline.DROPPED) for k in order]
            continue
        sol.seqs[day], sol.timings[day] = seq, timing
        if fixed:
            sol.fixed[day] = fixed
    sol.missed += [Miss(slots[k].customer, max(0, slots[k].ideal), ortools_baseline.DROPPED) for k in run.dropped]
    return sol


def run_search(inst: RepInstance, seconds: float, seed: int, patience: int | None,
               start: RepSolution | None = None, max_iterations: int | None = None) -> tuple[Run, RepSolution]:
    """Search from ``start`` (default: routeopt's construction) for ``seconds``, or ``max_iterations``
    perturbations if that comes first (the same seed and cap give the same plan at any load)."""
    began = time.monotonic()
    kind = "construction" if start is None else "baseline"
    start = start or construct(inst)
    start_travel = sum(t.travel_min for t in start.timings.values())
    stop = Stop(seconds, max_iterations, patience=patience)
    best = iterated_local_search(inst, start, stop, seed, RecordToRecord(THRESHOLD))
    run = Run(
        seed=seed,
        start=kind,
        start_travel=start_travel,
        seconds=time.monotonic() - began,
        travel=sum(t.travel_min for t in best.timings.values()),
        wait=sum(t.wait_min for t in best.timings.values()),
        days=sum(1 for seq in best.seqs.values() if seq),
        visits=sum(len(seq) for seq in best.seqs.values()),
        missed=len(best.missed),
    )
    return run, best


def left_out(inst: RepInstance) -> Counter[int]:
    """Customer index → visits the skilled baseline's model leaves out before solving (reported
    unscheduled at its fixed rhythm, or no allowed day in their window)."""
    slots, reported = ortools_baseline.rep_slots(inst)
    out = Counter(i for i, _, _ in reported)
    out.update(s.customer for s in slots if not ortools_baseline.allowed_days(inst, s))
    return out


def removal_savings(inst: RepInstance, sol: RepSolution, ci: int) -> list[int | None]:
    """Driving minutes each of customer ``ci``'s visit days would save without that visit (order
    kept); ``None`` where the day would then break a rule (a lunch taken at this customer's place
    can be what gets the rep to a later appointment in time)."""
    node = inst.node(ci)
    saved: list[int | None] = []
    for day, seq in sorted(sol.seqs.items()):
        if node not in seq:
            continue
        rest = [n for n in seq if n != node]
        fixed = {n: t for n, t in sol.fixed.get(day, {}).items() if n != node}
        timing = inst.time(day, rest, fixed) if rest else None
        if rest and timing is None:
            saved.append(None)
        else:
            saved.append(sol.timings[day].travel_min - (timing.travel_min if timing else 0))
    return saved


def path_bound(travel: tuple[tuple[int, ...], ...], stops: list[int]) -> int:
    """The least driving of a path from the start (node 0) through every node of ``stops`` to the
    end (node 1), exactly (Held and Karp's dynamic programme over subsets, one layer per subset
    size; 17 stops take about a second)."""
    n = len(stops)
    if n == 0:
        return travel[0][1]
    cost = np.array([[travel[a][b] for b in stops] for a in stops], dtype=np.int64)
    best = np.full((1 << n, n), np.iinfo(np.int64).max // 2, dtype=np.int64)  # best[subset, last stop]
    for j, node in enumerate(stops):
        best[1 << j, j] = travel[0][node]
    masks = np.arange(1 << n)
    sizes = np.array([bin(m).count("1") for m in range(1 << n)])
    for size in range(1, n):
        layer = masks[sizes == size]
        for k in range(n):
            ends = layer[(layer >> k) & 1 == 1]
            for j in range(n):
                open_ = ends[(ends >> j) & 1 == 0]
                to = open_ | (1 << j)
                best[to, j] = np.minimum(best[to, j], best[open_, k] + cost[k, j])
    back = np.array([travel[node][1] for node in stops], dtype=np.int64)
    return int((best[(1 << n) - 1] + back).min())


def routing_bound(inst: RepInstance, sol: RepSolution) -> int:
    """What the days of ``sol`` drive at least, however each is routed (:func:`path_bound` per day)."""
    return sum(path_bound(inst.travel, seq) for seq in sol.seqs.values() if seq)


def rep_ids(scenario: str, wanted: str, folder: Path) -> list[str]:
    """The rep ids ``--rep`` names: ``all``, or a comma-separated list checked against the scenario."""
    customers, reps = scenarios.write_scenario(scenario, folder)
    horizon = bench_planner.horizon(scenarios.get(scenario).weeks)
    known = [r.id for r in routeopt.read_problem(customers, reps, horizon).reps]
    if wanted == "all":
        return known
    ids = [r.strip() for r in wanted.split(",") if r.strip()]
    unknown = [r for r in ids if r not in known]
    if unknown or not ids:
        named = ", ".join(map(repr, unknown)) or repr(wanted)
        raise LookupError(f"{scenario} has no rep {named} (reps: {', '.join(known)})")
    return ids


@dataclass(frozen=True)
class Job:
    scenario: str
    rep: str
    seconds: float
    seed: int
    patience: int | None
    from_baseline: float | None
    left_out: bool
    routing_bound: bool = False
    max_iterations: int | None = None


def run_job(job: Job) -> tuple[Run, list[str]]:
    """One rep and seed (in a worker process with ``--jobs``): the run, and the left-out details."""
    with tempfile.TemporaryDirectory() as tmp:
        inst = rep_instance(job.scenario, job.rep, Path(tmp))
    start = baseline_start(inst, job.from_baseline, job.seed) if job.from_baseline is not None else None
    run, best = run_search(inst, job.seconds, job.seed, job.patience, start, job.max_iterations)
    details = []
    if job.left_out:
        counts = Counter(n for seq in best.seqs.values() for n in seq)
        for ci, n in left_out(inst).items():
            c = inst.customers[ci]
            details.append(f"{job.rep}, seed {job.seed}, {c.id}: the baseline leaves out {n} of "
                           f"{counts[inst.node(ci)]} visits; driving saved per visit day without it: "
                           f"{removal_savings(inst, best, ci)}")
    if job.routing_bound:
        details.append(f"{job.rep}, seed {job.seed}: its {run.days} days drive {run.travel} min; routed as plain "
                       f"paths (no hours, lunch or shift), at least {routing_bound(inst, best)} min")
    return run, details


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("scenario", choices=[*scenarios.SCENARIOS, "quick"])
    ap.add_argument("--rep", default="R1", help="rep id (R1, R2, …), comma-separated ids, or 'all'")
    ap.add_argument("--seconds", type=float, default=30.0, help="search budget per rep and seed")
    ap.add_argument("--seeds", default="0", help="comma-separated seeds")
    ap.add_argument("--patience", default=str(PATIENCE),
                    help=f"perturbations without a better plan before stopping, or 'none' (default {PATIENCE})")
    ap.add_argument("--from-baseline", type=float, default=None, metavar="SECONDS",
                    help="start from the skilled baseline's plan, solved for SECONDS")
    ap.add_argument("--left-out", action="store_true", help="what the baseline's left-out visits cost routeopt")
    ap.add_argument("--routing-bound", action="store_true",
                    help="what the best plan's days drive at least, however each is routed")
    ap.add_argument("--max-iterations", type=int, default=None,
                    help="also stop after this many perturbations (same seed and cap, same plan, whatever the load)")
    ap.add_argument("--jobs", type=int, default=1, help="searches run side by side, one process (core) each")
    args = ap.parse_args(argv)
    patience = None if args.patience.lower() == "none" else int(args.patience)
    seeds = [int(s) for s in args.seeds.split(",") if s.strip()]
    with tempfile.TemporaryDirectory() as tmp:
        try:
            reps = rep_ids(args.scenario, args.rep, Path(tmp))
        except LookupError as e:
            ap.error(str(e))
    jobs = [Job(args.scenario, rep, args.seconds, seed, patience, args.from_baseline, args.left_out,
                args.routing_bound, args.max_iterations)
            for rep in reps for seed in seeds]
    cap = "" if args.max_iterations is None else f", at most {args.max_iterations} iterations"
    print(f"{args.scenario} {', '.join(reps)}: budget {args.seconds:g} s per rep and seed{cap}, patience {patience}, "
          f"{max(1, args.jobs)} side by side")
    print("| rep | seed | start | its travel min | seconds | travel min | wait min | days used | visits | missed |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    details: list[str] = []
    totals: dict[int, int] = {}
    with ProcessPoolExecutor(max_workers=args.jobs) if args.jobs > 1 else nullcontext() as pool:
        results = pool.map(run_job, jobs) if pool is not None else map(run_job, jobs)
        for job, (run, more) in zip(jobs, results, strict=True):
            cells = (job.rep, run.seed, run.start, run.start_travel, f"{run.seconds:.1f}", run.travel, run.wait,
                     run.days, run.visits, run.missed)
            print("| " + " | ".join(map(str, cells)) + " |", flush=True)
            totals[run.seed] = totals.get(run.seed, 0) + run.travel
            details += more
    if len(reps) > 1:
        print()
        print("| seed | travel min, all reps |")
        print("|---|---|")
        for seed, total in totals.items():
            print(f"| {seed} | {total} |")
    if details:
        print()
        print("\n".join(details))
    return 0


if __name__ == "__main__":
    sys.exit(main())
