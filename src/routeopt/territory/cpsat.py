"""The territory assignment as a CP-SAT model (the only module that imports ``ortools.sat``).

One boolean ``x[i, r]`` per allowed (customer, rep) pair, exactly one rep per customer. Per rep:

* ``S_r = Σ x[i, r] · load[i, r]``: visiting and driving minutes (×10, integers);
* ``L_r = max(Σ x · lunch_by_minutes[i, r], Σ x · lunch_by_visits[i, r])``: lunch breaks of the
  days the rep needs, by minutes or by its visit cap, whichever needs more days;
* ``N_r = scale_r · (S_r + L_r)``: working minutes relative to the rep's capacity.

Objective, lexicographic by weights: ``balance_weight · Σ_r (max(0, |N_r − target| − tolerance)
+ Σ_k max(0, N_r − over_levels[k]))`` + ``travel_weight · Σ x · travel`` (the estimated driving:
compactness) + ``move_weight · moves``, where a move is a customer whose current rep is not its
new one; ``max_moves`` caps the moves. The levels above capacity make a minute of work dearer the
further its rep is over capacity, so a rep far over sheds work to a neighbour less far over even
when both are above the common level.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from ortools.sat.python import cp_model


@dataclass(frozen=True)
class AssignmentModel:
    """Integer data of one assignment model over the allowed customer–rep pairs ``(i[p], r[p])``
    (sorted by customer, then rep); ``load``, ``lunch_*`` and ``travel`` are per pair.

    ``current`` is the current rep index per customer (−1 = none, which never counts as a move);
    ``scale`` (per rep, 0 = a rep without working days, left out of the balance) turns working
    minutes into relative load; ``target`` ± ``tolerance`` is the band of relative load that
    costs nothing; above each of ``over_levels`` (relative load, ascending) a unit costs one
    ``balance_weight`` more.
    """

    i: np.ndarray
    r: np.ndarray
    load: np.ndarray
    lunch_by_minutes: np.ndarray
    lunch_by_visits: np.ndarray
    travel: np.ndarray
    current: np.ndarray
    scale: np.ndarray
    target: int
    tolerance: int
    balance_weight: int
    travel_weight: int
    move_weight: int
    max_moves: int | None
    over_levels: tuple[int, ...] = ()

    def deviation(self, norm: np.ndarray) -> np.ndarray:
        """Per rep, the balance units of relative load ``norm``: outside the band, and above each level."""
        dev = np.maximum(0, np.abs(norm - self.target) - self.tolerance).astype(float)
        if self.over_levels:
            levels = np.asarray(self.over_levels, dtype=float)
            below = np.concatenate([[0.0], np.cumsum(levels)])
            j = np.searchsorted(levels, norm)  # levels below norm: each adds norm − level
            dev = dev + j * norm - below[j]
        return np.where(self.scale > 0, dev, 0)

    @property
    def n_customers(self) -> int:
        return len(self.current)

    @property
    def n_reps(self) -> int:
        return len(self.scale)

    def objective(self, owner: np.ndarray) -> int:
        """The model's objective for a split ``owner`` (every pair it uses must be allowed)."""
        pick = self.r == owner[self.i]
        m = self.n_reps
        s = np.bincount(self.r[pick], weights=self.load[pick], minlength=m)
        lunch = np.maximum(np.bincount(self.r[pick], weights=self.lunch_by_minutes[pick], minlength=m),
                           np.bincount(self.r[pick], weights=self.lunch_by_visits[pick], minlength=m))
        norm = self.scale * (s + lunch)
        dev = self.deviation(norm).sum()
        moved = int(((self.current >= 0) & (owner != self.current)).sum())
        travel = self.travel[pick].sum()
        return int(self.balance_weight * dev + self.travel_weight * travel + self.move_weight * moved)


@dataclass(frozen=True)
class AssignmentResult:
    owner: np.ndarray
    status: str
    objective: float
    bound: float
    wall_seconds: float


def _weighted(bools: list[cp_model.IntVar], coefs: np.ndarray | list[int]) -> cp_model.LinearExpr:
    return cp_model.LinearExpr.weighted_sum(bools, [int(c) for c in coefs])


def solve_assignment(
    data: AssignmentModel, hint: np.ndarray | None, time_limit: float, seed: int, workers: int
) -> AssignmentResult | None:
    """Solve the model within ``time_limit`` seconds; ``None`` when no assignment was found.

    ``hint`` (a rep index per customer, every pair allowed) is given to the solver as a complete
    first solution. With ``workers`` = 1 the same seed gives the same assignment whenever the
    time limit is not the reason the search stopped.
    """
    n = data.n_customers
    model = cp_model.CpModel()
    x = [model.new_bool_var(f"x{i}_{r}") for i, r in zip(data.i.tolist(), data.r.tolist(), strict=True)]
    starts = np.searchsorted(data.i, np.arange(n + 1))
    for i in range(n):
        model.add_exactly_one(x[starts[i] : starts[i + 1]])
    by_rep = np.argsort(data.r, kind="stable")
    rep_bounds = np.searchsorted(data.r[by_rep], np.arange(data.n_reps + 1))
    active = [r for r in range(data.n_reps) if data.scale[r] > 0]
    values: dict[cp_model.IntVar, int] = {}
    pick = None if hint is None else hint[data.i] == data.r
    deviations = []
    for r in active:
        rows = by_rep[rep_bounds[r] : rep_bounds[r + 1]]
        bools = [x[p] for p in rows]
        s = _weighted(bools, data.load[rows])
        by_min = _weighted(bools, data.lunch_by_minutes[rows])
        by_vis = _weighted(bools, data.lunch_by_visits[rows])
        ub_l = int(max(data.lunch_by_minutes[rows].sum(), data.lunch_by_visits[rows].sum()))
        lunch = model.new_int_var(0, ub_l, f"lunch{r}")
        model.add_max_equality(lunch, [by_min, by_vis])
        scale = int(data.scale[r])
        norm = scale * (s + lunch)
        hi = scale * (int(data.load[rows].sum()) + ub_l)
        over = model.new_int_var(0, hi, f"over{r}")
        under = model.new_int_var(0, data.target, f"under{r}")
        model.add(over >= norm - data.target - data.tolerance)
        model.add(under >= data.target - data.tolerance - norm)
        deviations += [over, under]
        above = []
        for k, level in enumerate(data.over_levels):
            if hi > level:
                above.append(model.new_int_var(0, hi - level, f"above{r}_{k}"))
                model.add(above[-1] >= norm - level)
        deviations += above
        if pick is not None:
            chosen = rows[pick[rows]]
            lunch_value = int(max(data.lunch_by_minutes[chosen].sum(), data.lunch_by_visits[chosen].sum()))
            norm_value = scale * (int(data.load[chosen].sum()) + lunch_value)
            values[lunch] = lunch_value
            values[over] = max(0, norm_value - data.target - data.tolerance)
            values[under] = max(0, data.target - data.tolerance - norm_value)
            levels = [level for level in data.over_levels if hi > level]
            for var, level in zip(above, levels, strict=True):
                values[var] = max(0, norm_value - level)
    is_current = data.r == data.current[data.i]
    kept = {int(i): x[p] for p, i in enumerate(data.i) if is_current[p]}
    moved = [1 - kept[i] if i in kept else 1 for i in range(n) if data.current[i] >= 0]
    if data.max_moves is not None:
        model.add(sum(moved) <= data.max_moves)
    travel = _weighted(x, data.travel)
    model.minimize(
        data.balance_weight * sum(deviations) + data.travel_weight * travel + data.move_weight * sum(moved)
    )
    if pick is not None:
        for p, v in enumerate(x):
            model.add_hint(v, bool(pick[p]))
        for var, value in values.items():
            model.add_hint(var, value)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit
    solver.parameters.random_seed = seed
    solver.parameters.num_workers = workers
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    owner = np.full(n, -1, dtype=int)
    for p, v in enumerate(x):
        if solver.boolean_value(v):
            owner[int(data.i[p])] = int(data.r[p])
    return AssignmentResult(
        owner=owner,
        status=solver.status_name(status),
        objective=solver.objective_value,
        bound=solver.best_objective_bound,
        wall_seconds=solver.wall_time,
    )
