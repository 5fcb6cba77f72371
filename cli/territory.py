"""``routeopt territory`` (design the split of customers among reps) and ``routeopt compare``
(plan several splits and put their figures side by side)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Annotated, Any

import pandas as pd
import typer
from rich.console import Console
from rich.table import Table

from routeopt.compare import TABLE_COLUMNS, compare
from routeopt.errors import InputError, MissingExtraError
from routeopt.input.reps import read_reps
from routeopt.model.calendar import make_horizon
from routeopt.options import PlanOptions
from routeopt.output.atomic import check_output, write_file
from routeopt.output.tables import split_csv
from routeopt.territory.design import TerritoryDesign, TerritoryOptions, design
from routeopt.territory.tables import read_split, with_reps
from routeopt_cli.capacity import warn_if_short
from routeopt_cli.common import ctrl_c_stops, parse_start, travel_model, warn_reruns, warn_unencodable
from routeopt_cli.options import (
    DEFAULT_DAYS,
    DEFAULT_DETOUR,
    DEFAULT_LAST_WEEKDAY,
    DEFAULT_REGULARITY,
    DEFAULT_SPEED,
    Backend,
    CourseWeightOption,
    DaysOption,
    DetourOption,
    EncodingOption,
    LastWeekdayOption,
    MatrixOption,
    RayAddress,
    RegularityOption,
    SheetOption,
    SpeedOption,
)


def territory_command(
    customers: Annotated[
        Path, typer.Argument(help="Customer table (CSV or XLSX); its rep column is the current split.")
    ],
    reps: Annotated[Path, typer.Option("--reps", help="Rep table (CSV or XLSX).")],
    out: Annotated[Path, typer.Option("--out", help="Customers CSV to write, with the designed rep column.")],
    keep_current: Annotated[
        bool, typer.Option("--keep-current", help="Move as few customers as possible away from their current rep.")
    ] = False,
    max_moves: Annotated[
        int | None, typer.Option("--max-moves", help="Move at most N customers away from their current rep.")
    ] = None,
    start: Annotated[
        str | None, typer.Option("--start", help="First day of the horizon whose visits count (default: the day "
                                 "after the latest last_visit, or today).")
    ] = None,
    weeks: Annotated[int, typer.Option("--weeks", help="Length of the horizon in weeks.")] = 4,
    holidays: Annotated[str | None, typer.Option("--holidays", help="Country of public holidays, e.g. JP.")] = None,
    tolerance: Annotated[
        float, typer.Option("--tolerance", help="Spread of relative workloads (max − min, share of the mean) "
                            "that is good enough.")
    ] = 0.03,
    time_limit: Annotated[float, typer.Option("--time-limit", help="Solver time limit in seconds.")] = 30.0,
    seed: Annotated[int, typer.Option("--seed", help="Random seed of the solver.")] = 0,
    workers: Annotated[int, typer.Option("--workers", help="Solver search workers (1 = repeatable).")] = 1,
    encoding: EncodingOption = "utf-8",
    matrix: MatrixOption = None,
    detour: DetourOption = DEFAULT_DETOUR,
    speed: SpeedOption = DEFAULT_SPEED,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No table at the end.")] = False,
    sheet: SheetOption = None,
) -> None:
    """Assign customers to reps: balanced workloads, compact territories, locked customers kept.
    Every rep's estimated load is written beside --out as NAME_reps.csv."""
    if max_moves is not None and max_moves < 0:
        raise InputError(f'--max-moves "{max_moves}" must be a whole number >= 0.')
    travel = travel_model(matrix, detour, speed)
    try:
        options = TerritoryOptions(
            keep_current=keep_current, max_moves=max_moves, tolerance=tolerance, time_limit=time_limit, seed=seed,
            workers=workers, travel=travel,
        )
    except ValueError as exc:
        raise InputError(f"options: {exc}") from None
    rep_list = read_reps(reps)
    horizon = make_horizon(parse_start(start), weeks, holidays) if start else None
    frame, problem = read_split(customers, rep_list, horizon, weeks, holidays, sheet)
    if (keep_current or max_moves is not None) and all(c.rep is None for c in problem.customers):
        raise InputError(f"{customers.name}: --keep-current/--max-moves need a current split, but the rep column "
                         "is blank in every row.")
    reps_out = out.with_name(f"{out.stem}_reps.csv")
    check_output(out)  # before the run, not only after it
    check_output(reps_out)
    warn_if_short(problem, options.travel)
    result = design(problem, options)
    for warning in result.warnings:
        typer.echo(f"warning: {warning}", err=True)
    designed = with_reps(frame, result.problem, result.owner, customers.name)
    write_file(out, split_csv(designed, encoding))
    warn_unencodable([designed], encoding, out.name)
    write_file(reps_out, rep_table(result).to_csv(index=False, lineterminator="\n").encode("utf-8-sig"))
    if quiet:
        return
    if len(problem.reps) > FULL_TABLE_REPS:
        _print_load_summary(result.after)
    else:
        _print_rep_table(result)
    mom = result.max_over_mean()
    text = f"estimated max/mean load {mom:.3f}"
    if result.before is not None:
        text += f" (before {result.max_over_mean('before'):.3f})"
    typer.echo(f"{text}; customers moved: {len(result.moved)} → {out} (per rep: {reps_out.name})")


FULL_TABLE_REPS = 20
"""Above this many reps the terminal gets a summary of the loads; the full table is in the CSV."""


def rep_table(result: TerritoryDesign) -> pd.DataFrame:
    """One row per rep: the designed split's estimates, and the load before when there was a split."""
    table = result.after.reset_index()
    table["load"] = table["load"].round(4)
    if result.before is not None:
        table["load_before"] = result.before["load"].round(4).to_numpy()
    return table.round({"visits": 1, "service_min": 0, "travel_min": 0, "days": 2, "work_min": 0})


def _print_rep_table(result: TerritoryDesign) -> None:
    table = Table("rep", "customers", "visits", "est. work min", "capacity min", "load", title="designed split")
    before = result.before
    if before is not None:
        table.add_column("load before")
    for rep, row in result.after.iterrows():
        cells = [str(rep), f"{row['customers']:.0f}", f"{row['visits']:.0f}", f"{row['work_min']:.0f}",
                 f"{row['capacity_min']:.0f}", f"{row['load']:.1%}"]
        if before is not None:
            cells.append(f"{before.loc[rep, 'load']:.1%}")
        table.add_row(*cells)
    Console().print(table)


def _print_load_summary(after: pd.DataFrame) -> None:
    """Min, mean and max load, and the five most and least loaded reps."""
    load = after["load"].sort_values(kind="stable")
    typer.echo(f"designed split, {len(load)} reps: load min {load.min():.1%}, mean {load.mean():.1%}, "
               f"max {load.max():.1%}")
    for title, part in (("most loaded", load[::-1][:5]), ("least loaded", load[:5])):
        typer.echo(f"  {title}: " + ", ".join(f"{rep} {value:.1%} ({_customers(after.loc[rep, 'customers'])})"
                                               for rep, value in part.items()))


def _customers(count: float) -> str:
    return f"{count:.0f} customer{'' if round(count) == 1 else 's'}"


def compare_command(
    splits: Annotated[list[Path], typer.Argument(help="Customer tables of the same customers, different rep columns.")],
    reps: Annotated[Path, typer.Option("--reps", help="Rep table (CSV or XLSX).")],
    start: Annotated[str, typer.Option("--start", help="First day of the plan, YYYY-MM-DD.")],
    weeks: Annotated[int, typer.Option("--weeks", help="Length of the plan in weeks.")] = 4,
    out: Annotated[Path | None, typer.Option("--out", help="Write the table as CSV here.")] = None,
    chart: Annotated[
        Path | None, typer.Option("--chart", help="Bar chart PNG of working minutes per rep and split "
                                  "(default with --out: beside it, NAME_workload.png; needs the plot extra).")
    ] = None,
    plans: Annotated[
        Path | None, typer.Option("--plans", help="Also write each split's plan folder into PLANS, named after the "
                                  "split's file (a-split, b-split for a/split.csv, b/split.csv).")
    ] = None,
    time_limit: Annotated[float, typer.Option("--time-limit", help="Planner time limit per split, seconds.")] = 60.0,
    seed: Annotated[int, typer.Option("--seed", help="Random seed of the planner.")] = 0,
    holidays: Annotated[str | None, typer.Option("--holidays", help="Country of public holidays, e.g. JP.")] = None,
    workers: Annotated[int | None, typer.Option("--workers", help="Processes solving reps side by side.")] = None,
    engine: Annotated[str, typer.Option("--engine", help="auto, local, ortools or hybrid.")] = "auto",
    max_iterations: Annotated[
        int | None, typer.Option("--max-iterations", help="Cap on search iterations (repeatable plans).")
    ] = None,
    backend: Backend = "local",
    regularity: RegularityOption = DEFAULT_REGULARITY,
    days: DaysOption = DEFAULT_DAYS,
    last_weekday: LastWeekdayOption = DEFAULT_LAST_WEEKDAY,
    course_weight: CourseWeightOption = None,
    ray_address: RayAddress = None,
    matrix: MatrixOption = None,
    detour: DetourOption = DEFAULT_DETOUR,
    speed: SpeedOption = DEFAULT_SPEED,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No table on the terminal.")] = False,
    sheet: SheetOption = None,
) -> None:
    """Plan every split with the same options and compare travel, workloads, coverage and moves."""
    horizon = make_horizon(parse_start(start), weeks, holidays)
    kwargs: dict[str, Any] = {"workers": workers} if workers is not None else {}
    travel = travel_model(matrix, detour, speed)
    try:
        options = PlanOptions(time_limit=time_limit, seed=seed, travel=travel, engine=engine,
                              max_iterations=max_iterations, backend=backend, ray_address=ray_address,
                              regularity=regularity, days=days, last_weekday=last_weekday,
                              course_weight=course_weight, **kwargs)
    except ValueError as exc:
        raise InputError(f"options: {exc}") from None
    chart_asked = chart is not None
    if out is not None and chart is None:
        chart = out.with_name(f"{out.stem}_workload.png")
    if chart is not None:
        try:  # matplotlib is the plot extra: without it --chart stops here, the chart beside --out is skipped
            from routeopt.output.figures import png_bytes, split_workload_figure
        except MissingExtraError as exc:
            if chart_asked:
                raise
            typer.echo(f"warning: {exc}; {chart.name} is not drawn", err=True)
            chart = None
    for path in (out, chart):
        if path is not None:
            check_output(path)  # before the runs, not only after them
    if out is not None and chart is not None and out.absolute() == chart.absolute():
        raise InputError(f"--out and --chart are both {out}; give the chart another name.")
    if plans is not None:
        check_output(plans, folder=True)
    rep_list = read_reps(reps)
    names = _names(splits)
    folders = _plan_folders(splits)
    problems = [(name, read_split(path, rep_list, horizon, weeks, holidays, sheet)[1]) for name, path in zip(
        names, splits, strict=True)]
    console = Console(stderr=True)

    def progress(name: str, done: int, total: int) -> None:
        if not quiet:
            console.print(f"planned {name} ({done}/{total})")

    with ctrl_c_stops() as stop:
        result = compare(problems, options, progress, stop=stop)
    for name, plan in result.plans.items():
        warn_reruns(plan, f"{name}: ")
    if out is not None:
        buf = io.StringIO()
        result.table.to_csv(buf, index=False, lineterminator="\n")
        write_file(out, buf.getvalue().encode("utf-8-sig"))  # with a BOM, for Excel
    if chart is not None:
        write_file(chart, png_bytes(split_workload_figure(result.workloads)))
    written = [path for path in (out, chart) if path is not None]
    if plans is not None:
        for name, folder in zip(names, folders, strict=True):
            written.append(result.plans[name].write(plans / folder))
    if quiet:
        return
    table = Table(*(c for c in TABLE_COLUMNS), title="splits compared (first split = reference for moves)")
    for rec in result.table.to_dict("records"):
        table.add_row(*(_cell(rec[c]) for c in TABLE_COLUMNS))
    Console(width=max(200, Console().width)).print(table)
    for path in written:
        typer.echo(f"→ {path}")


def _names(paths: list[Path]) -> list[str]:
    """Split names: file stems, or the paths as given when two stems are equal."""
    stems = [p.stem for p in paths]
    return stems if len(set(stems)) == len(stems) else [str(p) for p in paths]


def _plan_folders(paths: list[Path]) -> list[str]:
    """The folder of each split's plan under ``--plans``: the file's stem (``split`` of
    ``a/split.csv``); where stems are equal, the parent folder's name before it (``a-split``,
    ``b-split``); where those are equal too, the split's place on the command line after the stem
    (``split-1``, ``split-2``). Names that differ only in case are equal (one folder on macOS and
    Windows)."""
    names = [p.stem for p in paths]
    renames = (lambda k: f"{paths[k].absolute().parent.name}-{paths[k].stem}", lambda k: f"{paths[k].stem}-{k + 1}")
    for rename in renames:
        for k in _clashing(names):
            names[k] = rename(k)
    clash = _clashing(names)
    if clash:
        raise InputError(f"--plans: {paths[clash[0]]} and {paths[clash[1]]} would both be written to "
                         f"{names[clash[0]]}; rename one of the files.")
    return names


def _clashing(names: list[str]) -> list[int]:
    """The places of the names that another name equals, case aside."""
    keys = [n.casefold() for n in names]
    return [k for k, key in enumerate(keys) if keys.count(key) > 1]


def _cell(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.3f}".rstrip("0").rstrip(".") if not value.is_integer() else f"{value:.0f}"
    return str(value)
