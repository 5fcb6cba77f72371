"""Reps table → Rep records: defaults, shift and lunch rules, workdays, days off, limits."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from routeopt.errors import InputError
from routeopt.input import read_reps, reps_from_frame
from routeopt.input.schema import REP_COLUMNS
from routeopt.input.tables import frame_from_text
from routeopt.model import Rep

DATA = Path(__file__).parent / "data"
HEADER = "id,start_lat,start_lon,end_lat,end_lon,shift,lunch,workdays,days_off,max_visits\n"


def reps(text: str) -> tuple[Rep, ...]:
    return reps_from_frame(frame_from_text(text, "reps.csv", REP_COLUMNS), "reps.csv")


def error(row: str) -> str:
    with pytest.raises(InputError) as info:
        reps(HEADER + row + "\n")
    return str(info.value)


def test_a_minimal_row_gets_the_spec_defaults():
    (rep,) = reps("id,start_lat,start_lon\nR1,35.68,139.76\n")
    assert rep == Rep(id="R1", start_lat=35.68, start_lon=139.76)
    assert (rep.end, rep.shift, rep.lunch_window, rep.lunch_minutes) == ((35.68, 139.76), (540, 1080), (690, 810), 45)
    assert (rep.workdays, rep.days_off, rep.max_visits) == ({0, 1, 2, 3, 4}, frozenset(), None)


def test_ok_small_reps_fixture():
    (rep,) = read_reps(DATA / "ok_small_reps.csv")
    assert (rep.id, rep.name, rep.max_visits) == ("R1", "営業 一郎", 8)
    assert rep.days_off == {dt.date(2026, 12, 25)}


def test_every_column_in_japanese_forms():
    text = "担当者ID,氏名,出発緯度,出発経度,帰着緯度,帰着経度,勤務時間,昼休憩,勤務日,休暇,最大訪問件数\n" \
           "R2,佐藤,35.1,139.1,35.2,139.2,８:３０〜１７:３０,12:00〜13:00/60分,月〜土,2026/12/28、2026/12/29,１０\n"
    (rep,) = reps(text)
    assert (rep.end, rep.shift, rep.lunch_window, rep.lunch_minutes) == ((35.2, 139.2), (510, 1050), (720, 780), 60)
    assert rep.workdays == {0, 1, 2, 3, 4, 5}
    assert rep.days_off == {dt.date(2026, 12, 28), dt.date(2026, 12, 29)}
    assert rep.max_visits == 10


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("R1,35.6,139.7,,,,,none,,", 'reps.csv row 2 (id=R1): workdays "none" gives no working day.'),
        ("R1,35.6,139.7,,,,,mon-funday,,", 'has "funday", which is not a weekday'),
        ("R1,35.6,139.7,,,09:00-09:30,,,,", 'shift "09:00-09:30" is shorter than its lunch break of 45 min.'),
        ("R1,35.6,139.7,,,18:00-09:00,,,,", 'shift "18:00-09:00" ends before it starts.'),
        ("R1,35.6,139.7,,,13:00-21:00,11:30-13:30/45,,,", 'lunch "11:30-13:30/45" lies outside the shift 13:00-21:00'),
        ("R1,35.6,139.7,,,14:00-22:00,,,,", 'lunch "" is blank, and the default 11:30-13:30/45 lies outside the shift'),
        ("R1,35.6,139.7,,,,12:00-12:30/45,,,", 'lunch "12:00-12:30/45" asks for 45 min of lunch in a 30-minute'),
        ("R1,35.6,139.7,,,,,,2026-12-32,", 'days_off "2026-12-32" is not a valid calendar date.'),
        ("R1,35.6,139.7,,,,,,,0", 'max_visits "0" must be at least 1 visit per day.'),
        ("R1,35.6,139.7,,,,,,,many", 'max_visits "many" is not a whole number.'),
        ("R1,35.6,139.7,35.6,,,,,,", 'end_lon "" is required'),
        ("R1,139.7,35.6,,,,,,,", 'start_lat "139.7" is out of range -90..90 degrees; latitude and longitude look'),
        (",35.6,139.7,,,,,,,", 'reps.csv row 2: id "" is blank; every rep needs an id.'),
    ],
)
def test_bad_rep_rows(row, message):
    assert message in error(row)


def test_duplicate_rep_id_names_both_rows():
    text = "id,start_lat,start_lon\nR1,35.6,139.7\nR2,35.6,139.7\nR1,35.6,139.7\n"
    with pytest.raises(InputError) as info:
        reps(text)
    assert str(info.value) == 'reps.csv row 4 (id=R1): id "R1" is also used in row 2; ids must be unique.'
