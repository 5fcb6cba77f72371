"""The Ray backend: each rep is one Ray task, on this machine or on a Ray cluster.

A task receives only its own rep's :class:`~routeopt.schedule.instance.RepInstance` (its customers,
working days and travel rows) and the run's options without their travel model; the solver code
itself is imported on the worker, so every node needs the same routeopt installed.

Stopping: a Ray task cannot see the ``multiprocessing`` Event the caller sets (on the first Ctrl-C
of the command line). A small actor, :class:`StopSignal`, stands for it on the Ray side: the
driver sets it once the event is set, and every task asks it twice a second (from a thread, so the
search itself never waits on the network) and then stops its search and returns its best plan, as a
local worker does. Tasks that start after that only build their construction. Killing the tasks
instead (``ray.cancel``) would lose the plans they hold; it is kept for the end of a run that fails
(a second Ctrl-C, an error), where nothing more is awaited.

Faults: a task whose worker process dies is run again by Ray, up to :data:`RETRIES` times. A rep
whose task still fails is planned on this machine instead, and :class:`Finished` says why.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import threading
from collections.abc import Generator, Sequence
from typing import Any

from ..errors import InputError, MissingExtraError
from ..options import PlanOptions
from ..schedule.clock import watching
from ..schedule.solution import RepSolution
from ..travel import GreatCircle
from .jobs import Finished, Job, Solve

try:
    import ray
    from ray.exceptions import RayError
except ImportError:
    raise MissingExtraError('the ray backend needs Ray, which is not installed: pip install "routeopt[ray]"') from None

RETRIES = 2
"""How many times Ray runs a rep's task again after its worker process died (``max_retries``)."""
POLL = 0.5
"""Seconds between two looks at the stop signal (by each task, and by the driver at its event)."""


def connect(address: str | None) -> None:
    """Join the Ray cluster at ``address`` (see :class:`~routeopt.PlanOptions`), unless this process
    has joined one already (its own ``ray.init`` wins). ``None`` joins the one ``RAY_ADDRESS``
    names, or else starts a Ray of this process's own on this machine: never one that ``ray start``
    left a record of (Ray's own default), which may be long gone.

    Raises
    ------
    InputError
        When the Ray cluster at ``address`` cannot be joined (none answers, or it refuses us).
    """
    if ray.is_initialized():
        return
    address = address or os.environ.get("RAY_ADDRESS") or "local"
    try:
        ray.init(address=address, logging_level=logging.WARNING)
    except ConnectionError as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise InputError(f'ray_address "{address}": cannot join the Ray cluster there ({first}).',
                         param="ray_address") from None


def cpus(address: str | None) -> int:
    """The CPUs of the cluster: how many reps are solved at once (one CPU a task)."""
    connect(address)
    return max(1, int(ray.cluster_resources().get("CPU", 1)))


@ray.remote(num_cpus=0)
class StopSignal:
    """The Ray side of the run's stop event."""

    def __init__(self) -> None:
        self.stopped = False

    def set(self) -> None:
        self.stopped = True

    def is_set(self) -> bool:
        return self.stopped


@ray.remote(num_cpus=1)
def solve_task(solve: Solve, job: Job, signal: Any) -> RepSolution:
    """Plan one rep in a Ray worker; its search stops early once ``signal`` is set."""
    stop, done = threading.Event(), threading.Event()

    def watch() -> None:
        try:
            while not ray.get(signal.is_set.remote()):
                if done.wait(POLL):
                    return
        except RayError:  # the signal is gone with the run that made it: nobody awaits this plan
            pass
        stop.set()

    watcher = threading.Thread(target=watch, name="routeopt-stop-signal", daemon=True)
    watcher.start()
    try:
        with watching(stop):
            return solve(job)
    finally:
        done.set()


def solve_all(solve: Solve, jobs: Sequence[Job], options: PlanOptions, stop: Any) -> Generator[Finished, None, None]:
    """Run every job as a Ray task and yield its plan as soon as it is back (in the order they
    finish). A rep whose task failed even after :data:`RETRIES` retries is planned here, in this
    process (the caller watches ``stop`` there), and its :class:`Finished` says why.

    Raises
    ------
    InputError
        When the Ray cluster at ``options.ray_address`` cannot be joined.
    """
    connect(options.ray_address)
    signal = StopSignal.remote()  # type: ignore[attr-defined]
    pending: dict[Any, int] = {}
    told = False
    try:  # from the first task sent: an interrupt while the others are being sent cancels it too
        for k, job in enumerate(jobs):
            pending[solve_task.options(max_retries=RETRIES).remote(solve, travelling(job), signal)] = k
        while pending:
            if not told and stop.is_set():
                signal.set.remote()
                told = True
            ready, _ = ray.wait(list(pending), num_returns=1, timeout=POLL)
            for ref in ready:
                k = pending.pop(ref)
                try:
                    solution = ray.get(ref)
                except RayError as exc:
                    yield Finished(k, solve(jobs[k]), rerun=f"its Ray task failed: {why(exc)}")
                else:
                    yield Finished(k, solution)
    except BaseException:
        signal.set.remote()
        for ref in pending:
            ray.cancel(ref)
        raise
    finally:
        ray.kill(signal)


def travelling(job: Job) -> Job:
    """The job as it is sent: its options without their travel model (a travel matrix file can hold
    the whole book; the instance already holds its rep's travel rows, and solving does not use it)."""
    return tuple(dataclasses.replace(item, travel=GreatCircle()) if isinstance(item, PlanOptions) else item
                 for item in job)


def why(exc: BaseException) -> str:
    """A Ray error in one line, led by its type: ``WorkerCrashedError: The worker died …``; for an
    error raised by the task's own code, that error (``ValueError: …``)."""
    cause = getattr(exc, "cause", None)
    if isinstance(cause, BaseException):
        exc = cause
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    return f"{type(exc).__name__}: {lines[0]}" if lines else type(exc).__name__
