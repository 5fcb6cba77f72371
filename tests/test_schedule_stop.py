"""When the iterated local search stops: time limit, iteration cap and patience in one object."""

import multiprocessing

import pytest

from routeopt.schedule.clock import watching
from routeopt.schedule.stop import Stop

HOUR = 3600.0
SAME = (0, 100.0)  # a best plan's score: (missed visits, cost)


def asks_until_stopped(stop, scores):
    """Ask ``stop`` with each score in turn; return how many iterations it let begin."""
    for begun, best in enumerate(scores):
        if stop(best):
            return begun
    raise AssertionError("the criterion never stopped")


def test_the_cap_lets_exactly_max_iterations_begin_and_progress_counts_them():
    stop = Stop(HOUR, max_iterations=4, patience=None)
    assert stop.progress() == 0
    assert not stop(SAME) and stop.progress() == pytest.approx(0.25)
    assert asks_until_stopped(stop, [SAME] * 10) == 3
    assert stop.iterations == 4 and stop.progress() == 1


def test_a_cap_of_zero_stops_before_the_first_iteration():
    assert Stop(HOUR, max_iterations=0)(SAME)


def test_patience_counts_the_iterations_since_the_best_plan_last_got_better():
    stop = Stop(HOUR, patience=2)
    cheaper, cheapest = (0, 90.0), (0, 80.0)
    missing_one = (1, 10.0)  # misses a visit: not better, however cheap
    scores = [SAME, SAME, cheaper, cheaper, cheapest, missing_one, cheapest, cheapest]
    assert asks_until_stopped(stop, scores) == 6
    assert stop.iterations == 6


def test_without_patience_or_cap_only_time_stops_the_search():
    stop = Stop(HOUR, max_iterations=None, patience=None)
    assert not any(stop(SAME) for _ in range(5000))
    assert 0 <= stop.progress() < 0.01  # share of the hour used


def test_a_used_up_time_limit_stops_at_once():
    stop = Stop(-1.0, max_iterations=10)
    assert stop(SAME) and stop.iterations == 0


def test_a_stop_asked_for_from_outside_ends_the_run():
    stop = Stop(HOUR, max_iterations=10)
    event = multiprocessing.get_context().Event()
    with watching(event):
        assert not stop(SAME)
        event.set()  # as the command line does on Ctrl-C
        assert stop(SAME)


@pytest.mark.parametrize("kwargs", [{"max_iterations": -1}, {"patience": -1}])
def test_raises_for_a_negative_cap_or_patience(kwargs):
    with pytest.raises(ValueError, match="must be >= 0"):
        Stop(HOUR, **kwargs)
