"""Record-to-record acceptance: go on from a trial that is close enough to the best plan."""

import pytest

from routeopt.route.timing import Timing
from routeopt.schedule.accept import RecordToRecord
from routeopt.schedule.solution import Miss, RepSolution


def plan(driving, missed=0):
    """A one-day plan costing ``driving`` minutes, with ``missed`` missed visits."""
    day = Timing(seq=(), departure=0, arrive=(), start=(), break_at=-1, break_start=0, end_arrive=0,
                 travel_min=driving, wait_min=0)
    return RepSolution(timings={0: day}, missed=[Miss(0, 0, "no day fits")] * missed)


BEST = plan(1000)


def test_without_allowance_only_trials_no_worse_than_the_best_are_accepted():
    accept = RecordToRecord()
    assert accept(BEST, plan(1000), progress=0.0)
    assert accept(BEST, plan(999), progress=0.0)
    assert not accept(BEST, plan(1001), progress=0.0)


@pytest.mark.parametrize(("progress", "allowed"), [(0.0, 100), (0.5, 50), (0.9, 10), (1.0, 0), (1.5, 0)])
def test_the_allowance_shrinks_linearly_to_nothing_by_the_end_of_the_run(progress, allowed):
    accept = RecordToRecord(threshold=0.1)  # 10 % of the best cost at the start
    assert accept(BEST, plan(1000 + allowed), progress)
    assert not accept(BEST, plan(1000 + allowed + 1), progress)


def test_a_trial_that_misses_more_visits_is_refused_however_cheap():
    accept = RecordToRecord(threshold=0.5)
    assert not accept(BEST, plan(10, missed=1), progress=0.0)
    assert accept(plan(1000, missed=2), plan(1200, missed=1), progress=0.0)


def test_raises_for_a_negative_threshold():
    with pytest.raises(ValueError, match="must be >= 0"):
        RecordToRecord(-0.01)
