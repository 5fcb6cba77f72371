"""Ruin and recreate: perturbed plans keep every visit, each day's rules and each customer's chain."""

import random
from collections import Counter

import pytest
from test_schedule_moves import example_instance  # rep R1 of the bundled Takamatsu example in solver form

from routeopt.schedule.construct import construct
from routeopt.schedule.instance import FIRST_CUSTOMER
from routeopt.schedule.rhythm import chain_ok
from routeopt.schedule.ruin import ruin_and_recreate
from routeopt.schedule.solution import copy_solution


@pytest.fixture(scope="module")
def example():
    inst = example_instance()
    return inst, construct(inst)


def visits_of(sol):
    return Counter(n - FIRST_CUSTOMER for seq in sol.seqs.values() for n in seq)


@pytest.mark.parametrize("seed", range(12))
def test_ruin_and_recreate_keeps_every_visit_on_a_valid_chain(example, seed):
    inst, built = example
    sol = copy_solution(built)
    rng = random.Random(seed)
    kept = 0
    for _ in range(5):
        trial = copy_solution(sol)
        if ruin_and_recreate(inst, trial, rng) is not None:
            sol, kept = trial, kept + 1
    assert kept and sol.seqs != built.seqs  # the checks below look at a plan the perturbations changed
    assert visits_of(sol) == visits_of(built)
    days_of = {}
    for d in sorted(sol.seqs):
        assert sol.timings[d] == inst.time(d, sol.seqs[d], sol.fixed.get(d, {})) is not None
        for n in sol.seqs[d]:
            days_of.setdefault(n - FIRST_CUSTOMER, []).append(inst.offsets[d])
    missed = Counter(m.customer for m in sol.missed)
    for ci, offsets in days_of.items():
        assert chain_ok(inst, ci, offsets, missed[ci])

