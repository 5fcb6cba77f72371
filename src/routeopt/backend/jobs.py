"""What a backend is handed and what it hands back: one job per rep, one :class:`Finished` per job."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..options import PlanOptions
from ..schedule.instance import RepInstance
from ..schedule.solution import RepSolution

Job = tuple[RepInstance, float, PlanOptions]
"""One rep's problem, the seconds it may search, and the run's options."""

Solve = Callable[[Job], RepSolution]
"""Plans one job; a module-level function, so that worker processes and Ray tasks can import it."""


@dataclass(frozen=True)
class Finished:
    """The plan of job number ``index``. ``rerun`` says why it was planned again on this machine
    after its remote run failed (``None`` when it was not)."""

    index: int
    solution: RepSolution
    rerun: str | None = None
