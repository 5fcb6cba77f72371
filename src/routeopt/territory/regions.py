"""Where a book is short: the work that no rep within reach has time for.

A team can have minutes enough in total and still be short where its customers are (a national
fleet whose city reps have twice the work they can do while country reps wait). Each customer's
work may go to the offices within its reach (:mod:`.reach`, among its
:data:`.seeds.OFFICE_CHOICES` nearest), each office takes at most its reps' plannable minutes;
a **min-cost flow** places as much work as it can, the nearer office first. What it cannot place
is the work the region is short of.
"""

from __future__ import annotations

import numpy as np
from scipy.spatial import cKDTree

from .flow import solve_min_cost_flow
from .geometry import Geometry
from .seeds import OFFICE_CHOICES

UNPLACED_COST = 10**6
"""Cost of a minute of work left unplaced: dearer than any drive to an office within reach."""


def unplaced_minutes(geometry: Geometry, work: np.ndarray, rep_minutes: np.ndarray, reach: np.ndarray) -> np.ndarray:
    """Per customer, the minutes of its ``work`` that no office within ``reach`` (minutes one way,
    per customer) has time for, when each rep has ``rep_minutes`` (an office: the sum of its
    reps')."""
    n = len(geometry.customers)
    offices = len(geometry.office_xyz)
    supply = np.maximum(0, np.round(work)).astype(np.int64)
    if n == 0 or offices == 0 or supply.sum() == 0:
        return np.zeros(n)
    office_minutes = np.bincount(geometry.office, weights=rep_minutes, minlength=offices)
    k = min(OFFICE_CHOICES, offices)
    _, idx = cKDTree(geometry.office_xyz).query(geometry.xyz, k=k)
    idx = np.asarray(idx, dtype=np.int64).reshape(n, k)
    first_rep = np.full(offices, -1, dtype=np.int64)
    for rep in range(len(geometry.office) - 1, -1, -1):
        first_rep[geometry.office[rep]] = rep
    minutes, _ = geometry.out_back(np.repeat(np.arange(n), k), first_rep[idx.ravel()])
    ok = minutes <= np.repeat(reach, k) + 1e-6
    ok.reshape(n, k)[:, 0] = True  # the nearest office always
    c = np.repeat(np.arange(n), k)[ok]
    total = int(supply.sum())
    sink = n + offices
    flows = solve_min_cost_flow(
        tails=np.concatenate([c, n + np.arange(offices), np.arange(n)]),
        heads=np.concatenate([n + idx.ravel()[ok], np.full(offices, sink), np.full(n, sink)]),
        capacities=np.concatenate([supply[c], np.floor(office_minutes).astype(np.int64), supply]),
        unit_costs=np.concatenate([np.round(minutes[ok]).astype(np.int64), np.zeros(offices, dtype=np.int64),
                                   np.full(n, UNPLACED_COST, dtype=np.int64)]),
        supplies=np.concatenate([supply, np.zeros(offices, dtype=np.int64), [-total]]),
    )
    if flows is None:
        return np.zeros(n)
    return flows[-n:].astype(float)
