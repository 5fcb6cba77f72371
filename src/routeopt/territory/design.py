"""Designing territories: which rep owns which customer, so that workloads are balanced,
territories are compact, locked customers stay and (with ``keep_current``) few customers move.

The design alternates two steps, like a capacitated p-median local search:

1. estimate every customer's workload for every rep (:mod:`.workload`), the driving share
   measured against the customer's nearest neighbours in *that rep's current territory* and
   the rep's start;
2. solve the assignment exactly as far as the time allows with CP-SAT (:mod:`.cpsat`):
   relative working minutes within a tolerance band first, then the estimated driving (the
   compactness), then the number of customers moved.

The new territories define the neighbours of the next round; the rounds stop when the split no
longer changes or after ``rounds`` rounds, and the best round (estimated balance, then driving)
is kept.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ..errors import InputError
from ..model import Problem
from ..travel import GreatCircle, TravelModel
from .cpsat import AssignmentModel, solve_assignment
from .workload import Geometry, WorkloadModel, capacity_minutes, loads, owner_index, rep_estimates

SCALE = 100
"""Relative load unit: tenths of a working minute × SCALE × (mean capacity / the rep's capacity)."""
BALANCE_WEIGHT = 1
"""Per unit of relative load outside the band: a minute costs 1000."""
TRAVEL_WEIGHT = 10
"""Per tenth of a minute of estimated driving: a minute of load outside the band costs as much as
10 minutes of driving."""
MOVE_WEIGHT = 2_000
"""Per customer moved with ``keep_current``: a move must save 20 minutes of estimated driving
(or bring the loads closer to the band)."""


@dataclass(frozen=True)
class TerritoryOptions:
    """How to design territories.

    ``keep_current`` makes each customer moved away from its current ``rep`` cost something, so
    the split changes as little as possible; ``max_moves`` caps the number of customers moved
    (customers without a current rep never count). ``tolerance`` is the spread of working
    minutes relative to capacity (max − min, as a share of the mean) that is good enough:
    within it the design only shortens driving. Each customer may go to one of its
    ``candidates`` nearest reps (by the drive from their starts), or stay with its current rep.
    ``time_limit`` (seconds) is for the whole
    design, shared by at most ``rounds`` rounds; ``seed`` and ``workers`` (CP-SAT search
    workers) make runs repeatable: the same seed and workers give the same split as long as
    no round reaches its time limit.
    """

    keep_current: bool = False
    max_moves: int | None = None
    tolerance: float = 0.03
    time_limit: float = 30.0
    rounds: int = 4
    candidates: int = 4
    seed: int = 0
    workers: int = 1
    travel: TravelModel = field(default_factory=GreatCircle)
    workload: WorkloadModel = field(default_factory=WorkloadModel)

    def __post_init__(self) -> None:
        if self.max_moves is not None and self.max_moves < 0:
            raise ValueError(f"max_moves {self.max_moves} must be >= 0.")
        if not 0 <= self.tolerance < 1:
            raise ValueError(f"tolerance {self.tolerance} must be in [0, 1).")
        if not self.time_limit > 0:
            raise ValueError(f"time limit {self.time_limit} s must be > 0.")
        if self.candidates < 1:
            raise ValueError("candidates must be >= 1.")
        if self.rounds < 1:
            raise ValueError("rounds must be >= 1.")
        if self.workers < 1:
            raise ValueError("workers must be >= 1.")


@dataclass(frozen=True)
class TerritoryDesign:
    """A designed split: the problem with the new owners, what moved, and the estimates.

    ``before`` and ``after`` are per-rep estimates (see :func:`.workload.rep_estimates`);
    ``before`` is ``None`` when some customer had no rep. ``rounds`` describes each solve.
    """

    problem: Problem
    owner: dict[str, str]
    moved: tuple[str, ...]
    before: pd.DataFrame | None
    after: pd.DataFrame
    rounds: tuple[dict[str, Any], ...]

    def max_over_mean(self, which: str = "after") -> float | None:
        """Estimated max ÷ mean of working minutes relative to capacity."""
        table = self.after if which == "after" else self.before
        if table is None:
            return None
        return float(table["load"].max() / table["load"].mean())


def _estimates(problem: Problem, geometry: Geometry, owner: np.ndarray, options: TerritoryOptions) -> pd.DataFrame:
    rows = rep_estimates(problem, geometry, owner, options.workload)
    table = pd.DataFrame(rows, index=[r.id for r in problem.reps])
    table.index.name = "rep"
    return table


def _allowed(
    problem: Problem, current: np.ndarray, capacity: np.ndarray, out_back: np.ndarray, candidates: int
) -> np.ndarray:
    """Pairs a customer may be given: its rep only when locked; otherwise its current rep and its
    ``candidates`` nearest reps that have working days and work on the days of its appointments
    (all reps with working days when none does)."""
    n, m = len(problem.customers), len(problem.reps)
    rank = out_back.argsort(axis=1, kind="stable")
    working = [set(problem.horizon.working_days(r)) for r in problem.reps]
    allowed = np.zeros((n, m), dtype=bool)
    for i, c in enumerate(problem.customers):
        if c.locked:
            allowed[i, current[i]] = True
            continue
        ok = [int(r) for r in rank[i] if capacity[r] > 0 and all(a.date in working[r] for a in c.appointments)]
        ok = ok or [int(r) for r in rank[i] if capacity[r] > 0] or list(range(m))
        for r in ok[:candidates]:
            allowed[i, r] = True
        if current[i] >= 0 and current[i] in ok:
            allowed[i, current[i]] = True
    return allowed


def _model(
    problem: Problem,
    geometry: Geometry,
    neighbours_of: np.ndarray,
    current: np.ndarray,
    allowed: np.ndarray,
    capacity: np.ndarray,
    reference: pd.DataFrame,
    options: TerritoryOptions,
) -> AssignmentModel:
    wm = options.workload
    ld = loads(problem, geometry, neighbours_of, wm)
    minutes = ld.minutes()
    lunch = np.array([r.lunch_minutes for r in problem.reps], dtype=float)
    per_day = np.array([(r.shift[1] - r.shift[0] - r.lunch_minutes) * wm.day_fill for r in problem.reps])
    cap_visits = np.array([r.max_visits * wm.visit_cap_fill if r.max_visits else math.inf for r in problem.reps])
    active = capacity > 0
    mean_cap = capacity[active].mean() if active.any() else 1.0
    scale = np.where(active, np.round(SCALE * mean_cap / np.where(active, capacity, 1)), 0).astype(int)
    # all reps at the same relative load T: Σ work = T · Σ 1/scale
    total = float(reference["work_min"].to_numpy()[active].sum()) * 10
    target = total / float((1 / scale[active]).sum()) if active.any() else 0.0
    return AssignmentModel(
        load=np.round(10 * minutes).astype(np.int64),
        lunch_by_minutes=np.round(10 * minutes * lunch / per_day).astype(np.int64),
        lunch_by_visits=np.round(10 * ld.due[:, None] * lunch / cap_visits).astype(np.int64),
        travel=np.round(10 * ld.due[:, None] * ld.travel).astype(np.int64),
        allowed=allowed,
        current=current if (options.keep_current or options.max_moves is not None) else np.full_like(current, -1),
        scale=scale,
        target=int(target),
        tolerance=int(options.tolerance / 2 * target),
        balance_weight=BALANCE_WEIGHT,
        travel_weight=TRAVEL_WEIGHT,
        move_weight=MOVE_WEIGHT if options.keep_current else 0,
        max_moves=options.max_moves,
    )


def _score(table: pd.DataFrame, options: TerritoryOptions) -> tuple[float, float]:
    """(spread above the band, estimated driving) of an estimate table: lower is better."""
    load = table["load"]
    spread = float((load.max() - load.min()) / load.mean()) if load.mean() else 0.0
    return (round(max(0.0, spread - options.tolerance), 3), float(table["travel_min"].sum()))


def design(problem: Problem, options: TerritoryOptions | None = None) -> TerritoryDesign:
    """Assign every customer to a rep (see the module docstring for how).

    Parameters
    ----------
    problem
        Customers (their ``rep`` is the current split; blank = none; ``locked`` ones keep it),
        reps and the horizon, which fixes the visits due and the reps' working days.
    options
        See :class:`TerritoryOptions`.

    Returns
    -------
    TerritoryDesign

    Raises
    ------
    InputError
        When ``max_moves`` is too small to give every customer a rep that may take it, or no
        split was found in the time allowed.
    """
    options = options or TerritoryOptions()
    geometry = Geometry.of(problem, options.travel)
    current = owner_index(problem, [c.rep for c in problem.customers])
    capacity = np.array([capacity_minutes(r, problem) for r in problem.reps], dtype=float)
    allowed = _allowed(problem, current, capacity, geometry.out_back, options.candidates)
    nearest = np.where(allowed, geometry.out_back, np.inf).argmin(axis=1)
    if options.keep_current:
        start = np.where((current >= 0) & allowed[np.arange(len(current)), np.maximum(current, 0)], current, nearest)
    else:
        start = np.where(current >= 0, current, nearest) if options.max_moves is not None else nearest
    start = np.where([c.locked for c in problem.customers], current, start)
    before = _estimates(problem, geometry, current, options) if (current >= 0).all() else None

    neighbours_of, hint = start, start
    best: tuple[tuple[float, float], np.ndarray, pd.DataFrame] | None = None
    rounds: list[dict[str, Any]] = []
    budget = options.time_limit
    for k in range(options.rounds):
        reference = _estimates(problem, geometry, neighbours_of, options)
        data = _model(problem, geometry, neighbours_of, current, allowed, capacity, reference, options)
        limit = budget / (options.rounds - k)
        result = solve_assignment(data, hint, limit, options.seed, options.workers)
        if result is None:
            if best is None and k == options.rounds - 1:
                raise _no_split(options)
            budget -= limit
            continue
        budget -= min(limit, result.wall_seconds)
        table = _estimates(problem, geometry, result.owner, options)
        score = _score(table, options)
        rounds.append({"round": k + 1, "status": result.status, "seconds": round(result.wall_seconds, 2),
                       "spread_over_band": score[0], "travel_min_est": round(score[1], 1)})
        if best is None or score < best[0]:
            best = (score, result.owner, table)
        if np.array_equal(result.owner, neighbours_of):
            break
        neighbours_of, hint = result.owner, result.owner
    if best is None:
        raise _no_split(options)
    _, owner, after = best
    rep_ids = [r.id for r in problem.reps]
    new_rep = {c.id: rep_ids[owner[i]] for i, c in enumerate(problem.customers)}
    moved = tuple(c.id for c in problem.customers if c.rep is not None and c.rep != new_rep[c.id])
    customers = tuple(dataclasses.replace(c, rep=new_rep[c.id]) for c in problem.customers)
    return TerritoryDesign(
        problem=dataclasses.replace(problem, customers=customers),
        owner=new_rep,
        moved=moved,
        before=before,
        after=after,
        rounds=tuple(rounds),
    )


def _no_split(options: TerritoryOptions) -> InputError:
    if options.max_moves is not None:
        return InputError(f"max_moves {options.max_moves}: no split found that gives every customer a rep who may "
                          "take it within that many moves; allow more moves or a longer time limit.", param="max_moves")
    return InputError("no split found within the time limit; allow a longer time limit.")
