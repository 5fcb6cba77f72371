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
    gantt: Annotated[
        str,
        typer.Option(
            "--gantt",
            help="Whose weekly Gantt charts to draw (one file per rep and week): all, none, or rep ids separated "
            "by commas. Default auto: all, or none when the plan has too many reps (the command then says so).",
        ),
    ] = "auto",
) -> None:
    """Draw each rep's weeks as Gantt charts, the routes of each day and the workload per rep and day.

    Needs the plot extra (matplotlib).
    """
    from routeopt.evaluate.validate import read_plan_folder
    from routeopt.output.atomic import check_output
    from routeopt.output.figures import GANTT_DEFAULT_MAX_REPS, write_figures

    if not 20 <= dpi <= 600:
        raise InputError(f"--dpi {dpi} must be 20..600.")
    rows, summary = read_plan_folder(plan_dir)
    reps = {str(r["rep"]) for r in rows}
    gantt_reps = _gantt_reps(gantt, reps)
    options = summary.get("options")
    start = None
    if isinstance(options, dict) and isinstance(options.get("start"), str):
        try:
            start = dt.date.fromisoformat(options["start"])
        except ValueError:
            raise InputError(f'summary.json: options.start "{options["start"]}" is not a date YYYY-MM-DD.') from None
    folder = check_output(out if out is not None else plan_dir / "figures", folder=True)
    paths = write_figures(rows, folder, start, dpi, gantt_reps)
    if not paths:
        typer.echo(f"nothing to draw: {plan_dir / 'itinerary.csv'} has no visits")
        return
    typer.echo(f"{len(paths)} figures → {folder}")
    if gantt_reps is None and len(reps) > GANTT_DEFAULT_MAX_REPS:
        typer.echo(f"Gantt charts left out: {len(reps)} reps, more than {GANTT_DEFAULT_MAX_REPS}; --gantt all draws "
                   "them all (one file per rep and week), --gantt ID,ID… those of some reps.")


def _gantt_reps(value: str, reps: set[str]) -> set[str] | None:
    """``--gantt``'s reps: None for the library's default, else the reps named (each must be in the plan)."""
    if value.strip().lower() == "auto":
        return None
    if value.strip().lower() == "all":
        return reps
    if value.strip().lower() == "none":
        return set()
    named = {r.strip() for r in value.split(",") if r.strip()}
    unknown = sorted(named - reps)
    if not named or unknown:
        raise InputError(f'--gantt "{value}": {", ".join(unknown) or "no rep"} not in the plan; give auto, all, none '
                         "or rep ids separated by commas.")
    return named
