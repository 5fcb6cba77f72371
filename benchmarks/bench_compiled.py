#!/usr/bin/env python3
"""The planner with its day timing compiled (the ``fast`` extra, numba) against pure Python, at
a fixed number of search iterations, so that both make the same plan and only the time differs.

usage: python benchmarks/bench_compiled.py [--scenarios s120 s300] [--literature p12 p23]
        [--iterations 300 100] [--literature-iterations 100] [--rounds 2] [--out DIR]

Each run is its own child process (``routeopt plan`` for a scenario of ``scenarios.py``, seed 0,
one worker; the literature's Cordeau PVRP instances with routeopt's own search alone, as
``routeopt.bench.solve(engine="local")``), once with ``ROUTEOPT_PURE_PYTHON=1`` and once without,
one after the other, ``--rounds`` times. The CPU seconds of the child (user + system) are the
figure: on a shared machine they vary less than the wall time. They include starting Python and
importing numba (about 1 s), so a long run gains a little more than these short ones. The plans
of both paths are compared (itinerary hash, or cost): they must be the same.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SHARED = HERE.parent.parent / "shared" / "benchmarks"
SOLVE = """
import sys
from routeopt.bench import solve
from routeopt.input.literature import read_instance
result = solve(read_instance(sys.argv[1]), time_limit=1e6, seed=0, max_iterations=int(sys.argv[2]), engine="local")
print(f"{result.cost:.6f}")
"""


def child(command: list[str], pure: bool) -> tuple[float, float, str]:
    """Run ``command``; its CPU seconds, wall seconds and standard output."""
    env = {**os.environ, "ROUTEOPT_PURE_PYTHON": "1" if pure else "0"}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    began = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    wall = time.perf_counter() - began
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return cpu, wall, done.stdout.strip()


def plan_command(folder: Path, iterations: int, out: Path) -> list[str]:
    return [sys.executable, "-m", "routeopt_cli.main", "plan", str(folder / "customers.csv"), "--reps",
            str(folder / "reps.csv"), "--start", "2026-12-01", "--weeks", "4", "--holidays", "JP", "--seed", "0",
            "--max-iterations", str(iterations), "--time-limit", "100000", "--regularity", "off", "--days",
            "compact", "--workers", "1", "--quiet", "--out", str(out)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scenarios", nargs="*", default=["s120", "s300"])
    parser.add_argument("--iterations", nargs="*", type=int, default=[300, 100], help="per scenario")
    parser.add_argument("--literature", nargs="*", default=["p12", "p23"])
    parser.add_argument("--literature-iterations", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--out", type=Path, default=HERE / "out" / "compiled")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    cases: list[tuple[str, int, list[str] | None]] = []
    missing = [s for s in args.scenarios if not (args.out / s / "customers.csv").exists()]
    if missing:
        make = [sys.executable, str(HERE / "scenarios.py"), "--out", str(args.out), "--scenarios", ",".join(missing)]
        subprocess.run(make, check=True, capture_output=True)
    for name, iterations in zip(args.scenarios, args.iterations, strict=True):
        cases.append((name, iterations, None))
    for name in args.literature:
        cases.append((name, args.literature_iterations, [sys.executable, "-c", SOLVE, str(SHARED / "pvrp" / name),
                                                         str(args.literature_iterations)]))
    print(f"# load average at the start: {os.getloadavg()[0]:.1f}")
    print("| case | iterations | round | pure CPU s | compiled CPU s | pure ÷ compiled | wall s pure / compiled | "
          "same plan |")
    print("|---|---|---|---|---|---|---|---|")
    for name, iterations, command in cases:
        for k in range(1, args.rounds + 1):
            results = {}
            for pure in (True, False):
                if command is None:
                    out = args.out / f"{name}-{'pure' if pure else 'compiled'}"
                    cpu, wall, _ = child(plan_command(args.out / name, iterations, out), pure)
                    plan = hashlib.sha256((out / "itinerary.csv").read_bytes()).hexdigest()[:12]
                else:
                    cpu, wall, plan = child(command, pure)
                results[pure] = (cpu, wall, plan)
            (pc, pw, pp), (cc, cw, cp) = results[True], results[False]
            same = "yes" if pp == cp else f"NO ({pp} vs {cp})"
            cells = [name, iterations, k, f"{pc:.2f}", f"{cc:.2f}", f"{pc / cc:.2f}", f"{pw:.1f} / {cw:.1f}", same]
            print("| " + " | ".join(map(str, cells)) + " |", flush=True)


if __name__ == "__main__":
    main()
