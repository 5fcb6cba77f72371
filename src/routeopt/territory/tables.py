"""Territories and comparisons on tables: pandas DataFrames in and out, and the files of the CLI.

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
from ..input.tables import ROW, _header_key, frame_from_dataframe, is_normalized, read_table
from ..model import Customer, Horizon, Problem, Rep
from ..options import PlanOptions
from ..output.atomic import write_file
from ..output.tables import csv_bytes, safe_text
from ..schedule.calendar import make_horizon
from .compare import Comparison, compare
from .design import TerritoryDesign, TerritoryOptions, design

NUMERIC_COLUMNS = {"lat", "lon", "visit_minutes", "priority", "min_gap_days", "max_gap_days"}


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
    names = {_header_key(n) for n in next(c for c in CUSTOMER_COLUMNS if c.name == "rep").names}
    return next((label for label in frame.columns if _header_key(label) in names), "rep")


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


def compare_splits(
    splits: Mapping[str, pd.DataFrame],
    reps: pd.DataFrame,
    start: dt.date,
    weeks: int = 4,
    holidays: str | None = None,
    options: PlanOptions | None = None,
) -> pd.DataFrame:
    """Plan each split (name → customers table) with the same options and return the table of
    :data:`routeopt.territory.compare.TABLE_COLUMNS`, one row per split, in the given order.

    Raises
    ------
    InputError
        For a bad cell, or splits that do not hold the same customers.
    """
    return compare_problems(splits, reps, start, weeks, holidays, options).table


def compare_problems(
    splits: Mapping[str, pd.DataFrame],
    reps: pd.DataFrame,
    start: dt.date,
    weeks: int = 4,
    holidays: str | None = None,
    options: PlanOptions | None = None,
) -> Comparison:
    """As :func:`compare_splits`, returning the whole :class:`Comparison` (plans, workloads)."""
    rep_list = reps_from_frame(reps, "reps")
    horizon = make_horizon(start, weeks, holidays)
    problems = [(name, problem_of(df, name, rep_list, horizon, weeks, holidays)) for name, df in splits.items()]
    return compare(problems, options)


# ------------------------------------------------------------------------------------- files


def read_split(path: Path, reps: Sequence[Rep], horizon: Horizon | None, weeks: int,
               holidays: str | None, sheet: str | None = None) -> tuple[pd.DataFrame, Problem]:
    """A customers file (its worksheet ``sheet`` when given) as its normalised frame and its problem."""
    frame = read_table(path, CUSTOMER_COLUMNS, sheet)
    return frame, problem_of(frame, path.name, reps, horizon, weeks, holidays)


def split_csv(frame: pd.DataFrame, encoding: str = "utf-8-sig") -> bytes:
    """A normalised customers frame as CSV (canonical headers, the file's other columns kept);
    text that a spreadsheet would run is prefixed with ``'``."""
    columns = [c for c in frame.columns if c != ROW]
    rows = []
    for rec in frame[columns].astype(str).to_dict("records"):
        rows.append({k: v if k in NUMERIC_COLUMNS or _is_number(v) else safe_text(v) for k, v in rec.items()})
    return csv_bytes(rows, columns, encoding)


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def write_design(path: Path, frame: pd.DataFrame, result: TerritoryDesign, source: str,
                 encoding: str = "utf-8-sig") -> Path:
    """Write the designed split: ``frame`` (from :func:`read_split`) with the new reps, atomically."""
    return write_file(path, split_csv(with_reps(frame, result.problem, result.owner, source), encoding))
