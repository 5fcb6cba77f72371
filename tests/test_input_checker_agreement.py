"""Our parsing agrees with the independent checker ``shared/tools/check_plan.py`` on every value
it understands: frequency → target gap and gap bounds, weekdays, dates, shift, lunch, hours."""

from __future__ import annotations

import datetime as dt
import importlib.util
from functools import cache
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from routeopt.input import fields as f
from routeopt.input import read_customers, read_reps
from routeopt.input.hours import parse_hours
from routeopt.input.schema import CUSTOMER_COLUMNS, REP_COLUMNS
from routeopt.model import Horizon
from routeopt.model.hours import opening_windows

DATA = Path(__file__).parent / "data"
CHECK_PLAN = Path(__file__).resolve().parents[2] / "shared" / "tools" / "check_plan.py"
WEEK = [dt.date(2026, 12, 7) + dt.timedelta(days=i) for i in range(7)]  # Monday … Sunday
HORIZON = Horizon(dt.date(2026, 12, 1), 4)


@cache
def _load_checker() -> ModuleType | None:
    if not CHECK_PLAN.is_file():
        return None
    spec = importlib.util.spec_from_file_location("check_plan", CHECK_PLAN)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def cp() -> ModuleType:
    module = _load_checker()
    if module is None:
        pytest.skip(f"independent checker not found at {CHECK_PLAN}")
    return module


def cell(column: str) -> f.Cell:
    return f.Cell("customers.csv", 2, "C1", column)


def our_rule(frequency: str, low: str = "", high: str = ""):
    target = f.parse_frequency(frequency, cell("frequency"))
    return f.visit_rule(
        target,
        f.parse_gap_days(low, cell("min_gap_days")),
        f.parse_gap_days(high, cell("max_gap_days")),
        cell("min_gap_days"),
        cell("max_gap_days"),
    )


def checker_rule(cp: ModuleType, frequency: str, low: str = "", high: str = "") -> tuple[float, int, int]:
    # The checker's own formulas, as in check_plan.check().
    t = cp.target_gap(frequency)
    lo = int(low) if low else max(1, round(0.7 * t))
    hi = int(high) if high else round(1.3 * t)
    return t, lo, hi


FREQUENCIES = [
    "weekly", "Weekly", "週1", "biweekly", "隔週", "monthly", "月1", "2/week", "3 / week", "週2", "週3回",
    "週２回", "1/month", "2/month", "3/month", "月2", "月3回", "every 10 days", "every 1 day", "every 5 days",
]  # fmt: skip


@pytest.mark.parametrize("frequency", FREQUENCIES)
def test_frequency_gives_the_checkers_target_gap_and_bounds(cp, frequency):
    rule = our_rule(frequency)
    assert (rule.target_gap, rule.min_gap, rule.max_gap) == checker_rule(cp, frequency)


@settings(max_examples=200, deadline=None)
@given(
    form=st.sampled_from(["{n}/week", "週{n}", "週{n}回", "{n}/month", "月{n}", "月{n}回", "every {n} days"]),
    n=st.integers(1, 40),
)
def test_counted_frequencies_agree_with_the_checker(form, n):
    cp = _load_checker()
    if cp is None:
        pytest.skip("independent checker not found")
    frequency = form.format(n=n)
    try:
        rule = our_rule(frequency)
    except ValueError:
        # We refuse more than one visit a day; the checker's bounds would be unusable there.
        lo_hi = checker_rule(cp, frequency)
        assert lo_hi[0] < 1
        return
    assert (rule.target_gap, rule.min_gap, rule.max_gap) == checker_rule(cp, frequency)


@pytest.mark.parametrize(("low", "high"), [("3", ""), ("", "12"), ("6", "8")])
def test_gap_overrides_agree_with_the_checker(cp, low, high):
    rule = our_rule("weekly", low, high)
    assert (rule.target_gap, rule.min_gap, rule.max_gap) == checker_rule(cp, "weekly", low, high)


@pytest.mark.parametrize(
    "value",
    ["mon-fri", "sat,sun", "sat sun", "土,日", "土、日", "月-金", "monday-friday", "Sat, Sun", "mon;wed", "水"],
)
def test_weekdays_agree_with_the_checker(cp, value):
    assert f.parse_weekdays(value, cell("workdays")) == cp.weekday_set(value)


@pytest.mark.parametrize("value", ["sat,sun", "土,日,2026-12-29", "2026-12-29;2026-12-30", "sun 2026-12-31"])
def test_closed_days_agree_with_the_checker(cp, value):
    days, dates, _ = f.parse_closed(value, cell("closed"))
    assert days == cp.weekday_set(value)
    assert dates == cp.date_set(value)


@pytest.mark.parametrize("value", ["09:00-18:00", "8:30-17:30", "10:00-19:00"])
def test_shift_agrees_with_the_checker(cp, value):
    assert f.parse_window(value, cell("shift")) == cp.windows(value)[0]


@pytest.mark.parametrize("value", ["11:30-13:30/45", "12:00-13:00/60", "11:00-14:00"])
def test_lunch_agrees_with_the_checker(cp, value):
    spec, _, minutes = value.partition("/")
    assert f.parse_lunch(value, cell("lunch")) == (cp.windows(spec)[0], int(minutes or 45))


HOURS = [
    "09:00-18:00",
    "09:00-12:30,14:30-18:00",
    "Mo-Fr 09:00-12:30,14:30-18:00; Sa 09:00-12:30",
    "Mo-Sa 09:00-18:00; We off",
    "Mo-Fr 09:00-18:00; Tu off",
    "Sa-Mo 10:00-15:00",
    "Mo,We,Fr 10:00-12:00; Sa 09:00-12:00,13:00-15:00",
    "Mo-Fr 09:00-12:00; Fr 13:00-17:00",
    "Mo-Fr 9:00-18:00",
]


@pytest.mark.parametrize("hours", HOURS)
@pytest.mark.parametrize("day", WEEK, ids=lambda d: d.strftime("%a"))
def test_opening_windows_agree_with_the_checker(cp, hours, day):
    expected = [tuple(w) for w in cp.opening_windows(hours, day)]
    assert list(opening_windows(parse_hours(hours, cell("hours")), day)) == expected


def _aliases(columns) -> dict[str, list[str]]:
    return {c.name: [n.lower() for n in c.names] for c in columns}


def test_ok_small_customers_read_the_same_by_both(cp):
    ours = {c.id: c for c in read_customers(DATA / "ok_small_customers.csv", {"R1"}, HORIZON)}
    theirs = cp.read_table(DATA / "ok_small_customers.csv", cp.CUSTOMER_ALIASES)
    assert set(ours) == {row["id"] for row in theirs}
    for row in theirs:
        c = ours[row["id"]]
        t, lo, hi = checker_rule(cp, row.get("frequency", "weekly"))
        assert (c.rule.target_gap, c.rule.min_gap, c.rule.max_gap) == (t, lo, hi)
        assert (c.lat, c.lon) == (float(row["lat"]), float(row["lon"]))
        assert c.visit_minutes == int(float(row.get("visit_minutes", 30)))
        assert c.closed_weekdays == cp.weekday_set(row.get("closed", ""))
        assert c.closed_dates == cp.date_set(row.get("closed", ""))
        assert c.rep == row.get("rep")
        for day in HORIZON.days:
            expected = cp.opening_windows(row["hours"], day) if row.get("hours") else None
            got = opening_windows(c.hours, day)
            assert (None if got is None else list(got)) == (None if expected is None else [tuple(w) for w in expected])


def test_ok_small_reps_read_the_same_by_both(cp):
    (rep,) = read_reps(DATA / "ok_small_reps.csv")
    (row,) = cp.read_table(DATA / "ok_small_reps.csv", cp.REP_ALIASES)
    assert rep.workdays == cp.weekday_set(row.get("workdays", "mon-fri"))
    assert rep.days_off == cp.date_set(row.get("days_off", ""))
    assert rep.shift == cp.windows(row.get("shift", "09:00-18:00"))[0]
    spec, _, minutes = row.get("lunch", "11:30-13:30/45").partition("/")
    assert (rep.lunch_window, rep.lunch_minutes) == (cp.windows(spec)[0], int(minutes or 45))
    assert rep.max_visits == int(float(row["max_visits"]))


def test_checker_aliases_are_ours_too(cp):
    # Every header the checker accepts must be accepted by our schema for the same field.
    for table, columns in ((cp.CUSTOMER_ALIASES, CUSTOMER_COLUMNS), (cp.REP_ALIASES, REP_COLUMNS)):
        ours = _aliases(columns)
        for field, names in table.items():
            assert set(names) <= set(ours[field]), field
