"""Record-to-record acceptance: go on from a trial that is close enough to the best plan."""

import pytest

from routeopt.schedule.accept import RecordToRecord


def plan(driving, missed=0.0):
    """The score of a plan costing ``driving`` minutes whose missed visits weigh ``missed``."""
    return (missed, driving)


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


def test_a_trial_whose_missed_visits_weigh_more_is_refused_however_cheap():
    accept = RecordToRecord(threshold=0.5)
    assert not accept(BEST, plan(10, missed=1), progress=0.0)
    assert accept(plan(1000, missed=2), plan(1200, missed=1), progress=0.0)


def test_raises_for_a_negative_threshold():
    with pytest.raises(ValueError, match="must be >= 0"):
        RecordToRecord(-0.01)


def test_missing_a_less_important_visit_instead_of_a_more_important_one_is_accepted():
    accept = RecordToRecord()
    assert accept(plan(1000, missed=3.0), plan(1000, missed=1.0), progress=0.0)  # one priority-1 miss, not a 3
    assert not accept(plan(1000, missed=1.0), plan(900, missed=3.0), progress=0.0)
