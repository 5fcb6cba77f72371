"""The literature benchmark harness (benchmarks/bench_literature.py) and its peers.

The quick mode runs every engine (routeopt bench, plain OR-Tools, PyVRP, VROOM) on the three cut
instances of ``benchmarks/data/literature`` for one second each, in child processes, exactly as a
full run does. Every solution is checked here with a small rule check of our own, and with
``../shared/tools/check_solution.py`` when that is present.
"""

import dataclasses
import json
import shutil
import sys
from pathlib import Path

import pytest

from routeopt.input.literature import parse_cordeau, pattern_days, read_instance, route_cost

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"
FIXTURES = Path(__file__).resolve().parent / "data" / "literature"
sys.path.insert(0, str(BENCHMARKS))

import bench_literature as bl  # noqa: E402
import literature_peers as peers  # noqa: E402
from literature_rules import broken_rules  # noqa: E402

QUICK = {read_instance(path).name: read_instance(path) for path in bl.quick_files()}


@pytest.fixture(scope="module")
def quick(tmp_path_factory):
    out = tmp_path_factory.mktemp("literature")
    return out, bl.run_quick(out)


def test_quick_mode_runs_every_engine_on_every_cut_instance(quick):
    _, runs = quick
    assert [(r.instance, r.engine) for r in runs] == [(n, e) for n in QUICK for e in bl.ENGINES]
    for r in runs:
        lit = QUICK[r.instance]
        if r.engine in peers.VRPTW_ONLY and lit.days > 1:
            assert r.status == "n/a" and r.cost is None
        else:  # routeopt too: its bench command is installed with the project (a missing one is reported, not faked)
            assert r.status in ("ok", "unchecked"), (r.instance, r.engine, r.status, r.errors)
            assert r.cost is not None and r.cost > 0
            assert r.time_s is not None and r.time_s < 10


def test_each_solution_keeps_every_rule_and_its_cost_is_the_route_cost(quick):
    out, runs = quick
    checked = 0
    for r in runs:
        if r.solution is None:
            continue
        lit = QUICK[r.instance]
        record = json.loads(r.solution.read_text())
        assert record["instance"] == lit.name
        assert broken_rules(lit, record) == [], (r.engine, r.instance)
        own = sum(route_cost(lit, route["customers"]) for route in record["routes"])
        assert record["cost"] == pytest.approx(own, rel=1e-9)
        assert r.cost == pytest.approx(own, rel=1e-9)
        checked += 1
    assert checked == 2 * 4 + 2  # every engine on the two Solomon cuts; routeopt and ortools on pr01's
    assert (out / "results.csv").read_text().count("\n") == len(runs) + 1


@pytest.mark.skipif(not bl.CHECKER.exists(), reason="../shared/tools/check_solution.py absent")
def test_each_solution_passes_the_independent_checker(quick):
    _, runs = quick
    solved = [r for r in runs if r.solution is not None]
    assert solved
    for r in solved:
        assert r.feasible is True, (r.engine, r.instance, r.errors)


def test_ortools_periodic_model_keeps_patterns_and_fixes_multi_visit_customers():
    lit = read_instance(FIXTURES / "cordeau_pvrptw_t4.txt")
    fixed = peers.fix_patterns(lit)
    assert set(fixed) == {c.index for c in lit.customers if c.frequency > 1}
    assert all(fixed[c.index] in c.patterns for c in lit.customers if c.index in fixed)
    result = peers.solve_ortools(lit, 1.0)
    record = result.record()
    assert result.dropped == [] and broken_rules(lit, record) == []
    for c in lit.customers:  # each multi-visit customer is served on exactly its fixed pattern
        days = sorted(r["day"] for r in record["routes"] if c.index in r["customers"])
        if c.index in fixed:
            assert days == list(pattern_days(fixed[c.index], lit.days))


def test_a_visit_the_model_cannot_place_is_reported_dropped_not_hidden():
    # Customer 3 fills day 1's only vehicle; customer 1 must be visited on days 1 and 2.
    lit = read_instance(FIXTURES / "cordeau_pvrp_t2.txt")
    result = peers.solve_ortools(lit, 1.0)
    assert result.dropped == [1]
    assert "dropped 1" in result.status
    assert broken_rules(lit, result.record()) != []


@pytest.mark.parametrize("engine", sorted(peers.VRPTW_ONLY))
def test_vrptw_only_peers_refuse_periodic_instances(engine):
    lit = read_instance(FIXTURES / "cordeau_pvrptw_t4.txt")
    with pytest.raises(ValueError, match="single-day"):
        peers.solve(engine, lit, 1.0)


def test_integer_data_never_shortens_a_trip_or_widens_a_window():
    lit = read_instance(bl.QUICK_DIR / "pr01_every3_16")
    data = peers.int_data(lit)
    dist = lit.distance_matrix()
    for a in range(len(lit.nodes)):
        for b in range(len(lit.nodes)):
            assert data.travel[a][b] >= dist[a][b] * peers.SCALE - 1e-6
            assert abs(data.dist[a][b] - dist[a][b] * peers.SCALE) <= 0.5 + 1e-6
    for k, node in enumerate(lit.nodes):
        assert data.ready[k] >= node.ready * peers.SCALE
        assert data.due[k] is not None and data.due[k] <= node.due * peers.SCALE
        assert data.service[k] >= node.service * peers.SCALE


@pytest.mark.parametrize("name", ["solomon_5.txt", "cordeau_pvrptw_t4.txt", "cordeau_pvrp_t2.txt"])
def test_written_instances_read_back_identical(tmp_path, name):
    lit = read_instance(FIXTURES / name)
    path = tmp_path / Path(name).stem
    path.write_text(bl.instance_text(lit))
    again = read_instance(path)
    assert dataclasses.replace(again, name=lit.name) == lit


def test_cut_keeps_every_kth_customer_renumbered():
    lit = read_instance(FIXTURES / "cordeau_pvrptw_t4.txt")
    small = bl.cut(lit, 2, "small", every=2)
    assert [c.index for c in small.customers] == [1, 2]
    assert [(c.x, c.y, c.patterns) for c in small.customers] == [
        (c.x, c.y, c.patterns) for c in (lit.customers[0], lit.customers[2])
    ]
    again = parse_cordeau(bl.cordeau_text(small), "small")
    assert again == small


@pytest.mark.skipif(not bl.DATA.exists(), reason="../shared/benchmarks absent")
@pytest.mark.parametrize(("quick_file", "source", "every"), [
    ("C101_25.txt", "solomon/C101.txt", 1),
    ("R101_25.txt", "solomon/R101.txt", 1),
    ("pr01_every3_16", "pvrptw/pr01", 3),
])
def test_quick_instances_are_cuts_of_the_shared_files(quick_file, source, every):
    mine = read_instance(bl.QUICK_DIR / quick_file)
    original = read_instance(bl.DATA / source)
    assert mine == bl.cut(original, len(mine.customers), mine.name, every)


def _run(instance, engine, cost, ref, feasible=True, status="ok", time_s=1.0):
    return bl.Run(instance, engine, "vrptw", 100, status, cost=cost, ref=ref, time_s=time_s, feasible=feasible)


def test_tables_show_gaps_infeasible_solutions_and_means():
    runs = [
        _run("C101", "routeopt", 830.0, 828.94), _run("C101", "ortools", 840.0, 828.94),
        _run("C101", "pyvrp", 828.94, 828.94),
        _run("R101", "routeopt", 1700.0, 1637.7), _run("R101", "ortools", None, 1637.7, False, "no solution"),
        _run("R101", "pyvrp", 1650.0, 1637.7, False, "infeasible"),
    ]
    text = bl.tables(runs, ["routeopt", "ortools", "pyvrp"], "test reference")
    assert "| C101 | 828.94 | 830.00 (+0.13 %), 1.0 s | 840.00 (+1.33 %), 1.0 s | 828.94 (+0.00 %), 1.0 s |" in text
    assert "**infeasible** 1650.00 (+0.75 %)" in text and "| no solution |" in text
    assert "Reference: test reference." in text
    # routeopt: mean of +0.128 and +3.804; on common (C101 only): +0.13; cheaper than ortools on both.
    assert "| routeopt | 2 | 2 | 1.97 | 0.13 (1) | 1.0 | 2 of 2 |" in text
    assert "| ortools | 2 | 1 | 1.33 | 1.33 (1) | 1.0 |  |" in text
    assert "| pyvrp | 2 | 1 | 0.00 | 0.00 (1) | 1.0 | 1 of 2 |" in text
    assert "the 1 instances on which every engine" in text


def test_tables_set_worker_0_alone_beside_the_cheapest_of_the_workers(tmp_path):
    runs = [_run("p01", "routeopt", 101.0, 100.0), _run("p02", "routeopt", 200.0, 200.0),
            _run("p03", "routeopt", 300.0, 300.0)]
    runs[0].worker_costs, runs[1].worker_costs = (103.0, 101.0), (200.0, 204.0)  # p03 ran with one worker
    text = bl.tables(runs, ["routeopt"])
    # worker 0: +3 % and 0 %; the cheapest: +1 % and 0 %.
    assert ("on the 2 instances run with several: worker 0 alone (the run of one process with this seed) mean gap "
            "1.50 %, 1 above 2 %; the cheapest of the workers' plans 0.50 %, 0 above 2 %.") in text
    (tmp_path / "results.csv").write_bytes(bl.results_csv(runs))
    assert [r.worker_costs for r in bl.read_results(tmp_path / "results.csv")] == [(103.0, 101.0), (200.0, 204.0), ()]
    assert "worker 0 alone" not in bl.tables(runs[2:], ["routeopt"])


def test_not_available_and_not_applicable_engines_are_reported_as_such():
    runs = [bl.Run("pr01", "routeopt", "pvrptw", 48, "not available"),
            bl.Run("pr01", "vroom", "pvrptw", 48, "n/a", detail="VRPTW only"),
            _run("pr01", "ortools", 3000.0, 2209.02)]
    text = bl.tables(runs, ["routeopt", "ortools", "vroom"])
    assert "| pr01 | 2209.02 | not available | 3000.00 (+35.81 %), 1.0 s | n/a (VRPTW only) |" in text
    assert "| routeopt | 1 | not available |" in text


def test_a_record_section_has_command_machine_date_and_versions():
    text = bl.record_section("python benchmarks/bench_literature.py --quick", "| t |", 12.3, "a note")
    assert text.startswith("- Command: `python benchmarks/bench_literature.py --quick`\n")
    for piece in ("- Machine: ", " cores (", "- Date: ", "whole run 12 s", "- Versions: Python ", "ortools ",
                  "pyvrp ", "pyvroom ", "- a note", "| t |"):
        assert piece in text


def test_the_headline_gives_each_engine_its_mean_gap_feasible_count_and_wins_over_ortools():
    runs = [
        _run("C101", "routeopt", 830.0, 828.94), _run("C101", "ortools", 840.0, 828.94),
        _run("R101", "routeopt", 1700.0, 1637.7), _run("R101", "ortools", None, 1637.7, False, "no solution"),
        bl.Run("R101", "vroom", "vrptw", 100, "not available"),
    ]
    assert bl.headline(runs, ["routeopt", "ortools", "vroom"]) == (
        "routeopt mean gap 1.97 % (2/2 feasible, cheaper than ortools on 2 of 2); "
        "ortools mean gap 1.33 % (1/2 feasible)"
    )


def test_resume_keeps_finished_runs_and_runs_nothing_again(quick, tmp_path):
    out, runs = quick
    again = bl.run_all(bl.quick_files(), bl.ENGINES, bl.QUICK_TIME_LIMIT, out, echo=False, resume=True, max_new=0)
    assert [(r.instance, r.engine, r.status, r.cost, r.feasible, r.detail) for r in again] == [
        (r.instance, r.engine, r.status, r.cost, r.feasible, r.detail) for r in runs
    ]
    # A different budget, seed or routeopt worker count is a different benchmark: nothing is reused
    # (max_new=0 runs nothing); the peers' runs do not depend on routeopt's workers.
    assert bl.run_all(bl.quick_files(), bl.ENGINES, 2.0, out, echo=False, resume=True, max_new=0) == []
    assert bl.run_all(bl.quick_files(), bl.ENGINES, bl.QUICK_TIME_LIMIT, out, seed=1, echo=False, resume=True,
                      max_new=0) == []
    assert bl.run_all(bl.quick_files(), ["routeopt"], bl.QUICK_TIME_LIMIT, out, echo=False, resume=True, max_new=0,
                      workers=2) == []
    peers, work = [e for e in bl.ENGINES if e != "routeopt"], tmp_path / "out"
    shutil.copytree(out, work)  # resuming rewrites results.csv with the runs it keeps
    two = bl.run_all(bl.quick_files(), peers, bl.QUICK_TIME_LIMIT, work, echo=False, resume=True, max_new=0, workers=2)
    assert [(r.instance, r.engine, r.cost) for r in two] == [(r.instance, r.engine, r.cost) for r in again
                                                            if r.engine != "routeopt"]


def test_an_engine_that_applies_to_no_instance_is_n_a_not_unavailable():
    runs = [bl.Run("p01", "pyvrp", "pvrp", 51, "n/a", detail="VRPTW only"), _run("p01", "ortools", 530.0, 524.61)]
    assert "| pyvrp | 0 | n/a |" in bl.summary(runs, ["ortools", "pyvrp"])


def test_coverage_check_flags_dropped_wrong_day_and_unknown_customers():
    lit = read_instance(FIXTURES / "cordeau_pvrptw_t4.txt")  # patterns {15}, {5,10}, {1,2,4,8}, {5,10}
    good = [(1, [1, 2]), (2, [1, 3]), (3, [1, 2, 4]), (4, [1]), (1, [4])]
    assert bl.coverage_errors(lit, good) == []
    assert bl.coverage_errors(lit, good[:-1]) == ["customer 4 served on days [3]"]
    assert bl.coverage_errors(lit, [*good[:-1], (2, [4])]) == ["customer 4 served on days [2, 3]"]
    assert bl.coverage_errors(lit, [*good, (1, [9])]) == ["day 1: no customer 9"]


def test_resume_runs_only_what_is_missing_and_keeps_every_row(quick, tmp_path):
    out, runs = quick
    work = tmp_path / "out"
    shutil.copytree(out, work)
    lines = (work / "results.csv").read_text().splitlines()
    missing = runs[1]  # the first instance's second engine; every later row comes from the file
    assert lines[2].startswith(f"{missing.instance},{missing.engine},")
    (work / "results.csv").write_text("\n".join(lines[:2] + lines[3:]) + "\n")
    again = bl.run_all(bl.quick_files(), bl.ENGINES, bl.QUICK_TIME_LIMIT, work, echo=False, resume=True)
    assert [(r.instance, r.engine) for r in again] == [(r.instance, r.engine) for r in runs]
    checked = "ok" if bl.CHECKER.exists() else "unchecked"  # without ../shared no checker runs
    assert again[1].status == checked and again[1].wall_s is not None
    assert [r.cost for i, r in enumerate(again) if i != 1] == [r.cost for i, r in enumerate(runs) if i != 1]
    assert len((work / "results.csv").read_text().splitlines()) == len(runs) + 1
