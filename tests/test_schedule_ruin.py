"""Ruin and recreate: a neighbourhood re-planned behind a leader on random days keeps every visit and rule."""

import random
from collections import Counter

import pytest
from test_schedule_moves import example_instance  # rep R1 of the bundled Takamatsu example in solver form

from routeopt.schedule.construct import construct
from routeopt.schedule.instance import FIRST_CUSTOMER
from routeopt.schedule.moves import Improver
from routeopt.schedule.rhythm import chain_ok
from routeopt.schedule.ruin import lead, ruin_and_recreate
from routeopt.schedule.solution import copy_solution


@pytest.fixture(scope="module")
def example():
    inst = example_instance()
    return inst, construct(inst)


def visits_of(sol):
    return Counter(n - FIRST_CUSTOMER for seq in sol.seqs.values() for n in seq)


def test_lead_reprices_every_day_and_keeps_its_insertion(example):
    inst, sol = example
    search = Improver(inst, sol)
    inserts = search.insertions(inst.node(0))
    priced = lead(inserts, random.Random(0))
    assert priced.keys() == inserts.keys()
    for d, ins in priced.items():
        assert (ins.day, ins.position, ins.timing) == (inserts[d].day, inserts[d].position, inserts[d].timing)
        assert 0 <= ins.delta < 1


def test_a_leader_takes_valid_chains_that_differ_from_its_cheapest(example):
    inst, sol = example
    search = Improver(inst, sol)
    ci = max(search.days_of, key=lambda c: (len(search.days_of[c]), -c))  # the customer with the most visits
    count = len(search.days_of[ci])
    assert count >= 2 and not inst.customers[ci].appointments
    assert search.take_out(ci) is not None
    search.days_of[ci] = []
    inserts = search.insertions(inst.node(ci))
    cheapest = search.best_chain(ci, count, inserts)
    led = [search.best_chain(ci, count, lead(inserts, random.Random(seed))) for seed in range(20)]
    for days in led:
        assert days is not None and len(days) == count
        assert chain_ok(inst, ci, [inst.offsets[d] for d in days], search.missed_of[ci])
    assert len({tuple(d) for d in led}) > 1 and any(days != cheapest for days in led)


@pytest.mark.parametrize("seed", range(12))
def test_ruin_and_recreate_keeps_every_visit_on_a_valid_chain(example, seed):
    inst, built = example
    sol = copy_solution(built)
    rng = random.Random(seed)
    for _ in range(5):
        trial = copy_solution(sol)
        if ruin_and_recreate(inst, trial, rng) is not None:
            sol = trial
    assert visits_of(sol) == visits_of(built)
    days_of = {}
    for d in sorted(sol.seqs):
        assert sol.timings[d] == inst.time(d, sol.seqs[d], sol.fixed.get(d, {})) is not None
        for n in sol.seqs[d]:
            days_of.setdefault(n - FIRST_CUSTOMER, []).append(inst.offsets[d])
    missed = Counter(m.customer for m in sol.missed)
    for ci, offsets in days_of.items():
        assert chain_ok(inst, ci, offsets, missed[ci])

