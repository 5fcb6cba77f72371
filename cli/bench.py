"""``routeopt bench``: solve instances of the research literature and score them."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from routeopt.bench import BenchResult, best_known, check_engine, solve
from routeopt.errors import InputError
from routeopt.input.literature import read_instance
from routeopt.output.atomic import check_output, write_file

RESULT_COLUMNS = (
    "instance", "kind", "customers", "routes", "cost", "best_known", "gap_pct", "reference", "time_s", "feasible",
)


def result_row(result: BenchResult) -> dict[str, object]:
    lit = result.instance
    ref = best_known(lit.kind, lit.name)
    gap = result.gap_pct()
    return {
        "instance": lit.name,
        "kind": lit.kind,
        "customers": len(lit.customers),
        "routes": result.n_routes,
        "cost": round(result.cost, 2),
        "best_known": ref[0] if ref else "",
        "gap_pct": round(gap, 2) + 0.0 if gap is not None else "",
        "reference": ref[1] if ref else "",
        "time_s": round(result.time_s, 1),
        "feasible": result.feasible,
    }


def results_csv(rows: list[dict[str, object]]) -> bytes:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=RESULT_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue().encode("utf-8")


def bench_command(
    instances: Annotated[list[Path], typer.Argument(help="Solomon / Homberger or Cordeau instance files.")],
    out: Annotated[Path, typer.Option("--out", help="Folder for NAME.solution.json and results.csv.")],
    time_limit: Annotated[float, typer.Option("--time-limit", help="Seconds per instance.")] = 60.0,
    seed: Annotated[int, typer.Option("--seed", help="Random seed; the same seed gives the same solution.")] = 0,
    max_iterations: Annotated[
        int | None,
        typer.Option("--max-iterations", help="Cap on search iterations: same seed + same cap = same solution."),
    ] = None,
    workers: Annotated[
        int,
        typer.Option("--workers", help="Processes per instance of several days: that many whole runs side by "
                     "side, each with its own seed, the cheapest kept (one-day instances use one)."),
    ] = 1,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No table at the end.")] = False,
) -> None:
    """Solve literature instances with routeopt's solver and score them against best-known values.

    Writes OUT/NAME.solution.json per instance (as the spec says; re-checkable by
    check_solution.py) and OUT/results.csv, rewritten after each instance. Needs the bench
    extra (PyVRP).
    """
    if not time_limit > 0:
        raise InputError(f"--time-limit {time_limit} must be > 0 seconds.")
    if max_iterations is not None and max_iterations < 0:
        raise InputError(f"--max-iterations {max_iterations} must be >= 0.")
    if workers < 1:
        raise InputError(f"--workers {workers} must be >= 1.")
    check_output(out, folder=True)
    lits = [read_instance(path) for path in instances]  # every file is checked before solving
    check_engine("auto")  # and PyVRP (routeopt[bench]) is there
    rows: list[dict[str, object]] = []
    console = Console(stderr=True)
    for lit in lits:
        if not quiet:
            console.print(f"solving {lit.name} ({lit.kind}, {len(lit.customers)} customers) …")
        result = solve(lit, time_limit, seed=seed, max_iterations=max_iterations, workers=workers)
        write_file(out / f"{lit.name}.solution.json", json.dumps(result.record(), indent=1).encode("utf-8"))
        rows.append(result_row(result))
        write_file(out / "results.csv", results_csv(rows))
        if not result.feasible:
            console.print(f"{lit.name}: no allowed pattern fits customers {list(result.unserved)}")
    if quiet:
        return
    table = Table("instance", "kind", "routes", "cost", "best known", "gap %", "time s", "feasible")
    for row in rows:
        table.add_row(*(str(row[k]) for k in ("instance", "kind", "routes", "cost", "best_known", "gap_pct",
                                               "time_s", "feasible")))
    Console().print(table)
