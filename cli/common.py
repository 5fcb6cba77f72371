"""What every command shares: clean exits, flag names in messages, dates, the travel model,
Ctrl-C, the progress bar, and what a written plan or table says on stderr."""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import multiprocessing
import signal
import tempfile
import threading
import traceback
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from types import FrameType
from typing import Any, ParamSpec

import pandas as pd
import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

import routeopt
from routeopt.errors import (
    AmbiguousSheetError,
    InfeasibleError,
    InputError,
    MissingExtraError,
    RouteoptError,
    RouteoptWarning,
    TooManyCustomersError,
)
from routeopt.output.tables import unencodable

EXIT_INTERNAL, EXIT_INPUT, EXIT_INFEASIBLE = 1, 2, 3
EXIT_STATUS = ((InputError, EXIT_INPUT), (MissingExtraError, EXIT_INPUT), (InfeasibleError, EXIT_INFEASIBLE),
               (RouteoptError, EXIT_INTERNAL))
"""The exit status of each kind of error, the first that matches."""
P = ParamSpec("P")

FLAGS = {
    "weeks": "--weeks",
    "holiday_country": "--holidays",
    "encoding": "--encoding",
    "max_moves": "--max-moves",
    "service": "--service",
    "ray_address": "--ray-address",
    "from_date": "--from",
    "max_changes": "--max-changes",
}
"""The flag that sets each library parameter named in an :class:`InputError`."""


def cli_words(exc: InputError) -> str:
    """The one line for bad input: where the library's words depend on the command line (the
    parameter it names, the advice it gives), they are said here."""
    if isinstance(exc, TooManyCustomersError):
        who = f"rep {exc.rep} owns" if exc.rep is not None else "there are"
        what = "customers" if exc.rep is not None else "customers without a rep"
        return (f"{who} {exc.customers:,} {what}; one rep can be planned with at most {exc.limit:,} — "
                "split the territory with `routeopt territory`.")
    if isinstance(exc, AmbiguousSheetError):
        return f"{str(exc).removesuffix('.')} with --sheet NAME."
    text = str(exc)
    flag = FLAGS.get(exc.param or "")
    if flag and exc.param and text.startswith(exc.param):
        return flag + text[len(exc.param):]
    return text


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
        except RouteoptError as exc:
            typer.echo(f"error: {cli_words(exc) if isinstance(exc, InputError) else exc}", err=True)
            raise typer.Exit(next(code for kind, code in EXIT_STATUS if isinstance(exc, kind))) from None
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


def warn_reruns(plan: routeopt.Plan, label: str = "") -> None:
    """Say which reps were planned on this machine after their remote run failed, and why."""
    for rerun in plan.reruns:
        typer.echo(f"warning: {label}rep {rerun.rep} was planned on this machine instead: {rerun.reason}", err=True)


PLAN_CSV_FILES = "the CSV files (plan.xlsx and the calendars keep them)"
"""Where a plan folder writes text as ``?`` that its ``--encoding`` cannot hold (for :func:`warn_unencodable`)."""


def warn_unencodable(frames: list[pd.DataFrame], encoding: str, written: str) -> None:
    """Name the characters of the frames that ``encoding`` cannot hold, which were ``written`` as ``?``."""
    lost = unencodable(frames, encoding)
    if lost:
        typer.echo(f"warning: {encoding} cannot hold {' '.join(lost[:10])}{' …' if len(lost) > 10 else ''}: "
                   f"written as ? in {written}.", err=True)


def check_planned(result: routeopt.Plan, folder: Path) -> None:
    """Raise :class:`InfeasibleError` (exit 3) when nothing could be planned, naming the file that
    holds every reason."""
    try:
        result.check_feasible()
    except InfeasibleError as exc:
        raise InfeasibleError(f"{exc}; every reason is in {folder / 'unscheduled.csv'}") from None


def parse_start(value: str, flag: str = "--start") -> dt.date:
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise InputError(f'{flag} "{value}" is not a date; write it as YYYY-MM-DD, e.g. 2026-12-01.') from None


def travel_model(matrix: Path | None, detour: float, speed: float) -> routeopt.travel.TravelModel:
    if matrix is not None:
        return routeopt.MatrixFile.read(matrix)
    try:
        return routeopt.GreatCircle(detour_factor=detour, speed_kmh=speed)
    except ValueError as exc:
        raise InputError(f"--detour/--speed: {exc}") from None


@contextlib.contextmanager
def ctrl_c_stops() -> Iterator[Any]:
    """Yield a stop event for a library run: within the block, the first Ctrl-C sets it (the
    searches stop and return their best plans); a second one raises KeyboardInterrupt.

    Only this process's own Ctrl-C counts: a terminal sends it to the worker processes too, and
    the library's workers leave it to this one.
    """
    stop = multiprocessing.get_context().Event()
    if threading.current_thread() is not threading.main_thread():
        yield stop
        return
    pressed = False

    def handler(signum: int, frame: FrameType | None) -> None:
        nonlocal pressed
        if pressed:
            raise KeyboardInterrupt
        pressed = True
        stop.set()

    previous = signal.signal(signal.SIGINT, handler)
    try:
        yield stop
    finally:
        signal.signal(signal.SIGINT, previous)


@contextlib.contextmanager
def progress_bar(reps: int, time_limit: float | None, enabled: bool) -> Iterator[routeopt.planner.Progress | None]:
    """A progress bar on stderr while reps are planned (only on a terminal), with the time bound
    when there is one."""
    console = Console(stderr=True)
    if not enabled or not console.is_terminal:
        yield None
        return
    columns = (SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
               TimeElapsedColumn(), *([] if time_limit is None else [TextColumn(f"of ≤ {time_limit:.0f} s")]))
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task("planning reps", total=reps)

        def on_rep_done(rep_id: str, done: int, total: int) -> None:
            bar.update(task, completed=done, description=f"planned {rep_id}")

        yield on_rep_done
