"""Comparing splits of the same customers among the same reps: each split is planned with the
real planner (same options for every split) and summarised side by side. This module sits above
the planner, which it runs.

The figures are the plan's own (:meth:`routeopt.Plan.summary`): travel, working minutes per rep,
overtime, coverage, unscheduled visits; added here are the customers moved against the first
split and the compactness (mean distance from each customer to its rep's start and back).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .errors import InputError
from .input.reps import reps_from_frame
from .model import Problem
from .model.calendar import make_horizon
from .options import PlanOptions
from .planner import plan
from .result import Plan
from .territory.geometry import Geometry
from .territory.tables import problem_of
from .territory.workload import owner_index

TABLE_COLUMNS = (
    "split", "customers", "moved", "travel_min", "travel_km", "work_min_min", "work_min_mean", "work_min_max",
    "work_max_over_mean", "overtime_min", "coverage", "visits_due", "visits_unscheduled", "mean_km_to_start",
)
"""Columns of the comparison table (``routeopt compare --out``)."""


@dataclass(frozen=True)
class Comparison:
    """``table``: one row per split (:data:`TABLE_COLUMNS`); ``workloads``: working minutes,
    one row per rep, one column per split; ``plans``: the plan of each split."""

    table: pd.DataFrame
    workloads: pd.DataFrame
    plans: dict[str, Plan]


def check_same_customers(splits: Sequence[tuple[str, Problem]]) -> None:
    """Raise when the splits do not hold the same customer ids (the first split is the reference)."""
    if not splits:
        raise InputError("compare needs at least one split.")
    first_name, first = splits[0]
    ids = {c.id for c in first.customers}
    for name, problem in splits[1:]:
        other = {c.id for c in problem.customers}
        if other != ids:
            missing, extra = sorted(ids - other), sorted(other - ids)
            what = (f"lacks customer {missing[0]}" if missing else f"has customer {extra[0]}, which {first_name} lacks")
            raise InputError(f"{name}: {what} ({len(missing)} missing, {len(extra)} extra); "
                             "every split must hold the same customers.")
        if [r.id for r in problem.reps] != [r.id for r in first.reps]:
            raise InputError(f"{name}: the reps differ from {first_name}'s; compare splits among the same reps.")


def compare(
    splits: Sequence[tuple[str, Problem]],
    options: PlanOptions | None = None,
    progress: Callable[[str, int, int], None] | None = None,
    stop: Any = None,
) -> Comparison:
    """Plan every split with the same ``options`` and tabulate the key figures.

    Parameters
    ----------
    splits
        ``(name, problem)`` pairs: the same customers, reps and horizon, different ``rep``
        columns. Customers without a rep go to the nearest rep, as in ``routeopt plan``.
    options
        Planner options, used for every split (``time_limit`` is per split).
    progress
        Called as ``progress(name, done, total)`` after each split is planned.
    stop
        A ``multiprocessing`` Event, as for :func:`routeopt.plan`; once set, the split being planned
        returns its best plan so far and the splits after it are planned without search.

    Raises
    ------
    InputError
        When the splits hold different customers or reps.
    """
    check_same_customers(splits)
    options = options or PlanOptions()
    plans: dict[str, Plan] = {}
    rows = []
    workloads = {}
    reference: dict[str, str | None] | None = None
    geometry: Geometry | None = None
    for k, (name, problem) in enumerate(splits):
        result = plan(problem, options, stop=stop)
        plans[name] = result
        summary = result.summary()
        totals, per_rep = summary["totals"], summary["per_rep"]
        owners = {c.id: c.rep for c in result.problem.customers}  # blanks assigned by the planner
        if reference is None:
            reference = owners
        if geometry is None:
            geometry = Geometry.of(result.problem, options.travel)
        own = owner_index(result.problem, owners)
        _, km = geometry.out_back(np.arange(len(own)), own)
        work = [per_rep[r.id]["work_min"] for r in result.problem.reps]
        workloads[name] = work
        rows.append({
            "split": name,
            "customers": totals["customers"],
            "moved": sum(owners[c] != reference[c] for c in owners),
            "travel_min": totals["travel_min"],
            "travel_km": totals["travel_km"],
            "work_min_min": min(work),
            "work_min_mean": round(float(np.mean(work)), 1),
            "work_min_max": max(work),
            "work_max_over_mean": totals["workload_max_over_mean"],
            "overtime_min": totals["overtime_min"],
            "coverage": totals["coverage"],
            "visits_due": totals["visits_due"],
            "visits_unscheduled": totals["visits_unscheduled"],
            "mean_km_to_start": round(float(km.mean()), 3) if len(km) else 0.0,
        })
        if progress:
            progress(name, k + 1, len(splits))
    reps = [r.id for r in splits[0][1].reps]
    table = pd.DataFrame(rows, columns=list(TABLE_COLUMNS))
    frame = pd.DataFrame(workloads, index=pd.Index(reps, name="rep"))
    return Comparison(table=table, workloads=frame, plans=plans)


def compare_splits(
    splits: Mapping[str, pd.DataFrame],
    reps: pd.DataFrame,
    start: dt.date,
    weeks: int = 4,
    holidays: str | None = None,
    options: PlanOptions | None = None,
) -> pd.DataFrame:
    """Plan each split (name → customers table) with the same options and return the table of
    :data:`TABLE_COLUMNS`, one row per split, in the given order.

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
