"""Owners for customers whose ``rep`` is blank: the rep whose start is nearest in travel time.

This is what ``routeopt plan`` does with blank owners; designing balanced territories is the
job of ``routeopt territory``.
"""

from __future__ import annotations

import dataclasses

from ..model import Problem
from ..travel import Point, TravelModel, start_point


def assign_nearest(problem: Problem, travel: TravelModel) -> Problem:
    """A copy of ``problem`` where every customer without a rep gets the nearest rep."""
    free = [c for c in problem.customers if c.rep is None]
    if not free:
        return problem
    reps = problem.reps
    points = [start_point(r) for r in reps] + [Point(c.id, c.lat, c.lon) for c in free]
    minutes = travel.matrices(points).minutes
    owner = {c.id: reps[int(minutes[: len(reps), len(reps) + k].argmin())].id for k, c in enumerate(free)}
    customers = tuple(
        dataclasses.replace(c, rep=owner[c.id]) if c.rep is None else c for c in problem.customers
    )
    return dataclasses.replace(problem, customers=customers)
