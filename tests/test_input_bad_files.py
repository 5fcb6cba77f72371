"""Each bad input file in tests/data/bad/ gives its own one-line message naming file, row, column."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from routeopt.errors import InputError
from routeopt.input import read_customers, read_reps
from routeopt.model import Horizon

BAD = Path(__file__).parent / "data" / "bad"
HORIZON = Horizon(dt.date(2026, 12, 1), 4)  # 2026-12-01 … 2026-12-28
REP_IDS = {"R1"}

# file → (where the message points, what it says)
EXPECTED = {
    "customers_missing_lat_column.csv": ("row 1", 'required column "lat" is missing (accepted names: lat, 緯度)'),
    "customers_empty.csv": ("", "is empty"),
    "customers_header_only.csv": ("", "has no data rows, only a header (row 1)"),
    "customers_duplicate_id.csv": ("row 4 (id=C001): id", 'id "C001" is also used in row 2'),
    "customers_duplicate_column.csv": ("row 1", 'columns "lat" and "緯度" both give lat'),
    "customers_second_header_row.csv": ("row 3", "repeats the header row inside the data"),
    "customers_too_many_cells.csv": ("row 3", "has 5 cells but the header has 3"),
    "customers_invalid_bytes.csv": ("line 2", "is not UTF-8 or Shift_JIS (CP932) text: invalid byte 0x81"),
    "customers_lat_not_numeric.csv": ("row 2 (id=C001): lat", 'lat "北緯35度" is not a number'),
    "customers_lat_lon_swapped.csv": ("row 2 (id=C001): lat", "latitude and longitude look swapped"),
    "customers_address_only.csv": ("row 2 (id=C001): lat", "run `routeopt geocode` first"),
    "customers_unknown_frequency.csv": ("row 2 (id=C001): frequency", '"sometimes" is not a known frequency'),
    "customers_hours_unparsable.csv": ("row 2 (id=C001): hours", "is not OpenStreetMap opening_hours syntax"),
    "customers_hours_end_before_start.csv": ("row 2 (id=C001): hours", '"18:00-09:00" ends before it starts'),
    "customers_visit_minutes_negative.csv": ("row 2 (id=C001): visit_minutes", '"-15" must be 1..720 minutes'),
    "customers_unknown_weekday.csv": ("row 2 (id=C001): closed", 'has "funday", which is not a weekday'),
    "customers_invalid_date.csv": ("row 2 (id=C001): last_visit", '"2026-02-30" is not a valid calendar date'),
    "customers_last_visit_in_horizon.csv": ("row 2 (id=C001): last_visit", "must be before the plan starts"),
    "customers_min_gap_above_max.csv": ("row 2 (id=C001): min_gap_days", "is above the default max gap of 9"),
    "customers_locked_without_rep.csv": ("row 2 (id=C001): locked", "needs a rep"),
    "customers_id_formula.csv": ("row 2 (id==HYPERLINK(\"http://x\")): id", "which spreadsheets run as a formula"),
    "customers_unknown_rep.csv": ("row 2 (id=C001): rep", '"R9" is not in the reps file'),
    "customers_appointment_on_closed_day.csv": ("row 2 (id=C001): appointment", "falls on a day the customer is"),
    "customers_appointment_too_soon.csv": ("row 2 (id=C001): appointment", "only 5 days after the visit on 2026-11-28"),
    "customers_appointment_outside_hours.csv": ("row 2 (id=C001): appointment", "outside the opening hours"),
    "no_data_sheet.xlsx": ("row 3", "no row names the table's columns: a header row is needed"),
    "reps_no_workdays.csv": ("row 2 (id=R1): workdays", '"none" gives no working day'),
    "reps_shift_shorter_than_lunch.csv": ("row 2 (id=R1): shift", "is shorter than its lunch break of 45 min"),
    "reps_lunch_outside_shift.csv": ("row 2 (id=R1): lunch", "lies outside the shift 13:00-21:00"),
    "reps_duplicate_id.csv": ("row 3 (id=R1): id", 'id "R1" is also used in row 2'),
    "reps_max_visits_zero.csv": ("row 2 (id=R1): max_visits", "must be at least 1 visit per day"),
    "reps_days_off_invalid.csv": ("row 2 (id=R1): days_off", 'has "12/25", which is not a date'),
}


def read(path: Path) -> None:
    if path.name.startswith("reps_"):
        read_reps(path)
    else:
        read_customers(path, rep_ids=REP_IDS, horizon=HORIZON)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bad_file_gives_its_message(name):
    location, says = EXPECTED[name]
    with pytest.raises(InputError) as info:
        read(BAD / name)
    text = str(info.value)
    assert "\n" not in text
    assert text.startswith(name)
    assert location in text
    assert says in text
    assert text.endswith(".")


def test_every_bad_file_has_an_expected_message():
    files = {p.name for p in BAD.iterdir() if p.suffix in (".csv", ".xlsx")}
    assert files == set(EXPECTED)
