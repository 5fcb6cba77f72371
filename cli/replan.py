"""``routeopt replan``: a plan's remaining days again after the tables changed, with the least change."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

import routeopt
from routeopt.errors import InputError
from routeopt.output.atomic import check_folder
from routeopt.replan import read_old_plan
from routeopt_cli.common import (
    PLAN_CSV_FILES,
    check_planned,
    ctrl_c_stops,
    parse_start,
    progress_bar,
    travel_model,
    warn_unencodable,
)
from routeopt_cli.options import (
    DEFAULT_TIMEZONE,
    Backend,
    EncodingOption,
    IcsOption,
    JsonOption,
    KeptCourseWeightOption,
    KeptDaysOption,
    KeptRegularityOption,
    MapOption,
    MapTilesOption,
    RayAddress,
    TimezoneOption,
    XlsxOption,
)
from routeopt_cli.report import summary_table


def replan_command(
    plan_dir: Annotated[Path, typer.Argument(help="Plan folder to change (written by routeopt plan or replan).")],
    customers: Annotated[Path, typer.Option("--customers", help="Customer table as it is now (CSV or XLSX).")],
    reps: Annotated[Path, typer.Option("--reps", help="Rep table as it is now (CSV or XLSX).")],
    from_date: Annotated[str, typer.Option("--from", help="First day to plan again, YYYY-MM-DD; days before it "
                                           "are history.")],
    out: Annotated[Path, typer.Option("--out", help="Plan folder to write (replaced atomically).")],
    done: Annotated[
        Path | None, typer.Option("--done", help="What really happened before --from: rep,date,customer_id,status "
                                  "(visited or missed).")
    ] = None,
    max_changes: Annotated[
        int | None, typer.Option("--max-changes", help="Place at most N visits on a day or rep they were not on.")
    ] = None,
    holidays: Annotated[
        str | None, typer.Option("--holidays", help="Country of public holidays (default: the plan's).")
    ] = None,
    regularity: KeptRegularityOption = None,
    days: KeptDaysOption = None,
    course_weight: KeptCourseWeightOption = None,
    backend: Backend = "local",
    ray_address: RayAddress = None,
    encoding: EncodingOption = "utf-8",
    matrix: Annotated[
        Path | None, typer.Option("--matrix", help="Travel matrix CSV (default: the plan's travel model).")
    ] = None,
    detour: Annotated[float | None, typer.Option("--detour", help="Road km per great-circle km.")] = None,
    speed: Annotated[float | None, typer.Option("--speed", help="Average driving speed, km/h.")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No summary.")] = False,
    xlsx: XlsxOption = False,
    ics: IcsOption = False,
    timezone: TimezoneOption = DEFAULT_TIMEZONE,
    web_map: MapOption = False,
    map_tiles: MapTilesOption = None,
    as_json: JsonOption = False,
) -> None:
    """Plan the days from --from again for the changed tables, changing as few visits as possible."""
    first = parse_start(from_date, "--from")
    old = read_old_plan(plan_dir)
    horizon = routeopt.make_horizon(old.start, old.weeks, holidays if holidays is not None else old.holiday_country)
    problem = routeopt.read_problem(customers, reps, horizon)
    check_folder(out)  # before the run, not only after it
    if matrix is not None or detour is not None or speed is not None or old.travel is None:
        travel = travel_model(matrix, 1.3 if detour is None else detour, 30.0 if speed is None else speed)
    else:
        travel = old.travel
    try:
        shape = regularity or old.regularity
        weight = course_weight if course_weight is not None else old.course_weight if shape == "soft" else None
        options = routeopt.PlanOptions(travel=travel, regularity=shape, days=days or old.days, course_weight=weight,
                                       backend=backend, ray_address=ray_address)
        outputs = routeopt.OutputOptions(
            xlsx=xlsx, ics=ics, timezone=timezone, map=web_map or map_tiles is not None, map_tiles=map_tiles
        )
    except ValueError as exc:
        raise InputError(f"options: {exc}") from None
    if backend != "local" and not quiet:
        typer.echo(f"note: a re-plan repairs the plan without a search, in this process: --backend {backend} "
                   "changes nothing here (it is taken for the same command lines as plan and compare).", err=True)
    with progress_bar(len(problem.reps), None, enabled=not quiet) as on_rep_done, ctrl_c_stops() as stop:
        result = routeopt.replan(old, problem, first, done=done, options=options, max_changes=max_changes,
                                 progress=on_rep_done, stop=stop)
    summary = result.summary()
    folder = result.write(out, encoding=encoding, outputs=outputs)
    warn_unencodable([result.itinerary(), result.unscheduled_table(), result.changes()], encoding, PLAN_CSV_FILES)
    if as_json:  # also when nothing could be planned: summary.json is written then too
        typer.echo(json.dumps(summary, ensure_ascii=False, indent=2))
    check_planned(result, folder)
    if as_json or quiet:
        return
    Console().print(summary_table(summary, {r.id: r.name for r in problem.reps}))
    totals, counts = summary["totals"], summary["replan"]["changes"]
    typer.echo(
        f"{totals['visits_planned']}/{totals['visits_due']} visits planned "
        f"({totals['coverage']:.1%}), {totals['travel_min']} min driving, "
        f"{totals['visits_unscheduled']} unscheduled → {folder}"
    )
    n = summary['replan']['visits_changed']
    typer.echo(f"{n} visit{'s' * (n != 1)} changed ({counts['moved_day']} moved to another day, "
               f"{counts['moved_rep']} to another rep) → {folder / 'changes.csv'}")
