"""Vehicle capacity as a soft rule inside the search: priced at the cost of overload passed in, never in a plan."""

import random

import pytest
from test_schedule_moves import CROSSED as FOUR  # one day, two vehicles of capacity 2, two customers east, two west

from routeopt.bench import lit_instance
from routeopt.input.literature import parse_cordeau
from routeopt.schedule.accept import RecordToRecord
from routeopt.schedule.construct import construct_patterns, insertion_into
from routeopt.schedule.penalty import OverloadPenalty
from routeopt.schedule.ruin import ruin_and_recreate
from routeopt.schedule.search import iterated_local_search, settle
from routeopt.schedule.solution import RepSolution
from routeopt.schedule.stop import Stop

EAST, WEST = [2, 3], [4, 5]  # nodes of customers 1–2 and 3–4


def load(inst, seq):
    return sum(inst.demand[n] for n in seq)


def test_an_overloaded_route_is_priced_only_at_a_cost_of_overload():
    inst = lit_instance(parse_cordeau(FOUR, "four"))
    three = [*EAST, WEST[0]]
    assert inst.time(0, three, {}) is None  # load 3 > 2: a hard rule by default
    soft = inst.time(0, three, {}, overload=7.5)
    assert soft is not None and soft.penalty == pytest.approx(7.5)  # one unit over
    assert soft.cost == pytest.approx(soft.travel_min + 7.5)
    assert inst.time(0, EAST, {}, overload=7.5).penalty == 0
    assert inst.time(0, three, {}) is None  # the remembered timing does not leak the price


def test_insertion_into_a_full_route_needs_a_cost_of_overload_and_pays_for_it():
    inst = lit_instance(parse_cordeau(FOUR, "four"))
    current = inst.time(0, EAST, {})
    assert insertion_into(inst, 0, list(EAST), {}, current, WEST[0]) is None
    ins = insertion_into(inst, 0, list(EAST), {}, current, WEST[0], overload=1000.0)
    assert ins is not None and ins.timing.penalty == pytest.approx(1000.0)
    assert ins.delta == pytest.approx(ins.timing.cost - current.cost)
    too_dear = insertion_into(inst, 0, list(EAST), {}, current, WEST[0], bound=999.0, overload=1000.0)
    assert too_dear is None  # the overload alone costs more


def test_settle_repairs_an_overloaded_trial_by_moving_a_visit_to_the_other_vehicle():
    inst = lit_instance(parse_cordeau(FOUR, "four"))
    seqs = {0: [*EAST, WEST[0]], 1: [WEST[1]]}
    trial = RepSolution(seqs=seqs, timings={d: inst.time(d, s, {}, overload=1.0) for d, s in seqs.items()})
    assert trial.timings[0].penalty > 0
    assert settle(inst, trial, OverloadPenalty(inst, trial), deadline=float("inf"), seed=0)
    assert all(load(inst, s) <= 2 for s in trial.seqs.values())
    assert sorted(sorted(s) for s in trial.seqs.values()) == [EAST, WEST]
    assert all(t.penalty == 0 for t in trial.timings.values())


def random_instance(seed):
    """Three days, three vehicles of capacity 7 a day, 18 customers of demand 1–2 with one to
    three visits: tight enough that overloaded detours pay."""
    rng = random.Random(seed)
    lines = ["1 3 18 3", "0 7", "0 7", "0 7"]
    lines.append("0 0.0 0.0 0 0 0 0")
    masks = {1: [4, 2, 1], 2: [6, 5, 3], 3: [7]}
    for i in range(1, 19):
        freq = rng.choice([1, 1, 2, 3])
        x, y = rng.uniform(-50, 50), rng.uniform(-50, 50)
        lines.append(f"{i} {x:.1f} {y:.1f} 0 {rng.randint(1, 2)} {freq} {len(masks[freq])} "
                     + " ".join(map(str, masks[freq])))
    return lit_instance(parse_cordeau("\n".join(lines) + "\n", f"r{seed}"))


@pytest.mark.parametrize("seed", range(4))
def test_search_keeps_only_plans_within_capacity(seed, monkeypatch):
    from routeopt.schedule import penalty, search

    monkeypatch.setattr(penalty, "START_WEIGHT", 0.05)  # overload cheap at first: many trials overloaded
    overloaded = []

    def counting_settle(inst, trial, load, deadline, seed):
        overloaded.append(any(t.penalty for t in trial.timings.values()))
        return settle(inst, trial, load, deadline, seed)

    monkeypatch.setattr(search, "settle", counting_settle)
    inst = random_instance(seed)
    start = construct_patterns(inst)
    assert not start.missed
    start_cost = start.cost
    best = iterated_local_search(inst, start, Stop(30, max_iterations=60, patience=None), seed, RecordToRecord(0.02))
    assert any(overloaded) and len(overloaded) == 60
    assert not best.missed and best.cost <= start_cost + 1e-9
    for day, seq in best.seqs.items():
        assert load(inst, seq) <= inst.rules.capacity
        assert best.timings[day] == inst.time(day, seq, {})  # a plain, penalty-free timing


def test_the_cost_of_overload_rises_when_too_few_trials_end_within_capacity_and_falls_when_too_many_do():
    inst = lit_instance(parse_cordeau(FOUR, "four"))
    seqs = {0: list(EAST), 1: list(WEST)}
    start = RepSolution(seqs=seqs, timings={d: inst.time(d, s, {}) for d, s in seqs.items()})
    penalty = OverloadPenalty(inst, start)
    first = penalty.weight
    assert first == pytest.approx(10.0 * start.cost / 4)  # START_WEIGHT × the plan's cost per unit of load
    assert penalty.repair_weight == pytest.approx(10.0 * first)

    for feasible in [False] * 19:
        penalty.register(feasible)
    assert penalty.weight == first  # adapted only every 20 trials
    penalty.register(False)
    assert penalty.weight == pytest.approx(first * 1.2)
    for _ in range(20):
        penalty.register(True)
    assert penalty.weight == pytest.approx(first * 1.2 * 0.85)
    for feasible in [True] * 8 + [False] * 12:  # 40 %: as wanted
        penalty.register(feasible)
    assert penalty.weight == pytest.approx(first * 1.2 * 0.85)


def test_while_the_search_prices_overload_the_instance_still_holds_capacity_hard(monkeypatch):
    from routeopt.schedule import penalty, search

    monkeypatch.setattr(penalty, "START_WEIGHT", 0.05)
    inst = random_instance(0)
    heavy = [inst.node(ci) for ci in range(len(inst.customers))]  # every customer on one route: overloaded
    assert inst.time(0, heavy, {}) is None and inst.time(0, heavy, {}, overload=1.0) is not None
    seen = []

    def watching(inst_, trial, rng, overload=0.0):
        seen.append((overload, inst.time(0, heavy, {})))  # another user of the instance, mid-search
        return ruin_and_recreate(inst_, trial, rng, overload=overload)

    monkeypatch.setattr(search, "ruin_and_recreate", watching)
    iterated_local_search(inst, construct_patterns(inst), Stop(30, max_iterations=20, patience=None), seed=0)
    assert len(seen) == 20 and all(overload > 0 for overload, _ in seen)
    assert all(timing is None for _, timing in seen)
