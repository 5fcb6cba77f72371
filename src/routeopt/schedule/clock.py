"""Deadlines and stop requests: every search loop asks :func:`expired` before its next step.

A plan run may be given a stop event (a ``multiprocessing`` Event, so that it reaches the
worker processes too): once it is set, every search returns the best plan it has found so far.
Who sets it is the caller's business — the command line sets it on the first Ctrl-C.
"""

from __future__ import annotations

import signal
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

_stop: Any = None  # the run's stop event (a multiprocessing Event), in this process


def expired(deadline: float) -> bool:
    """True once ``deadline`` (a ``time.monotonic()`` value) has passed or a stop was asked for."""
    return stop_requested() or time.monotonic() > deadline


def stop_requested() -> bool:
    return _stop is not None and _stop.is_set()


def worker_init(stop: Any) -> None:
    """Process-pool initializer: the worker watches the run's stop event. Ctrl-C in a terminal
    reaches every process of the group; a worker leaves it to the main process, which sets the
    event (or ends the run)."""
    global _stop
    _stop = stop
    signal.signal(signal.SIGINT, signal.SIG_IGN)


@contextmanager
def watching(stop: Any) -> Iterator[None]:
    """Within the block, searches in this process stop once ``stop`` is set."""
    global _stop
    previous, _stop = _stop, stop
    try:
        yield
    finally:
        _stop = previous
