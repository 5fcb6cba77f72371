"""What a backend is handed and what it hands back: one job per rep, one :class:`Finished` per job."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..schedule.solution import RepSolution

Job = tuple[Any, ...]
"""One rep's work as its solve function takes it: the planner's is ``(RepInstance, seconds,
PlanOptions)``; another caller (a re-plan) may hand over more. A backend passes it on as it is,
but for the Ray backend's leaving out the travel model of the ``PlanOptions`` in it."""

Solve = Callable[[Job], RepSolution]
"""Plans one job; a module-level function, so that worker processes and Ray tasks can import it."""


@dataclass(frozen=True)
class Finished:
    """The plan of job number ``index``. ``rerun`` says why it was planned again on this machine
    after its remote run failed (``None`` when it was not)."""

    index: int
    solution: RepSolution
    rerun: str | None = None
