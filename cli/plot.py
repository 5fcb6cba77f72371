"""``routeopt plot PLAN_DIR``: PNG figures of a plan folder."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from routeopt.errors import InputError


def plot_command(
    plan_dir: Annotated[Path, typer.Argument(help="Plan folder written by routeopt plan.")],
    out: Annotated[
        Path | None, typer.Option("--out", help="Folder for the PNG files; default PLAN_DIR/figures.")
    ] = None,
    dpi: Annotated[int, typer.Option("--dpi", help="Resolution of the PNG files, dots per inch.")] = 100,
) -> None:
    """Draw each rep's weeks as Gantt charts, the routes of each day and the workload per rep and day.

    Needs the plot extra (matplotlib).
    """
    from routeopt.evaluate.validate import read_plan_folder
    from routeopt.output.atomic import check_output
    from routeopt.output.figures import write_figures

    if not 20 <= dpi <= 600:
        raise InputError(f"--dpi {dpi} must be 20..600.")
    rows, summary = read_plan_folder(plan_dir)
    options = summary.get("options")
    start = None
    if isinstance(options, dict) and isinstance(options.get("start"), str):
        try:
            start = dt.date.fromisoformat(options["start"])
        except ValueError:
            raise InputError(f'summary.json: options.start "{options["start"]}" is not a date YYYY-MM-DD.') from None
    folder = check_output(out if out is not None else plan_dir / "figures", folder=True)
    paths = write_figures(rows, folder, start, dpi)
    if not paths:
        typer.echo(f"nothing to draw: {plan_dir / 'itinerary.csv'} has no visits")
        return
    typer.echo(f"{len(paths)} figures → {folder}")
