"""Where customers and reps are, at any scale: nearest customers through a KD-tree and travel
computed only on the legs a design needs.

Memory grows with customers × neighbours (and × candidate reps), never with customers squared:
a national book of 20,000 customers never builds a 20,000 × 20,000 matrix. Neighbours are the
nearest by straight-line distance (points on the unit sphere, whose chord length orders pairs
as the great-circle distance does); their minutes and km come from the travel model.

Reps whose starts lie within :data:`SHARED_START_KM` of each other share an *office*: the
usual 営業所 set-up, where every rep leaves from the same place and the starts say nothing about
who should own whom.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy.spatial import cKDTree

from ..model import Problem
from ..travel import GreatCircle, Matrices, Point, TravelModel, end_point, legs_between, start_point
from ..travel.base import minutes_from_hours
from ..travel.greatcircle import EARTH_RADIUS_KM, great_circle_km

NEIGHBOURS = 10
"""Nearest customers kept per customer: the territories they belong to are a customer's
candidate reps, and the nearest few make the driving estimate."""

SHARED_START_KM = 2.0
"""Reps whose starts are closer than this (great-circle km) leave from one office."""


def unit_vectors(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """``(n, 3)`` points on the unit sphere for WGS84 degrees."""
    p, lam = np.radians(lat), np.radians(lon)
    return np.column_stack([np.cos(p) * np.cos(lam), np.cos(p) * np.sin(lam), np.sin(p)])


def chord_of_km(km: float) -> float:
    """The chord length on the unit sphere of a great-circle distance in km."""
    return float(2 * np.sin(min(km / EARTH_RADIUS_KM, np.pi) / 2))


@dataclass(frozen=True, eq=False)
class Geometry:
    """Customers and rep starts of one problem with a travel model.

    ``near[i]``: the :data:`NEIGHBOURS` nearest other customers of customer ``i``, nearest
    first (−1 where there are fewer); ``office[r]``: the office of rep ``r`` (reps with the same
    number share a start); ``office_xyz``: where each office is.
    """

    travel: TravelModel
    customers: tuple[Point, ...]
    starts: tuple[Point, ...]
    ends: tuple[Point, ...]
    xyz: np.ndarray
    near: np.ndarray
    office: np.ndarray
    office_xyz: np.ndarray
    tree: cKDTree = field(repr=False)
    places: dict[int, np.ndarray] = field(repr=False, default_factory=dict)

    def __post_init__(self) -> None:
        for group in (self.customers, self.starts, self.ends):  # coordinates as arrays, for the embedded model
            self.places[id(group)] = _coordinates(group)

    @classmethod
    def of(cls, problem: Problem, travel: TravelModel, neighbours: int = NEIGHBOURS) -> Geometry:
        customers = tuple(Point(c.id, c.lat, c.lon) for c in problem.customers)
        starts = tuple(start_point(r) for r in problem.reps)
        ends = tuple(end_point(r) for r in problem.reps)
        n = len(customers)
        xyz = unit_vectors(np.array([p.lat for p in customers], dtype=float),
                           np.array([p.lon for p in customers], dtype=float)).reshape(n, 3)
        tree = cKDTree(xyz)
        near = np.full((n, neighbours), -1, dtype=np.int64)
        if n > 1:
            k = min(neighbours + 1, n)
            _, idx = tree.query(xyz, k=k)
            idx = idx.reshape(n, k)
            for i in range(n):  # drop the customer itself wherever it sits among equal points
                row = idx[i][idx[i] != i][:neighbours]
                near[i, : len(row)] = row
        start_xyz = unit_vectors(np.array([p.lat for p in starts], dtype=float),
                                 np.array([p.lon for p in starts], dtype=float)).reshape(len(starts), 3)
        office, office_xyz = _offices(start_xyz)
        return cls(travel=travel, customers=customers, starts=starts, ends=ends, xyz=xyz, near=near,
                   office=office, office_xyz=office_xyz, tree=tree)

    def _legs(self, a: tuple[Point, ...], i: np.ndarray, b: tuple[Point, ...], j: np.ndarray) -> Matrices:
        """Travel of the legs ``a[i[k]]`` → ``b[j[k]]``; the embedded model straight from the
        coordinates (the same values as its matrices), any other through its legs."""
        if isinstance(self.travel, GreatCircle):
            p, q = self.places[id(a)][i], self.places[id(b)][j]
            km = great_circle_km(p[:, 0], p[:, 1], q[:, 0], q[:, 1]) * self.travel.detour_factor
            return Matrices(minutes=minutes_from_hours(km / self.travel.speed_kmh), km=km)
        return legs_between(self.travel, [a[k] for k in i], [b[k] for k in j])

    def between(self, i: np.ndarray, j: np.ndarray) -> np.ndarray:
        """Travel minutes between customers ``i[k]`` and ``j[k]``: the mean of both directions."""
        if len(i) == 0:
            return np.zeros(0)
        there = self._legs(self.customers, i, self.customers, j).minutes
        back = self._legs(self.customers, j, self.customers, i).minutes
        return (there + back) / 2

    def out_back(self, i: np.ndarray, r: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(minutes, km) of rep ``r[k]``'s start → customer ``i[k]`` and on to the rep's end,
        halved: the mean of the two legs."""
        if len(i) == 0:
            return np.zeros(0), np.zeros(0)
        out = self._legs(self.starts, r, self.customers, i)
        back = self._legs(self.customers, i, self.ends, r)
        return (out.minutes + back.minutes) / 2, (out.km + back.km) / 2

    def neighbour_minutes(self, owner: np.ndarray, i: np.ndarray, r: np.ndarray, k: int) -> np.ndarray:
        """Mean travel minutes from customer ``i[q]`` to its ``k`` nearest customers owned by rep
        ``r[q]`` under the split ``owner`` (``i`` itself excluded; fewer when the territory is
        smaller; 0 when it is empty). One KD-tree per territory, queried only for the pairs asked."""
        out = np.zeros(len(i))
        if len(i) == 0:
            return out
        by_owner = np.argsort(owner, kind="stable")
        sorted_owner = owner[by_owner]
        by_rep = np.argsort(r, kind="stable")
        bounds = np.searchsorted(r[by_rep], np.arange(len(self.starts) + 1))
        rows, cols = [], []
        for rep in range(len(self.starts)):
            queries = by_rep[bounds[rep] : bounds[rep + 1]]
            lo, hi = np.searchsorted(sorted_owner, [rep, rep + 1])
            members = by_owner[lo:hi]
            if len(queries) == 0 or len(members) == 0:
                continue
            kk = min(k + 1, len(members))
            _, idx = cKDTree(self.xyz[members]).query(self.xyz[i[queries]], k=kk)
            nb = members[np.asarray(idx).reshape(len(queries), kk)]
            keep = nb != i[queries][:, None]
            keep &= np.cumsum(keep, axis=1) <= k
            q, col = np.nonzero(keep)
            rows.append(queries[q])
            cols.append(nb[q, col])
        if not rows:
            return out
        row, col = np.concatenate(rows), np.concatenate(cols)
        minutes = self.between(i[row], col)
        total = np.bincount(row, weights=minutes, minlength=len(i))
        count = np.bincount(row, minlength=len(i))
        np.divide(total, count, out=out, where=count > 0)
        return out

    def nearest_minutes(self, k: int) -> np.ndarray:
        """Per customer: mean travel minutes to its ``k`` nearest customers, whoever owns them."""
        n = len(self.customers)
        kk = min(k, self.near.shape[1])
        cols = self.near[:, :kk]
        row, slot = np.nonzero(cols >= 0)
        minutes = self.between(row, cols[row, slot])
        total = np.bincount(row, weights=minutes, minlength=n)
        count = np.bincount(row, minlength=n)
        return np.divide(total, count, out=np.zeros(n), where=count > 0)

    def nearest_office(self) -> np.ndarray:
        """Per customer: the nearest office (by straight-line distance)."""
        if len(self.customers) == 0:
            return np.zeros(0, dtype=np.int64)
        _, idx = cKDTree(self.office_xyz).query(self.xyz, k=1)
        return np.asarray(idx, dtype=np.int64).reshape(len(self.customers))


def _coordinates(points: tuple[Point, ...]) -> np.ndarray:
    """``(n, 2)`` latitudes and longitudes of ``points``."""
    return np.array([(p.lat, p.lon) for p in points], dtype=float).reshape(len(points), 2)


def _offices(start_xyz: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Office number per rep (reps within :data:`SHARED_START_KM` of an earlier rep's start join
    its office) and each office's place (its first rep's start)."""
    m = len(start_xyz)
    office = np.full(m, -1, dtype=np.int64)
    places: list[np.ndarray] = []
    if m == 0:
        return office, np.zeros((0, 3))
    tree = cKDTree(start_xyz)
    radius = chord_of_km(SHARED_START_KM)
    for r in range(m):
        if office[r] >= 0:
            continue
        office[r] = len(places)
        places.append(start_xyz[r])
        for s in tree.query_ball_point(start_xyz[r], radius):
            if office[s] < 0:
                office[s] = office[r]
    return office, np.array(places)
