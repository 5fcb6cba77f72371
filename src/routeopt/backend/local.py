"""The local backend: this machine's processes (``options.workers`` of them), or this process alone."""

from __future__ import annotations

from collections.abc import Generator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from typing import Any

from ..schedule.clock import worker_init
from .jobs import Finished, Job, Solve


def solve_all(solve: Solve, jobs: Sequence[Job], workers: int, stop: Any) -> Generator[Finished, None, None]:
    """Yield each job's plan as it is finished: in a pool of ``workers`` processes, which watch the
    ``stop`` event, or one after another in this process when ``workers`` is 1.

    Whatever ends the run early (a KeyboardInterrupt, an error, the caller leaving the loop) first
    sets ``stop``, so that leaving the pool does not wait for the workers' whole time budget.
    """
    if workers <= 1:
        for k, job in enumerate(jobs):
            yield Finished(k, solve(job))
        return
    with ProcessPoolExecutor(max_workers=workers, initializer=worker_init, initargs=(stop,)) as pool:
        try:
            futures = {pool.submit(solve, job): k for k, job in enumerate(jobs)}
            for future in as_completed(futures):
                yield Finished(futures[future], future.result())
        except BaseException:
            stop.set()
            raise
