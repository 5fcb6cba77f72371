"""The ``routeopt`` command: a thin Typer layer over the library.

Every command only parses its options and calls library functions. ``RouteoptError`` is caught
here and becomes a one-line message and an exit status: 2 bad input or a missing extra (the
message names it), 3 nothing could be planned, 1 internal error (its traceback goes to a file
named in the message).
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

import routeopt
from routeopt.errors import InputError
from routeopt.output.atomic import check_folder
from routeopt_cli.bench import bench_command
from routeopt_cli.capacity import capacity_command, warn_if_short
from routeopt_cli.common import (
    PLAN_CSV_FILES,
    check_planned,
    ctrl_c_stops,
    exits_cleanly,
    parse_start,
    progress_bar,
    travel_model,
    warn_reruns,
    warn_unencodable,
)
from routeopt_cli.geocode import geocode_command
from routeopt_cli.options import (
    DEFAULT_DAYS,
    DEFAULT_DETOUR,
    DEFAULT_LAST_WEEKDAY,
    DEFAULT_REGULARITY,
    DEFAULT_SPEED,
    DEFAULT_TIMEZONE,
    Backend,
    CourseWeightOption,
    DaysOption,
    DetourOption,
    EncodingOption,
    IcsOption,
    JsonOption,
    LastWeekdayOption,
    MapOption,
    MapTilesOption,
    MatrixOption,
    RayAddress,
    RegularityOption,
    SheetOption,
    SpeedOption,
    TimezoneOption,
    XlsxOption,
)
from routeopt_cli.plot import plot_command
from routeopt_cli.replan import replan_command
from routeopt_cli.report import summary_table
from routeopt_cli.territory import compare_command, territory_command

app = typer.Typer(
    name="routeopt",
    help="Plan the weeks of route-sales reps: visit days at each customer's rhythm and daily routes.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

@app.command("plan")
@exits_cleanly
def plan_command(
    customers: Annotated[Path, typer.Argument(help="Customer table (CSV in UTF-8, UTF-16 or CP932, or XLSX).")],
    reps: Annotated[Path, typer.Option("--reps", help="Rep table (CSV or XLSX).")],
    start: Annotated[str, typer.Option("--start", help="First day of the plan, YYYY-MM-DD.")],
    out: Annotated[Path, typer.Option("--out", help="Plan folder to write (replaced atomically).")],
    sheet: SheetOption = None,
    weeks: Annotated[int, typer.Option("--weeks", help="Length of the plan in weeks.")] = 4,
    time_limit: Annotated[float, typer.Option("--time-limit", help="Solver time limit in seconds.")] = 60.0,
    seed: Annotated[int, typer.Option("--seed", help="Random seed; the same seed gives the same plan.")] = 0,
    holidays: Annotated[
        str | None, typer.Option("--holidays", help="Country whose public holidays are days off, e.g. JP.")
    ] = None,
    encoding: EncodingOption = "utf-8",
    matrix: MatrixOption = None,
    detour: DetourOption = DEFAULT_DETOUR,
    speed: SpeedOption = DEFAULT_SPEED,
    workers: Annotated[int | None, typer.Option("--workers", help="Processes solving reps side by side.")] = None,
    engine: Annotated[
        str, typer.Option("--engine", help="auto, local (iterated local search), ortools or hybrid.")
    ] = "auto",
    max_iterations: Annotated[
        int | None,
        typer.Option("--max-iterations", help="Cap on search iterations: same seed + same cap = same plan."),
    ] = None,
    backend: Backend = "local",
    ray_address: RayAddress = None,
    regularity: RegularityOption = DEFAULT_REGULARITY,
    days: DaysOption = DEFAULT_DAYS,
    last_weekday: LastWeekdayOption = DEFAULT_LAST_WEEKDAY,
    course_weight: CourseWeightOption = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar or summary.")] = False,
    xlsx: XlsxOption = False,
    ics: IcsOption = False,
    timezone: TimezoneOption = DEFAULT_TIMEZONE,
    web_map: MapOption = False,
    map_tiles: MapTilesOption = None,
    as_json: JsonOption = False,
) -> None:
    """Plan visit days and daily routes for every rep and write the plan folder."""
    horizon = routeopt.make_horizon(parse_start(start), weeks, holidays)
    problem = routeopt.read_problem(customers, reps, horizon, sheet)
    check_folder(out)  # before the run, not only after it
    warn_holidays_unknown(problem, Path(customers).name)
    kwargs = {"workers": workers} if workers is not None else {}
    travel = travel_model(matrix, detour, speed)
    try:
        options = routeopt.PlanOptions(
            time_limit=time_limit,
            seed=seed,
            travel=travel,
            engine=engine,
            max_iterations=max_iterations,
            backend=backend,
            ray_address=ray_address,
            regularity=regularity,
            days=days,
            last_weekday=last_weekday,
            course_weight=course_weight,
            **kwargs,
        )
    except ValueError as exc:
        raise InputError(f"options: {exc}") from None
    try:
        outputs = routeopt.OutputOptions(
            xlsx=xlsx, ics=ics, timezone=timezone, map=web_map or map_tiles is not None, map_tiles=map_tiles
        )
    except ValueError as exc:
        raise InputError(f"options: {exc}") from None
    routeopt.planner.check_sizes(problem)  # a book too large to plan is refused before the capacity note
    warn_if_short(problem, options.travel)
    with progress_bar(len(problem.reps), options.time_limit, enabled=not quiet) as on_rep_done, \
            ctrl_c_stops() as stop:
        result = routeopt.plan(problem, options, progress=on_rep_done, stop=stop)
    warn_reruns(result)
    summary = result.summary()
    totals = summary["totals"]
    folder = result.write(out, encoding=encoding, outputs=outputs)
    warn_unencodable([result.itinerary(), result.unscheduled_table()], encoding, PLAN_CSV_FILES)
    if result.interrupted:
        typer.echo("interrupted: the best plan found so far was written", err=True)
    if as_json:  # also when nothing could be planned: summary.json is written then too
        typer.echo(json.dumps(summary, ensure_ascii=False, indent=2))
    check_planned(result, folder)
    if as_json or quiet:
        return
    Console().print(summary_table(summary, {r.id: r.name for r in problem.reps},
                                  hint_free="--last-weekday free: every course chosen afresh"))
    typer.echo(
        f"{totals['visits_planned']}/{totals['visits_due']} visits planned "
        f"({totals['coverage']:.1%}), {totals['travel_min']} min driving, "
        f"{totals['visits_unscheduled']} unscheduled → {folder}"
    )


def warn_holidays_unknown(problem: routeopt.Problem, source: str) -> None:
    """Warn when customers are closed on public holidays but the plan has no holiday calendar."""
    if problem.horizon.holiday_country is not None:
        return
    named = [c.id for c in problem.customers if c.holiday_rules]
    if named:
        listed = ", ".join(named[:5]) + (" …" if len(named) > 5 else "")
        typer.echo(
            f"warning: {source}: {len(named)} customers ({listed}) are closed or keep other hours on public "
            "holidays, but no --holidays is given: public holidays are planned as ordinary days "
            "(add e.g. --holidays JP).",
            err=True,
        )


@app.command("validate")
@exits_cleanly
def validate_command(
    plan_dir: Annotated[Path, typer.Argument(help="Plan folder written by routeopt plan.")],
    customers: Annotated[Path, typer.Option("--customers", help="The customer table the plan was made from.")],
    reps: Annotated[Path, typer.Option("--reps", help="The rep table the plan was made from.")],
    start: Annotated[str | None, typer.Option("--start", help="Default: from summary.json.")] = None,
    weeks: Annotated[int | None, typer.Option("--weeks", help="Default: from summary.json.")] = None,
    holidays: Annotated[str | None, typer.Option("--holidays", help="Default: from summary.json.")] = None,
    sheet: SheetOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Re-check a plan folder against its inputs; exit 1 when a rule is broken."""
    from routeopt.evaluate.validate import validate_files

    report = validate_files(
        plan_dir, customers, reps, start=parse_start(start) if start else None, weeks=weeks, holidays=holidays,
        sheet=sheet,
    )
    if as_json:
        typer.echo(json.dumps({"ok": report.ok, "violations": report.counts(), "figures": report.figures,
                               "shape": report.shape}, ensure_ascii=False))
    else:
        typer.echo(report.to_text())
    raise typer.Exit(0 if report.ok else 1)


app.command("bench")(exits_cleanly(bench_command))
app.command("geocode")(exits_cleanly(geocode_command))
app.command("plot")(exits_cleanly(plot_command))
app.command("territory")(exits_cleanly(territory_command))
app.command("compare")(exits_cleanly(compare_command))
app.command("capacity")(exits_cleanly(capacity_command))
app.command("replan")(exits_cleanly(replan_command))


def run() -> None:
    """Console entry point."""
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    app()


if __name__ == "__main__":
    run()
