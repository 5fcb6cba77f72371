"""``routeopt capacity`` (how many reps the book needs) and the short note that ``plan`` and
``territory`` print when the team is short."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

import routeopt
from routeopt.territory.capacity import estimate_capacity
from routeopt.travel import TravelModel
from routeopt_cli.common import parse_start, travel_model
from routeopt_cli.options import DEFAULT_DETOUR, DEFAULT_SPEED, DetourOption, MatrixOption, SheetOption, SpeedOption


def warn_if_short(problem: routeopt.Problem, travel: TravelModel) -> None:
    """Print the capacity paragraph to stderr when the team cannot plan every visit due (as a
    team, or where its customers are)."""
    estimate = estimate_capacity(problem, travel)
    if estimate.is_short_somewhere:
        typer.echo(estimate.message(), err=True)


def capacity_command(
    customers: Annotated[Path, typer.Argument(help="Customer table (CSV or XLSX).")],
    reps: Annotated[Path, typer.Option("--reps", help="Rep table (CSV or XLSX).")],
    start: Annotated[
        str | None, typer.Option("--start", help="First day of the horizon (default: the day after the latest "
                                 "last_visit, or today).")
    ] = None,
    weeks: Annotated[int, typer.Option("--weeks", help="Length of the horizon in weeks.")] = 4,
    holidays: Annotated[str | None, typer.Option("--holidays", help="Country of public holidays, e.g. JP.")] = None,
    matrix: MatrixOption = None,
    detour: DetourOption = DEFAULT_DETOUR,
    speed: SpeedOption = DEFAULT_SPEED,
    sheet: SheetOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the figures as JSON.")] = False,
) -> None:
    """How many reps the book needs, and how many visits today's team would lose."""
    from routeopt.input.reps import read_reps
    from routeopt.territory.tables import read_split

    rep_list = read_reps(reps)
    horizon = routeopt.make_horizon(parse_start(start), weeks, holidays) if start else None
    _, problem = read_split(customers, rep_list, horizon, weeks, holidays, sheet)
    estimate = estimate_capacity(problem, travel_model(matrix, detour, speed))
    if as_json:
        typer.echo(json.dumps(estimate.as_dict(), ensure_ascii=False))
        return
    typer.echo(estimate.message())
    where = " if they were where the customers are" if estimate.regional_short_min else ""
    typer.echo(f"reps needed: {estimate.reps_needed}{where} (the team has {estimate.reps}); "
               f"visits lost with today's team: ≈ {estimate.visits_lost:,} of {estimate.visits_due:,}")
