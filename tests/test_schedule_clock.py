"""Ctrl-C during a plan run: the first one asks the searches to stop, a second one aborts."""

import multiprocessing
import os
import signal
import time

import pytest

from routeopt.schedule.clock import expired, stop_on_interrupt, stop_requested


def ctrl_c() -> None:
    """Send SIGINT to this process and give its handler the chance to run."""
    os.kill(os.getpid(), signal.SIGINT)
    time.sleep(0.05)


def test_first_ctrl_c_asks_to_stop_and_a_second_aborts():
    stop = multiprocessing.get_context().Event()
    with pytest.raises(KeyboardInterrupt), stop_on_interrupt(stop):
        assert not stop_requested()
        ctrl_c()
        assert stop_requested() and stop.is_set()
        assert expired(time.monotonic() + 3600)
        ctrl_c()
    assert not stop_requested()


def test_a_worker_having_seen_ctrl_c_first_does_not_turn_it_into_the_second():
    # A terminal sends Ctrl-C to every process of the group: a worker may set the shared flag
    # before the main process handles its own copy of the same Ctrl-C.
    stop = multiprocessing.get_context().Event()
    try:
        with stop_on_interrupt(stop):
            stop.set()
            ctrl_c()
            assert stop_requested()
    except KeyboardInterrupt:
        pytest.fail("the first Ctrl-C aborted the run because a worker had already set the stop flag")
    assert not stop_requested()


def test_the_previous_handler_is_back_after_the_run():
    previous = signal.getsignal(signal.SIGINT)
    with stop_on_interrupt(None):
        assert signal.getsignal(signal.SIGINT) is not previous
    assert signal.getsignal(signal.SIGINT) is previous
