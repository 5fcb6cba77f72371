"""Territories on tables: pandas DataFrames in and out, and reading a split from a file.

A *split* is a customers table whose ``rep`` column says who owns whom. The designed split is
written as the customers table it was made from, with the new ``rep``: the same file is a valid
input of ``routeopt plan`` and ``routeopt compare``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import InputError
from ..input.customers import customers_from_frame
from ..input.reps import reps_from_frame
from ..input.schema import CUSTOMER_COLUMNS
from ..input.tables import ROW, column_label, frame_from_dataframe, is_normalized, read_table
from ..model import Customer, Horizon, Problem, Rep
from ..model.calendar import make_horizon
from .design import TerritoryOptions, design


def default_start(customers: Sequence[Customer], today: dt.date | None = None) -> dt.date:
    """The day after the latest ``last_visit``, or ``today`` when that is later."""
    today = today or dt.date.today()
    last = [c.last_visit for c in customers if c.last_visit is not None]
    return max([today, *(d + dt.timedelta(days=1) for d in last)])


def problem_of(
    customers: pd.DataFrame, source: str, reps: Sequence[Rep], horizon: Horizon | None, weeks: int,
    holidays: str | None,
) -> Problem:
    """The problem of a customers frame. Without ``horizon``, the horizon is ``weeks`` weeks from
    :func:`default_start` (appointments are then not checked against it)."""
    rep_ids = {r.id for r in reps}
    found = customers_from_frame(customers, source, rep_ids, horizon)
    if horizon is None:
        horizon = make_horizon(default_start(found), weeks, holidays)
    try:
        return Problem(customers=found, reps=tuple(reps), horizon=horizon)
    except ValueError as exc:
        raise InputError(f"{source}: {exc}") from None


def _rep_column(frame: pd.DataFrame) -> Any:
    """The label of ``frame``'s rep column (by name or alias), or ``"rep"`` when it has none."""
    label = column_label(frame, next(c for c in CUSTOMER_COLUMNS if c.name == "rep"))
    return "rep" if label is None else label


def with_reps(frame: pd.DataFrame, problem: Problem, owner: Mapping[str, str], source: str) -> pd.DataFrame:
    """A copy of the customers ``frame`` (the one ``problem`` was read from) with its rep column
    set from ``owner`` (rep id per customer id); blank rows stay blank."""
    out = frame.copy()
    label = _rep_column(out)
    column = out[label].astype(object).tolist() if label in out.columns else [""] * len(out)
    if is_normalized(frame, CUSTOMER_COLUMNS):  # a file's frame: one record per row
        positions = list(range(len(frame)))
        ids = frame["id"].tolist()
    else:  # a caller's frame: the labels are row 1, its rows 2, 3, …; blank rows were skipped
        normal = frame_from_dataframe(frame, source, CUSTOMER_COLUMNS)
        positions = [int(row) - 2 for row in normal[ROW]]
        ids = normal["id"].tolist()
    for pos, cid in zip(positions, ids, strict=True):
        if cid in owner:
            column[pos] = owner[cid]
    out[label] = column
    return out


def design_territories(
    customers: pd.DataFrame,
    reps: pd.DataFrame,
    start: dt.date | None = None,
    weeks: int = 4,
    holidays: str | None = None,
    options: TerritoryOptions | None = None,
) -> pd.DataFrame:
    """Design territories for a customers table (see :func:`routeopt.territory.design.design`).

    Parameters
    ----------
    customers, reps
        Tables with the columns of the customers and reps files (names or aliases); the
        customers' ``rep`` is the current split, ``locked`` customers keep theirs.
    start, weeks, holidays
        The horizon over which workloads are counted; ``start`` defaults to the day after the
        latest ``last_visit`` (or today).
    options
        :class:`TerritoryOptions`: ``keep_current``, ``max_moves``, time limit, seed …

    Returns
    -------
    pandas.DataFrame
        A copy of ``customers`` with the designed ``rep`` column.

    Raises
    ------
    InputError
        For a bad cell (unknown rep, locked without rep …) or an impossible ``max_moves``.
    """
    rep_list = reps_from_frame(reps, "reps")
    horizon = make_horizon(start, weeks, holidays) if start else None
    problem = problem_of(customers, "customers", rep_list, horizon, weeks, holidays)
    result = design(problem, options)
    return with_reps(customers, problem, result.owner, "customers")


# ------------------------------------------------------------------------------------- files


def read_split(path: Path, reps: Sequence[Rep], horizon: Horizon | None, weeks: int,
               holidays: str | None, sheet: str | None = None) -> tuple[pd.DataFrame, Problem]:
    """A customers file (its worksheet ``sheet`` when given) as its normalised frame and its problem."""
    frame = read_table(path, CUSTOMER_COLUMNS, sheet)
    return frame, problem_of(frame, path.name, reps, horizon, weeks, holidays)
