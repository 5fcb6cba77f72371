"""Options of a planning run."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from .travel import GreatCircle, TravelModel


@dataclass(frozen=True)
class PlanOptions:
    """How to plan.

    ``time_limit`` is in seconds for the whole run; ``seed`` makes runs repeatable; ``workers``
    is the number of processes solving reps side by side (default: the machine's cores).
    """

    time_limit: float = 60.0
    seed: int = 0
    travel: TravelModel = field(default_factory=GreatCircle)
    workers: int = field(default_factory=lambda: os.cpu_count() or 1)

    def __post_init__(self) -> None:
        if not self.time_limit > 0:
            raise ValueError(f"time limit {self.time_limit} s must be > 0.")
        if self.workers < 1:
            raise ValueError("workers must be >= 1.")
