"""Two versions of routeopt side by side: this checkout against another one's sources (say a worktree
of main), each setting planned by both at the same time, one process each, at a fixed number of
search iterations: the same plans, and how much CPU each took.

    git worktree add /tmp/main main
    python benchmarks/bench_versions.py --against /tmp/main/src [--settings s300/off/compact/0/100 pvrp/p23/0/300 ...]

A setting is a book of ``bench_regularity.py`` with regularity/days/seed/iterations (last weekdays
kept, one worker, ``--max-iterations``), or a Cordeau instance of ``../shared/benchmarks``
(``pvrp/p23/seed/iterations``, ``pvrptw/pr02/…``; routeopt's own search, as ``bench_literature.py``
runs it). Prints a hash of every route's visits (the same for both versions unless the change
changed a plan), the cost, the CPU seconds of each and their ratio. CPU seconds, not wall time: the
two processes share the machine, and a version that waits on the other is not slower for it.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SHARED = HERE.parent.parent / "shared" / "benchmarks"
SETTINGS = ("example/off/compact/0/300", "s120/off/compact/0/300", "example/soft/even/0/40", "s300/soft/even/0/20",
            "pvrp/p12/0/300", "pvrp/p23/0/300", "pvrptw/pr02/0/300")
LITERATURE = ("pvrp", "pvrptw")


def literature_child(setting: str) -> dict[str, object]:
    from routeopt.bench import solve
    from routeopt.input.literature import read_instance

    kind, name, seed, iterations = setting.split("/")
    instance = read_instance(str(SHARED / kind / name))
    began = time.process_time()
    result = solve(instance, 1e6, int(seed), max_iterations=int(iterations), engine="local")
    cpu = time.process_time() - began
    return {"hash": hashlib.sha256(repr(sorted(result.routes.items())).encode()).hexdigest()[:12],
            "cpu": round(cpu, 1), "cost": round(result.cost, 2)}


def child(setting: str) -> dict[str, object]:
    if setting.split("/")[0] in LITERATURE:
        return literature_child(setting)
    sys.path.insert(0, str(HERE))
    from bench_insert_memory import child as plan_child

    found = plan_child(setting, forget=False)
    return {"hash": found["hash"], "cpu": found["cpu"], "cost": found["drive"]}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--against", type=Path, required=True, help="the other version's src folder (holding routeopt/)")
    ap.add_argument("--settings", nargs="+", default=list(SETTINGS))
    ap.add_argument("--child", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(child(args.child)))
        return
    here = HERE.parent / "src"
    print(f"# this checkout: {here}; against: {args.against}; load average at the start: {os.getloadavg()[0]:.1f}")
    print("| setting | plan hash (this / other) | cost | CPU s other → this | ratio |")
    print("|---|---|---|---|---|")
    for setting in args.settings:
        runs = [subprocess.Popen([sys.executable, __file__, "--against", str(args.against), "--child", setting],
                                 env={**os.environ, "PYTHONPATH": str(src)}, stdout=subprocess.PIPE, text=True)
                for src in (here, args.against)]
        mine, other = (json.loads(run.communicate()[0]) for run in runs)
        same = mine["hash"] if mine["hash"] == other["hash"] else f"{mine['hash']} / {other['hash']} (differ)"
        cost = mine["cost"] if mine["cost"] == other["cost"] else f"{mine['cost']} / {other['cost']}"
        print(f"| {setting} | {same} | {cost} | {other['cpu']} → {mine['cpu']} | {mine['cpu'] / other['cpu']:.2f} |",
              flush=True)


if __name__ == "__main__":
    main()
