#!/usr/bin/env python3
"""Literature benchmarks: routeopt against its peers on Solomon and Cordeau instances.

    python benchmarks/bench_literature.py --set solomon|pvrp|pvrptw [--instances C101 R101 ...]
        [--time-limit S] [--engines routeopt,ortools,pyvrp,vroom] [--seed N] [--out DIR] [--record]
    python benchmarks/bench_literature.py --quick          # three cut instances, 1 s each
    python benchmarks/bench_literature.py --cut FILE --customers N [--every K] --out FILE   # a cut instance

In one run, every engine solves every instance with the same time budget, one at a time, each in
its own child process:

* ``routeopt``: ``routeopt bench FILE --time-limit S --seed N --out DIR`` (its
  ``NAME.solution.json`` is read); "not available" when ``routeopt bench --help`` fails;
* ``ortools``, ``pyvrp``, ``vroom``: ``benchmarks/literature_peers.py`` (see its docstring for
  each model). PyVRP and VROOM solve single-day (VRPTW) instances only: "n/a" elsewhere.

Every solution is re-checked by the independent ``../shared/tools/check_solution.py`` (cost
recomputed with unrounded distances, every rule checked) and its cost recomputed here with
:func:`routeopt.input.literature.route_cost`. The reference values (``../shared/benchmarks``):

* ``solomon``: ``solomon/bks.csv`` column ``bks_distance_only`` (distance-only objective, unrounded);
* ``pvrp``: ``pvrp/bks.csv`` column ``bks_distance`` (``p01``–``p32``);
* ``pvrptw``: no best-known values are at hand; the gap is to ``pvrp/bks.csv``'s value of the same
  instance name: ``pr01``–``pr10`` without time windows, a relaxation of the windows, but the PVRP
  files allow fewer vehicles per day (2, 4, 6, 8, 10, 12, 3, 6, 9, 12 instead of 3, 6, …, 20), so it
  is not strictly a lower bound. Gaps are large and positive.

Outputs in ``--out`` (default ``benchmarks/out/literature/SET``): ``ENGINE/NAME.solution.json``,
``results.csv`` (one row per instance and engine, rewritten after each run) and ``results.md``
(the tables). ``--record`` appends the tables to the History of ``benchmarks/RESULTS.md`` with the
command, the machine, the date and the versions, and makes the set's row of its current-figures
table this run's (``results_md.py``). Exit status 1 when a solution fails the check.
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import datetime as dt
import importlib.util
import io
import json
import os
import platform
import shlex
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import literature_peers  # noqa: E402
import results_md  # noqa: E402

from routeopt.errors import InputError  # noqa: E402
from routeopt.input.literature import LitInstance, pattern_days, read_instance, route_cost  # noqa: E402
from routeopt.output.atomic import write_file  # noqa: E402

SHARED = ROOT.parent / "shared"
CHECKER = SHARED / "tools" / "check_solution.py"
DATA = SHARED / "benchmarks"
QUICK_DIR = HERE / "data" / "literature"
QUICK_FILES = ("C101_25.txt", "R101_25.txt", "pr01_every3_16")
QUICK_TIME_LIMIT = 1.0
RESULTS_MD = results_md.RESULTS_MD

ENGINES = ("routeopt", *literature_peers.ENGINES)
SETS = ("solomon", "pvrp", "pvrptw")
REFERENCE = {
    "solomon": "distance-only BKS (solomon/bks.csv bks_distance_only)",
    "pvrp": "BKS (pvrp/bks.csv bks_distance)",
    "pvrptw": ("the PVRP value of the same instance, pvrp/bks.csv bks_distance: the same customers without "
               "time windows but with fewer vehicles per day (pr01: 2 instead of 3), so not strictly a lower bound"),
}
CSV_COLUMNS = (
    "instance", "engine", "kind", "customers", "budget_s", "cost", "ref", "gap_pct", "time_s", "wall_s", "feasible",
    "routes", "status", "detail", "errors", "worker_costs", "seed", "workers",
)


# ------------------------------------------------------------------------------ instances
def set_files(name: str, data: Path = DATA) -> list[Path]:
    """The instance files of a set, in the literature's order."""
    if name == "solomon":
        return sorted((data / "solomon").glob("*.txt"), key=lambda p: _solomon_order(p.stem))
    if name == "pvrp":
        return [data / "pvrp" / f"p{k:02d}" for k in range(1, 33)]
    if name == "pvrptw":
        return [data / "pvrptw" / f"pr{k:02d}" for k in range(1, 11)]
    raise ValueError(f'set "{name}" is not one of {", ".join(SETS)}')


def _solomon_order(stem: str) -> tuple[int, str]:
    family = stem.rstrip("0123456789")
    return ({"C": 0, "R": 1, "RC": 2}.get(family, 3), stem)


def pick(files: Sequence[Path], names: Iterable[str]) -> list[Path]:
    """The files of ``files`` named ``names`` (case-insensitive, stem), in the order of ``names``."""
    by_name = {p.stem.lower(): p for p in files}
    out = []
    for name in names:
        if name.lower() not in by_name:
            raise SystemExit(f'error: no instance "{name}" in this set (have {", ".join(p.stem for p in files)})')
        out.append(by_name[name.lower()])
    return out


def references(set_name: str, data: Path = DATA) -> dict[str, float]:
    """Instance name (lower case) → the reference cost of the set (see the module docstring)."""
    if set_name == "solomon":
        path, column = data / "solomon" / "bks.csv", "bks_distance_only"
    else:
        path, column = data / "pvrp" / "bks.csv", "bks_distance"
    if not path.exists():
        return {}
    with path.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    table = {row["instance"].lower(): float(row[column]) for row in rows if row.get(column)}
    if set_name == "pvrptw":
        return {k: v for k, v in table.items() if k.startswith("pr")}
    return table


# ------------------------------------------------------------------- writing instances (cut)
def _fmt(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def solomon_text(lit: LitInstance) -> str:
    """``lit`` (a single-day instance) in Solomon's text format."""
    rows = [
        f"{n.index:5d} {_fmt(n.x):>10} {_fmt(n.y):>10} {_fmt(n.demand):>8} {_fmt(n.ready):>10} "
        f"{_fmt(n.due):>10} {_fmt(n.service):>8}"
        for n in lit.nodes
    ]
    head = [lit.name, "", "VEHICLE", "NUMBER     CAPACITY", f"{lit.vehicles_per_day:5d} {_fmt(lit.capacity):>12}", "",
            "CUSTOMER", "CUST NO.  XCOORD.   YCOORD.    DEMAND   READY TIME  DUE DATE   SERVICE   TIME", ""]
    return "\n".join(head + rows) + "\n"


def cordeau_code(mask: int, days: int) -> int:
    """The inverse of :func:`routeopt.input.literature.cordeau_pattern` (most significant bit = day 1)."""
    return sum(1 << (days - k) for k in pattern_days(mask, days))


def cordeau_text(lit: LitInstance) -> str:
    """``lit`` (PVRP or PVRPTW) in Cordeau's format (type 1 or 5)."""
    t = lit.days
    timed = lit.kind == "pvrptw"
    lines = [f"{5 if timed else 1} {lit.vehicles_per_day} {len(lit.customers)} {t}"]
    lines += [f"{_fmt(lit.max_duration or 0)} {_fmt(lit.capacity)}"] * t
    for n in lit.nodes:
        codes = [cordeau_code(mask, t) for mask in n.patterns]
        fields = [n.index, _fmt(n.x), _fmt(n.y), _fmt(n.service), _fmt(n.demand), n.frequency, len(codes), *codes]
        if timed:
            fields += [_fmt(n.ready), _fmt(n.due)]
        lines.append(" ".join(str(f) for f in fields))
    return "\n".join(lines) + "\n"


def cut(lit: LitInstance, customers: int, name: str, every: int = 1) -> LitInstance:
    """``customers`` customers of ``lit``, renamed ``name``: every ``every``-th from the first
    (``every=1``: the first ``customers``, numbers kept), renumbered 1, 2, … in file order."""
    keep = lit.customers[::every][:customers]
    return dataclasses.replace(
        lit, name=name, customers=tuple(dataclasses.replace(c, index=k) for k, c in enumerate(keep, start=1))
    )


def instance_text(lit: LitInstance) -> str:
    return solomon_text(lit) if lit.kind == "vrptw" else cordeau_text(lit)


# --------------------------------------------------------------------------------- running
@dataclass
class Run:
    """One engine on one instance, re-checked."""

    instance: str
    engine: str
    kind: str
    customers: int
    status: str  # "ok", "infeasible", "no solution", "n/a", "not available", "failed", "timeout"
    budget_s: float | None = None
    cost: float | None = None
    ref: float | None = None
    time_s: float | None = None
    wall_s: float | None = None
    feasible: bool | None = None  # None: not checked (checker absent) or not run
    routes: int | None = None
    errors: str = ""
    detail: str = ""  # the engine's own status line
    solution: Path | None = None
    worker_costs: tuple[float, ...] = ()
    """routeopt with ``--workers`` above 1: the cost of each worker's plan, worker 0 first."""
    seed: int = 0
    workers: int = 1
    """routeopt's ``--workers`` (1 for the peers, which take no such option)."""

    @property
    def gap_pct(self) -> float | None:
        return self._gap(self.cost)

    def worker_gap_pct(self, worker: int) -> float | None:
        return self._gap(self.worker_costs[worker] if worker < len(self.worker_costs) else None)

    def _gap(self, cost: float | None) -> float | None:
        if cost is None or not self.ref:
            return None
        return 100.0 * (cost - self.ref) / self.ref + 0.0

    @property
    def solved(self) -> bool:
        """A solution that passed the check (or could not be checked but exists)."""
        return self.cost is not None and self.feasible is not False

    def row(self) -> dict[str, Any]:
        gap = self.gap_pct
        return {
            "instance": self.instance,
            "engine": self.engine,
            "kind": self.kind,
            "customers": self.customers,
            "budget_s": "" if self.budget_s is None else self.budget_s,
            "cost": "" if self.cost is None else round(self.cost, 2),
            "ref": "" if self.ref is None else self.ref,
            "gap_pct": "" if gap is None else round(gap, 2) + 0.0,
            "time_s": "" if self.time_s is None else round(self.time_s, 1),
            "wall_s": "" if self.wall_s is None else round(self.wall_s, 1),
            "feasible": "" if self.feasible is None else self.feasible,
            "routes": "" if self.routes is None else self.routes,
            "status": self.status,
            "detail": self.detail,
            "errors": self.errors,
            "worker_costs": ";".join(f"{c:.2f}" for c in self.worker_costs),
            "seed": self.seed,
            "workers": self.workers,
        }


def routeopt_available() -> bool:
    """``routeopt bench --help`` works with this Python."""
    done = subprocess.run([sys.executable, "-m", "routeopt_cli.main", "bench", "--help"],
                          capture_output=True, text=True, timeout=120)
    return done.returncode == 0


def engine_available(engine: str) -> bool:
    """Whether ``engine`` can run here: ``routeopt bench`` works, the peer's package is installed."""
    if engine == "routeopt":
        return routeopt_available()
    module = {"ortools": "ortools", "pyvrp": "pyvrp", "vroom": "vroom"}[engine]
    return importlib.util.find_spec(module) is not None


def engine_command(engine: str, path: Path, time_limit: float, seed: int, out: Path, vroom_threads: int,
                   workers: int = 1) -> list[str]:
    if engine == "routeopt":
        return [sys.executable, "-m", "routeopt_cli.main", "bench", str(path), "--time-limit", str(time_limit),
                "--seed", str(seed), "--out", str(out), "--workers", str(workers), "--quiet"]
    cmd = [sys.executable, str(HERE / "literature_peers.py"), engine, str(path), "--time-limit", str(time_limit),
           "--seed", str(seed), "--out", str(out)]
    return cmd + (["--vroom-threads", str(vroom_threads)] if engine == "vroom" else [])


def check(path: Path, solution: Path, ref: float | None) -> dict[str, Any] | None:
    """``check_solution.py``'s verdict (its JSON line), or ``None`` when the checker is absent."""
    if not CHECKER.exists():
        return None
    cmd = [sys.executable, str(CHECKER), str(path), str(solution)] + (["--bks", str(ref)] if ref else [])
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    lines = [ln for ln in done.stdout.splitlines() if ln.startswith("{")]
    if not lines:
        return {"feasible": False, "errors": [f"checker failed: {done.stderr.strip()[-300:]}"], "cost": None}
    verdict: dict[str, Any] = json.loads(lines[-1])
    return verdict


def coverage_errors(lit: LitInstance, routes: Sequence[tuple[int, Sequence[int]]]) -> list[str]:
    """Customers not served on exactly one of their allowed day patterns (a check that needs no
    ``../shared``: dropped customers, visits on a wrong day, unknown numbers)."""
    days: dict[int, list[int]] = {c.index: [] for c in lit.customers}
    errors = []
    for day, seq in routes:
        for c in seq:
            if c not in days:
                errors.append(f"day {day}: no customer {c}")
            else:
                days[c].append(day)
    for c in lit.customers:
        if sorted(days[c.index]) not in [list(pattern_days(mask, lit.days)) for mask in c.patterns]:
            errors.append(f"customer {c.index} served on days {sorted(days[c.index])}")
    return errors[:5] + ([f"... {len(errors) - 5} more"] if len(errors) > 5 else [])


def engine_workers(engine: str, workers: int) -> int:
    """The ``--workers`` a run of ``engine`` is made with: routeopt's, 1 for the peers (no such option)."""
    return workers if engine == "routeopt" else 1


def run_one(engine: str, path: Path, lit: LitInstance, ref: float | None, time_limit: float, seed: int, out: Path,
            available: set[str], vroom_threads: int = 1, workers: int = 1) -> Run:
    """Solve ``lit`` (read from ``path``) with ``engine`` in a child process and re-check it."""
    run = Run(lit.name, engine, lit.kind, len(lit.customers), "n/a", budget_s=time_limit, ref=ref, seed=seed,
              workers=engine_workers(engine, workers))
    if engine not in available:
        run.status = "not available"
        return run
    if engine in literature_peers.VRPTW_ONLY and lit.days != 1:
        run.detail = "VRPTW only"
        return run
    folder = out / engine
    folder.mkdir(parents=True, exist_ok=True)
    solution = folder / f"{lit.name}.solution.json"
    solution.unlink(missing_ok=True)
    target = folder / f"_{lit.name}" if engine == "routeopt" else solution
    cmd = engine_command(engine, path, time_limit, seed, target, vroom_threads, workers)
    began = time.monotonic()
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=2 * time_limit + 120)
    except subprocess.TimeoutExpired:
        run.status, run.wall_s = "timeout", time.monotonic() - began
        return run
    run.wall_s = time.monotonic() - began
    if engine == "routeopt":
        produced = target / f"{lit.name}.solution.json"
        if produced.exists():
            shutil.move(str(produced), solution)
        shutil.rmtree(target, ignore_errors=True)
    if done.returncode != 0 or not solution.exists():
        run.status = "failed"
        run.errors = (done.stderr.strip() or done.stdout.strip())[-300:].replace("\n", " ")
        return run
    run.solution = solution
    record = json.loads(solution.read_text(encoding="utf-8"))
    run.detail = str(record.get("status", ""))
    run.worker_costs = tuple(float(c) for c in record.get("worker_costs", ()))
    run.time_s = float(record.get("time_s", run.wall_s))
    routes = [(int(r.get("day", 1)), [int(c) for c in r["customers"]]) for r in record.get("routes", [])
              if r.get("customers")]
    seqs = [seq for _, seq in routes]
    run.routes = len(seqs)
    if not seqs:
        run.status = "no solution"
        run.feasible = False
        return run
    errors = coverage_errors(lit, routes)
    try:
        own = sum(route_cost(lit, seq) for seq in seqs)
    except InputError as exc:
        run.status, run.feasible, run.errors = "infeasible", False, str(exc)
        return run
    if abs(own - float(record.get("cost", own))) > 1e-6 * max(1.0, own):
        errors.append(f"claimed cost {record.get('cost')} differs from route_cost {own:.4f}")
    run.cost = own
    verdict = check(path, solution, ref)
    if errors:
        run.feasible = False
    if verdict is not None:
        run.feasible = bool(verdict.get("feasible")) and not errors
        errors += list(verdict.get("errors", []))
        checker_cost = verdict.get("cost")
        if checker_cost is not None and abs(float(checker_cost) - own) > 1e-3:
            errors.append(f"check_solution.py cost {checker_cost} differs from route_cost {own:.4f}")
            run.feasible = False
    run.errors = "; ".join(errors)[:500]
    run.status = "unchecked" if run.feasible is None else ("ok" if run.feasible else "infeasible")
    return run


def _opt(text: str, kind: type = float) -> Any:
    return kind(text) if text != "" else None


def read_results(path: Path) -> list[Run]:
    """The runs of an earlier ``results.csv`` (for ``--resume``)."""
    if not path.exists():
        return []
    with path.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    runs = []
    for row in rows:
        run = Run(row["instance"], row["engine"], row["kind"], int(row["customers"]), row["status"],
                  budget_s=_opt(row.get("budget_s", "")),
                  cost=_opt(row["cost"]), ref=_opt(row["ref"]), time_s=_opt(row["time_s"]),
                  wall_s=_opt(row["wall_s"]), routes=_opt(row["routes"], int), errors=row["errors"],
                  detail=row.get("detail", ""),
                  worker_costs=tuple(float(c) for c in row.get("worker_costs", "").split(";") if c))
        # files written before these columns: the default seed, and as many workers as costs kept
        run.seed = int(row.get("seed") or 0)
        run.workers = int(row.get("workers") or max(1, len(run.worker_costs)))
        run.feasible = None if row["feasible"] == "" else row["feasible"] == "True"
        solution = path.parent / run.engine / f"{run.instance}.solution.json"
        run.solution = solution if solution.exists() else None
        if run.solution is not None and run.cost is not None:  # full precision for the tables
            lit_cost = json.loads(solution.read_text(encoding="utf-8")).get("cost")
            run.cost = float(lit_cost) if lit_cost is not None else run.cost
        runs.append(run)
    return runs


def results_csv(runs: Sequence[Run]) -> bytes:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(run.row() for run in runs)
    return buf.getvalue().encode("utf-8")


def run_all(files: Sequence[Path], engines: Sequence[str], time_limit: float, out: Path,
            refs: dict[str, float] | None = None, seed: int = 0, vroom_threads: int = 1,
            echo: bool = True, resume: bool = False, max_new: int | None = None, workers: int = 1) -> list[Run]:
    """Every engine on every instance file, one at a time; ``results.csv`` rewritten after each.

    With ``resume``, the runs already in ``out/results.csv`` made with the same budget, seed and
    (for routeopt) workers are kept and not run again (a long benchmark can be run in pieces with
    the same command); ``max_new`` stops after that many new runs (the list returned is then
    shorter than ``files × engines``)."""
    refs = refs or {}
    out.mkdir(parents=True, exist_ok=True)
    available = {e for e in engines if engine_available(e)}
    earlier = {(r.instance, r.engine): r for r in read_results(out / "results.csv")
               if (r.budget_s, r.seed, r.workers) == (time_limit, seed, engine_workers(r.engine, workers))
               } if resume else {}
    runs: list[Run] = []
    for path in files:
        lit = read_instance(path)
        for engine in engines:
            if (lit.name, engine) in earlier:
                runs.append(earlier[(lit.name, engine)])
                write_file(out / "results.csv", results_csv(runs))
                continue
            if max_new is not None and max_new <= 0:
                return runs
            max_new = None if max_new is None else max_new - 1
            run = run_one(engine, path, lit, refs.get(lit.name.lower()), time_limit, seed, out, available,
                          vroom_threads, workers)
            runs.append(run)
            write_file(out / "results.csv", results_csv(runs))
            if echo:
                gap = run.gap_pct
                print(f"{run.instance:>8} {run.engine:>8}: {run.status:<13} "
                      f"{'' if run.cost is None else f'{run.cost:10.2f}'}"
                      f"{'' if gap is None else f' gap {round(gap, 2) + 0.0:+6.2f} %'}"
                      f"{'' if run.time_s is None else f'  {run.time_s:5.1f} s'}"
                      f"{f'  [{run.detail}]' if run.detail else ''}{f'  {run.errors[:200]}' if run.errors else ''}",
                      flush=True)
    return runs


# ---------------------------------------------------------------------------------- tables
def _cell(run: Run) -> str:
    if run.cost is None:
        return run.status + (f" ({run.detail})" if run.detail and run.status == "n/a" else "")
    gap = run.gap_pct
    text = f"{run.cost:.2f}"
    if gap is not None:
        text += f" ({round(gap, 2) + 0.0:+.2f} %)"
    text += f", {run.time_s:.1f} s" if run.time_s is not None else ""
    if run.feasible is False:
        text = f"**infeasible** {text}"
    elif run.feasible is None:
        text += " (unchecked)"
    return text


def tables(runs: Sequence[Run], engines: Sequence[str], reference: str = "") -> str:
    """Markdown: instance × engine (cost, gap, seconds), then a summary per engine."""
    names = list(dict.fromkeys(r.instance for r in runs))
    by = {(r.instance, r.engine): r for r in runs}
    refs = {r.instance: r.ref for r in runs}
    lines = ["| instance | ref | " + " | ".join(engines) + " |", "|---|---|" + "---|" * len(engines)]
    for name in names:
        ref = refs.get(name)
        cells = [_cell(by[(name, e)]) if (name, e) in by else "" for e in engines]
        lines.append(f"| {name} | {'' if ref is None else f'{ref:.2f}'} | " + " | ".join(cells) + " |")
    if reference:
        lines.append(f"\nCells: cost (gap to the reference), seconds. Reference: {reference}.")
    lines += ["", summary(runs, engines)]
    alone = workers_line(runs)
    return "\n".join(lines + ([f"\n{alone}"] if alone else []))


def workers_line(runs: Sequence[Run], above: float = 2.0) -> str:
    """With routeopt's ``--workers`` above 1: worker 0's plans (what one process with the same seed
    makes, here run beside the others) against the cheapest of the workers', in one line."""
    pairs = [(g0, r.gap_pct) for r in runs if r.solved and (g0 := r.worker_gap_pct(0)) is not None
             and r.gap_pct is not None]
    if not pairs:
        return ""
    alone, best = [a for a, _ in pairs], [b for _, b in pairs]
    return (f"routeopt's workers, on the {len(pairs)} instances run with several: worker 0 alone (the run of one "
            f"process with this seed) mean gap {_mean(alone)} %, {sum(g > above for g in alone)} above {above:g} %; "
            f"the cheapest of the workers' plans {_mean(best)} %, {sum(g > above for g in best)} above {above:g} %.")


@dataclass
class EngineFigures:
    """One engine's results over a run: the runs that apply to it, those solved and their figures."""

    runs: list[Run]
    solved: list[Run]
    gaps: list[float]
    common: list[float]
    """Gaps on the instances every engine that ran solved."""
    times: list[float]
    beats: str
    """``"W of N"``: instances on which it is cheaper than the plain OR-Tools model ("" without that model)."""


def engine_figures(runs: Sequence[Run], engines: Sequence[str]) -> tuple[dict[str, EngineFigures], list[str]]:
    """Per engine its :class:`EngineFigures`, and the instances every engine that ran solved ("common")."""
    ran = [e for e in engines if any(r.engine == e and r.status not in ("n/a", "not available") for r in runs)]
    names = list(dict.fromkeys(r.instance for r in runs))
    by = {(r.instance, r.engine): r for r in runs}

    def applicable(e: str) -> list[str]:
        return [n for n in names if by.get((n, e)) and by[(n, e)].status != "n/a"]

    common_names = [n for n in names if all(by[(n, e)].solved for e in ran if (n, e) in by and by[(n, e)].status
                                            != "n/a")]
    figures = {}
    for e in engines:
        mine = [by[(n, e)] for n in applicable(e)]
        ok = [r for r in mine if r.solved]
        beats = ""
        if e != "ortools" and any((n, "ortools") in by for n in applicable(e)):
            pairs = [(by[(n, e)], by[(n, "ortools")]) for n in applicable(e) if (n, "ortools") in by]
            wins = sum(1 for a, b in pairs if a.solved and (not b.solved or cheaper(a.cost, b.cost)))
            beats = f"{wins} of {len(pairs)}"
        figures[e] = EngineFigures(
            runs=mine, solved=ok, gaps=[g for r in ok if (g := r.gap_pct) is not None],
            common=[g for n in common_names if (n, e) in by and (g := by[(n, e)].gap_pct) is not None],
            times=[r.time_s for r in ok if r.time_s is not None], beats=beats,
        )
    return figures, common_names


def summary(runs: Sequence[Run], engines: Sequence[str]) -> str:
    """Per engine: instances run, feasible, mean gap, mean gap on the instances every engine that ran
    solved, mean time, and how often it beats the plain OR-Tools model."""
    figures, common_names = engine_figures(runs, engines)
    lines = ["| engine | instances | feasible | mean gap % | mean gap % on common | mean s | cost < ortools |",
             "|---|---|---|---|---|---|---|"]
    for e in engines:
        f = figures[e]
        if not f.runs:
            lines.append(f"| {e} | 0 | n/a | | | | |")
            continue
        if all(r.status == "not available" for r in f.runs):
            lines.append(f"| {e} | {len(f.runs)} | not available | | | | |")
            continue
        lines.append(
            f"| {e} | {len(f.runs)} | {len(f.solved)} | {_mean(f.gaps)} | "
            f"{_mean(f.common)}{f' ({len(f.common)})' * bool(f.common)} | {_mean(f.times, 1)} | {f.beats} |"
        )
    lines.append(f"\n\"common\": the {len(common_names)} instances on which every engine that ran has a checked, "
                 "feasible solution.")
    return "\n".join(lines)


def headline(runs: Sequence[Run], engines: Sequence[str]) -> str:
    """The run in one line, for the current-figures table: each engine that ran, its mean gap,
    feasible count and (when the plain OR-Tools model ran too) on how many instances it is cheaper."""
    parts = []
    for e, f in engine_figures(runs, engines)[0].items():
        if not f.runs or all(r.status == "not available" for r in f.runs):
            continue
        extra = f", cheaper than ortools on {f.beats}" if f.beats else ""
        gap = f" mean gap {_mean(f.gaps)} %" if f.gaps else ""
        parts.append(f"{e}{gap} ({len(f.solved)}/{len(f.runs)} feasible{extra})")
    return "; ".join(parts)


def cheaper(a: float | None, b: float | None) -> bool:
    """``a`` is lower than ``b`` by more than rounding noise (the same routes summed in another order)."""
    return a is not None and (b is None or a < b - 1e-6 * max(1.0, abs(b)))


def _mean(values: Sequence[float], digits: int = 2) -> str:
    return f"{statistics.fmean(values):.{digits}f}" if values else ""


# ---------------------------------------------------------------------------------- record
def machine() -> str:
    model = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kib = int(next(ln.split()[1] for ln in Path("/proc/meminfo").read_text().splitlines()
                       if ln.startswith("MemTotal")))
        mem = f", {kib / 2**20:.0f} GiB"
    except (OSError, StopIteration, ValueError):
        pass
    load = ""
    if hasattr(os, "getloadavg"):
        load = f"; load average at the end {os.getloadavg()[0]:.1f} (the machine is shared)"
    return f"{os.cpu_count()} cores ({model}){mem}, {platform.system()} {platform.release()}{load}"


def versions() -> str:
    from importlib import metadata

    try:
        routeopt_version = metadata.version("routeopt")
    except metadata.PackageNotFoundError:
        routeopt_version = "?"
    peers = literature_peers.versions()
    return (f"Python {platform.python_version()}, routeopt {routeopt_version} (commit {results_md.commit()}), "
            + ", ".join(f"{k} {v}" for k, v in peers.items()))


def record_section(command: str, body: str, wall_s: float, notes: str = "") -> str:
    """A History section's text under its heading: command, machine, date, versions, notes, tables."""
    return (f"- Command: `{command}`\n- Machine: {machine()}\n"
            f"- Date: {dt.date.today().isoformat()}; whole run {wall_s:.0f} s\n- Versions: {versions()}\n"
            + (f"- {notes}\n" if notes else "") + f"\n{body}\n")


# ------------------------------------------------------------------------------------ main
def quick_files() -> list[Path]:
    return [QUICK_DIR / name for name in QUICK_FILES]


def run_quick(out: Path, engines: Sequence[str] = ENGINES, time_limit: float = QUICK_TIME_LIMIT,
              echo: bool = False) -> list[Run]:
    """The quick mode: the cut instances of ``benchmarks/data/literature`` (no references)."""
    return run_all(quick_files(), engines, time_limit, out, echo=echo)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--set", choices=SETS, default="solomon")
    ap.add_argument("--instances", nargs="*", default=None, help="instance names of the set (default: all)")
    ap.add_argument("--time-limit", type=float, default=None, help="seconds per instance and engine "
                    "(default 60 for solomon, 120 for pvrp and pvrptw, 1 with --quick)")
    ap.add_argument("--engines", default=",".join(ENGINES), help="comma-separated: " + ",".join(ENGINES))
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--vroom-threads", type=int, default=1)
    ap.add_argument("--workers", type=int, default=1,
                    help="routeopt's processes per instance of several days (routeopt bench --workers)")
    ap.add_argument("--quick", action="store_true", help="three cut instances (25, 25, 16 customers)")
    ap.add_argument("--out", type=Path, default=None)
    ap.add_argument("--record", action="store_true", help="append the tables to benchmarks/RESULTS.md")
    ap.add_argument("--resume", action="store_true",
                    help="keep the runs already in OUT/results.csv (same instance, engine, budget, seed and "
                         "routeopt's --workers) and run the rest")
    ap.add_argument("--max-runs", type=int, default=None,
                    help="with --resume: stop after this many new runs (run a long benchmark in pieces)")
    ap.add_argument("--note", default="", help="a line of context for --record")
    ap.add_argument("--cut", type=Path, help="write the first --customers customers of this instance to --out")
    ap.add_argument("--customers", type=int, default=25)
    ap.add_argument("--every", type=int, default=1, help="with --cut: keep every k-th customer (default 1)")
    ap.add_argument("--name", default=None, help="name of the cut instance (default: the --out file's stem)")
    args = ap.parse_args(argv)

    if args.cut:
        if args.out is None:
            ap.error("--cut needs --out FILE")
        lit = read_instance(args.cut)
        small = cut(lit, args.customers, args.name or args.out.stem, args.every)
        write_file(args.out, instance_text(small).encode("utf-8"))
        print(f"wrote {args.out}: {small.name}, {len(small.customers)} customers ({small.kind})")
        return 0

    engines = [e.strip() for e in args.engines.split(",") if e.strip()]
    for e in engines:
        if e not in ENGINES:
            ap.error(f'engine "{e}" is not one of {", ".join(ENGINES)}')
    if args.quick:
        files, refs, reference = quick_files(), {}, "none (cut instances)"
        time_limit = args.time_limit or QUICK_TIME_LIMIT
        label = "quick"
    else:
        if not DATA.exists():
            ap.error(f"{DATA} is absent: the literature sets live in ../shared/benchmarks")
        files = set_files(args.set)
        if args.instances:
            pool = {"solomon": files, "pvrp": files + [DATA / "pvrp" / f"pr{k:02d}" for k in range(1, 11)],
                    "pvrptw": sorted((DATA / "pvrptw").glob("pr[0-9][0-9]"))}[args.set]
            files = pick(pool, args.instances)
        refs, reference = references(args.set), REFERENCE[args.set]
        time_limit = args.time_limit or (60.0 if args.set == "solomon" else 120.0)
        label = args.set
    out = args.out or ROOT / "benchmarks" / "out" / "literature" / label
    if not CHECKER.exists():
        print(f"note: {CHECKER} is absent; solutions are not re-checked", file=sys.stderr)
    began = time.monotonic()
    runs = run_all(files, engines, time_limit, out, refs, args.seed, args.vroom_threads, resume=args.resume,
                   max_new=args.max_runs, workers=args.workers)
    if len(runs) < len(files) * len(engines):
        print(f"\nstopped after --max-runs {args.max_runs} new runs ({len(runs)} of {len(files) * len(engines)} "
              "done); run the same command again to go on")
        return 0
    wall = time.monotonic() - began
    note = args.note
    if args.resume:  # run in pieces: the whole run is the sum of the runs' own wall time
        wall = sum(r.wall_s or 0.0 for r in runs)
        note = "; ".join(x for x in (note, "run in pieces with --resume: the time is the sum of the child "
                                     "processes' wall time") if x)
    body = tables(runs, engines, reference)
    write_file(out / "results.md", (body + "\n").encode("utf-8"))
    print()
    print(body)
    if args.record:
        given = argv if argv is not None else sys.argv[1:]
        command = f"python benchmarks/bench_literature.py {' '.join(shlex.quote(a) for a in given)}"
        title = (f"Literature: {label}, {len(files)} instances, {time_limit:g} s per instance and engine "
                 f"({', '.join(engines)})")
        figure = results_md.Figure(f"Literature: {label}", headline(runs, engines),
                                   results_md.command_line("bench_literature.py", given))
        results_md.record(title, record_section(command, body, wall, note), figure, RESULTS_MD)
        print(f"\nrecorded in {RESULTS_MD}")
    return 1 if any(r.feasible is False for r in runs) else 0


if __name__ == "__main__":
    sys.exit(main())
