"""routeopt's solver on the research literature's instances (routeopt.bench, ``routeopt bench``).

Solutions are checked here by our own rules (served on an allowed pattern, capacity, duration,
service starting inside its window, fleet per day) and, when ``../shared`` is present, by the
independent ``check_solution.py`` on real instances.
"""

from __future__ import annotations

import csv
import dataclasses
import json
import math
import random
import subprocess
import sys
from pathlib import Path

import pytest
from literature_rules import broken_rules
from typer.testing import CliRunner

from routeopt.bench import WORKER_SEED_STRIDE, _better, best_known, lit_instance, solve
from routeopt.input.literature import LitInstance, LitNode, read_instance, route_cost
from routeopt.schedule.pyvrp_engine import free_days, route_across_days, route_day
from routeopt.schedule.repattern import MOVE_ITERATIONS, pattern_moves, repattern
from routeopt.schedule.solution import Miss, Reason, RepSolution
from routeopt_cli.main import app

DATA = Path(__file__).parent / "data" / "literature"
FIXTURES = [DATA / "solomon_5.txt", DATA / "cordeau_pvrptw_t4.txt"]
PVRP_T2 = DATA / "cordeau_pvrp_t2.txt"  # one vehicle a day: customer 3 (demand = capacity) cannot fit
SHARED = Path(__file__).resolve().parents[2] / "shared"
BENCH = SHARED / "benchmarks"
CHECKER = SHARED / "tools" / "check_solution.py"
needs_checker = pytest.mark.skipif(
    not (BENCH.is_dir() and CHECKER.is_file()), reason=f"{BENCH} or {CHECKER} not present"
)


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.stem)
def test_fixture_instances_are_solved_within_every_rule(path):
    lit = read_instance(path)
    result = solve(lit, time_limit=10, seed=1, max_iterations=5, engine="local")
    record = result.record()
    assert result.feasible
    assert broken_rules(lit, record) == []
    claimed = sum(route_cost(lit, r["customers"]) for r in record["routes"])
    assert record["cost"] == pytest.approx(claimed)


def test_the_same_seed_and_iteration_cap_give_the_same_solution():
    lit = read_instance(DATA / "cordeau_pvrptw_t4.txt")
    first = solve(lit, time_limit=30, seed=7, max_iterations=10).record()
    second = solve(lit, time_limit=30, seed=7, max_iterations=10).record()
    assert first["routes"] == second["routes"]


def test_a_customer_that_fills_a_vehicle_gets_a_route_of_its_own():
    lit = dataclasses.replace(read_instance(PVRP_T2), vehicles_per_day=2)
    result = solve(lit, time_limit=5, max_iterations=2)
    assert result.feasible and broken_rules(lit, result.record()) == []
    assert [r["customers"] for r in result.record()["routes"] if 3 in r["customers"]] == [[3]]


def test_a_customer_no_pattern_can_take_is_reported_unserved():
    lit = read_instance(PVRP_T2)  # day 1: customer 1 (7) + customer 3 (50) > capacity 50
    result = solve(lit, time_limit=5, max_iterations=2)
    assert result.unserved == (3,) and not result.feasible
    assert broken_rules(dataclasses.replace(lit, customers=lit.customers[:2]), result.record()) == []


def test_best_known_values_are_looked_up_by_kind_and_name():
    assert best_known("vrptw", "C101") == (828.94, "distance-only best known")
    # Gehring & Homberger, 200 and 1000 customers: the distance-only routes where they stay
    # feasible with unrounded distances, else the hierarchical (fewest vehicles first) ones
    assert best_known("vrptw", "C1_2_10") == (2630.77, "distance-only best known (DIMACS routes, unrounded)")
    assert best_known("vrptw", "r1_2_1") == (4784.11, "hierarchical best known (fewest vehicles first)")
    assert best_known("vrptw", "rc2_10_9") is not None
    assert best_known("pvrp", "p01") is not None and best_known("pvrp", "p01")[0] == pytest.approx(524.61)
    relaxation = best_known("pvrptw", "pr01")
    assert relaxation is not None and "relaxation" in relaxation[1]
    assert best_known("vrptw", "NOPE") is None


def test_bench_command_writes_solutions_and_results(tmp_path):
    out = tmp_path / "out"
    args = ["bench", *map(str, FIXTURES), "--time-limit", "5", "--max-iterations", "3", "--out", str(out), "-q"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    names = {read_instance(p).name for p in FIXTURES}
    assert {p.name for p in out.iterdir()} == {f"{n}.solution.json" for n in names} | {"results.csv"}
    with open(out / "results.csv", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["instance"] for r in rows] == [read_instance(p).name for p in FIXTURES]
    for row in rows:
        record = json.loads((out / f"{row['instance']}.solution.json").read_text())
        assert float(row["cost"]) == pytest.approx(record["cost"], abs=0.01)
        assert row["feasible"] == "True"


def test_bench_command_rejects_a_bad_file_before_solving_anything(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_text("1 2 3\nnot an instance\n")
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["bench", str(FIXTURES[0]), str(bad), "--time-limit", "1", "--out", str(out)])
    assert result.exit_code == 2
    assert "bad.txt" in result.output and "Traceback" not in result.output
    assert not out.exists()


@pytest.mark.parametrize(("extra", "says"), [
    (["--time-limit", "0"], "--time-limit 0.0 must be > 0 seconds."),
    (["--max-iterations", "-1"], "--max-iterations -1 must be >= 0."),
    (["--workers", "0"], "--workers 0 must be >= 1."),
    (["--out-is-a-file"], "is a file, not a folder"),
])
def test_bench_command_refuses_bad_options_in_one_line(tmp_path, extra, says):
    out = tmp_path / "out"
    if extra == ["--out-is-a-file"]:
        out.write_text("mine", encoding="utf-8")
        extra = []
    args = ["bench", str(FIXTURES[0]), "--time-limit", "1", "--out", str(out), *extra]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2, result.output
    assert len(result.output.strip().splitlines()) == 1 and says in result.output


@needs_checker
@pytest.mark.parametrize("name", ["solomon/R101.txt", "solomon/C201.txt", "pvrp/p01", "pvrptw/pr01"])
def test_real_instances_pass_the_independent_checker(tmp_path, name):
    lit = read_instance(BENCH / name)
    record = solve(lit, time_limit=20, max_iterations=2).record()
    path = tmp_path / "sol.json"
    path.write_text(json.dumps(record))
    run = subprocess.run([sys.executable, str(CHECKER), str(BENCH / name), str(path)], capture_output=True, text=True)
    verdict = json.loads(run.stdout)
    assert run.returncode == 0, verdict["errors"][:3]
    assert verdict["feasible"] and verdict["cost"] == pytest.approx(record["cost"], abs=1e-3)


def crossing_instance() -> LitInstance:
    """Two pairs of customers far apart (east and west of the depot), two vehicles of capacity 2."""
    depot = LitNode(0, 0, 0, 0, 0, 0, 1000, 0, ())
    spots = [(1, 50, 1), (2, -50, 1), (3, 50, -1), (4, -50, -1)]
    customers = tuple(LitNode(i, x, y, 5, 1, 0, 900, 1, (1,)) for i, x, y in spots)
    return LitInstance("CROSS", "vrptw", 2, 2, None, 1, depot, customers, (0, 1000))


def test_pyvrp_reroutes_a_poor_day_and_keeps_every_rule():
    lit = crossing_instance()
    inst = lit_instance(lit)
    sol = RepSolution()
    for route, seq in enumerate([[2, 3], [4, 5]]):  # east+west in one route, east+west in the other
        sol.seqs[route] = seq
        timing = inst.time(route, seq, {})
        assert timing is not None
        sol.timings[route] = timing
    before = sol.cost
    assert route_day(inst, sol, [0, 1], time_limit=1, seed=0)
    assert sol.cost < before - 100
    assert sorted(sorted(seq) for seq in sol.seqs.values()) == [[2, 4], [3, 5]]


def days_instance(spots: list[tuple[int, float, int, tuple[int, ...]]], days: int) -> LitInstance:
    """A PVRP of ``days`` days, one vehicle a day, no capacity to speak of: customers (number, x,
    visits, allowed day masks) on a line through the depot."""
    depot = LitNode(0, 0, 0, 0, 0, 0, math.inf, 0, ())
    customers = tuple(LitNode(i, x, 0, 0, 1, 0, math.inf, n, masks) for i, x, n, masks in spots)
    return LitInstance("LINE", "pvrp", 1, 100, None, days, depot, customers, (0, math.inf))


def planned(inst, routes: dict[int, list[int]]) -> RepSolution:
    """``routes`` (route → customer numbers) as a timed plan of ``inst``."""
    sol = RepSolution()
    for route, numbers in routes.items():
        sol.seqs[route] = [n + 1 for n in numbers]  # customer k is node k + 1
        timing = inst.time(route, sol.seqs[route], {})
        assert timing is not None
        sol.timings[route] = timing
    return sol


def calendar_days(inst, sol: RepSolution) -> dict[int, list[int]]:
    """Customer number → the calendar days (offsets) of its visits."""
    out: dict[int, list[int]] = {}
    for route, seq in sorted(sol.seqs.items()):
        for node in seq:
            out.setdefault(node - 1, []).append(inst.offsets[route])
    return out


def test_routing_the_whole_plan_moves_a_one_visit_customer_to_a_cheaper_day_it_allows():
    # east: 1 and 2 (any day); west: 3 (any day) and 4 (day 1 only). Each day mixes east and west.
    lit = days_instance([(1, 50, 1, (1, 2)), (2, 52, 1, (1, 2)), (3, -50, 1, (1, 2)), (4, -52, 1, (1,))], days=2)
    inst = lit_instance(lit)
    sol = planned(inst, {0: [1, 4], 1: [2, 3]})
    before = sol.cost
    assert route_day(inst, sol, [0], time_limit=1) is False  # one vehicle a day: nothing to re-route
    assert route_across_days(inst, sol, time_limit=2, seed=0)
    assert sol.cost < before - 100
    assert calendar_days(inst, sol) == {3: [0], 4: [0], 1: [1], 2: [1]}


def test_routing_the_whole_plan_keeps_a_pattern_that_no_single_visit_can_leave():
    # customer 4 (far east, two visits: days 1+3 or 2+4) is on days 1 and 3; changing its pattern
    # would move both visits, so it keeps them, and the one-visit customers 1 and 2 (on its way,
    # east) join it there: they cost nothing more.
    spots = [(1, 50, 1, (1, 2, 4, 8)), (2, 52, 1, (1, 2, 4, 8)), (3, -50, 1, (1, 2, 4, 8)), (4, 55, 2, (5, 10))]
    lit = days_instance(spots, days=4)
    inst = lit_instance(lit)
    sol = planned(inst, {0: [4, 3], 1: [1], 2: [4, 2]})
    before = sol.cost
    assert route_across_days(inst, sol, time_limit=2, seed=0)
    days = calendar_days(inst, sol)
    assert days[4] == [0, 2]
    assert {days[1][0], days[2][0]} <= {0, 2}
    assert sol.cost < before - 99
    assert all(frozenset(d) in inst.patterns[n - 1] for n, d in days.items())


def test_routing_the_whole_plan_moves_one_visit_of_a_customer_with_several_to_another_allowed_pattern():
    # customer 4 (far east, two visits: days 1+2 or 1+3) is on days 1 and 3, where the west
    # customer 3 must be; its day-3 visit moves to day 2, to the east customer 2.
    spots = [(1, 50, 1, (1,)), (2, 52, 1, (2,)), (3, -50, 1, (4,)), (4, 55, 2, (3, 5))]
    lit = days_instance(spots, days=3)
    inst = lit_instance(lit)
    sol = planned(inst, {0: [4, 1], 1: [2], 2: [4, 3]})
    before = sol.cost
    assert route_across_days(inst, sol, time_limit=2, seed=0)
    assert calendar_days(inst, sol) == {1: [0], 2: [1], 3: [2], 4: [0, 1]}
    assert sol.cost < before - 99
    kept = planned(inst, {0: [4, 1], 1: [2], 2: [4, 3]})
    route_across_days(inst, kept, time_limit=2, seed=0, several=False)
    assert calendar_days(inst, kept)[4] == [0, 2]


def test_a_pattern_move_judged_by_routing_moves_every_visit_of_a_customer_to_a_cheaper_pattern():
    # customer 4 (far east, two visits: days 1+3 or 2+4) is on days 1 and 3, away from the east
    # customers 1 (day 2 only) and 2 (day 4 only); no single visit of it can leave (see above),
    # the whole pattern can: to days 2 and 4, where it costs nothing more.
    spots = [(1, 50, 1, (2,)), (2, 52, 1, (8,)), (3, -50, 1, (1,)), (4, 55, 2, (5, 10))]
    inst = lit_instance(days_instance(spots, days=4))
    sol = planned(inst, {0: [4, 3], 1: [1], 2: [4], 3: [2]})
    before = sol.cost
    assert pattern_moves(inst, sol) == [(3, frozenset({1, 3}))]  # customer 4 is index 3
    assert route_across_days(inst, sol, time_limit=2, seed=0) is False
    assert repattern(inst, sol, route_across_days, time_limit=10, seed=0, max_iterations=MOVE_ITERATIONS) == 1
    days = calendar_days(inst, sol)
    assert days == {3: [0], 1: [1], 4: [1, 3], 2: [3]}
    assert sol.cost < before - 200
    assert pattern_moves(inst, sol) == [(3, frozenset({0, 2}))]
    # and back is dearer: kept as it is
    assert repattern(inst, sol, route_across_days, time_limit=10, seed=0, max_iterations=MOVE_ITERATIONS) == 0
    assert calendar_days(inst, sol) == days


def test_pattern_moves_stop_at_their_share_of_an_iteration_cap():
    spots = [(1, 50, 1, (2,)), (2, 52, 1, (8,)), (3, -50, 1, (1,)), (4, 55, 2, (5, 10))]
    inst = lit_instance(days_instance(spots, days=4))
    sol = planned(inst, {0: [4, 3], 1: [1], 2: [4], 3: [2]})
    assert repattern(inst, sol, route_across_days, time_limit=10, seed=0, max_iterations=MOVE_ITERATIONS - 1) == 0
    assert calendar_days(inst, sol)[4] == [0, 2]


def test_with_pattern_moves_the_same_seed_and_iteration_cap_give_the_same_solution():
    spots = [(1, 50, 1, (2,)), (2, 52, 1, (8,)), (3, -50, 1, (1,)), (4, 55, 2, (5, 10)), (5, -40, 2, (5, 10)),
             (6, 30, 1, (1, 2, 4, 8)), (7, -20, 1, (1, 2, 4, 8))]
    lit = days_instance(spots, days=4)
    first = solve(lit, time_limit=60, seed=7, max_iterations=80)
    second = solve(lit, time_limit=60, seed=7, max_iterations=80)
    assert first.feasible
    assert first.record()["routes"] == second.record()["routes"]


def test_only_one_visit_of_a_customer_may_change_its_day_and_only_to_an_allowed_pattern():
    # customer 1: days 1+2, 1+3 or 2+3, on days 1 and 2; customer 2: days 1+3 or 2+4, on 1 and 3.
    spots = [(1, 50, 2, (3, 5, 6)), (2, -50, 2, (5, 10))]
    inst = lit_instance(days_instance(spots, days=4))
    sol = planned(inst, {0: [1, 2], 1: [1], 2: [2]})
    for seed in range(5):
        free = free_days(inst, sol, random.Random(seed))
        assert free in ({(2, 0): {2}}, {(2, 1): {2}})  # node 2 = customer 1; customer 2 stays
    assert free_days(inst, sol, random.Random(0), several=False) == {}  # with time windows


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.stem)
def test_every_engine_solves_the_fixtures_within_every_rule(path):
    lit = read_instance(path)
    for engine in ("local", "pyvrp"):
        result = solve(lit, time_limit=2, seed=3, max_iterations=3, engine=engine)
        assert result.feasible and broken_rules(lit, result.record()) == [], engine


def test_an_unknown_engine_is_refused():
    with pytest.raises(ValueError, match="engine"):
        solve(crossing_instance(), time_limit=1, engine="magic")


def test_side_by_side_runs_keep_the_cheapest_of_the_runs_each_seed_gives_alone():
    spots = [(1, 50, 1, (2,)), (2, 52, 1, (8,)), (3, -50, 1, (1,)), (4, 55, 2, (5, 10)), (5, -40, 2, (5, 10)),
             (6, 30, 1, (1, 2, 4, 8)), (7, -20, 1, (1, 2, 4, 8))]
    for lit in (read_instance(DATA / "cordeau_pvrptw_t4.txt"), days_instance(spots, days=4)):
        both = solve(lit, time_limit=60, seed=7, max_iterations=20, workers=2)
        alone = [solve(lit, time_limit=60, seed=s, max_iterations=20) for s in (7, 7 + WORKER_SEED_STRIDE)]
        assert both.feasible
        assert broken_rules(lit, both.record()) == []
        assert both.cost == pytest.approx(min(r.cost for r in alone))
        assert both.record()["routes"] in [r.record()["routes"] for r in alone]


def test_a_one_day_instance_is_routed_in_one_process_whatever_the_workers():
    lit = read_instance(FIXTURES[0])
    alone = solve(lit, time_limit=30, seed=3, max_iterations=5, workers=1)
    assert solve(lit, time_limit=30, seed=3, max_iterations=5, workers=2).record()["routes"] == alone.record()["routes"]


def test_the_round_goes_on_from_the_plan_with_fewest_misses_then_the_cheapest():
    lit = days_instance([(1, 50, 1, (1, 2)), (2, 52, 1, (1, 2)), (3, -50, 1, (1, 2))], days=2)
    inst = lit_instance(lit)
    near = planned(inst, {0: [1, 2], 1: [3]})  # east one day, west the other
    far = planned(inst, {0: [1, 3], 1: [2]})  # both ways on one day
    short = planned(inst, {0: [1, 2]})  # cheapest, but customer 3 is missed
    short.missed.append(Miss(2, 1, Reason("capacity", "no room")))
    assert short.cost < near.cost < far.cost
    assert min([far, short, near], key=_better) is near
    assert min([short, far], key=_better) is far


def test_workers_below_one_are_refused():
    with pytest.raises(ValueError, match="workers 0 must be >= 1"):
        solve(read_instance(FIXTURES[0]), time_limit=1, workers=0)
