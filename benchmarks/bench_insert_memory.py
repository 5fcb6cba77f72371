"""Insertion searches remembered by the instance (``RepInstance.inserts``) against searching afresh:
the same plans, and how much CPU the memory saves.

    python benchmarks/bench_insert_memory.py [--settings s300/soft/even/0/100 example/off/compact/0/300 ...]

Each setting (book/regularity/days/seed/iterations; books as ``bench_regularity.py``'s, last weekdays
kept, one worker, ``--max-iterations``) is planned twice at the same time, one process each: once as
routeopt plans, once with every insertion search made afresh (the memory emptied before each search).
Prints a hash of every route's visits (the same in both, or the memory changed a plan), the driving,
the CPU seconds of each and their ratio, and each process's peak memory.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import routeopt

HERE = Path(__file__).resolve().parent
SETTINGS = ("s120/off/compact/0/100", "example/off/compact/0/300", "example/soft/even/0/100",
            "s300/soft/even/0/100", "s300/strict/even/0/40")


def forget_insertions() -> None:
    """Make every insertion search start with an empty memory (a search afresh, as before the memory)."""
    from routeopt.schedule import construct

    remembered = construct.insertion_into

    def afresh(inst, *args, **kwargs):  # type: ignore[no-untyped-def]
        inst.inserts.clear()
        return remembered(inst, *args, **kwargs)

    for module in list(sys.modules.values()):
        if getattr(module, "insertion_into", None) is remembered:
            module.insertion_into = afresh  # type: ignore[union-attr]


def child(setting: str, forget: bool) -> dict[str, object]:
    sys.path.insert(0, str(HERE))
    import bench_regularity

    name, regularity, days, seed, iterations = setting.split("/")
    if forget:
        forget_insertions()
    customers, reps = bench_regularity.files(name, Path(tempfile.gettempdir()) / "routeopt-bench-regularity")
    horizon = routeopt.make_horizon(dt.date(2026, 12, 1), 4, "JP")
    problem = routeopt.read_problem(str(customers), str(reps), horizon)
    options = routeopt.PlanOptions(time_limit=3600, seed=int(seed), workers=1, max_iterations=int(iterations),
                                   regularity=regularity, days=days)
    began = time.process_time()
    plan = routeopt.plan(problem, options)
    cpu = time.process_time() - began
    routes = [(r.rep, r.date.isoformat(), [v.customer_id for v in r.visits]) for r in plan.routes]
    return {"hash": hashlib.sha256(repr(routes).encode()).hexdigest()[:12], "cpu": round(cpu, 1),
            "drive": plan.summary()["totals"]["travel_min"],
            "peak_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--settings", nargs="+", default=list(SETTINGS))
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("--forget", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.forget)))
        return
    print("| setting | plan hash (remembered / afresh) | driving | CPU s afresh → remembered | ratio"
          " | peak MiB afresh → remembered |")
    print("|---|---|---|---|---|---|")
    for setting in args.settings:
        runs = [subprocess.Popen([sys.executable, __file__, "--child", setting, *(["--forget"] if forget else [])],
                                 stdout=subprocess.PIPE, text=True) for forget in (False, True)]
        kept, fresh = (json.loads(run.communicate()[0]) for run in runs)
        same = kept["hash"] if kept["hash"] == fresh["hash"] else f"{kept['hash']} / {fresh['hash']} (differ)"
        print(f"| {setting} | {same} | {kept['drive']} | {fresh['cpu']} → {kept['cpu']} | "
              f"{kept['cpu'] / fresh['cpu']:.2f} | {fresh['peak_mib']} → {kept['peak_mib']} |", flush=True)


if __name__ == "__main__":
    main()
