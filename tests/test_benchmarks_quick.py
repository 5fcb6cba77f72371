"""The planner benchmark's quick mode: routeopt and both OR-Tools baselines make valid plans.

Runs ``benchmarks/bench_planner.py --quick`` in-process (30 customers, 1 rep, 1 week, 3 s per
planner). The independent checker ``../shared/tools/check_plan.py`` is used when present.
"""

import csv
import dataclasses
import datetime as dt
import itertools
import random
import re
import sys
from collections import Counter
from pathlib import Path

import pytest

import routeopt
from routeopt.evaluate.validate import validate_plan
from routeopt.model import Appointment, Customer, VisitRule

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))

import bench_planner  # noqa: E402
import ortools_baseline  # noqa: E402
import scenarios  # noqa: E402
import search_rep  # noqa: E402


@pytest.fixture(scope="module")
def quick_results(tmp_path_factory):
    return bench_planner.run_quick(tmp_path_factory.mktemp("bench"))


def test_quick_mode_runs_every_planner(quick_results):
    assert [r.planner for r in quick_results] == list(bench_planner.PLANNERS)
    for r in quick_results:
        assert r.figures["visits_due"] > 0
        assert r.figures["visits_planned"] > 0


@pytest.mark.parametrize("planner", bench_planner.PLANNERS)
def test_each_plan_passes_routeopt_validate(quick_results, planner):
    r = next(r for r in quick_results if r.planner == planner)
    problem = routeopt.read_problem(r.customers, r.reps, routeopt.make_horizon(scenarios.START, r.weeks, "JP"))
    report = validate_plan(r.folder, problem)
    assert report.ok, report.to_text()


@pytest.mark.skipif(not bench_planner.CHECKER.exists(), reason="../shared/tools/check_plan.py absent")
@pytest.mark.parametrize("planner", bench_planner.PLANNERS)
def test_each_plan_passes_the_independent_checker(quick_results, planner):
    r = next(r for r in quick_results if r.planner == planner)
    assert not r.checker_violations, r.checker_text


@pytest.mark.parametrize("planner, search", [("baseline", "skilled"), ("baseline:default", "default")])
def test_each_baseline_reports_its_solver_status_and_search(quick_results, planner, search):
    r = next(r for r in quick_results if r.planner == planner)
    assert r.statuses and all("ROUTING_" in s and f"({search} search)" in s for s in r.statuses)


def test_ratios_compare_routeopt_with_each_baseline(quick_results):
    rows = [line for line in bench_planner.ratios(quick_results).splitlines() if line.startswith("| quick ")]
    expected = [(f"quick ({a})", b) for a in ("routeopt+off-compact", "routeopt+soft-even")
                for b in ("baseline", "baseline:default")]
    assert [(row.split("|")[1].strip(), row.split("|")[2].strip()) for row in rows] == expected
    for row, (name, planner) in zip(rows, expected, strict=True):
        routeopt_travel = next(r for r in quick_results if f"quick ({r.planner})" == name).figures["travel_min"]
        baseline = next(r for r in quick_results if r.planner == planner).figures
        assert baseline["coverage"] >= bench_planner.COMPARABLE
        assert float(row.split("|")[4]) == pytest.approx(routeopt_travel / baseline["travel_min"], abs=5e-4)


@pytest.mark.parametrize("planner, engine, regularity, days", [
    ("routeopt+off-compact", "auto", "off", "compact"), ("routeopt+soft-even", "auto", "soft", "even"),
    ("routeopt:local+strict-even", "local", "strict", "even"), ("routeopt:ortools", "ortools", "off", "compact")])
def test_routeopt_planners_name_their_shape_whatever_the_defaults(planner, engine, regularity, days):
    options = bench_planner.routeopt_options(planner, 5.0)
    assert (options.engine, options.regularity, options.days) == (engine, regularity, days)
    assert (options.time_limit, options.seed) == (5.0, 0)


def test_an_unknown_shape_is_refused(capsys):
    with pytest.raises(SystemExit) as e:
        bench_planner.main(["--scenarios", "s120", "--shapes", "soft-spread"])
    assert e.value.code == 2
    assert "days 'spread' is not one of" in capsys.readouterr().err


def test_no_travel_ratio_against_a_baseline_that_plans_too_few_visits(quick_results):
    sparse = [dataclasses.replace(r, figures={**r.figures, "coverage": 0.5, "visits_planned": 10})
              if r.planner == "baseline:default" else r for r in quick_results]
    rows = {row.split("|")[2].strip(): row.split("|") for row in bench_planner.ratios(sparse).splitlines()
            if row.startswith("| quick (routeopt+off-compact) ")}
    assert rows["baseline:default"][3].strip() == "50.0%"
    assert rows["baseline:default"][4].strip() == rows["baseline:default"][5].strip() == "—"
    assert rows["baseline"][4].strip() != "—"


def test_baseline_rejects_an_unknown_search(quick_results):
    r = quick_results[0]
    problem = routeopt.read_problem(r.customers, r.reps, routeopt.make_horizon(scenarios.START, r.weeks, "JP"))
    with pytest.raises(ValueError, match="unknown search 'fast'"):
        ortools_baseline.solve_baseline(problem, time_limit=1, search="fast")


START = dt.date(2026, 12, 1)


@pytest.mark.parametrize("target", [3.5, 7, 14, 28])
@pytest.mark.parametrize("days_back", [None, 1, 5, 9, 20, 33])
def test_baseline_rhythm_windows_keep_the_gap_rule_whatever_day_is_chosen(target, days_back):
    """Whatever day is chosen in each slot, every gap keeps min_gap, and each gap longer than
    max_gap is matched by a visit reported unscheduled (the worst cases are the slots' ends)."""
    rule = VisitRule.from_target(target)
    last = START - dt.timedelta(days=days_back) if days_back else None
    appts = ()
    if last is not None and (last + dt.timedelta(days=round(2 * target)) - START).days in range(1, 28):
        appts = (Appointment(last + dt.timedelta(days=round(2 * target)), 600),)
    c = Customer("X", 34.3, 134.0, rule=rule, last_visit=last, appointments=appts)
    for phase in range(rule.first_window_days()):
        slots, reported = ortools_baseline.rhythm_slots(c, 0, START, 28, phase)
        assert len(slots) + len(reported) >= rule.due_count(START, START + dt.timedelta(days=27), last)
        kept = [(s.lo, s.hi) for s in slots if s.lo <= s.hi]
        assert all(0 <= lo <= hi <= 27 for lo, hi in kept)
        chain = ([((last - START).days,) * 2] if last else []) + kept
        long_gaps = sum(b[1] - a[0] > rule.max_gap for a, b in zip(chain, chain[1:], strict=False))
        assert all(b[0] - a[1] >= rule.min_gap for a, b in zip(chain, chain[1:], strict=False)), slots
        if not last and kept and kept[0][1] >= rule.first_window_days():
            long_gaps += 1
        assert long_gaps <= len(reported) + len(slots) - len(kept), (slots, reported)


def test_record_appends_the_tables_to_the_history_and_updates_the_current_figures(tmp_path, monkeypatch):
    results_md = tmp_path / "RESULTS.md"
    before = (BENCHMARKS / "RESULTS.md").read_text(encoding="utf-8")
    results_md.write_text(before, encoding="utf-8")
    monkeypatch.setattr(bench_planner, "RESULTS_MD", results_md)
    status = bench_planner.main(["--quick", "--out", str(tmp_path / "out"), "--record", "--note", "a test run"])
    text = results_md.read_text(encoding="utf-8")
    assert status == 0
    today = dt.date.today().isoformat()
    row = next(line for line in text.splitlines() if line.startswith("| Planner vs the OR-Tools baselines (quick) |"))
    shape = r"quick \(routeopt\+{}\) \d+\.\d% \(baseline \d+\.\d%\)"
    assert re.search(r"; coverage " + shape.format("off-compact") + ", " + shape.format("soft-even")
                     + r"; no rule broken \|", row), row
    assert re.search(r"travel ÷ the baseline's: quick \(routeopt\+off-compact\) \d\.\d{3}, "
                     r"quick \(routeopt\+soft-even\) \d\.\d{3};", row), row
    assert "`python benchmarks/bench_planner.py --quick --record` |" in row and f"| {today} | {today} · " in row
    section_at = text.index(f"\n\n### {today} · Planner vs the OR-Tools baselines (quick) · commit ")
    assert text.index(row) < text.index("\n## History\n") < section_at and "\n### " not in text[section_at + 3:]
    assert text[:section_at].replace(row + "\n", "", 1) == before.rstrip("\n")  # the rest is as it was
    history = text[section_at:]
    command = f"python benchmarks/bench_planner.py --quick --out {tmp_path / 'out'} --record --note 'a test run'"
    assert f"- Command: `{command}`" in history
    assert f"- Date: {today}" in history and "- a test run" in history
    assert "| quick | routeopt+off-compact |" in history and "| quick | routeopt+soft-even |" in history
    assert "| quick (routeopt+soft-even) | baseline |" in history and "| quick | baseline:default |" in history


def test_search_rep_lists_the_visits_the_baseline_leaves_out(quick_results, tmp_path):
    inst = search_rep.rep_instance("quick", "R1", tmp_path)
    left_out = search_rep.left_out(inst)
    assert left_out, "the quick scenario has a visit the baseline's rhythm windows cannot place"
    baseline = next(r for r in quick_results if r.planner == "baseline")
    with (baseline.folder / "unscheduled.csv").open(encoding="utf-8-sig") as f:
        rows = Counter(row["customer_id"] for row in csv.DictReader(f))
    for ci, n in left_out.items():
        assert rows[inst.customers[ci].id] >= n


@pytest.mark.parametrize("start", ["construction", "baseline"])
def test_search_rep_prints_one_row_per_seed_with_every_visit_planned(capsys, tmp_path, start):
    args = ["quick", "--seconds", "0.5", "--seeds", "0,1", "--patience", "none", "--left-out"]
    if start == "baseline":
        args += ["--from-baseline", "0.5"]
    assert search_rep.main(args) == 0
    out = capsys.readouterr().out
    rows = [line.split("|")[1:-1] for line in out.splitlines() if line.startswith("| R")]
    assert [(r[0].strip(), int(r[1])) for r in rows] == [("R1", 0), ("R1", 1)]
    assert all(r[2].strip() == start for r in rows)
    assert all(int(r[9]) == 0 and int(r[8]) > 0 for r in rows)  # nothing missed
    saved = [line for line in out.splitlines() if "driving saved per visit day" in line]
    assert len(saved) == 2 * len(search_rep.left_out(search_rep.rep_instance("quick", "R1", tmp_path)))


def test_search_rep_baseline_start_is_the_baseline_plan(tmp_path):
    inst = search_rep.rep_instance("quick", "R1", tmp_path)
    start = search_rep.baseline_start(inst, 1.0, 0)
    planned = Counter(n for seq in start.seqs.values() for n in seq)
    left_out = search_rep.left_out(inst)
    for ci, n in left_out.items():
        assert sum(1 for m in start.missed if m.customer == ci) >= n
    for day, seq in start.seqs.items():
        assert start.timings[day] == inst.time(day, seq, start.fixed.get(day, {}))
    slots, reported = ortools_baseline.rep_slots(inst)
    assert sum(planned.values()) + len(start.missed) == len(slots) + len(reported)  # every due visit accounted for


@pytest.mark.parametrize("rep", ["R9", "R1,R9", ","])
def test_search_rep_refuses_an_unknown_rep(rep, capsys):
    with pytest.raises(SystemExit) as e:
        search_rep.main(["quick", "--rep", rep, "--seconds", "0.1"])
    assert e.value.code == 2
    assert "reps: R1" in capsys.readouterr().err


def test_search_rep_runs_every_rep_side_by_side_and_sums_each_seed(capsys):
    assert search_rep.main(["s120", "--rep", "all", "--seconds", "0.2", "--seeds", "3,4", "--jobs", "2"]) == 0
    out = capsys.readouterr().out
    rows = [line.split("|")[1:-1] for line in out.splitlines() if line.startswith("| R")]
    assert [(r[0].strip(), int(r[1])) for r in rows] == [("R1", 3), ("R1", 4), ("R2", 3), ("R2", 4)]
    totals = {int(r[1]): int(r[2]) for r in (line.split("|") for line in out.splitlines()) if len(r) == 4
              and r[1].strip().isdigit()}
    for seed in (3, 4):
        assert totals[seed] == sum(int(r[5]) for r in rows if int(r[1]) == seed) > 0


def test_the_continuity_benchmark_starts_month_two_from_month_one_s_last_visits():
    import bench_continuity

    start = dt.date(2026, 12, 1)
    customers = tuple(Customer(f"C{i}", 34.35 + 0.01 * i, 134.05, rep="R1", rule=VisitRule.from_target(7),
                               last_visit=start - dt.timedelta(days=3),
                               appointments=(Appointment(start + dt.timedelta(days=2), 600),) if i == 0 else ())
                      for i in range(3))
    problem = routeopt.Problem(customers, (routeopt.Rep("R1", 34.35, 134.05),), routeopt.make_horizon(start, 4))
    month = routeopt.plan(problem, routeopt.PlanOptions(workers=1, max_iterations=2, time_limit=600))
    second = bench_continuity.next_month(problem, month)
    assert second.horizon.start == problem.horizon.end + dt.timedelta(days=1)
    assert len(second.customers) == 3
    for c in second.customers:
        seen = [r.date for r in month.routes for s in r.visits if s.customer_id == c.id]
        assert seen and c.last_visit == max(seen) and not c.appointments


def test_path_bound_is_the_shortest_path_through_every_stop():
    def drive(travel, order):
        path = [0, *order, 1]
        return sum(travel[a][b] for a, b in zip(path, path[1:], strict=False))

    rng = random.Random(3)
    for _ in range(20):
        n = rng.randint(0, 6)
        travel = tuple(tuple(0 if a == b else rng.randint(1, 40) for b in range(n + 2)) for a in range(n + 2))
        stops = list(range(2, n + 2))
        shortest = min(drive(travel, p) for p in itertools.permutations(stops))
        assert search_rep.path_bound(travel, stops) == shortest


def test_search_rep_routing_bound_lies_below_the_plans_driving(capsys):
    assert search_rep.main(["quick", "--seconds", "0.5", "--seeds", "0", "--routing-bound"]) == 0
    out = capsys.readouterr().out
    row = next(line.split("|")[1:-1] for line in out.splitlines() if line.startswith("| R1"))
    line = next(line for line in out.splitlines() if "at least" in line)
    bound = int(line.split("at least ")[1].split()[0])
    assert 0 < bound <= int(row[5])


def test_search_rep_with_an_iteration_cap_gives_the_same_plan_twice(capsys):
    args = ["quick", "--seconds", "600", "--max-iterations", "5", "--seeds", "0", "--patience", "none"]
    runs = []
    for _ in range(2):
        assert search_rep.main(args) == 0
        out = capsys.readouterr().out
        assert "at most 5 iterations" in out
        row = next(line.split("|")[1:-1] for line in out.splitlines() if line.startswith("| R"))
        runs.append([cell.strip() for k, cell in enumerate(row) if k != 4])  # all but the seconds
    assert runs[0] == runs[1]
