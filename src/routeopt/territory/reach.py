"""How far a customer may be sent: only to reps whose start lies within a sensible drive of it.

A manager balances workloads among the reps who can reach a customer, not across the country.
A customer's *reach* is measured from its nearest start (the drive from there, the mean of the
legs out and back, see :meth:`.geometry.Geometry.out_back`):

    reach = max(nearest, min(cap, max(factor × nearest, nearest + slack)))

so in a city a customer may go to the reps of the next districts (``slack`` minutes further
than the nearest), in the country to a rep somewhat further than the nearest (``factor``), and
never beyond what a rep's day can afford (``cap``), unless no start is nearer. Where every rep
leaves from one office, every rep is within reach. A region with more work than its reps can do
then stays short (the design says where, see :func:`short_reps`) instead of being shipped to
reps far away.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.spatial import cKDTree

from .geometry import Geometry

NEAREST_OFFICES = 4
"""Offices nearest in straight line among which the nearest by drive is looked for."""


@dataclass(frozen=True)
class Reach:
    """How much further than its nearest start a customer's rep may start (minutes one way).

    ``slack``: minutes beyond the nearest start's drive that are always within reach; ``factor``:
    the nearest start's drive times this is within reach too (far from every start, a rep a
    little further away costs little more); ``cap``: no rep further than this, unless it is the
    nearest — a rep driving more than ``cap`` each way spends a quarter of a day on the road.
    """

    slack: float = 30.0
    factor: float = 1.5
    cap: float = 60.0

    def __post_init__(self) -> None:
        if self.slack < 0 or self.factor < 1 or self.cap <= 0:
            raise ValueError("reach: slack must be >= 0, factor >= 1 and cap > 0.")

    def minutes(self, nearest: np.ndarray) -> np.ndarray:
        """The reach (minutes one way) of customers whose nearest start is ``nearest`` minutes away."""
        wide = np.maximum(self.factor * nearest, nearest + self.slack)
        return np.maximum(nearest, np.minimum(self.cap, wide))


def nearest_start_minutes(geometry: Geometry) -> np.ndarray:
    """Per customer: the drive (mean of out and back) from the nearest start."""
    n = len(geometry.customers)
    if n == 0 or len(geometry.office_xyz) == 0:
        return np.zeros(n)
    k = min(NEAREST_OFFICES, len(geometry.office_xyz))
    _, idx = cKDTree(geometry.office_xyz).query(geometry.xyz, k=k)
    idx = np.asarray(idx, dtype=np.int64).reshape(n, k)
    first_rep = np.full(len(geometry.office_xyz), -1, dtype=np.int64)
    for rep in range(len(geometry.office) - 1, -1, -1):
        first_rep[geometry.office[rep]] = rep
    minutes, _ = geometry.out_back(np.repeat(np.arange(n), k), first_rep[idx.ravel()])
    return minutes.reshape(n, k).min(axis=1)


def within_reach(geometry: Geometry, i: np.ndarray, r: np.ndarray, reach: np.ndarray) -> np.ndarray:
    """Mask of the pairs (customer ``i[p]``, rep ``r[p]``) whose start is within ``reach[i[p]]``."""
    if len(i) == 0:
        return np.zeros(0, dtype=bool)
    minutes, _ = geometry.out_back(i, r)
    return minutes <= reach[i] + 1e-6
