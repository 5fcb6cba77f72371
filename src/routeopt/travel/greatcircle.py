"""The embedded default travel model: great-circle distance × detour factor at a fixed speed."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .base import Matrices, Point, minutes_from_hours

EARTH_RADIUS_KM = 6371.009
"""Mean earth radius, as in ``geopy.distance.EARTH_RADIUS``."""


def great_circle_km(lat1: np.ndarray, lon1: np.ndarray, lat2: np.ndarray, lon2: np.ndarray) -> np.ndarray:
    """Haversine great-circle distance in km between arrays of WGS84 points (broadcasting)."""
    p1, l1, p2, l2 = (np.radians(a) for a in (lat1, lon1, lat2, lon2))
    h = np.sin((p2 - p1) / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin((l2 - l1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(1.0, np.sqrt(h)))


@dataclass(frozen=True)
class GreatCircle:
    """Road km = great-circle km × ``detour_factor`` (default 1.3), driven at ``speed_kmh``
    (default 30 km/h); minutes are rounded up per leg."""

    detour_factor: float = 1.3
    speed_kmh: float = 30.0

    def __post_init__(self) -> None:
        if not 1.0 <= self.detour_factor <= 5.0:
            raise ValueError(f"detour factor {self.detour_factor} must be between 1 and 5.")
        if not 1.0 <= self.speed_kmh <= 200.0:
            raise ValueError(f"speed {self.speed_kmh} km/h must be between 1 and 200.")

    def matrices(self, points: Sequence[Point]) -> Matrices:
        lat = np.array([p.lat for p in points], dtype=float)
        lon = np.array([p.lon for p in points], dtype=float)
        km = great_circle_km(lat[:, None], lon[:, None], lat[None, :], lon[None, :]) * self.detour_factor
        return Matrices(minutes=minutes_from_hours(km / self.speed_kmh), km=km)

    def legs_between(self, origins: Sequence[Point], destinations: Sequence[Point]) -> Matrices:
        """Travel of each leg ``origins[k]`` → ``destinations[k]`` only (1-D arrays, the same
        values as :meth:`matrices`): memory grows with the legs, not with the points squared."""
        lat1, lon1, lat2, lon2 = (np.array(v, dtype=float) for v in (
            [p.lat for p in origins], [p.lon for p in origins], [p.lat for p in destinations],
            [p.lon for p in destinations]))
        km = great_circle_km(lat1, lon1, lat2, lon2) * self.detour_factor
        return Matrices(minutes=minutes_from_hours(km / self.speed_kmh), km=km)

    def describe(self) -> dict[str, Any]:
        return {"kind": "great_circle", "detour_factor": self.detour_factor, "speed_kmh": self.speed_kmh}
