"""Deadlines and Ctrl-C: every search loop asks :func:`expired` before its next step.

A plan run is wrapped in :func:`stop_on_interrupt`: the first Ctrl-C (SIGINT) does not kill it,
it asks every search — in this process and in the worker processes — to stop and return the
best plan found so far; a second Ctrl-C interrupts for real.
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any

_stop = False
_shared: Any = None  # a multiprocessing Event shared with the worker processes


def expired(deadline: float) -> bool:
    """True once ``deadline`` (a ``time.monotonic()`` value) has passed or a stop was asked for."""
    return stop_requested() or time.monotonic() > deadline


def stop_requested() -> bool:
    return _stop or (_shared is not None and _shared.is_set())


def request_stop(signum: int | None = None, frame: FrameType | None = None) -> None:
    global _stop
    _stop = True
    if _shared is not None:
        _shared.set()


def worker_init(shared: Any) -> None:
    """Process-pool initializer: the worker watches the shared stop flag, and Ctrl-C in the
    terminal (sent to every process of the group) only asks its search to stop."""
    global _shared
    _shared = shared
    signal.signal(signal.SIGINT, request_stop)


@contextmanager
def stop_on_interrupt(shared: Any = None) -> Iterator[None]:
    """Within the block, the first Ctrl-C asks searches to stop (``shared``, a multiprocessing
    Event, carries the request to worker processes); a second raises KeyboardInterrupt."""
    global _stop, _shared
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.getsignal(signal.SIGINT)
    _shared = shared

    def handler(signum: int, frame: FrameType | None) -> None:
        # Only this process's own earlier Ctrl-C counts: a terminal's Ctrl-C reaches the worker
        # processes too, and one of them may have set the shared flag a moment before.
        if _stop:
            raise KeyboardInterrupt
        request_stop()

    signal.signal(signal.SIGINT, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
        _stop, _shared = False, None
