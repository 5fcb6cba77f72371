"""The chain dynamic programme: the cheapest working days for a customer's visits that keep its rhythm."""

import datetime as dt
import itertools
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from routeopt.model import Customer, Horizon, Rep, VisitRule
from routeopt.options import PlanOptions
from routeopt.schedule.chain import cheapest_chain
from routeopt.schedule.instance import build_instance
from routeopt.schedule.rhythm import chain_ok

MONDAY = dt.date(2026, 12, 7)


def tiny(rule, last_visit=None):
    """One rep, two weeks from a Monday (ten working days: offsets 0–4 and 7–11), one customer."""
    rep = Rep("R1", 34.0, 134.0)
    customer = Customer("C1", 34.001, 134.0, rule=rule, last_visit=last_visit)
    return build_instance(rep, (customer,), Horizon(MONDAY, weeks=2), PlanOptions().travel)


WEEKLY = VisitRule.from_target(7)  # gaps of 5 to 9 days; a first visit in the first 7 days


def test_the_cheapest_pair_of_days_that_keeps_the_gaps_is_chosen():
    inst = tiny(WEEKLY)
    costs = dict.fromkeys(range(10), 5.0)
    costs |= {0: 1.0, 1: 1.5, 6: 2.0}  # Mon and Tue of week 1 are cheapest, but only 1 day apart
    assert cheapest_chain(inst, 0, 2, costs, long_gaps=0) == [0, 6]  # Mon, then Tue 8 days later


def test_an_over_long_gap_needs_a_reported_miss():
    inst = tiny(WEEKLY)
    costs = {0: 1.0, 9: 1.0, 4: 50.0}  # Mon week 1 and Fri week 2 are 11 days apart (> 9)
    assert cheapest_chain(inst, 0, 2, costs, long_gaps=0) == [4, 9]
    assert cheapest_chain(inst, 0, 2, costs, long_gaps=1) == [0, 9]


def test_no_chain_when_the_days_cannot_hold_the_visits():
    inst = tiny(WEEKLY)
    assert cheapest_chain(inst, 0, 3, dict.fromkeys(range(10), 1.0), long_gaps=0) is None


def test_the_last_visit_before_the_horizon_bounds_the_first_gap():
    inst = tiny(WEEKLY, last_visit=MONDAY - dt.timedelta(days=3))  # the Friday before
    costs = {0: 1.0, 2: 2.0, 3: 3.0}  # Monday is only 3 days after it (< 5)
    assert cheapest_chain(inst, 0, 1, costs, long_gaps=0) == [2]


@pytest.mark.parametrize("seed", range(60))
def test_the_programme_finds_the_cheapest_valid_chain_that_trying_every_set_of_days_finds(seed):
    rng = random.Random(seed)
    rule = VisitRule.from_target(rng.choice([2, 3, 5, 7]))
    last_visit = rng.choice([None, MONDAY - dt.timedelta(days=rng.randint(1, 10))])
    inst = tiny(rule, last_visit)
    open_days = sorted(rng.sample(range(10), rng.randint(3, 10)))  # days that can take the visit
    costs = {day: float(rng.randint(1, 30)) for day in open_days}
    count, long_gaps = rng.randint(1, 4), rng.randint(0, 1)

    valid = [days for days in itertools.combinations(open_days, count)
             if chain_ok(inst, 0, [inst.offsets[d] for d in days], long_gaps)]
    chosen = cheapest_chain(inst, 0, count, costs, long_gaps)
    if not valid:
        assert chosen is None
        return
    assert chosen is not None and len(chosen) == count
    assert chain_ok(inst, 0, [inst.offsets[d] for d in chosen], long_gaps)
    assert sum(costs[d] for d in chosen) == min(sum(costs[d] for d in days) for days in valid)


@settings(max_examples=500, deadline=None)
@given(st.floats(1, 30), st.integers(1, 10), st.integers(0, 20), st.one_of(st.none(), st.integers(-40, 0)),
       st.lists(st.integers(-5, 40), max_size=6), st.integers(0, 2))
def test_a_chain_with_one_more_day_is_valid_as_chain_ok_says(target, min_gap, extra, back, days, missed):
    from types import SimpleNamespace

    from routeopt.schedule.rhythm import chain_with

    start = dt.date(2026, 12, 1)
    rule = VisitRule(target, min_gap, min_gap + extra)
    last = None if back is None else start + dt.timedelta(days=back)
    inst = SimpleNamespace(customers=[SimpleNamespace(rule=rule, last_visit=last)],
                           horizon=SimpleNamespace(start=start))
    ok = chain_with(inst, 0, days, missed)
    for day in range(-5, 45):
        assert ok(day) == chain_ok(inst, 0, [*days, day], missed), day
