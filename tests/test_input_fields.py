"""Cell parsers: good values in English and Japanese forms, bad values with their messages."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from routeopt.errors import InputError
from routeopt.input import fields as f
from routeopt.model import Appointment, VisitRule


def cell(column: str) -> f.Cell:
    return f.Cell("customers.csv", 17, "C042", column)


def message(parse, value: str, column: str = "x") -> str:
    with pytest.raises(InputError) as info:
        parse(value, cell(column))
    return str(info.value)


def test_error_names_file_row_id_column_and_value():
    assert message(f.parse_visit_minutes, "0", "visit_minutes") == (
        'customers.csv row 17 (id=C042): visit_minutes "0" must be 1..720 minutes.'
    )


def test_error_message_stays_on_one_line_for_multi_line_cells():
    text = message(f.parse_frequency, "weekly\nor so", "frequency")
    assert "\n" not in text
    assert '"weekly\\nor so"' in text


# ----------------------------------------------------------------------------- coordinates


@pytest.mark.parametrize(("value", "expected"), [("35.6895", 35.6895), ("-33.9", -33.9), ("９０", 90.0)])
def test_latitude_accepts_degrees(value, expected):
    assert f.parse_latitude(value, cell("lat")) == expected


@pytest.mark.parametrize(
    ("value", "rule"),
    [("", "is required"), ("abc", "is not a number"), ("90.5", "is out of range -90..90"), ("nan", "is not a number")],
)
def test_latitude_rejects(value, rule):
    assert f'lat "{value}" {rule}' in message(f.parse_latitude, value, "lat")


def test_longitude_rejects_out_of_range():
    assert 'lon "181" is out of range -180..180 degrees.' in message(f.parse_longitude, "181", "lon")


def test_coordinates_parse_a_pair():
    assert f.parse_coordinates("35.68", "139.76", cell("lat"), cell("lon")) == (35.68, 139.76)


def test_coordinates_detect_swapped_columns():
    with pytest.raises(InputError, match=r'lat "139.76" is out of range .* look swapped \(lon is "35.68"\)'):
        f.parse_coordinates("139.76", "35.68", cell("lat"), cell("lon"))


def test_coordinates_do_not_guess_a_swap_when_neither_is_a_latitude():
    with pytest.raises(InputError) as info:
        f.parse_coordinates("139.76", "150.0", cell("lat"), cell("lon"))
    assert "swapped" not in str(info.value)


def test_coordinates_refuse_zero_zero():
    with pytest.raises(InputError, match="both 0"):
        f.parse_coordinates("0", "0", cell("lat"), cell("lon"))


# -------------------------------------------------------------------------------- numbers


@pytest.mark.parametrize(("value", "expected"), [("", 30), ("45", 45), ("30.0", 30), ("１２０", 120), ("720", 720)])
def test_visit_minutes_accepts_whole_minutes(value, expected):
    assert f.parse_visit_minutes(value, cell("visit_minutes")) == expected


@pytest.mark.parametrize(
    ("value", "rule"),
    [
        ("0", "must be 1..720 minutes"),
        ("-15", "must be 1..720 minutes"),
        ("10000", "must be 1..720 minutes"),
        ("30.5", "is not a whole number of minutes"),
        ("thirty", "is not a whole number of minutes"),
    ],
)
def test_visit_minutes_rejects(value, rule):
    assert f'visit_minutes "{value}" {rule}.' in message(f.parse_visit_minutes, value, "visit_minutes")


@pytest.mark.parametrize(("value", "expected"), [("", 1.0), ("2", 2.0), ("0.5", 0.5)])
def test_priority_accepts_positive_numbers(value, expected):
    assert f.parse_priority(value, cell("priority")) == expected


@pytest.mark.parametrize(("value", "rule"), [("0", "must be greater than 0"), ("-1", "must be greater than 0"),
                                             ("high", "is not a number"), ("inf", "is not a number")])
def test_priority_rejects(value, rule):
    assert rule in message(f.parse_priority, value, "priority")


def test_max_visits_blank_means_no_limit_and_zero_is_refused():
    assert f.parse_max_visits("", cell("max_visits")) is None
    assert f.parse_max_visits("8", cell("max_visits")) == 8
    assert 'max_visits "0" must be at least 1' in message(f.parse_max_visits, "0", "max_visits")
    assert "is not a whole number" in message(f.parse_max_visits, "2.5", "max_visits")


def test_gap_days_must_be_whole_days_in_range():
    assert f.parse_gap_days("", cell("min_gap_days")) is None
    assert f.parse_gap_days("5", cell("min_gap_days")) == 5
    assert "must be 1..366 days" in message(f.parse_gap_days, "0", "min_gap_days")
    assert "is not a whole number of days" in message(f.parse_gap_days, "five", "min_gap_days")


# ---------------------------------------------------------------------------- dates, times


@pytest.mark.parametrize("value", ["2026-12-03", "2026/12/03", "2026/12/3", "２０２６-１２-０３"])
def test_date_accepts_iso_and_slashes(value):
    assert f.parse_date(value, cell("last_visit")) == dt.date(2026, 12, 3)


def test_date_blank_is_none():
    assert f.parse_date("", cell("last_visit")) is None


@pytest.mark.parametrize(
    ("value", "rule"),
    [("2026-02-30", "is not a valid calendar date"), ("12/03", "is not a date"), ("2026-1-5", "is not a date"),
     ("yesterday", "is not a date")],
)
def test_date_rejects(value, rule):
    assert f'last_visit "{value}" {rule}' in message(f.parse_date, value, "last_visit")


def test_dates_parse_a_list_and_name_the_bad_part():
    got = f.parse_dates("2026-12-24; 2026-12-25、2026/12/28", cell("days_off"))
    assert got == {dt.date(2026, 12, 24), dt.date(2026, 12, 25), dt.date(2026, 12, 28)}
    assert 'has "12/25", which is not a date' in message(f.parse_dates, "2026-12-24;12/25", "days_off")


@pytest.mark.parametrize(("value", "expected"), [("9:00", 540), ("09:05", 545), ("00:00", 0), ("24:00", 1440),
                                                 ("１３：３０", 810)])
def test_time_accepts_h_mm(value, expected):
    assert f.parse_time(value, cell("start")) == expected


@pytest.mark.parametrize("value", ["", "9", "9:60", "24:01", "25:00", "9.30", "0900"])
def test_time_rejects(value):
    assert "is not a time of day" in message(f.parse_time, value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [("09:00-18:00", (540, 1080)), ("9:00 - 18:00", (540, 1080)), ("９：００～１８：００", (540, 1080)),
     ("09:00〜24:00", (540, 1440))],
)
def test_window_accepts(value, expected):
    assert f.parse_window(value, cell("shift")) == expected


def test_window_blank_gives_default():
    assert f.parse_window("", cell("shift"), "09:00-18:00") == (540, 1080)


@pytest.mark.parametrize(
    ("value", "rule"),
    [
        ("18:00-09:00", "ends before it starts"),
        ("09:00-09:00", "ends when it starts"),
        ("09:00", "is not a time window like 09:00-18:00"),
        ("9:00-25:00", 'has "25:00", which is not a time between 00:00 and 24:00'),
    ],
)
def test_window_rejects(value, rule):
    assert f'shift "{value}" {rule}.' in message(f.parse_window, value, "shift")


@pytest.mark.parametrize(
    ("value", "expected"),
    [("", ((690, 810), 45)), ("11:30-13:30/45", ((690, 810), 45)), ("12:00-13:00", ((720, 780), 45)),
     ("12:00〜13:00/30分", ((720, 780), 30)), ("12:00-13:00/0", ((720, 780), 0))],
)
def test_lunch_accepts_window_and_minutes(value, expected):
    assert f.parse_lunch(value, cell("lunch")) == expected


@pytest.mark.parametrize(
    ("value", "rule"),
    [("12:00-13:00/90", "asks for 90 min of lunch in a 60-minute window"),
     ("12:00-13:00/forty", "must end in /MINUTES"), ("13:00-12:00/30", "ends before it starts")],
)
def test_lunch_rejects(value, rule):
    assert rule in message(f.parse_lunch, value, "lunch")


# -------------------------------------------------------------------------------- weekdays


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("mon-fri", {0, 1, 2, 3, 4}),
        ("Mon - Fri", {0, 1, 2, 3, 4}),
        ("monday-friday", {0, 1, 2, 3, 4}),
        ("sat,sun", {5, 6}),
        ("Saturday; Sunday", {5, 6}),
        ("tues thurs", {1, 3}),
        ("土,日", {5, 6}),
        ("土、日", {5, 6}),
        ("土・日", {5, 6}),
        ("土日", {5, 6}),
        ("月-金", {0, 1, 2, 3, 4}),
        ("月〜金", {0, 1, 2, 3, 4}),
        ("土曜", {5}),
        ("水曜日", {2}),
        ("平日", {0, 1, 2, 3, 4}),
        ("Mo,We,Fr", {0, 2, 4}),
        ("none", set()),
        ("なし", set()),
    ],
)
def test_weekdays_accept_english_and_japanese(value, expected):
    assert f.parse_weekdays(value, cell("workdays")) == expected


def test_weekdays_blank_gives_default():
    assert f.parse_weekdays("", cell("workdays"), "mon-fri") == {0, 1, 2, 3, 4}


def test_weekdays_name_the_unknown_day():
    text = message(f.parse_weekdays, "sat,funday", "workdays")
    assert 'workdays "sat,funday" has "funday", which is not a weekday' in text


def test_weekdays_refuse_a_backwards_range():
    text = message(f.parse_weekdays, "fri-mon", "workdays")
    assert 'workdays "fri-mon" runs backwards; list the days instead (fri,sat,sun,mon).' in text


@pytest.mark.parametrize(
    ("value", "days", "dates"),
    [
        ("", set(), set()),
        ("sat,sun", {5, 6}, set()),
        ("土,日,2026-12-29", {5, 6}, {dt.date(2026, 12, 29)}),
        ("2026-12-29 2026/12/30", set(), {dt.date(2026, 12, 29), dt.date(2026, 12, 30)}),
        ("日祝", {6}, set()),
        ("無休", set(), set()),
    ],
)
def test_closed_mixes_weekdays_and_dates(value, days, dates):
    closed = f.parse_closed(value, cell("closed"))
    assert (closed.weekdays, closed.dates, closed.rule) == (days, dates, "")


def test_closed_names_a_bad_date():
    assert 'has "2026-13-01", which is not a valid calendar date' in message(f.parse_closed, "土,2026-13-01")


# ------------------------------------------------------------------------------- frequency


@pytest.mark.parametrize(
    ("value", "gap"),
    [
        ("", 7),
        ("weekly", 7),
        ("Weekly", 7),
        ("週1", 7),
        ("週1回", 7),
        ("biweekly", 14),
        ("隔週", 14),
        ("monthly", 28),
        ("月1", 28),
        ("月1回", 28),
        ("2/week", 3.5),
        ("週2", 3.5),
        ("週２回", 3.5),
        ("3/month", 28 / 3),
        ("月3回", 28 / 3),
        ("月2", 14),
        ("every 10 days", 10),
        ("Every 1 day", 1),
        ("10日に1回", 10),
        ("3週に1回", 21),
    ],
)
def test_frequency_gives_the_target_gap_in_days(value, gap):
    assert f.parse_frequency(value, cell("frequency")) == gap


@pytest.mark.parametrize(
    ("value", "rule"),
    [
        ("sometimes", "is not a known frequency (use weekly, biweekly"),
        ("0/week", "must be at least 1 visit per week"),
        ("8/week", "asks for more than one visit a day"),
        ("every 0 days", "must be every 1..365 days"),
    ],
)
def test_frequency_rejects(value, rule):
    assert f'frequency "{value}" {rule}' in message(f.parse_frequency, value, "frequency")


def test_visit_rule_uses_the_spec_bounds_with_python_round():
    # 0.7 * 5 and 1.3 * 5 are 3.5 and 6.5 in floating point; round() takes both to the even 4 and 6.
    assert f.visit_rule(5, None, None, cell("min_gap_days"), cell("max_gap_days")) == VisitRule(5, 4, 6)
    assert f.visit_rule(7, None, None, cell("min_gap_days"), cell("max_gap_days")) == VisitRule(7, 5, 9)
    assert f.visit_rule(7, 6, 8, cell("min_gap_days"), cell("max_gap_days")) == VisitRule(7, 6, 8)


@pytest.mark.parametrize(
    ("low", "high", "column", "rule"),
    [
        (10, None, "min_gap_days", 'min_gap_days "10" is above the default max gap of 9 days'),
        (None, 3, "max_gap_days", 'max_gap_days "3" is below the default min gap of 5 days'),
        (8, 6, "min_gap_days", 'min_gap_days "8" is above max_gap_days 6'),
    ],
)
def test_visit_rule_refuses_crossed_bounds(low, high, column, rule):
    with pytest.raises(InputError) as info:
        f.visit_rule(7, low, high, cell("min_gap_days"), cell("max_gap_days"))
    assert rule in str(info.value)


# ------------------------------------------------------------------- appointments, booleans


def test_appointments_parse_several_sorted_by_date():
    got = f.parse_appointments("2026-12-10 9:30; 2026/12/03 14:00", cell("appointment"))
    assert got == (Appointment(dt.date(2026, 12, 3), 840), Appointment(dt.date(2026, 12, 10), 570))


def test_appointments_blank_is_empty_and_t_separator_works():
    assert f.parse_appointments("", cell("appointment")) == ()
    assert f.parse_appointments("2026-12-03T14:00", cell("appointment")) == (Appointment(dt.date(2026, 12, 3), 840),)


@pytest.mark.parametrize(
    ("value", "rule"),
    [
        ("2026-12-03", "has no start time"),
        ("next tuesday", "is not a date (write 2026-12-03)"),
        ("2026-12-03 14:00 sharp", "is not a date and start time"),
        ("2026-12-03 25:00", "is not a time between 00:00 and 24:00"),
        ("2026-12-03 10:00;2026-12-03 15:00", "has two appointments on 2026-12-03"),
        ("2026-12-03 10:00;2026-12-33 11:00", 'has "2026-12-33 11:00", which is not a valid calendar date'),
    ],
)
def test_appointments_reject(value, rule):
    assert rule in message(f.parse_appointments, value, "appointment")


@pytest.mark.parametrize("value", ["true", "TRUE", "yes", "1", "はい", "○", "◯"])
def test_bool_true_forms(value):
    assert f.parse_bool(value, cell("locked")) is True


@pytest.mark.parametrize("value", ["", "false", "no", "0", "いいえ", "×"])
def test_bool_false_forms(value):
    assert f.parse_bool(value, cell("locked")) is False


def test_bool_rejects_other_text():
    assert 'locked "maybe" is not true or false' in message(f.parse_bool, "maybe", "locked")


# ------------------------------------------------------------------ properties: any text


PARSERS = [
    f.parse_latitude,
    f.parse_longitude,
    f.parse_visit_minutes,
    f.parse_priority,
    f.parse_max_visits,
    f.parse_gap_days,
    f.parse_date,
    f.parse_dates,
    f.parse_time,
    f.parse_window,
    f.parse_lunch,
    f.parse_weekdays,
    f.parse_closed,
    f.parse_frequency,
    f.parse_appointments,
    f.parse_bool,
]

# Mostly characters these parsers care about, so that examples reach deep into them.
cell_text = st.one_of(
    st.text(),
    st.text(alphabet="0123456789:-/.,; 〜月火水木金土日週回隔TeEmonsatweekdy", max_size=30),
)


@pytest.mark.parametrize("parse", PARSERS, ids=lambda p: p.__name__)
@settings(max_examples=200, deadline=None)
@given(value=cell_text)
def test_parsers_raise_only_input_error_on_any_text(parse, value):
    try:
        parse(value, cell("x"))
    except InputError as exc:
        assert "\n" not in str(exc)
        assert str(exc).startswith("customers.csv row 17 (id=C042): x ")


@settings(max_examples=200, deadline=None)
@given(lat=cell_text, lon=cell_text)
def test_coordinates_raise_only_input_error_on_any_text(lat, lon):
    try:
        f.parse_coordinates(lat, lon, cell("lat"), cell("lon"))
    except InputError as exc:
        assert "\n" not in str(exc)


@settings(max_examples=200, deadline=None)
@given(
    target=st.floats(min_value=1, max_value=365),
    low=st.none() | st.integers(1, 400),
    high=st.none() | st.integers(1, 400),
)
def test_visit_rule_gives_a_valid_rule_or_input_error(target, low, high):
    try:
        rule = f.visit_rule(target, low, high, cell("min_gap_days"), cell("max_gap_days"))
    except InputError:
        return
    assert 1 <= rule.min_gap <= rule.max_gap


# ------------------------------------------------------------------ Japanese forms of values


@pytest.mark.parametrize(
    ("value", "expected"),
    [("2026年12月3日", dt.date(2026, 12, 3)), ("令和8年12月3日", dt.date(2026, 12, 3)),
     ("R8.12.3", dt.date(2026, 12, 3)), ("r8/12/03", dt.date(2026, 12, 3)),
     ("令和元年5月1日", dt.date(2019, 5, 1)), ("平成31年4月30日", dt.date(2019, 4, 30)),
     ("H30.1.5", dt.date(2018, 1, 5)), ("昭和64年1月7日", dt.date(1989, 1, 7)),
     ("㋿8年12月3日", dt.date(2026, 12, 3)), ("2026/12/3 0:00", dt.date(2026, 12, 3)),
     ("2026-12-03 00:00:00", dt.date(2026, 12, 3)), ("20261203", dt.date(2026, 12, 3)),
     ("2026.12.3", dt.date(2026, 12, 3)), ("２０２６年１２月３日", dt.date(2026, 12, 3))],
)
def test_date_accepts_japanese_and_export_forms(value, expected):
    assert f.parse_date(value, cell("last_visit")) == expected


@pytest.mark.parametrize(
    ("value", "rule"),
    [("平成32年1月1日", "is after 平成 ended on 2019-04-30"), ("令和1年4月30日", "is before 令和 began on 2019-05-01"),
     ("令和8年2月30日", "is not a valid calendar date"), ("X8.12.3", "is not a date"), ("20261232", "is not a valid")],
)
def test_date_refuses_impossible_era_dates(value, rule):
    assert rule in message(f.parse_date, value, "last_visit")


@pytest.mark.parametrize(
    ("value", "expected"),
    [("30分", 30), ("45分間", 45), ("1時間", 60), ("1時間30分", 90), ("1時間半", 90), ("1.5時間", 90), ("90 min", 90),
     ("1h30m", 90), ("0:45", 45), ("01:30", 90), ("４５分", 45)],
)
def test_visit_minutes_accepts_units_and_clock_durations(value, expected):
    assert f.parse_visit_minutes(value, cell("visit_minutes")) == expected


@pytest.mark.parametrize(("value", "expected"), [("9時", 540), ("8時30分", 510), ("9時半", 570), ("午後6時", 1080),
                                                 ("午前11時", 660), ("14:00:00", 840)])
def test_time_accepts_japanese_forms(value, expected):
    assert f.parse_time(value, cell("start")) == expected


@pytest.mark.parametrize(("value", "expected"), [("9時～18時", (540, 1080)), ("9時から18時まで", (540, 1080)),
                                                 ("午前9時～午後5時半", (540, 1050))])
def test_window_accepts_japanese_forms(value, expected):
    assert f.parse_window(value, cell("shift")) == expected


@pytest.mark.parametrize(
    ("value", "days", "rule"),
    [("毎週水曜", {2}, ""), ("水曜定休", {2}, ""), ("定休日：土日祝", {5, 6}, ""), ("定休日なし", set(), ""),
     ("第2・第4水曜", set(), "We[2,4] off"), ("第2水曜日、第4水曜日", set(), "We[2,4] off"),
     ("最終金曜", set(), "Fr[-1] off"), ("日・第1第3月曜", {6}, "Mo[1,3] off"), ("水・第2水曜", {2}, "")],
)
def test_closed_reads_every_week_and_weeks_of_the_month(value, days, rule):
    closed = f.parse_closed(value, cell("closed"))
    assert (closed.weekdays, closed.rule) == (days, rule)


@pytest.mark.parametrize(("value", "rule"), [("隔週水曜", "says 隔週 (every other week) without saying which weeks"),
                                             ("不定休", "says 不定休"), ("毎月15日", "names a day of every month")])
def test_closed_refuses_what_it_cannot_plan_around(value, rule):
    assert rule in message(f.parse_closed, value, "closed")


@pytest.mark.parametrize(
    ("value", "expected"),
    [("2026年12月3日 14時", Appointment(dt.date(2026, 12, 3), 840)),
     ("R8.12.3 午後2時半", Appointment(dt.date(2026, 12, 3), 870)),
     ("令和8年12月3日14:00", Appointment(dt.date(2026, 12, 3), 840)),
     ("2026/12/3 14:00:00", Appointment(dt.date(2026, 12, 3), 840))],
)
def test_appointment_accepts_japanese_dates_and_times(value, expected):
    assert f.parse_appointments(value, cell("appointment")) == (expected,)


def test_appointment_at_midnight_is_taken_for_a_date_without_its_time():
    assert "starts at 00:00, which looks like a date without its time" in message(
        f.parse_appointments, "2026/12/3 0:00", "appointment")


@pytest.mark.parametrize("value", ["34.328231°", "34.328231 °", "３４．３２８２３１°"])
def test_latitude_accepts_a_degree_sign(value):
    assert f.parse_latitude(value, cell("lat")) == 34.328231
