#!/usr/bin/env python3
"""routeopt's search alone on one rep of a benchmark scenario: where a rep's plan ends, by seed and budget.

    python benchmarks/search_rep.py s120 --rep R1 --seconds 30 --seeds 0,1,2 [--patience none] [--left-out]

For each seed: the construction, then the iterated local search (:func:`routeopt.schedule.improve.search`,
as the planner runs it, with the planner's acceptance threshold) for ``--seconds``; prints the
driving minutes, waiting minutes, working days used and visits planned. ``--patience none``
lets the search use its whole budget (the planner stops a rep after
:data:`~routeopt.schedule.improve.PATIENCE` perturbations without a better plan).

``--left-out`` also lists the visits that the skilled OR-Tools baseline's model cannot place (its
rhythm windows have no working day open for them, ``ortools_baseline.allowed_days``) and what
each of their visit days would save in routeopt's plan without that customer (order kept): the
driving behind routeopt's extra coverage.

It answers questions the side-by-side benchmark (``bench_planner.py``) cannot: does more time
help, how far do seeds spread, what does extra coverage cost.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import ortools_baseline
import scenarios

import routeopt
from routeopt.options import PlanOptions
from routeopt.planner import THRESHOLD
from routeopt.schedule.construct import construct
from routeopt.schedule.improve import PATIENCE, search
from routeopt.schedule.instance import RepInstance, build_instance
from routeopt.schedule.solution import RepSolution


@dataclass(frozen=True)
class Run:
    seed: int
    seconds: float
    travel: int
    wait: int
    days: int
    visits: int
    missed: int


def rep_instance(scenario: str, rep_id: str, folder: Path) -> RepInstance:
    """The solver form of rep ``rep_id`` of ``scenario`` (written to ``folder``) with the default travel model."""
    customers, reps = scenarios.write_scenario(scenario, folder)
    weeks = scenarios.QUICK.weeks if scenario == "quick" else scenarios.SCENARIOS[scenario].weeks
    problem = routeopt.read_problem(customers, reps, routeopt.make_horizon(scenarios.START, weeks, scenarios.HOLIDAYS))
    rep = next((r for r in problem.reps if r.id == rep_id), None)
    if rep is None:
        raise LookupError(f"{scenario} has no rep {rep_id!r} (reps: {', '.join(r.id for r in problem.reps)})")
    book = tuple(c for c in problem.customers if c.rep == rep.id)
    return build_instance(rep, book, problem.horizon, PlanOptions().travel)


def run_search(inst: RepInstance, seconds: float, seed: int, patience: int | None) -> tuple[Run, RepSolution]:
    began = time.monotonic()
    best = search(inst, construct(inst), seconds, seed, patience=patience, threshold=THRESHOLD)
    run = Run(
        seed=seed,
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


def removal_savings(inst: RepInstance, sol: RepSolution, ci: int) -> list[int]:
    """Driving minutes each of customer ``ci``'s visit days would save without that visit (order kept)."""
    node = inst.node(ci)
    saved = []
    for day, seq in sorted(sol.seqs.items()):
        if node not in seq:
            continue
        rest = [n for n in seq if n != node]
        fixed = {n: t for n, t in sol.fixed.get(day, {}).items() if n != node}
        timing = inst.time(day, rest, fixed) if rest else None
        if rest and timing is None:
            raise AssertionError(f"day {day} without {node} is infeasible")  # removal only frees time
        saved.append(sol.timings[day].travel_min - (timing.travel_min if timing else 0))
    return saved


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("scenario", choices=[*scenarios.SCENARIOS, "quick"])
    ap.add_argument("--rep", default="R1", help="rep id (R1, R2, …)")
    ap.add_argument("--seconds", type=float, default=30.0, help="search budget per seed")
    ap.add_argument("--seeds", default="0", help="comma-separated seeds")
    ap.add_argument("--patience", default=str(PATIENCE),
                    help=f"perturbations without a better plan before stopping, or 'none' (default {PATIENCE})")
    ap.add_argument("--left-out", action="store_true", help="what the baseline's left-out visits cost routeopt")
    args = ap.parse_args(argv)
    patience = None if args.patience.lower() == "none" else int(args.patience)
    seeds = [int(s) for s in args.seeds.split(",") if s.strip()]
    with tempfile.TemporaryDirectory() as tmp:
        try:
            inst = rep_instance(args.scenario, args.rep, Path(tmp))
        except LookupError as e:
            ap.error(str(e))
    print(f"{args.scenario} {args.rep}: {len(inst.customers)} customers, {len(inst.days)} working days, "
          f"budget {args.seconds:g} s, patience {patience}")
    print("| seed | seconds | travel min | wait min | days used | visits | missed |")
    print("|---|---|---|---|---|---|---|")
    for seed in seeds:
        run, best = run_search(inst, args.seconds, seed, patience)
        cells = (run.seed, f"{run.seconds:.1f}", run.travel, run.wait, run.days, run.visits, run.missed)
        print("| " + " | ".join(map(str, cells)) + " |", flush=True)
        if args.left_out:
            counts = Counter(n for seq in best.seqs.values() for n in seq)
            for ci, n in left_out(inst).items():
                c = inst.customers[ci]
                print(f"  {c.id}: the baseline leaves out {n} of {counts[inst.node(ci)]} visits; "
                      f"driving saved per visit day without it: {removal_savings(inst, best, ci)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
