"""The compiled day timing and insertion search give exactly what the pure-Python rules give."""

from __future__ import annotations

import datetime as dt
import importlib.util
import math
import os
import random
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import routeopt
from routeopt.bench import solve
from routeopt.input.literature import read_instance
from routeopt.model import Appointment, Customer, Rep, VisitRule
from routeopt.route import compiled
from routeopt.route.timing import END, START, DayRules, time_day
from routeopt.schedule.instance import build_instance
from routeopt.travel import GreatCircle

NUMBA_OFF = importlib.util.find_spec("numba") is None or os.environ.get(compiled.PURE_PYTHON, "") not in ("", "0")
pytestmark = pytest.mark.skipif(NUMBA_OFF, reason="numba is not installed (or switched off)")


def test_the_kernel_loads_where_numba_is_installed():
    # kernel() falls back to pure Python on any import error: a broken kernel must not pass as "no numba"
    assert compiled.kernel() is not None
LITERATURE = Path(__file__).parent / "data" / "literature"

OPENINGS = [((540, 1080),), ((540, 720),), ((600, 1080),), ((540, 690), (780, 1080)), ((720, 900),),
            ((840, 1080),), ((540, 600), (660, 720), (900, 1000)), ()]
"""Whole days, mornings, afternoons, split days, three windows, and closed (the last)."""


@st.composite
def days(draw, most=9):
    """Days of up to ``most`` visits over 3 routes (one with every customer open all day), with
    or without lunch, appointments, a visit cap, a wait weight of 0."""
    n = draw(st.integers(0, most))
    size = n + 2
    travel = [[0 if a == b else draw(st.integers(1, 40)) for b in range(size)] for a in range(size)]
    duration = [0, 0] + [draw(st.integers(5, 60)) for _ in range(n)]
    routes = [[((540, 1080),)] * size] + [
        [((540, 1080),), ((540, 1080),)] + [draw(st.sampled_from(OPENINGS)) for _ in range(n)] for _ in range(2)]
    seq = draw(st.permutations(list(range(2, size))))
    fixed = {}
    for node in draw(st.lists(st.sampled_from(seq), max_size=2, unique=True)) if n else []:
        fixed[node] = draw(st.integers(540, 1000))
    lunch = draw(st.sampled_from([None, (690, 810), (660, 840), (720, 780), (540, 1080)]))
    rules = DayRules(shift=draw(st.sampled_from([(540, 1080), (480, 1020), (540, 840)])), lunch_window=lunch,
                     lunch_minutes=draw(st.sampled_from([30, 45, 60])) if lunch else 0,
                     max_visits=draw(st.sampled_from([None, None, 4])),
                     wait_weight=draw(st.sampled_from([0.5, 0.5, 0.0, 1.0])))
    return seq, travel, duration, routes, fixed, rules


@settings(max_examples=600, deadline=None)
@given(days(), st.integers(0, 2))
def test_compiled_timing_is_the_pure_python_timing(day, route):
    seq, travel, duration, routes, fixed, rules = day
    arrays = compiled.day_arrays(travel, duration, routes, rules, span=480.0)
    expected = time_day(seq, travel, duration, routes[route], fixed, rules)
    assert compiled.time_day(arrays, route, seq, fixed) == expected


def pure_best_position(seq, node, travel, duration, wins, fixed, rules, costs, current, old, slack, bound):
    """The loop of :func:`routeopt.schedule.construct.insertion_into` over ``time_day``, as a reference."""
    visiting = sum(duration[n] for n in seq)
    room = costs["span"] - ((current.travel_min if current else 0) + visiting) - duration[node]
    stops = [0, *seq, 1]
    detours = sorted((travel[a][node] + travel[node][b] - travel[a][b], pos)
                     for pos, (a, b) in enumerate(zip(stops, stops[1:], strict=False)))
    best, limit = (-1, 0.0), bound
    for extra, pos in detours:
        if extra - slack >= limit or extra > room + EPS:
            break
        timing = time_day(seq[:pos] + [node] + seq[pos:], travel, duration, wins, fixed, rules)
        busy = timing.travel_min + visiting + duration[node] if timing else 0
        if timing is None or (rules.max_duration is not None and busy > rules.max_duration + 1e-9):
            continue
        preference = costs["off_course"]
        if costs["band"] is not None:
            preference += costs["over_band"] * max(0.0, timing.end_arrive - timing.departure - costs["band"])
        for n, start in zip(timing.seq, timing.start, strict=True):
            if costs["times"][n] is not None:
                lo, hi = costs["times"][n]
                preference += costs["off_time"] * max(0.0, lo - start, start - hi)
        cost = timing.travel_min + timing.wait_weight * timing.wait_min + costs["penalty"] + preference
        if cost - old < limit:
            best = (pos, cost - old)
            limit = cost - old
    return best


EPS = 1e-6


@settings(max_examples=400, deadline=None)
@given(days(most=8), st.integers(0, 2), st.data())
def test_compiled_insertion_search_finds_the_pure_python_position(day, route, data):
    seq, travel, duration, routes, fixed, rules = day
    if not seq:
        return
    node = data.draw(st.sampled_from(seq))
    rest = [n for n in seq if n != node]
    rules = replace(rules, max_duration=data.draw(st.sampled_from([None, 400.0, 250.5])))
    costs = {"penalty": data.draw(st.sampled_from([0.0, 12.5])), "off_course": data.draw(st.sampled_from([0.0, 30.0])),
             "band": data.draw(st.sampled_from([None, 300.0])), "over_band": 0.25,
             "span": data.draw(st.sampled_from([480.0, 300.0, 250.5])),
             "off_time": data.draw(st.sampled_from([0.0, 0.25])),
             "times": [None, None] + [data.draw(st.sampled_from([None, (540.0, 660.0), (600.5, 720.5), (800.0, 920.0)]))
                                      for _ in seq]}
    current = time_day(rest, travel, duration, routes[route], fixed, rules) if rest else None
    old = current.cost if current else 0.0
    slack = data.draw(st.sampled_from([0.0, 10.0]))
    bound = data.draw(st.sampled_from([math.inf, 60.0]))
    arrays = compiled.day_arrays(travel, duration, routes, rules, costs["span"], costs["band"], costs["over_band"],
                                 costs["times"], costs["off_time"])
    got = compiled.best_position(arrays, route, rest, node, fixed, costs["penalty"], costs["off_course"], current,
                                 old, slack, bound, EPS)
    assert got == pure_best_position(rest, node, travel, duration, routes[route], fixed, rules, costs, current, old,
                                     slack, bound)


# ---------------------------------------------------------------- whole plans, compiled and not


def office_problem():
    """Twelve shops round an office over two weeks: opening hours (split and short), an
    appointment, a closed weekday, a visit cap, lunch."""
    rng = random.Random(5)
    hours = ["Mo-Fr 09:00-12:00,13:00-18:00", "Mo-Fr 14:00-17:00", "Mo-Fr 10:00-11:30", None]
    customers = tuple(
        Customer(id=f"C{i:02d}", name=f"shop {i}", lat=34.35 + rng.uniform(-0.04, 0.04),
                 lon=134.05 + rng.uniform(-0.05, 0.05), rep="R1", hours=hours[i % 4], visit_minutes=20 + 5 * (i % 5),
                 rule=VisitRule.from_target(2 + i % 3),
                 appointments=(Appointment(dt.date(2026, 12, 3), 14 * 60),) if i == 0 else (),
                 closed_weekdays=frozenset({2}) if i == 3 else frozenset())
        for i in range(12))
    rep = Rep("R1", 34.35, 134.05, max_visits=6)
    return routeopt.Problem(customers, (rep,), routeopt.make_horizon(dt.date(2026, 12, 1), 2))


def itinerary_of(regularity, days):
    options = routeopt.PlanOptions(seed=2, workers=1, time_limit=60, max_iterations=15, regularity=regularity,
                                   days=days)
    return routeopt.plan(office_problem(), options).itinerary()


@pytest.mark.parametrize(("regularity", "days"), [("off", "compact"), ("soft", "even")])
def test_a_plan_is_the_same_compiled_and_in_pure_python(regularity, days, monkeypatch):
    compiled_plan = itinerary_of(regularity, days)
    monkeypatch.setattr(compiled, "_loaded", [None])
    assert itinerary_of(regularity, days).equals(compiled_plan)


@pytest.mark.parametrize("name", ["cordeau_pvrp_t2.txt", "cordeau_pvrptw_t4.txt"])
def test_a_literature_solution_is_the_same_compiled_and_in_pure_python(name, monkeypatch):
    # distances with decimals, vehicle capacity (priced while the search passes through overloads)
    lit = read_instance(LITERATURE / name)
    compiled_solution = solve(lit, time_limit=60, seed=3, max_iterations=10, engine="local")
    monkeypatch.setattr(compiled, "_loaded", [None])
    pure = solve(lit, time_limit=60, seed=3, max_iterations=10, engine="local")
    assert (pure.routes, pure.cost, pure.unserved) == (compiled_solution.routes, compiled_solution.cost,
                                                       compiled_solution.unserved)


def test_the_switch_turns_compiled_code_off(monkeypatch):
    monkeypatch.setattr(compiled, "_loaded", [])
    monkeypatch.setenv(compiled.PURE_PYTHON, "1")
    assert compiled.kernel() is None


def test_without_numba_the_planner_plans_in_pure_python(monkeypatch):
    monkeypatch.setattr(compiled, "_loaded", [])
    monkeypatch.delenv(compiled.PURE_PYTHON, raising=False)
    monkeypatch.delitem(sys.modules, "routeopt.route.kernel")
    monkeypatch.delattr(routeopt.route, "kernel")
    monkeypatch.setitem(sys.modules, "numba", None)  # import numba raises ImportError
    assert compiled.kernel() is None
    inst = build_instance(*office_problem().reps, office_problem().customers, office_problem().horizon, GreatCircle())
    assert inst.arrays() is None


def test_without_a_writable_cache_folder_the_kernel_is_compiled_all_the_same(monkeypatch):
    from numba.core.dispatcher import Dispatcher

    def no_locator(self):
        raise RuntimeError("cannot cache function: no locator available for file")

    monkeypatch.setattr(Dispatcher, "enable_caching", no_locator)
    monkeypatch.delitem(sys.modules, "routeopt.route.kernel")
    monkeypatch.delattr(routeopt.route, "kernel")
    monkeypatch.setattr(compiled, "_loaded", [])
    monkeypatch.delenv(compiled.PURE_PYTHON, raising=False)
    kernel = compiled.kernel()
    assert kernel is not None and type(kernel.time_day._cache).__name__ == "NullCache"  # not kept on disk
    rules = DayRules(shift=(540, 1080), lunch_window=(690, 810), lunch_minutes=45)
    travel = [[0, 10, 12], [10, 0, 12], [12, 12, 0]]
    arrays = compiled.day_arrays(travel, [0, 0, 30], [[((540, 1080),)] * 3], rules, span=480.0)
    assert compiled.time_day(arrays, 0, [2], {}) == time_day([2], travel, [0, 0, 30], [((540, 1080),)] * 3, {}, rules)


def test_a_position_search_that_disagrees_with_the_timing_does_not_change_the_plan(monkeypatch):
    # should the compiled position search ever price a position unlike the day's timing, the
    # positions are searched as without it: the same plan, no error
    from routeopt.schedule import construct

    expected = itinerary_of("off", "compact")
    found = construct.best_position

    def mispriced(*args):
        pos, delta = found(*args)
        return pos, delta + 1.0

    monkeypatch.setattr(construct, "best_position", mispriced)
    assert itinerary_of("off", "compact").equals(expected)


@pytest.mark.parametrize(("travel", "kind"), [
    ([[0, 7], [7, 0]], "int64"),
    ([[0.0, 7.0], [7.0, 0.0]], "int64"),  # whole numbers written as floats
    ([[0, 7.5], [7.5, 0]], "float64"),  # the literature's distances
    ([[0, math.inf], [math.inf, 0]], "float64"),  # unreachable
])
def test_arrays_are_whole_numbers_only_when_every_time_is_one(travel, kind):
    rules = DayRules(shift=(540, 1080), lunch_window=None, lunch_minutes=0)
    arrays = compiled.day_arrays(travel, [0, 30], [[((540, 1080),)] * 2], rules, span=480.0)
    assert arrays.travel.dtype == kind and arrays.wins.dtype == kind
    assert arrays.travel.tolist() == travel


def test_a_window_of_fractional_minutes_makes_the_arrays_floating_point():
    arrays = compiled.day_arrays([[0, 7], [7, 0]], [0, 30], [[((540, 1080),), ((540.5, 1080),)]],
                                 DayRules(shift=(540, 1080), lunch_window=None, lunch_minutes=0), span=480.0)
    assert arrays.travel.dtype == "float64" and arrays.wins[0, 1, 0, 0] == 540.5


@settings(max_examples=300, deadline=None)
@given(st.integers(0, 12), st.booleans(), st.integers(-30, 10), st.randoms(use_true_random=False))
def test_compiled_reorderings_are_the_pure_python_moves_in_their_order(n, decimal, room, rng):
    from routeopt.schedule.moves import reorderings

    size = n + 2
    travel = [[0 if a == b else (round(rng.uniform(1, 40), 2) if decimal else rng.randint(1, 40))
               for b in range(size)] for a in range(size)]  # asymmetric
    seq = rng.sample(range(2, size), n)
    arrays = compiled.day_arrays(travel, [0] * size, [[((540, 1080),)] * size],
                                 DayRules(shift=(540, 1080), lunch_window=None, lunch_minutes=0), span=480.0)
    pure = list(reorderings(seq, travel, room + 0.5 * decimal))
    assert list(reorderings(seq, travel, room + 0.5 * decimal, arrays)) == pure
    every = list(reorderings(seq, travel, math.inf, arrays))
    assert every == list(reorderings(seq, travel, math.inf)) and len(every) >= len(pure)


@settings(max_examples=300, deadline=None)
@given(st.integers(0, 14), st.booleans(), st.integers(-20, 10), st.sampled_from([None, 0.0, 3.0]),
       st.randoms(use_true_random=False))
def test_compiled_tail_exchanges_are_the_pure_python_cuts_in_their_order(n, decimal, slack, price, rng):
    from routeopt.schedule.moves import tail_exchanges

    size = n + 2
    travel = [[0 if a == b else (round(rng.uniform(1, 40), 2) if decimal else rng.randint(1, 40))
               for b in range(size)] for a in range(size)]  # asymmetric
    nodes = rng.sample(range(2, size), n)
    cut = rng.randint(0, n)
    seq1, seq2 = nodes[:cut], nodes[cut:]
    demand = [0, 0] + [rng.randint(1, 5) for _ in range(n)]
    capacity = rng.randint(3, 20)
    arrays = compiled.day_arrays(travel, [0] * size, [[((540, 1080),)] * size],
                                 DayRules(shift=(540, 1080), lunch_window=None, lunch_minutes=0), span=480.0,
                                 demand=demand)
    drive = sum(travel[a][b] for seq in (seq1, seq2) for a, b in zip([START, *seq], [*seq, END], strict=True))
    room = drive + slack + 0.5 * decimal
    load = (demand, capacity, price) if price is not None else ()
    pure = list(tail_exchanges(seq1, seq2, travel, room, *load))
    assert list(tail_exchanges(seq1, seq2, travel, room, *load, arrays=arrays)) == pure
    every = list(tail_exchanges(seq1, seq2, travel, math.inf, arrays=arrays))
    assert every == list(tail_exchanges(seq1, seq2, travel, math.inf))
    assert len(every) == (len(seq1) + 1) * (len(seq2) + 1) - (2 if n else 1)  # all but the cuts changing nothing
