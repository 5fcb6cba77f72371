"""A fast local search on the assignment model: the design's engine when the model is too big for
CP-SAT within the time limit, and the source of CP-SAT's first solution when it is not.

It lowers the same objective as :mod:`.cpsat` (:meth:`AssignmentModel.objective`) with two moves:

* **shifting load along chains of territories**: a min-cost flow over the graph of territories
  (two are adjacent when a customer of one may go to the other) carries relative load from the
  reps above the common level to those below it, through the reps in between (A → B → C), each
  unit along the path of least added driving; every arc's flow is then made real by moving the
  border customers cheapest in driving first (a whole border region when the flow is large).
  A flow whose path costs more driving than the balance it buys is not sent;
* **single moves**: any customer to another of its candidate reps when that lowers the objective
  exactly (balance, driving, moves), in sweeps until none does.

Both respect locked customers (they have one pair), the move cost and the cap on moves. The
search is deterministic: no random choice, customers in index order.
"""

from __future__ import annotations

import bisect
import itertools
import time

import numpy as np

from .cpsat import AssignmentModel
from .flow import solve_min_cost_flow

FLOW_TIERS = 3
"""Parallel arcs per pair of territories, by driving cost of their border customers (quantiles):
cheap border customers first, dearer ones only for the load the cheap ones cannot carry."""
COST_SCALE = 1000
"""Flow costs are integers: objective units per unit of relative load, × COST_SCALE."""


class _State:
    """An assignment with the per-rep sums that make the objective."""

    def __init__(self, data: AssignmentModel, owner: np.ndarray) -> None:
        self.data = data
        self.owner = owner.copy()
        self.pair_of = self._pair_index()
        self.own = self.pair_of(np.arange(data.n_customers), self.owner)
        m = data.n_reps
        self.s = np.bincount(data.r[self.own], weights=data.load[self.own], minlength=m).astype(float)
        self.lm = np.bincount(data.r[self.own], weights=data.lunch_by_minutes[self.own], minlength=m).astype(float)
        self.lv = np.bincount(data.r[self.own], weights=data.lunch_by_visits[self.own], minlength=m).astype(float)
        cur = data.current
        self.moves = int(((cur >= 0) & (self.owner != cur)).sum())

    def _pair_index(self):  # type: ignore[no-untyped-def]
        d = self.data
        key = d.i.astype(np.int64) * d.n_reps + d.r

        def pair_of(i: np.ndarray, r: np.ndarray) -> np.ndarray:
            return np.searchsorted(key, np.asarray(i, dtype=np.int64) * d.n_reps + np.asarray(r))

        return pair_of

    def norm(self) -> np.ndarray:
        return self.data.scale * (self.s + np.maximum(self.lm, self.lv))

    def objective(self) -> int:
        return self.data.objective(self.owner)

    def move(self, i: int, p_new: int) -> None:
        d = self.data
        p_old = int(self.own[i])
        a, b = int(d.r[p_old]), int(d.r[p_new])
        self.s[a] -= d.load[p_old]
        self.lm[a] -= d.lunch_by_minutes[p_old]
        self.lv[a] -= d.lunch_by_visits[p_old]
        self.s[b] += d.load[p_new]
        self.lm[b] += d.lunch_by_minutes[p_new]
        self.lv[b] += d.lunch_by_visits[p_new]
        cur = int(d.current[i])
        if cur >= 0:
            self.moves += int(b != cur) - int(a != cur)
        self.owner[i] = b
        self.own[i] = p_new

    def snapshot(self) -> tuple[np.ndarray, ...]:
        return self.owner.copy(), self.own.copy(), self.s.copy(), self.lm.copy(), self.lv.copy(), np.array(self.moves)

    def restore(self, snap: tuple[np.ndarray, ...]) -> None:
        self.owner, self.own, self.s, self.lm, self.lv = (a.copy() for a in snap[:5])
        self.moves = int(snap[5])


def improve(data: AssignmentModel, owner: np.ndarray, deadline: float, sweeps: int = 100) -> np.ndarray:
    """A split no worse than ``owner`` (a rep index per customer, every pair allowed) for the
    model ``data``, found before ``deadline`` (``time.monotonic()`` seconds) with at most
    ``sweeps`` sweeps of single moves after each shift along chains."""
    state = _State(data, owner)
    best = state.objective()
    while time.monotonic() < deadline:
        _shift_along_chains(state, deadline)
        _single_moves(state, deadline, sweeps)
        value = state.objective()
        if value >= best:
            break
        best = value
    return state.owner


# ---------------------------------------------------------------------------------- chains


def _shift_along_chains(state: _State, deadline: float) -> bool:
    """Rounds of min-cost flow from over- to under-loaded territories; True when one helped."""
    helped = False
    for _ in range(50):
        if time.monotonic() >= deadline:
            break
        before = state.objective()
        flows = _flows(state)
        if not flows:
            break
        snap = state.snapshot()
        for share in (1.0, 0.5, 0.25):
            _realise(state, flows, share)
            if state.objective() < before:
                break
            state.restore(snap)
        else:
            break
        helped = True
    return helped


def _movable(state: _State) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Pairs that would move a customer to another rep: (pair, from rep, to rep, added objective
    per unit of relative load carried)."""
    d = state.data
    other = np.flatnonzero(d.r != state.owner[d.i])
    other = other[d.scale[d.r[other]] > 0]
    if len(other) == 0:
        return other, other, other, np.zeros(0)
    i = d.i[other]
    src = state.owner[i]
    own = state.own[i]
    carried = d.scale[d.r[other]] * (d.load[other] + np.maximum(d.lunch_by_minutes[other], d.lunch_by_visits[other]))
    added = d.travel_weight * (d.travel[other] - d.travel[own]).astype(float)
    cur = d.current[i]
    added += d.move_weight * np.where(cur >= 0, (d.r[other] != cur).astype(int) - (src != cur).astype(int), 0)
    per_unit = added / np.maximum(carried, 1e-9)
    return other, src, d.r[other], per_unit


def _flows(state: _State) -> dict[tuple[int, int], float]:
    """Relative load to carry across each border (from rep, to rep) this round."""
    d = state.data
    norm = state.norm()
    active = d.scale > 0
    excess = np.where(active, norm - d.target, 0.0)
    if not (np.abs(excess[active]) > d.tolerance).any():
        return {}
    pairs, src, dst, per_unit = _movable(state)
    # a unit moved from an over- to an under-loaded rep saves 2 × balance_weight: dearer is not sent
    worth = per_unit < 2 * d.balance_weight
    pairs, src, dst, per_unit = pairs[worth], src[worth], dst[worth], per_unit[worth]
    if len(pairs) == 0:
        return {}
    unit = max(1.0, float(d.target) / 20_000)
    m = d.n_reps
    source, sink = m, m + 1
    carried = d.scale[dst] * (d.load[pairs] + np.maximum(d.lunch_by_minutes[pairs], d.lunch_by_visits[pairs]))
    key = src.astype(np.int64) * m + dst
    order = np.lexsort((per_unit, key))
    _, first, counts = np.unique(key[order], return_index=True, return_counts=True)
    rank = np.arange(len(order)) - np.repeat(first, counts)
    tier = rank * FLOW_TIERS // np.repeat(counts, counts)
    arc_keys, arc_of = np.unique(key[order] * FLOW_TIERS + tier, return_inverse=True)
    weight = carried[order]
    capacity = (np.bincount(arc_of, weights=weight) / unit).astype(np.int64)
    cost = np.bincount(arc_of, weights=np.maximum(per_unit[order], 0) * weight) / np.maximum(
        np.bincount(arc_of, weights=weight), 1e-9)
    useful = capacity > 0
    border = arc_keys[useful] // FLOW_TIERS
    supply = (np.maximum(excess, 0) / unit).astype(np.int64)
    demand = (np.maximum(-excess, 0) / unit).astype(np.int64) * active
    total = int(supply.sum())
    if total == 0 or demand.sum() == 0:
        return {}
    reps = np.arange(m)
    flows = solve_min_cost_flow(  # source → over reps → … borders … → under reps → sink; or straight to the sink
        tails=np.concatenate([border // m, np.full(m, source), reps, [source]]),
        heads=np.concatenate([border % m, reps, np.full(m, sink), [sink]]),
        capacities=np.concatenate([capacity[useful], supply, demand, [total]]),
        unit_costs=np.concatenate([np.round(cost[useful] * COST_SCALE), np.zeros(2 * m),
                                   [2 * d.balance_weight * COST_SCALE]]),
        supplies=np.concatenate([np.zeros(m, dtype=np.int64), [total, -total]]),
    )
    if flows is None:
        return {}
    out: dict[tuple[int, int], float] = {}
    for k, f in zip(border.tolist(), flows[: len(border)].tolist(), strict=True):
        if f > 0:
            out[k // m, k % m] = out.get((k // m, k % m), 0.0) + f * unit
    return out


def _realise(state: _State, flows: dict[tuple[int, int], float], share: float) -> None:
    """Move border customers, cheapest in driving first, until each arc carried ``share`` of its flow."""
    d = state.data
    pairs, src, dst, per_unit = _movable(state)
    wanted = np.array([a * d.n_reps + b for a, b in flows], dtype=np.int64)
    keep = np.isin(src.astype(np.int64) * d.n_reps + dst, wanted)
    pairs, src, dst, per_unit = pairs[keep], src[keep], dst[keep], per_unit[keep]
    order = np.lexsort((pairs, per_unit))
    start_owner = state.owner.copy()
    carried: dict[tuple[int, int], float] = {}
    cap = d.max_moves
    for p in order:
        a, b = int(src[p]), int(dst[p])
        want = flows.get((a, b))
        if want is None or carried.get((a, b), 0.0) >= share * want:
            continue
        pair = int(pairs[p])
        i = int(d.i[pair])
        if state.owner[i] != start_owner[i]:
            continue
        if cap is not None:
            cur = int(d.current[i])
            if cur >= 0 and a == cur and state.moves >= cap:
                continue
        state.move(i, pair)
        carried[a, b] = carried.get((a, b), 0.0) + float(d.scale[b] * (d.load[pair] + max(
            d.lunch_by_minutes[pair], d.lunch_by_visits[pair])))


# ------------------------------------------------------------------------------ single moves


def _single_moves(state: _State, deadline: float, sweeps: int) -> bool:
    """Sweeps of the best single move per customer; True when any move was made."""
    d = state.data
    counts = np.bincount(d.i, minlength=d.n_customers)
    starts = np.concatenate([[0], np.cumsum(counts)])
    choosers = [int(i) for i in np.flatnonzero(counts > 1)]
    rr, load = d.r.tolist(), d.load.tolist()
    lbm, lbv, travel = d.lunch_by_minutes.tolist(), d.lunch_by_visits.tolist(), d.travel.tolist()
    scale, cur = d.scale.tolist(), d.current.tolist()
    target, tol = float(d.target), float(d.tolerance)
    levels = [float(x) for x in d.over_levels]
    below = [0.0, *itertools.accumulate(levels)]  # Σ of the first j levels
    bw, tw, mw, cap = d.balance_weight, d.travel_weight, d.move_weight, d.max_moves
    s, lm, lv = state.s.tolist(), state.lm.tolist(), state.lv.tolist()
    own = state.own.tolist()

    def dev(r: int, sr: float, lmr: float, lvr: float) -> float:
        if scale[r] == 0:
            return 0.0
        norm = scale[r] * (sr + max(lmr, lvr))
        x = abs(norm - target) - tol
        x = x if x > 0 else 0.0
        j = bisect.bisect_left(levels, norm)  # levels below norm: each adds norm − level
        return x + j * norm - below[j]

    moved_any = False
    moves = state.moves
    for _ in range(sweeps):
        improved = False
        for i in choosers:
            pa = own[i]
            a = rr[pa]
            sa, lma, lva = s[a] - load[pa], lm[a] - lbm[pa], lv[a] - lbv[pa]
            gain_a = dev(a, sa, lma, lva) - dev(a, s[a], lm[a], lv[a])
            best, best_p = -1e-9, -1
            for p in range(int(starts[i]), int(starts[i + 1])):
                b = rr[p]
                if b == a:
                    continue
                dm = 0
                if cur[i] >= 0:
                    dm = int(b != cur[i]) - int(a != cur[i])
                    if cap is not None and dm > 0 and moves + dm > cap:
                        continue
                delta = (bw * (gain_a + dev(b, s[b] + load[p], lm[b] + lbm[p], lv[b] + lbv[p])
                               - dev(b, s[b], lm[b], lv[b])) + tw * (travel[p] - travel[pa]) + mw * dm)
                if delta < best:
                    best, best_p = delta, p
            if best_p >= 0:
                b = rr[best_p]
                s[a], lm[a], lv[a] = sa, lma, lva
                s[b] += load[best_p]
                lm[b] += lbm[best_p]
                lv[b] += lbv[best_p]
                if cur[i] >= 0:
                    moves += int(b != cur[i]) - int(a != cur[i])
                own[i] = best_p
                improved = moved_any = True
        if not improved or time.monotonic() >= deadline:
            break
    state.own = np.array(own, dtype=np.int64)
    state.owner = d.r[state.own].astype(state.owner.dtype)
    state.s, state.lm, state.lv = np.array(s), np.array(lm), np.array(lv)
    state.moves = moves
    return moved_any
