"""When the iterated local search stops: a time limit, a cap on iterations and patience, as one
criterion object the search asks before each iteration (as PyVRP's ``MultipleCriteria`` of
``MaxRuntime``, ``MaxIterations`` and ``NoImprovement``)."""

from __future__ import annotations

import time

from .clock import expired

PATIENCE = 1000
"""Iterations in a row without a better plan after which the search stops: about 20 s of a
60-customer rep, so small problems stop early and larger ones use their whole budget."""


class Stop:
    """Stop after ``time_limit`` seconds from now (or when a stop is asked for: see
    :mod:`~routeopt.schedule.clock`), after ``max_iterations`` iterations (``None``: no cap; the
    same seed and cap give the same plan), or after ``patience`` iterations in a row without a
    better plan (``None``: never for that reason).

    Call it before each iteration with the best plan's score so far (lower is better); when it
    answers ``False`` the iteration is counted. It keeps count, so one object serves one run.

    Raises
    ------
    ValueError
        When ``max_iterations`` or ``patience`` is negative.
    """

    def __init__(self, time_limit: float, max_iterations: int | None = None, patience: int | None = PATIENCE) -> None:
        if max_iterations is not None and max_iterations < 0:
            raise ValueError(f"max_iterations {max_iterations} must be >= 0.")
        if patience is not None and patience < 0:
            raise ValueError(f"patience {patience} must be >= 0.")
        self.time_limit = time_limit
        self.max_iterations = max_iterations
        self.patience = patience
        self.began = time.monotonic()
        self.deadline = self.began + time_limit  # a time.monotonic() value
        self.iterations = 0  # begun so far
        self._stalled = 0
        self._record: tuple[float, float] | None = None

    def __call__(self, best: tuple[float, float]) -> bool:
        """Should the search stop before its next iteration? ``best``: the best plan's score."""
        if expired(self.deadline) or (self.max_iterations is not None and self.iterations >= self.max_iterations):
            return True
        if self._record is None or best < self._record:
            self._record, self._stalled = best, 0
        if self.patience is not None and self._stalled >= self.patience:
            return True
        self.iterations += 1
        self._stalled += 1
        return False

    def progress(self) -> float:
        """How far the run has gone (0 at the start, 1 at the end): the share of ``max_iterations``
        begun when there is a cap, else the share of ``time_limit`` used."""
        if self.max_iterations is not None:
            return self.iterations / self.max_iterations
        return (time.monotonic() - self.began) / self.time_limit if self.time_limit > 0 else 1.0
