"""Territory design and split comparison: locked customers, move caps, balance, determinism,
bad inputs through the CLI, the comparison table and its chart.

Fixture: a generated 40-customer / 3-rep / 1-week Takamatsu scenario (benchmarks/scenarios.py)
whose rep R1 holds 1.5 × the mean workload (``uneven_split``).
"""

import datetime as dt
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

import routeopt
from routeopt.compare import TABLE_COLUMNS, compare_problems
from routeopt.errors import InputError
from routeopt.model import Appointment
from routeopt.output.figures import png_bytes, split_workload_figure
from routeopt.territory.design import TerritoryOptions, design
from routeopt_cli.main import app

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import scenarios  # noqa: E402

runner = CliRunner()
START = dt.date(2026, 12, 1)
WEEKS = 1


@pytest.fixture(scope="module")
def case(tmp_path_factory):
    folder = tmp_path_factory.mktemp("territory")
    customers, reps = scenarios.make_scenario("t40", 40, 3, 5, folder, weeks=WEEKS)
    uneven = scenarios.uneven_split(customers, reps, customers.with_name("uneven.csv"), heavy="R1", weeks=WEEKS)
    return uneven, reps


def problem_of(case):
    uneven, reps = case
    return routeopt.read_problem(uneven, reps, routeopt.make_horizon(START, WEEKS, "JP"))


def options(**kw):
    return TerritoryOptions(time_limit=10, **kw)


def test_the_fixture_is_uneven(case):
    d = design(problem_of(case), options())
    assert d.max_over_mean("before") > 1.3


def test_design_balances_better_than_the_input(case):
    d = design(problem_of(case), options())
    assert d.max_over_mean() < 1.05 < d.max_over_mean("before")
    assert set(d.owner) == {c.id for c in problem_of(case).customers}


def test_locked_customers_never_move(case):
    import dataclasses

    problem = problem_of(case)
    free = design(problem, options())
    heavy = [c.id for c in problem.customers if c.rep == "R1" and free.owner[c.id] != "R1"][:4]
    heavy += [c.id for c in problem.customers if c.rep == "R1" and free.owner[c.id] == "R1"][:4]
    assert len(heavy) == 8  # four of them move when not locked
    customers = tuple(dataclasses.replace(c, locked=c.id in heavy) for c in problem.customers)
    d = design(dataclasses.replace(problem, customers=customers), options())
    assert all(d.owner[cid] == "R1" for cid in heavy)
    assert not set(heavy) & set(d.moved)


@pytest.mark.parametrize("cap", [0, 2, 5])
def test_keep_current_moves_at_most_max_moves(case, cap):
    problem = problem_of(case)
    d = design(problem, options(keep_current=True, max_moves=cap))
    before = {c.id: c.rep for c in problem.customers}
    changed = [cid for cid, rep in d.owner.items() if rep != before[cid]]
    assert len(changed) == len(d.moved) <= cap
    if cap == 0:
        assert d.owner == before
    else:
        assert d.max_over_mean() < d.max_over_mean("before")


def test_keep_current_moves_fewer_customers_than_a_free_design(case):
    free = design(problem_of(case), options())
    kept = design(problem_of(case), options(keep_current=True))
    assert len(kept.moved) < len(free.moved)
    assert kept.max_over_mean() < 1.05


def test_same_seed_gives_the_same_split(case):
    a = design(problem_of(case), options(seed=3))
    b = design(problem_of(case), options(seed=3))
    assert all(r["status"] == "OPTIMAL" for r in a.rounds)  # the time limit played no part
    assert a.owner == b.owner


def test_a_customer_with_an_appointment_goes_to_a_rep_who_works_that_day(case):
    import dataclasses

    problem = problem_of(case)
    friday = dt.date(2026, 12, 4)
    reps = tuple(dataclasses.replace(r, days_off=frozenset({friday})) if r.id != "R3" else r for r in problem.reps)
    free = design(problem, options())
    target = next(c for c in problem.customers if free.owner[c.id] != "R3" and not c.appointments)
    appt = (Appointment(friday, 14 * 60),)
    customers = tuple(
        dataclasses.replace(c, appointments=appt, hours=None, closed_weekdays=frozenset()) if c.id == target.id else c
        for c in problem.customers
    )
    d = design(dataclasses.replace(problem, customers=customers, reps=reps), options())
    assert d.owner[target.id] == "R3"


def test_negative_max_moves_is_refused():
    with pytest.raises(ValueError, match="max_moves"):
        TerritoryOptions(max_moves=-1)


# ------------------------------------------------------------------------------ DataFrame API


def test_design_territories_on_dataframes_keeps_the_callers_columns(case):
    uneven, reps = case
    df = pd.read_csv(uneven, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    df = df.rename(columns={"rep": "担当"})
    df["memo"] = "x"
    out = routeopt.design_territories(df, pd.read_csv(reps, encoding="utf-8-sig", dtype=str, keep_default_na=False),
                                      start=START, weeks=WEEKS, holidays="JP", options=options())
    assert list(out.columns) == list(df.columns)
    assert (out["memo"] == "x").all() and (out["id"] == df["id"]).all()
    assert (out["担当"] != df["担当"]).any()
    assert set(out["担当"]) == {"R1", "R2", "R3"}


def test_compare_splits_on_dataframes(case):
    uneven, reps = case
    df = pd.read_csv(uneven, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    reps_df = pd.read_csv(reps, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    other = df.copy()
    other.loc[:2, "rep"] = "R2"
    moved = int((other["rep"] != df["rep"]).sum())
    table = routeopt.compare_splits({"a": df, "b": other}, reps_df, START, WEEKS, "JP", plan_options())
    assert list(table.columns) == list(TABLE_COLUMNS)
    assert table["moved"].tolist() == [0, moved]


def plan_options():
    return routeopt.PlanOptions(time_limit=5, workers=1, max_iterations=3)


# ---------------------------------------------------------------------------- compare + chart


@pytest.fixture(scope="module")
def comparison(case):
    uneven, reps = case
    df = pd.read_csv(uneven, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    reps_df = pd.read_csv(reps, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    designed = routeopt.design_territories(df, reps_df, START, WEEKS, "JP", options())
    return compare_problems({"current": df, "designed": designed}, reps_df, START, WEEKS, "JP", plan_options())


def test_comparison_table_agrees_with_each_plans_summary(comparison):
    for row in comparison.table.to_dict("records"):
        summary = comparison.plans[row["split"]].summary()
        work = [r["work_min"] for r in summary["per_rep"].values()]
        assert row["travel_min"] == summary["totals"]["travel_min"]
        assert (row["work_min_min"], row["work_min_max"]) == (min(work), max(work))
        assert row["work_max_over_mean"] == summary["totals"]["workload_max_over_mean"]
        assert comparison.workloads[row["split"]].tolist() == work


def test_the_designed_split_plans_more_evenly_than_the_uneven_one(comparison):
    t = comparison.table.set_index("split")
    assert t.loc["designed", "work_max_over_mean"] < t.loc["current", "work_max_over_mean"]
    assert t.loc["designed", "moved"] > 0 == t.loc["current", "moved"]


def test_chart_bars_are_the_tables_workloads(comparison):
    fig = split_workload_figure(comparison.workloads)
    containers = fig.axes[0].containers
    assert len(containers) == len(comparison.workloads.columns)
    for bars, split in zip(containers, comparison.workloads.columns, strict=True):
        heights = [p.get_height() for p in bars.patches]
        assert np.allclose(heights, comparison.workloads[split].to_numpy(dtype=float))
    assert png_bytes(fig).startswith(b"\x89PNG")


# ----------------------------------------------------------------------------------------- CLI


def test_cli_territory_then_compare_writes_table_and_chart(case, tmp_path):
    uneven, reps = case
    out = tmp_path / "designed.csv"
    result = runner.invoke(app, ["territory", str(uneven), "--reps", str(reps), "--out", str(out), "--start",
                                 "2026-12-01", "--weeks", "1", "--holidays", "JP", "--time-limit", "5",
                                 "--keep-current", "--max-moves", "4"])
    assert result.exit_code == 0, result.output
    assert "customers moved: " in result.output
    before = pd.read_csv(uneven, encoding="utf-8-sig", dtype=str)
    after = pd.read_csv(out, encoding="utf-8-sig", dtype=str)
    assert (after["id"] == before["id"]).all()
    assert 0 < int((after["rep"] != before["rep"]).sum()) <= 4
    table = tmp_path / "table.csv"
    result = runner.invoke(app, ["compare", str(uneven), str(out), "--reps", str(reps), "--start", "2026-12-01",
                                 "--weeks", "1", "--holidays", "JP", "--time-limit", "4", "--workers", "1",
                                 "--max-iterations", "3", "--out", str(table)])
    assert result.exit_code == 0, result.output
    assert table.read_bytes().startswith(b"\xef\xbb\xbf")  # a BOM, so Excel reads Japanese names
    written = pd.read_csv(table, encoding="utf-8-sig")
    assert list(written.columns) == list(TABLE_COLUMNS)
    assert written["split"].tolist() == ["uneven", "designed"]
    assert (tmp_path / "table_workload.png").read_bytes().startswith(b"\x89PNG")


def test_cli_compare_writes_one_plan_folder_per_split_when_two_splits_have_the_same_file_name(case, tmp_path):
    uneven, reps = case
    df = pd.read_csv(uneven, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    moved = df.loc[0, "id"]
    splits = [tmp_path / "a" / "split.csv", tmp_path / "b" / "split.csv"]
    for path, rep in zip(splits, ("R1", "R2"), strict=True):  # the same customers; the first one's rep differs
        path.parent.mkdir()
        df.assign(rep=[rep, *df["rep"][1:]]).to_csv(path, index=False)
    plans, table = tmp_path / "plans", tmp_path / "table.csv"
    result = runner.invoke(app, ["compare", *map(str, splits), "--reps", str(reps), "--start", "2026-12-01",
                                 "--weeks", "1", "--holidays", "JP", "--time-limit", "4", "--workers", "1",
                                 "--max-iterations", "3", "--out", str(table), "--chart", str(tmp_path / "w.png"),
                                 "--plans", str(plans)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in plans.iterdir()) == ["a-split", "b-split"]
    for folder, rep in (("a-split", "R1"), ("b-split", "R2")):
        itinerary = pd.read_csv(plans / folder / "itinerary.csv", encoding="utf-8-sig", dtype=str)
        assert set(itinerary.loc[itinerary["customer_id"] == moved, "rep"]) == {rep}
    assert pd.read_csv(table, encoding="utf-8-sig")["split"].tolist() == [str(p) for p in splits]
    assert f"→ {plans / 'a-split'}" in result.output and f"→ {plans / 'b-split'}" in result.output


def test_plan_folders_are_named_after_the_file_and_made_distinct():
    from routeopt_cli.territory import _plan_folders

    assert _plan_folders([Path("x/current.csv"), Path("designed.xlsx")]) == ["current", "designed"]
    assert _plan_folders([Path("x/a/split.csv"), Path("y/a/split.csv"), Path("b/Split.csv"), Path("c/other.csv")]) \
        == ["split-1", "split-2", "b-Split", "other"]
    with pytest.raises(InputError, match="--plans: .* would both be written to split-1"):
        _plan_folders([Path("x/a/split.csv"), Path("y/a/split.csv"), Path("split-1.csv")])


def one_line_exit_2(result, *words):
    assert result.exit_code == 2, result.output
    message = result.output.strip()
    assert len(message.splitlines()) == 1 and "Traceback" not in message
    for w in words:
        assert w in message


def territory_args(customers, reps, out, *extra):
    return ["territory", str(customers), "--reps", str(reps), "--out", str(out), "--start", "2026-12-01",
            "--weeks", "1", "--time-limit", "2", *extra]


def test_cli_unknown_rep_exits_2(case, tmp_path):
    uneven, reps = case
    bad = tmp_path / "customers.csv"
    df = pd.read_csv(uneven, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    df.loc[4, "rep"] = "R99"
    df.to_csv(bad, index=False)
    result = runner.invoke(app, territory_args(bad, reps, tmp_path / "out.csv"))
    one_line_exit_2(result, "customers.csv", "row 6", "R99")
    assert not (tmp_path / "out.csv").exists()


def test_cli_locked_without_rep_exits_2(case, tmp_path):
    uneven, reps = case
    bad = tmp_path / "customers.csv"
    df = pd.read_csv(uneven, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    df["locked"] = ""
    df.loc[2, ["rep", "locked"]] = ["", "true"]
    df.to_csv(bad, index=False)
    one_line_exit_2(runner.invoke(app, territory_args(bad, reps, tmp_path / "out.csv")), "row 4", "locked")


def test_cli_negative_max_moves_exits_2(case, tmp_path):
    uneven, reps = case
    result = runner.invoke(app, territory_args(uneven, reps, tmp_path / "out.csv", "--max-moves", "-1"))
    one_line_exit_2(result, "--max-moves", "-1")


def test_cli_compare_refuses_splits_of_different_customers(case, tmp_path):
    uneven, reps = case
    fewer = tmp_path / "fewer.csv"
    df = pd.read_csv(uneven, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    df.iloc[1:].to_csv(fewer, index=False)
    result = runner.invoke(app, ["compare", str(uneven), str(fewer), "--reps", str(reps), "--start", "2026-12-01",
                                 "--weeks", "1", "--time-limit", "2", "--out", str(tmp_path / "t.csv")])
    one_line_exit_2(result, "fewer", df.loc[0, "id"])
    assert not (tmp_path / "t.csv").exists()


def test_library_refuses_splits_of_different_customers(case):
    uneven, reps = case
    df = pd.read_csv(uneven, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    reps_df = pd.read_csv(reps, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    with pytest.raises(InputError, match="same customers"):
        routeopt.compare_splits({"a": df, "b": df.iloc[1:]}, reps_df, START, WEEKS, "JP", plan_options())


@pytest.mark.parametrize("command", ["territory", "compare"])
def test_cli_out_that_is_a_folder_is_refused_before_running(case, tmp_path, monkeypatch, command):
    def must_not_run(*args, **kwargs):
        raise AssertionError("ran before checking --out")

    monkeypatch.setattr("routeopt_cli.territory.design", must_not_run)
    monkeypatch.setattr("routeopt_cli.territory.compare", must_not_run)
    uneven, reps = case
    taken = tmp_path / "taken"
    taken.mkdir()
    if command == "territory":
        args = territory_args(uneven, reps, taken)
    else:
        args = ["compare", str(uneven), "--reps", str(reps), "--start", "2026-12-01", "--weeks", "1",
                "--time-limit", "2", "--out", str(taken)]
    one_line_exit_2(runner.invoke(app, args), "taken: is a folder, not a file")


def test_cli_compare_refuses_a_chart_that_would_overwrite_the_table(case, tmp_path, monkeypatch):
    def must_not_run(*args, **kwargs):
        raise AssertionError("ran before checking --out and --chart")

    monkeypatch.setattr("routeopt_cli.territory.compare", must_not_run)
    uneven, reps = case
    same = tmp_path / "same.csv"
    result = runner.invoke(app, ["compare", str(uneven), "--reps", str(reps), "--start", "2026-12-01", "--weeks", "1",
                                 "--out", str(same), "--chart", str(same)])
    one_line_exit_2(result, "--out and --chart are both")
