"""Owners for customers whose ``rep`` is blank: the rep whose start is nearest in travel time.

This is what ``routeopt plan`` does with blank owners; designing balanced territories is the
job of ``routeopt territory``.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from ..model import Problem
from ..travel import Point, TravelModel, legs_between, start_point

CHUNK = 2_000
"""Customers whose drives from every start are measured at once (memory: CHUNK × reps legs)."""


def assign_nearest(problem: Problem, travel: TravelModel) -> Problem:
    """A copy of ``problem`` where every customer without a rep gets the nearest rep."""
    free = [c for c in problem.customers if c.rep is None]
    if not free:
        return problem
    reps = problem.reps
    starts = [start_point(r) for r in reps]
    owner: dict[str, str] = {}
    for lo in range(0, len(free), CHUNK):
        part = free[lo : lo + CHUNK]
        places = [Point(c.id, c.lat, c.lon) for c in part]
        minutes = legs_between(travel, starts * len(part), [p for p in places for _ in reps]).minutes
        nearest = np.asarray(minutes).reshape(len(part), len(reps)).argmin(axis=1)
        owner.update({c.id: reps[int(k)].id for c, k in zip(part, nearest, strict=True)})
    customers = tuple(
        dataclasses.replace(c, rep=owner[c.id]) if c.rep is None else c for c in problem.customers
    )
    return dataclasses.replace(problem, customers=customers)
