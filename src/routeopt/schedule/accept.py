"""Whether the iterated local search goes on from a trial plan (as PyVRP's acceptance criteria)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

Score = tuple[float, float]
"""A plan's score, smaller is better: the weight of its missed visits (each its customer's
priority), then its cost."""


class Acceptance(Protocol):
    def __call__(self, best: Score, trial: Score, progress: float) -> bool:
        """Go on from the trial plan scoring ``trial``? ``best``: the best plan's score so far (the
        trial's own when it is a new best); ``progress``: how far the run has gone, 0 at the start
        to 1 at the end."""
        ...


@dataclass(frozen=True)
class RecordToRecord:
    """Record-to-record travel: go on from a trial whose missed visits weigh no more than the best
    plan's (by priority) and that costs at most ``threshold`` × the best cost more than it. The
    allowance shrinks linearly to nothing by the end of the run; ``threshold=0`` (the default) accepts only trials that
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

    def __call__(self, best: Score, trial: Score, progress: float) -> bool:
        allowance = self.threshold * max(0.0, 1.0 - progress) * best[1]
        return trial[0] <= best[0] and trial[1] <= best[1] + allowance
