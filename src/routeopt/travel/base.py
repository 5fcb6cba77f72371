"""The travel-model interface: points in, whole-minute and kilometre matrices out."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np

from ..model import Rep


@dataclass(frozen=True)
class Point:
    """A place a rep can be: a customer or a rep's start/end. ``id`` is how matrix files name it."""

    id: str
    lat: float
    lon: float


def start_point(rep: Rep) -> Point:
    """Where ``rep``'s days start, named by the rep id."""
    return Point(rep.id, *rep.start)


def end_point(rep: Rep) -> Point:
    """Where ``rep``'s days end: named by the rep id when it is the start, ``<rep id>:end``
    otherwise (as matrix files name it)."""
    return Point(f"{rep.id}:end" if rep.end != rep.start else rep.id, *rep.end)


@dataclass(frozen=True)
class Matrices:
    """Travel between every ordered pair of points: ``minutes[i, j]`` (int, whole minutes per
    leg) and ``km[i, j]`` (float)."""

    minutes: np.ndarray
    km: np.ndarray


class TravelModel(Protocol):
    """What the planner needs from a travel model. Implementations are immutable."""

    def matrices(self, points: Sequence[Point]) -> Matrices:
        """Travel minutes and kilometres between all ``points`` (diagonal 0)."""
        ...

    def describe(self) -> dict[str, Any]:
        """The model as written to ``summary.json`` under ``travel_model`` (has ``kind``)."""
        ...


def legs_between(model: TravelModel, origins: Sequence[Point], destinations: Sequence[Point]) -> Matrices:
    """Travel of each leg ``origins[k]`` → ``destinations[k]`` as 1-D arrays: the model's own
    ``legs_between`` when it has one, else one 2 × 2 matrix per leg (slow, but never all pairs)."""
    own = getattr(model, "legs_between", None)
    if own is not None:
        result: Matrices = own(origins, destinations)
        return result
    minutes = np.zeros(len(origins), dtype=np.int64)
    km = np.zeros(len(origins), dtype=float)
    for k, (a, b) in enumerate(zip(origins, destinations, strict=True)):
        m = model.matrices([a, b])
        minutes[k], km[k] = m.minutes[0, 1], m.km[0, 1]
    return Matrices(minutes=minutes, km=km)


def minutes_from_hours(hours: np.ndarray) -> np.ndarray:
    """Whole minutes, rounded **up** per leg (the one place travel time is rounded).

    A tolerance of 1e-9 minutes keeps exact values like 12.000000000001 at 12.
    """
    return np.ceil(hours * 60.0 - 1e-9).astype(np.int64)


def minutes_up(minutes: float) -> int:
    """Scalar form of :func:`minutes_from_hours` for a duration already in minutes."""
    return math.ceil(minutes - 1e-9)
