"""Reading a whole problem: reps, then customers checked against them and the horizon."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from routeopt.errors import InputError
from routeopt.input.customers import customers_from_frame, read_customers
from routeopt.input.reps import read_reps, reps_from_frame
from routeopt.model import Horizon, Problem


def read_problem(
    customers: str | Path | pd.DataFrame,
    reps: str | Path | pd.DataFrame,
    horizon: Horizon,
    sheet: str | None = None,
) -> Problem:
    """Read the reps and customers tables into a :class:`~routeopt.model.Problem`.

    The reps are read first, so that each customer's ``rep`` can be checked against them and
    each appointment and last visit against ``horizon`` (see
    :func:`~routeopt.input.customers.customers_from_frame`).

    Parameters
    ----------
    customers, reps
        CSV (UTF-8, UTF-16 or CP932) or XLSX files, or pandas DataFrames with the same columns (named
        ``customers`` and ``reps`` in error messages, their labels counting as row 1).
    horizon
        The planning period.
    sheet
        The worksheet of the customers workbook to read (default: the one holding the
        customers' columns).

    Raises
    ------
    InputError
        At the first problem in either table, as a one-line message naming file, row, column
        and value.
    """
    if isinstance(reps, pd.DataFrame):
        rep_list = reps_from_frame(reps, "reps")
    else:
        rep_list = read_reps(reps)
    rep_ids = {r.id for r in rep_list}
    if isinstance(customers, pd.DataFrame):
        source = "customers"
        customer_list = customers_from_frame(customers, source, rep_ids=rep_ids, horizon=horizon)
    else:
        source = Path(customers).name
        customer_list = read_customers(customers, rep_ids=rep_ids, horizon=horizon, sheet=sheet)
    try:
        return Problem(customers=customer_list, reps=rep_list, horizon=horizon)
    except ValueError as exc:  # every rule is checked while reading; this is a safety net
        raise InputError(f"{source}: {exc}") from None
