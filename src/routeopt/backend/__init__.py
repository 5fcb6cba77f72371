"""Where the reps are solved, side by side: ``local`` (this machine's processes) or ``ray`` (one
Ray task per rep). The planner hands a backend one job per rep and gets each plan back as soon as
it is finished; the backend leaves how long each rep may search to the planner."""

from __future__ import annotations

from collections.abc import Generator, Sequence
from typing import Any

from ..options import PlanOptions
from . import local
from .jobs import Finished, Job, Solve

__all__ = ["Finished", "Job", "Solve", "solve_all", "width"]


def width(options: PlanOptions) -> int:
    """How many reps the backend solves at once: ``options.workers`` here, the CPUs of the Ray
    cluster with ``ray`` (joining it, or starting Ray, when this process has not yet)."""
    if options.backend == "ray":
        from . import ray  # an optional extra: imported only when asked for

        return ray.cpus(options.ray_address)
    return options.workers


def solve_all(solve: Solve, jobs: Sequence[Job], options: PlanOptions, stop: Any) -> Generator[Finished, None, None]:
    """Yield one :class:`Finished` per job, as each is finished.

    ``stop`` is the run's ``multiprocessing`` Event: once it is set, the searches return their
    best plans so far, and reps not yet begun get their construction only.

    Raises
    ------
    MissingExtraError
        With ``backend="ray"`` when Ray is not installed (``pip install "routeopt[ray]"``).
    InputError
        When the Ray cluster at ``options.ray_address`` cannot be joined.
    """
    if options.backend == "ray":
        from . import ray

        return ray.solve_all(solve, jobs, options, stop)
    return local.solve_all(solve, jobs, min(options.workers, len(jobs)), stop)
