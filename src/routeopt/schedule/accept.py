"""Whether the iterated local search goes on from a trial plan (as PyVRP's acceptance criteria)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from .solution import RepSolution


class Acceptance(Protocol):
    def __call__(self, best: RepSolution, trial: RepSolution, progress: float) -> bool:
        """Go on from ``trial``? ``best``: the best plan so far (``trial`` itself when it is a new
        best); ``progress``: how far the run has gone, 0 at the start to 1 at the end."""
        ...


@dataclass(frozen=True)
class RecordToRecord:
    """Record-to-record travel: go on from a trial that misses no more visits than the best plan
    and costs at most ``threshold`` × the best cost more than it. The allowance shrinks linearly
    to nothing by the end of the run; ``threshold=0`` (the default) accepts only trials that
    cost no more than the best plan.

    Raises
    ------
    ValueError
        When ``threshold`` is negative.
    """

    threshold: float = 0.0

    def __post_init__(self) -> None:
        if not self.threshold >= 0:
            raise ValueError(f"threshold {self.threshold} must be >= 0.")

    def __call__(self, best: RepSolution, trial: RepSolution, progress: float) -> bool:
        allowance = self.threshold * max(0.0, 1.0 - progress) * best.cost
        return len(trial.missed) <= len(best.missed) and trial.cost <= best.cost + allowance
