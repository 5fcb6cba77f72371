"""The ``routeopt`` command: a thin Typer layer over the library.

Every command only parses its options and calls library functions. ``RouteoptError`` is caught
here and becomes a one-line message and an exit status: 2 bad input, 3 nothing could be
planned, 1 internal error (its traceback goes to a file named in the message).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import json
import logging
import tempfile
import traceback
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Annotated, Any, ParamSpec

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

import routeopt
from routeopt.errors import (
    AmbiguousSheetError,
    InfeasibleError,
    InputError,
    RouteoptError,
    RouteoptWarning,
    TooManyCustomersError,
)
from routeopt.output.atomic import check_folder
from routeopt.output.tables import unencodable
from routeopt_cli.bench import bench_command
from routeopt_cli.geocode import geocode_command
from routeopt_cli.plot import plot_command
from routeopt_cli.report import summary_table
from routeopt_cli.territory import compare_command, territory_command

app = typer.Typer(
    name="routeopt",
    help="Plan the weeks of route-sales reps: visit days at each customer's rhythm and daily routes.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

EXIT_INTERNAL, EXIT_INPUT, EXIT_INFEASIBLE = 1, 2, 3
P = ParamSpec("P")


SHEET_HELP = "Worksheet of a customers workbook to read (default: the one sheet that holds the table)."


def input_message(exc: InputError) -> str:
    """The one line for bad input; where the library's words depend on the command line, they
    are said here."""
    if isinstance(exc, TooManyCustomersError):
        who = f"rep {exc.rep} owns" if exc.rep is not None else "there are"
        what = "customers" if exc.rep is not None else "customers without a rep"
        return (f"{who} {exc.customers:,} {what}; one rep can be planned with at most {exc.limit:,} — "
                "split the territory with `routeopt territory`.")
    if isinstance(exc, AmbiguousSheetError):
        return f"{str(exc).removesuffix('.')} with --sheet NAME."
    return str(exc)


@contextlib.contextmanager
def warnings_as_lines() -> Iterator[None]:
    """While inside, routeopt's warnings are printed at once as ``warning:`` lines on stderr, each
    time they occur (other warnings as Python shows them)."""
    with warnings.catch_warnings():
        warnings.simplefilter("always", RouteoptWarning)
        python_shows = warnings.showwarning

        def show(message: Warning | str, category: type[Warning], filename: str, lineno: int,
                 file: Any = None, line: str | None = None) -> None:
            if issubclass(category, RouteoptWarning):
                typer.echo(f"warning: {message}", err=True)
            else:
                python_shows(message, category, filename, lineno, file, line)

        warnings.showwarning = show
        yield


def exits_cleanly(command: Callable[P, None]) -> Callable[P, None]:
    """Turn routeopt's errors into a one-line message on stderr and the documented exit status,
    and its warnings into ``warning:`` lines on stderr."""

    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> None:
        try:
            with warnings_as_lines():
                command(*args, **kwargs)
        except InputError as exc:
            typer.echo(f"error: {input_message(exc)}", err=True)
            raise typer.Exit(EXIT_INPUT) from None
        except InfeasibleError as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(EXIT_INFEASIBLE) from None
        except RouteoptError as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(EXIT_INTERNAL) from None
        except KeyboardInterrupt:
            typer.echo("interrupted; earlier results are intact", err=True)
            raise typer.Exit(130) from None
        except (typer.Exit, typer.Abort):
            raise
        except Exception as exc:  # the last line of defence: one line, the traceback in a file
            with tempfile.NamedTemporaryFile("w", prefix="routeopt-error-", suffix=".txt", delete=False) as f:
                traceback.print_exc(file=f)
            typer.echo(f"internal error: {type(exc).__name__}: {exc} (please report this with {f.name})", err=True)
            raise typer.Exit(EXIT_INTERNAL) from None

    return wrapper


def parse_start(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise InputError(f'--start "{value}" is not a date; write it as YYYY-MM-DD, e.g. 2026-12-01.') from None


def travel_model(matrix: Path | None, detour: float, speed: float) -> routeopt.travel.TravelModel:
    if matrix is not None:
        return routeopt.MatrixFile.read(matrix)
    try:
        return routeopt.GreatCircle(detour_factor=detour, speed_kmh=speed)
    except ValueError as exc:
        raise InputError(f"--detour/--speed: {exc}") from None


@app.command("plan")
@exits_cleanly
def plan_command(
    customers: Annotated[Path, typer.Argument(help="Customer table (CSV in UTF-8, UTF-16 or CP932, or XLSX).")],
    reps: Annotated[Path, typer.Option("--reps", help="Rep table (CSV or XLSX).")],
    start: Annotated[str, typer.Option("--start", help="First day of the plan, YYYY-MM-DD.")],
    out: Annotated[Path, typer.Option("--out", help="Plan folder to write (replaced atomically).")],
    sheet: Annotated[str | None, typer.Option("--sheet", help=SHEET_HELP)] = None,
    weeks: Annotated[int, typer.Option("--weeks", help="Length of the plan in weeks.")] = 4,
    time_limit: Annotated[float, typer.Option("--time-limit", help="Solver time limit in seconds.")] = 60.0,
    seed: Annotated[int, typer.Option("--seed", help="Random seed; the same seed gives the same plan.")] = 0,
    holidays: Annotated[
        str | None, typer.Option("--holidays", help="Country whose public holidays are days off, e.g. JP.")
    ] = None,
    encoding: Annotated[
        str, typer.Option("--encoding", help="CSV encoding: utf-8 (with BOM, for Excel) or cp932.")
    ] = "utf-8",
    matrix: Annotated[
        Path | None, typer.Option("--matrix", help="Travel matrix CSV (from_id,to_id,minutes,km).")
    ] = None,
    detour: Annotated[float, typer.Option("--detour", help="Road km per great-circle km.")] = 1.3,
    speed: Annotated[float, typer.Option("--speed", help="Average driving speed, km/h.")] = 30.0,
    workers: Annotated[int | None, typer.Option("--workers", help="Processes solving reps side by side.")] = None,
    engine: Annotated[
        str, typer.Option("--engine", help="auto, local (iterated local search), ortools or hybrid.")
    ] = "auto",
    max_iterations: Annotated[
        int | None,
        typer.Option("--max-iterations", help="Cap on search iterations: same seed + same cap = same plan."),
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar or summary.")] = False,
    xlsx: Annotated[bool, typer.Option("--xlsx", help="Also write plan.xlsx: a summary, a sheet per rep.")] = False,
    ics: Annotated[bool, typer.Option("--ics", help="Also write calendar-REP.ics, a calendar per rep.")] = False,
    timezone: Annotated[
        str, typer.Option("--timezone", help="Time zone of the plan's local times, for calendars.")
    ] = "Asia/Tokyo",
    web_map: Annotated[bool, typer.Option("--map", help="Also write map.html (works offline).")] = False,
    map_tiles: Annotated[
        str | None, typer.Option("--map-tiles", help="Tile URL template for the map's background (needs network).")
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print summary.json to stdout (nothing else goes to stdout).")
    ] = False,
) -> None:
    """Plan visit days and daily routes for every rep and write the plan folder."""
    horizon = routeopt.make_horizon(parse_start(start), weeks, holidays)
    problem = routeopt.read_problem(customers, reps, horizon, sheet)
    check_folder(out)  # before the run, not only after it
    warn_holidays_unknown(problem, Path(customers).name)
    kwargs = {"workers": workers} if workers is not None else {}
    try:
        options = routeopt.PlanOptions(
            time_limit=time_limit,
            seed=seed,
            travel=travel_model(matrix, detour, speed),
            engine=engine,
            max_iterations=max_iterations,
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
    with progress_bar(len(problem.reps), options.time_limit, enabled=not quiet) as on_rep_done:
        result = routeopt.plan(problem, options, progress=on_rep_done)
    summary = result.summary()
    totals = summary["totals"]
    folder = result.write(out, encoding=encoding, outputs=outputs)
    lost = unencodable([result.itinerary(), result.unscheduled_table()], encoding)
    if lost:
        typer.echo(f"warning: {encoding} cannot hold {' '.join(lost[:10])}{' …' if len(lost) > 10 else ''}: "
                   "written as ? in the CSV files (plan.xlsx and the calendars keep them).", err=True)
    if totals["visits_due"] and not totals["visits_planned"]:
        first = result.unscheduled[0]
        raise InfeasibleError(
            f"nothing could be planned: {first.customer_id} (due {first.due.isoformat()}): {first.reason}; "
            f"every reason is in {folder / 'unscheduled.csv'}"
        )
    if result.interrupted:
        typer.echo("interrupted: the best plan found so far was written", err=True)
    if as_json:
        typer.echo(json.dumps(summary, ensure_ascii=False, indent=2))
        return
    if quiet:
        return
    Console().print(summary_table(summary, {r.id: r.name for r in problem.reps}))
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


@contextlib.contextmanager
def progress_bar(reps: int, time_limit: float, enabled: bool) -> Iterator[routeopt.planner.Progress | None]:
    """A progress bar on stderr while reps are planned (only on a terminal)."""
    console = Console(stderr=True)
    if not enabled or not console.is_terminal:
        yield None
        return
    columns = (SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
               TimeElapsedColumn(), TextColumn(f"of ≤ {time_limit:.0f} s"))
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task("planning reps", total=reps)

        def on_rep_done(rep_id: str, done: int, total: int) -> None:
            bar.update(task, completed=done, description=f"planned {rep_id}")

        yield on_rep_done


@app.command("validate")
@exits_cleanly
def validate_command(
    plan_dir: Annotated[Path, typer.Argument(help="Plan folder written by routeopt plan.")],
    customers: Annotated[Path, typer.Option("--customers", help="The customer table the plan was made from.")],
    reps: Annotated[Path, typer.Option("--reps", help="The rep table the plan was made from.")],
    start: Annotated[str | None, typer.Option("--start", help="Default: from summary.json.")] = None,
    weeks: Annotated[int | None, typer.Option("--weeks", help="Default: from summary.json.")] = None,
    holidays: Annotated[str | None, typer.Option("--holidays", help="Default: from summary.json.")] = None,
    sheet: Annotated[str | None, typer.Option("--sheet", help=SHEET_HELP)] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Re-check a plan folder against its inputs; exit 1 when a rule is broken."""
    from routeopt.evaluate.validate import validate_files

    report = validate_files(
        plan_dir, customers, reps, start=parse_start(start) if start else None, weeks=weeks, holidays=holidays,
        sheet=sheet,
    )
    if as_json:
        typer.echo(json.dumps({"ok": report.ok, "violations": report.counts(), "figures": report.figures},
                              ensure_ascii=False))
    else:
        typer.echo(report.to_text())
    raise typer.Exit(0 if report.ok else 1)


app.command("bench")(exits_cleanly(bench_command))
app.command("geocode")(exits_cleanly(geocode_command))
app.command("plot")(exits_cleanly(plot_command))
app.command("territory")(exits_cleanly(territory_command))
app.command("compare")(exits_cleanly(compare_command))


def run() -> None:
    """Console entry point."""
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    app()


if __name__ == "__main__":
    run()
