"""Designing territories: which rep owns which customer, so that workloads are balanced relative
to each rep's capacity, territories are compact, locked customers stay and (with
``keep_current``) few customers move. It holds at any scale and wherever the reps start.

1. **A first split** (:mod:`.seeds`): the current one with ``keep_current`` or ``max_moves``;
   otherwise each customer to its nearest office, and an office shared by several reps (the
   usual 営業所, where every rep leaves from one place) split into compact territories grown
   from well-separated seeds.
2. **Rounds**, like a capacitated p-median local search: estimate every customer's workload for
   each of its candidate reps (:mod:`.candidates`: the territories around it, not only the
   nearest starts; :mod:`.workload`: the driving share measured against its nearest neighbours
   in *that rep's* territory and the rep's start), then improve the assignment: a fast local
   search (:mod:`.balance`: load shifted along chains of territories by a min-cost flow, then
   single moves), followed, while the model is small enough, by CP-SAT (:mod:`.cpsat`) started
   from it and solved exactly as far as the time allows. Objective, by weight: relative
   working minutes within a tolerance band around the common level (when the team is
   overloaded every rep is then equally over capacity) and, dearer the further a rep is over
   capacity, its load above capacity (:data:`OVERLOAD_LEVELS`: where only a region is short,
   its reps end up equally over), then the estimated driving (the compactness), then the
   number of customers moved.

The new territories define the neighbours of the next round; the rounds stop when the split no
longer changes (or comes back to one of an earlier round), after ``rounds`` rounds or at the
time limit, and the best split seen (estimated balance, then driving) is returned — the time
limit never leaves the caller without one. Geometry is through KD-trees (:mod:`.geometry`):
memory grows with customers × neighbours, never with customers squared. A rep may take only
customers within reach of its start (:mod:`.reach`); the reps a design leaves over capacity
while others have time to spare are named in its warnings (the region is short of people).
"""

from __future__ import annotations

import dataclasses
import math
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy.spatial import cKDTree

from ..errors import InputError
from ..model import Problem
from ..travel import GreatCircle, TravelModel
from .balance import improve
from .candidates import candidate_pairs
from .capacity import short_reps_note
from .cpsat import AssignmentModel, solve_assignment
from .geometry import Geometry
from .reach import Reach, nearest_start_minutes, within_reach
from .seeds import seeded_split
from .workload import Loads, WorkloadModel, book_minutes, capacity_minutes, loads, owner_index, rep_estimates

SCALE = 100
"""Relative load unit: tenths of a working minute × SCALE × (mean capacity / the rep's capacity)."""
BALANCE_WEIGHT = 1
"""Per unit of relative load outside the band: a minute costs 1000."""
TRAVEL_WEIGHT = 10
"""Per tenth of a minute of estimated driving: a minute of load outside the band costs as much as
10 minutes of driving."""
OVERLOAD_LEVELS = tuple(1.0 + 0.1 * k for k in range(31))
"""Loads (working minutes ÷ capacity) above which each further unit of load costs one balance
unit more (a convex cost, in steps of 10 % up to 4 × capacity): where a region has more work than
its reps (no rep within reach has time to spare), its reps end up about equally over capacity
instead of one far over beside one just over."""
MOVE_WEIGHT = 2_000
"""Per customer moved with ``keep_current``: a move must save 20 minutes of estimated driving
(or bring the loads closer to the band)."""
CPSAT_MAX_CUSTOMERS = 4_000
"""Above this many customers the local search alone designs the split: CP-SAT would spend the
time limit building and presolving the model."""
LOCAL_ROUNDS = 30
"""Rounds of a design too big for CP-SAT: its rounds are quick, and each lets territories move
by a few more rings of customers (candidates are the territories around a customer)."""
RING = {True: 10, False: 24}
"""Nearest customers whose territories are a customer's candidates: with CP-SAT (True) and with
the local search alone (False), which needs fewer rounds to move load far when the ring is wider."""


@dataclass(frozen=True)
class TerritoryOptions:
    """How to design territories.

    ``keep_current`` makes each customer moved away from its current ``rep`` cost something, so
    the split changes as little as possible; ``max_moves`` caps the number of customers moved
    (customers without a current rep never count). ``tolerance`` is the spread of working
    minutes relative to capacity (max − min, as a share of the mean) that is good enough:
    within it the design only shortens driving. Each customer may go to the reps of the
    territories around it, the reps of its ``candidates`` nearest offices that have a single
    rep, or stay with its current rep — among the reps within ``reach`` (:class:`.reach.Reach`;
    ``None``: wherever they start). ``time_limit`` (seconds) is for the whole design, shared
    by at most ``rounds`` rounds; when it ends the design, the best split found so far is
    returned with a warning. ``seed`` (the first split's seeds, CP-SAT) and ``workers`` (CP-SAT
    search workers) make runs repeatable: the same seed and workers give the same split as long
    as no round reaches its time limit.
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
    reach: Reach | None = field(default_factory=Reach)

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
    ``before`` is ``None`` when some customer had no rep. ``rounds`` describes each solve;
    ``warnings`` says when the time limit ended the design early, which reps it leaves over
    capacity while others have time to spare, and which reps get no customers (and why).
    """

    problem: Problem
    owner: dict[str, str]
    moved: tuple[str, ...]
    before: pd.DataFrame | None
    after: pd.DataFrame
    rounds: tuple[dict[str, Any], ...]
    warnings: tuple[str, ...] = ()

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


def _model(
    problem: Problem,
    ld: Loads,
    current: np.ndarray,
    capacity: np.ndarray,
    reference: pd.DataFrame,
    options: TerritoryOptions,
) -> AssignmentModel:
    wm = options.workload
    minutes = ld.minutes()
    lunch = np.array([r.lunch_minutes for r in problem.reps], dtype=float)[ld.r]
    per_day = np.array([(r.shift[1] - r.shift[0] - r.lunch_minutes) * wm.day_fill for r in problem.reps])[ld.r]
    cap_visits = np.array([r.max_visits * wm.visit_cap_fill if r.max_visits else math.inf
                           for r in problem.reps])[ld.r]
    active = capacity > 0
    mean_cap = capacity[active].mean() if active.any() else 1.0
    scale = np.where(active, np.round(SCALE * mean_cap / np.where(active, capacity, 1)), 0).astype(int)
    # all reps at the same relative load T: Σ work = T · Σ 1/scale
    total = float(reference["work_min"].to_numpy()[active].sum()) * 10
    target = total / float((1 / scale[active]).sum()) if active.any() else 0.0
    return AssignmentModel(
        i=ld.i,
        r=ld.r,
        load=np.round(10 * minutes).astype(np.int64),
        lunch_by_minutes=np.round(10 * minutes * lunch / per_day).astype(np.int64),
        lunch_by_visits=np.round(10 * ld.due[ld.i] * lunch / cap_visits).astype(np.int64),
        travel=np.round(10 * ld.due[ld.i] * ld.travel).astype(np.int64),
        current=current if (options.keep_current or options.max_moves is not None) else np.full_like(current, -1),
        scale=scale,
        target=int(target),
        tolerance=int(options.tolerance / 2 * target),
        balance_weight=BALANCE_WEIGHT,
        travel_weight=TRAVEL_WEIGHT,
        move_weight=MOVE_WEIGHT if options.keep_current else 0,
        max_moves=options.max_moves,
        over_levels=tuple(int(level * SCALE * mean_cap * 10) for level in OVERLOAD_LEVELS),
    )


SCORE_STEP = 0.01
"""Spreads above the band that differ by less than this (a share of the mean load) count as
equal when rounds are compared: the more compact round wins (CP-SAT itself trades such small
spreads for driving)."""


def _score(table: pd.DataFrame, options: TerritoryOptions) -> tuple[int, float]:
    """(spread above the band, in steps of :data:`SCORE_STEP`; estimated driving) of an estimate
    table: lower is better."""
    load = table["load"]
    spread = float((load.max() - load.min()) / load.mean()) if load.mean() else 0.0
    return (math.floor(max(0.0, spread - options.tolerance) / SCORE_STEP), float(table["travel_min"].sum()))


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
        When ``max_moves`` is smaller than the number of customers who must leave a rep that
        cannot take them. The time limit is no error: the best split found so far is returned,
        with a warning in :attr:`TerritoryDesign.warnings`.
    """
    options = options or TerritoryOptions()
    deadline = time.monotonic() + options.time_limit
    geometry = Geometry.of(problem, options.travel, max(RING.values()))
    current = owner_index(problem, [c.rep for c in problem.customers])
    capacity = np.array([capacity_minutes(r, problem) for r in problem.reps], dtype=float)
    active = capacity > 0
    if not active.any():
        active = np.ones_like(active)
    locked = np.array([c.locked for c in problem.customers], dtype=bool)
    due_of = problem.due_visits()
    due = np.array([due_of[c.id] for c in problem.customers], dtype=float)
    reach = options.reach.minutes(nearest_start_minutes(geometry)) if options.reach is not None else None
    keep = options.keep_current or options.max_moves is not None
    owner = _first_split(problem, geometry, current, capacity, options, reach)
    before = _estimates(problem, geometry, current, options) if (current >= 0).all() else None

    best: tuple[tuple[int, float], np.ndarray, pd.DataFrame] | None = None
    rounds: list[dict[str, Any]] = []
    warnings: list[str] = []
    seen: set[bytes] = set()
    exact = len(problem.customers) <= CPSAT_MAX_CUSTOMERS
    limit = options.rounds if exact else max(options.rounds, LOCAL_ROUNDS)
    for k in range(limit):
        pair_i, pair_r = candidate_pairs(problem, geometry, owner, current, active, options.candidates, RING[exact],
                                         reach, keep)
        owner = _allowed_owner(geometry, owner, pair_i, pair_r, locked, current)
        if k == 0:
            _check_moves(owner, current, options)
            reference = _estimates(problem, geometry, owner, options)
            best = (_score(reference, options), owner, reference)
        else:
            reference = _estimates(problem, geometry, owner, options)
        left = deadline - time.monotonic()
        if left <= 0:
            warnings.append(_TIME_WARNING)
            break
        ld = loads(problem, geometry, owner, options.workload, pair_i, pair_r, due)
        data = _model(problem, ld, current, capacity, reference, options)
        began = time.monotonic()
        round_end = began + left / (limit - k) if exact else deadline
        found = improve(data, owner, round_end, sweeps=100 if exact else 3)
        status, engine = "LOCAL_SEARCH", "local search"
        if exact and time.monotonic() < round_end - 0.05:
            result = solve_assignment(data, found, round_end - time.monotonic(), options.seed, options.workers)
            if result is not None and data.objective(result.owner) <= data.objective(found):
                found, status, engine = result.owner, result.status, "cp-sat"
        table = _estimates(problem, geometry, found, options)
        score = _score(table, options)
        rounds.append({"round": k + 1, "engine": engine, "status": status,
                       "seconds": round(time.monotonic() - began, 2), "pairs": len(pair_i),
                       "spread_over_band_steps": score[0], "travel_min_est": round(score[1], 1)})
        if best is None or score < best[0]:
            best = (score, found, table)
        if np.array_equal(found, owner) or found.tobytes() in seen:  # settled, or going round in a cycle
            break
        seen.add(found.tobytes())
        owner = found
        if time.monotonic() >= deadline and k < limit - 1:
            warnings.append(_TIME_WARNING)
            break
    assert best is not None
    _, owner, after = best
    note = short_reps_note(after)
    if note is not None:
        warnings.append(note)
    warnings += _empty_reps(geometry, after, reach)
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
        warnings=tuple(warnings),
    )


_TIME_WARNING = ("the time limit ended the design before it settled: this is the best split found so far "
                 "(allow a longer time limit for a better one).")


def _first_split(
    problem: Problem, geometry: Geometry, current: np.ndarray, capacity: np.ndarray, options: TerritoryOptions,
    reach: np.ndarray | None,
) -> np.ndarray:
    """The current split (blanks to the rep of the nearest customer who has one) when it is to be
    kept, else the seeded split (see :mod:`.seeds`); locked customers keep their rep."""
    if (options.keep_current or options.max_moves is not None) and (current >= 0).any():
        owner = current.copy()
        blank = np.flatnonzero(owner < 0)
        if len(blank):
            assigned = np.flatnonzero(owner >= 0)
            _, idx = cKDTree(geometry.xyz[assigned]).query(geometry.xyz[blank], k=1)
            owner[blank] = current[assigned[np.asarray(idx, dtype=np.int64).reshape(len(blank))]]
    else:
        due, service, travel = book_minutes(problem, geometry, options.workload)
        owner = seeded_split(geometry, due * (service + travel), due, capacity, options.workload.start_share,
                             options.seed, reach)
    return np.where([c.locked for c in problem.customers], current, owner)


def _allowed_owner(
    geometry: Geometry, owner: np.ndarray, pair_i: np.ndarray, pair_r: np.ndarray, locked: np.ndarray,
    current: np.ndarray,
) -> np.ndarray:
    """``owner`` where its pair is allowed; elsewhere the allowed rep nearest by the drive from its start."""
    m = len(geometry.starts)
    key = pair_i.astype(np.int64) * m + pair_r
    ok = np.isin(np.arange(len(owner)).astype(np.int64) * m + owner, key)
    if ok.all():
        return owner
    owner = owner.copy()
    for c in np.flatnonzero(~ok):
        lo, hi = np.searchsorted(pair_i, [c, c + 1])
        reps = pair_r[lo:hi]
        minutes, _ = geometry.out_back(np.full(len(reps), c), reps)
        owner[c] = reps[int(np.argmin(minutes))]
    return owner


def _empty_reps(geometry: Geometry, after: pd.DataFrame, reach: np.ndarray | None) -> list[str]:
    """A warning per rep with working days left without customers, and why."""
    out = []
    n = len(geometry.customers)
    for r, (rep, row) in enumerate(after.iterrows()):
        if row["customers"] > 0 or row["capacity_min"] <= 0 or n == 0:
            continue
        if reach is not None and not within_reach(geometry, np.arange(n), np.full(n, r), reach).any():
            out.append(f"{rep} gets no customers: no customer is within reach of its start.")
        else:
            out.append(f"{rep} gets no customers: every customer within reach is nearer another rep with time "
                       "to spare.")
    return out


def _check_moves(owner: np.ndarray, current: np.ndarray, options: TerritoryOptions) -> None:
    """Customers whose current rep may not keep them (no working days, not on an appointment's
    day) must move: more of them than ``max_moves`` allows is bad input."""
    if options.max_moves is None:
        return
    forced = int(((current >= 0) & (owner != current)).sum())
    if forced > options.max_moves:
        raise InputError(f"max_moves {options.max_moves}: {forced} customers must leave a rep who cannot take them "
                         "(no working days, or not on the day of their appointment); allow at least that many "
                         "moves.", param="max_moves")
