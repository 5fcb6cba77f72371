"""Ctrl-C during a plan run: the command line's first Ctrl-C asks the searches to stop (through
the library's stop event), a second one aborts; the library itself installs no handler."""

import datetime as dt
import multiprocessing
import os
import signal
import time
from pathlib import Path

import pytest

import routeopt
from routeopt.schedule.clock import expired, stop_requested, watching
from routeopt_cli.common import ctrl_c_stops

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "takamatsu"


def example() -> routeopt.Problem:
    horizon = routeopt.make_horizon(dt.date(2026, 12, 1), 4, "JP")
    return routeopt.read_problem(EXAMPLE / "customers.csv", EXAMPLE / "reps.csv", horizon)


def ctrl_c() -> None:
    """Send SIGINT to this process and give its handler the chance to run."""
    os.kill(os.getpid(), signal.SIGINT)
    time.sleep(0.05)


def test_first_ctrl_c_sets_the_stop_event_and_a_second_aborts():
    with pytest.raises(KeyboardInterrupt), ctrl_c_stops() as stop, watching(stop):
        assert not stop_requested()
        ctrl_c()
        assert stop.is_set() and stop_requested()
        assert expired(time.monotonic() + 3600)
        ctrl_c()
    assert not stop_requested()


def test_a_worker_having_set_the_event_first_does_not_turn_ctrl_c_into_the_second():
    # A terminal sends Ctrl-C to every process of the group: the stop event may already be set
    # when the main process handles its own copy of the same Ctrl-C.
    try:
        with ctrl_c_stops() as stop:
            stop.set()
            ctrl_c()
            assert stop.is_set()
    except KeyboardInterrupt:
        pytest.fail("the first Ctrl-C aborted the run because the stop event was already set")


def test_the_previous_handler_is_back_after_the_run():
    previous = signal.getsignal(signal.SIGINT)
    with ctrl_c_stops():
        assert signal.getsignal(signal.SIGINT) is not previous
    assert signal.getsignal(signal.SIGINT) is previous


def test_the_library_leaves_sigint_alone():
    previous = signal.getsignal(signal.SIGINT)
    seen = []

    def progress(rep_id: str, done: int, total: int) -> None:
        seen.append(signal.getsignal(signal.SIGINT))

    problem = example()
    routeopt.plan(problem, routeopt.PlanOptions(workers=1, time_limit=2, max_iterations=1), progress=progress)
    assert seen and all(handler is previous for handler in seen)


def test_a_set_stop_event_returns_an_interrupted_plan():
    problem = example()
    stop = multiprocessing.get_context().Event()
    stop.set()
    began = time.monotonic()
    result = routeopt.plan(problem, routeopt.PlanOptions(workers=2, time_limit=60), stop=stop)
    assert result.interrupted
    assert time.monotonic() - began < 30
    assert not stop_requested()
