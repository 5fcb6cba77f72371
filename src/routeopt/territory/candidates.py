"""Which reps a customer may be given: by its place among the territories, not only by the starts.

A customer's candidates are its rep in the reference split, its current rep, the reps owning its
nearest customers (so a border customer may go to the territory next door, whoever starts
where), and the reps of its ``candidates`` nearest offices that have one rep (where starts are
distinct, the nearest starts still count; in a shared office they say nothing). A rep with an
empty territory is offered the customers nearest its start. Locked customers have only their
rep; a customer with appointments only reps who work on those days (the nearest such reps if
none of the others does). Reps without working days are never candidates when another rep is.
With a ``reach`` (:mod:`.reach`), a rep whose start is beyond a customer's reach is no candidate
(its current rep still is when the current split is to be kept); a customer left without one
may go to the reps of its nearest office.
"""

from __future__ import annotations

import math

import numpy as np
from scipy.spatial import cKDTree

from ..model import Problem
from .geometry import Geometry
from .reach import within_reach


def candidate_pairs(
    problem: Problem, geometry: Geometry, reference: np.ndarray, current: np.ndarray, active: np.ndarray,
    candidates: int, ring: int, reach: np.ndarray | None = None, keep_current: bool = False,
) -> tuple[np.ndarray, np.ndarray]:
    """Allowed (customer, rep) pairs as two arrays sorted by customer, then rep.

    ``reference`` is a complete split (rep index per customer) whose territories define the
    neighbours (the ``ring`` nearest customers); ``current`` the current rep per customer
    (−1 = none); ``active`` marks the reps with working days; ``reach`` the minutes within
    which a customer's rep must start (``None``: anywhere); with ``keep_current`` the current
    rep is allowed beyond it.
    """
    n, m = len(problem.customers), len(problem.reps)
    near = geometry.near[:, :ring]
    columns = [reference[:, None], current[:, None], np.where(near >= 0, reference[near], -1)]
    single = np.bincount(geometry.office, minlength=len(geometry.office_xyz)) == 1
    first_rep = np.full(len(geometry.office_xyz), -1, dtype=np.int64)
    for rep in range(m - 1, -1, -1):
        first_rep[geometry.office[rep]] = rep
    k = min(candidates, len(geometry.office_xyz))
    if n and k:
        _, idx = cKDTree(geometry.office_xyz).query(geometry.xyz, k=k)
        idx = np.asarray(idx, dtype=np.int64).reshape(n, k)
        columns.append(np.where(single[idx], first_rep[idx], -1))
    grid = np.concatenate(columns, axis=1) if n else np.zeros((0, 1), dtype=np.int64)
    grid = np.where((grid >= 0) & active[np.maximum(grid, 0)], grid, -1)
    pairs_i = [np.repeat(np.arange(n), grid.shape[1])]
    pairs_r = [grid.ravel()]
    unlocked = np.array([not c.locked for c in problem.customers], dtype=bool)
    territory = np.bincount(reference[reference >= 0], minlength=m)
    free = np.flatnonzero(unlocked)
    for empty in np.flatnonzero(active & (territory == 0)):  # an empty territory: the customers nearest the start
        if len(free) == 0:
            break
        share = min(len(free), math.ceil(n / max(1, int(active.sum()))))
        start = geometry.office_xyz[geometry.office[empty]]
        _, idx = cKDTree(geometry.xyz[free]).query(start, k=share)
        pairs_i.append(free[np.atleast_1d(idx)])
        pairs_r.append(np.full(share, empty))
    i = np.concatenate(pairs_i)
    r = np.concatenate(pairs_r)
    keep = r >= 0
    locked = ~unlocked
    keep &= ~locked[i] | (r == current[i])
    key = np.unique(i[keep].astype(np.int64) * m + r[keep])
    i, r = key // m, key % m
    if reach is not None:
        i, r = _within_reach(geometry, i, r, reach, current if keep_current else None, active)
    i, r = _appointments(problem, geometry, i, r, current, active, candidates)
    for c in np.flatnonzero(locked):  # a locked customer keeps its rep, whatever that rep's days
        if not (i == c).any():
            i, r = np.append(i, c), np.append(r, current[c])
    missing = np.setdiff1d(np.arange(n), i)
    if len(missing):  # only inactive reps around: any rep will do
        i = np.concatenate([i, np.repeat(missing, m)])
        r = np.concatenate([r, np.tile(np.arange(m), len(missing))])
    key = np.unique(i.astype(np.int64) * m + r)
    return key // m, key % m


def _within_reach(
    geometry: Geometry, i: np.ndarray, r: np.ndarray, reach: np.ndarray, current: np.ndarray | None,
    active: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """The pairs within reach (and those of ``current`` reps); a customer without any gets the
    active reps of its nearest office."""
    ok = within_reach(geometry, i, r, reach)
    if current is not None:
        ok |= r == current[i]
    i, r = i[ok], r[ok]
    n, m = len(geometry.customers), len(geometry.starts)
    missing = np.setdiff1d(np.arange(n), i)
    if len(missing):
        office = geometry.nearest_office()[missing]
        extra = [(c, rep) for c, o in zip(missing.tolist(), office.tolist(), strict=True)
                 for rep in np.flatnonzero((geometry.office == o) & active).tolist()]
        if extra:
            i = np.concatenate([i, np.array([c for c, _ in extra], dtype=np.int64)])
            r = np.concatenate([r, np.array([rep for _, rep in extra], dtype=np.int64)])
    key = np.unique(i.astype(np.int64) * m + r)
    return key // m, key % m


def _appointments(
    problem: Problem, geometry: Geometry, i: np.ndarray, r: np.ndarray, current: np.ndarray, active: np.ndarray,
    candidates: int,
) -> tuple[np.ndarray, np.ndarray]:
    """Keep, for customers with appointments, only reps who work on every appointment day; when
    none is left, the ``candidates`` nearest reps who do."""
    with_appointments = [k for k, c in enumerate(problem.customers) if c.appointments and not c.locked]
    if not with_appointments:
        return i, r
    working = [set(problem.horizon.working_days(rep)) for rep in problem.reps]
    m = len(problem.reps)
    drop = np.zeros(len(i), dtype=bool)
    extra_i: list[int] = []
    extra_r: list[int] = []
    lo = np.searchsorted(i, with_appointments)
    hi = np.searchsorted(i, with_appointments, side="right")
    for c, a, b in zip(with_appointments, lo, hi, strict=True):
        days = [x.date for x in problem.customers[c].appointments]
        ok = [all(d in working[int(r[p])] for d in days) for p in range(a, b)]
        drop[a:b] = ~np.array(ok, dtype=bool)
        if any(ok):
            continue
        minutes, _ = geometry.out_back(np.full(m, c), np.arange(m))
        ranked = [int(x) for x in np.argsort(minutes, kind="stable")]
        fit = [x for x in ranked if active[x] and all(d in working[x] for d in days)]
        if fit:
            extra_i += [c] * min(candidates, len(fit))
            extra_r += fit[:candidates]
        else:
            drop[a:b] = False
    i = np.concatenate([i[~drop], np.array(extra_i, dtype=np.int64)])
    r = np.concatenate([r[~drop], np.array(extra_r, dtype=np.int64)])
    key = np.unique(i.astype(np.int64) * m + r)
    return key // m, key % m
