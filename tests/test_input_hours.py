"""Opening hours: OSM syntax through opening-hours-py, our extra rules, and per-day windows."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from routeopt.errors import InputError
from routeopt.input.fields import Cell
from routeopt.input.hours import parse_hours, with_closed_rule
from routeopt.model.hours import opening_windows

CELL = Cell("customers.csv", 17, "C042", "hours")
WEEK = [dt.date(2026, 12, 7) + dt.timedelta(days=i) for i in range(7)]  # Monday 7 … Sunday 13 December
MON, TUE, WED, THU, FRI, SAT, SUN = WEEK


def test_hours_blank_means_no_restriction():
    assert parse_hours("", CELL) is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("09:00-18:00", "09:00-18:00"),
        ("Mo-Fr 09:00-12:30,14:30-18:00; Sa 09:00-12:30", "Mo-Fr 09:00-12:30,14:30-18:00; Sa 09:00-12:30"),
        ("９:００〜１８:００", "09:00-18:00"),
        ("9:00～12:00、13:00～17:00", "09:00-12:00,13:00-17:00"),
        ("24/7", "24/7"),
        ("Mo-Fr 09:00-24:00", "Mo-Fr 09:00-24:00"),
    ],
)
def test_hours_accepts_osm_syntax_and_normalises_it(value, expected):
    assert parse_hours(value, CELL) == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("18:00-09:00", 'customers.csv row 17 (id=C042): hours "18:00-09:00" ends before it starts.'),
        ("Mo-Fr 09:00-12:00,18:00-09:00", 'has "18:00-09:00", which ends before it starts.'),
        ("10:00-10:00", 'hours "10:00-10:00" ends when it starts.'),
        ("22:00-26:00", "ends after 24:00"),
        ("朝から夕方まで", 'hours "朝から夕方まで" is not OpenStreetMap opening_hours syntax'),
        ("Mo-Fr 09:00-18:00;;", "is not OpenStreetMap opening_hours syntax"),
    ],
)
def test_hours_rejects(value, message):
    with pytest.raises(InputError) as info:
        parse_hours(value, CELL)
    assert message in str(info.value)
    assert "\n" not in str(info.value)


def test_windows_of_none_mean_no_restriction():
    assert opening_windows(None, MON) is None


@pytest.mark.parametrize(
    ("hours", "day", "expected"),
    [
        ("09:00-18:00", SUN, ((540, 1080),)),
        ("09:00-12:30,14:30-18:00", WED, ((540, 750), (870, 1080))),
        ("Mo-Fr 09:00-12:30,14:30-18:00; Sa 09:00-12:30", FRI, ((540, 750), (870, 1080))),
        ("Mo-Fr 09:00-12:30,14:30-18:00; Sa 09:00-12:30", SAT, ((540, 750),)),
        ("Mo-Fr 09:00-12:30,14:30-18:00; Sa 09:00-12:30", SUN, ()),
        ("Mo-Sa 09:00-18:00; We off", WED, ()),
        ("Mo-Sa 09:00-18:00; We off", THU, ((540, 1080),)),
        ("09:00-12:00,12:00-18:00", MON, ((540, 1080),)),
        ("24/7", TUE, ((0, 1440),)),
        ("09:00-24:00", TUE, ((540, 1440),)),
        ("09:00-18:00; PH off", dt.date(2026, 12, 23), ((540, 1080),)),  # no country: PH never matches
    ],
)
def test_windows_of_a_day(hours, day, expected):
    assert opening_windows(hours, day) == expected


def test_windows_are_cached():
    opening_windows.cache_clear()
    opening_windows("09:00-18:00", MON)
    opening_windows("09:00-18:00", MON)
    assert opening_windows.cache_info().hits == 1


@settings(max_examples=200, deadline=None)
@given(value=st.one_of(st.text(), st.text(alphabet="0123456789:-,; MoTuWeFrSaSuPHoff/+", max_size=40)))
def test_hours_raise_only_input_error_and_valid_hours_give_windows(value):
    try:
        expr = parse_hours(value, CELL)
    except InputError as exc:
        assert "\n" not in str(exc)
        return
    windows = opening_windows(expr, MON)
    if windows is not None:
        assert all(0 <= a < b <= 1440 for a, b in windows)
        assert list(windows) == sorted(windows)


@pytest.mark.parametrize(
    ("value", "expected"),
    [("9時～18時", "09:00-18:00"), ("8時30分～17時30分", "08:30-17:30"), ("9時半から18時まで", "09:30-18:00"),
     ("9:00～12:00/13:00～18:00", "09:00-12:00,13:00-18:00"), ("24時間", "24/7"), ("24時間営業", "24/7"),
     ("Mo-Fr 9時-18時; Sa 9時-12時", "Mo-Fr 09:00-18:00; Sa 09:00-12:00"), ("Mo-Sa 24時間", "Mo-Sa 00:00-24:00")],
)
def test_hours_written_the_japanese_way_become_osm_syntax(value, expected):
    assert parse_hours(value, CELL) == expected


def test_a_closing_rule_of_some_weeks_joins_the_hours():
    assert with_closed_rule("09:00-18:00", "We[2,4] off") == "09:00-18:00; We[2,4] off"
    assert with_closed_rule(None, "We[2,4] off") == "24/7; We[2,4] off"
    assert with_closed_rule(None, "") is None
    second, third = dt.date(2026, 12, 9), dt.date(2026, 12, 16)  # the 2nd and 3rd Wednesdays of December
    assert opening_windows("09:00-18:00; We[2,4] off", second) == ()
    assert opening_windows("09:00-18:00; We[2,4] off", third) == ((540, 1080),)
