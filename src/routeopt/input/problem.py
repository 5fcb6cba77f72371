"""Reading a whole problem: reps, then customers checked against them and the horizon."""

from __future__ import annotations

from pathlib import Path

from routeopt.errors import InputError
from routeopt.input.customers import read_customers
from routeopt.input.reps import read_reps
from routeopt.model import Horizon, Problem


def read_problem(customers_path: str | Path, reps_path: str | Path, horizon: Horizon) -> Problem:
    """Read the reps and customers files into a :class:`~routeopt.model.Problem`.

    The reps are read first, so that each customer's ``rep`` can be checked against them and
    each appointment and last visit against ``horizon`` (see
    :func:`~routeopt.input.customers.customers_from_frame`).

    Parameters
    ----------
    customers_path, reps_path
        CSV (UTF-8 or CP932) or XLSX files.
    horizon
        The planning period.

    Raises
    ------
    InputError
        At the first problem in either file, as a one-line message naming file, row, column
        and value.
    """
    reps = read_reps(reps_path)
    customers = read_customers(customers_path, rep_ids={r.id for r in reps}, horizon=horizon)
    try:
        return Problem(customers=customers, reps=reps, horizon=horizon)
    except ValueError as exc:  # every rule is checked while reading; this is a safety net
        raise InputError(f"{Path(customers_path).name}: {exc}") from None
