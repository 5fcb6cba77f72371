"""Customers table → Customer records: defaults, cross checks, fixtures in three formats, scale."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import pandas as pd
import pytest

from routeopt.errors import InputError, RouteoptWarning
from routeopt.input import customers_from_frame, read_customers
from routeopt.input.schema import CUSTOMER_COLUMNS
from routeopt.input.tables import frame_from_text
from routeopt.model import Appointment, Customer, Horizon, VisitRule

DATA = Path(__file__).parent / "data"
HORIZON = Horizon(dt.date(2026, 12, 1), 4)  # Tuesday 1 … Monday 28 December 2026


def customers(text: str, rep_ids=None, horizon=None) -> tuple[Customer, ...]:
    return customers_from_frame(frame_from_text(text, "customers.csv", CUSTOMER_COLUMNS), "customers.csv",
                                rep_ids, horizon)


def error(text: str, rep_ids=None, horizon=None) -> str:
    with pytest.raises(InputError) as info:
        customers(text, rep_ids, horizon)
    return str(info.value)


def test_a_minimal_row_gets_the_spec_defaults():
    (c,) = customers("id,lat,lon\nC1,35.68,139.76\n")
    assert c == Customer(id="C1", lat=35.68, lon=139.76)
    assert (c.rule, c.visit_minutes, c.priority, c.hours, c.locked) == (VisitRule(7, 5, 9), 30, 1.0, None, False)


def test_ok_small_is_read_with_every_column():
    c = {c.id: c for c in read_customers(DATA / "ok_small_customers.csv", {"R1"}, HORIZON)}
    assert list(c) == ["C001", "C002", "C003", "C004", "C005"]
    assert c["C001"].closed_weekdays == {5, 6} and c["C001"].last_visit == dt.date(2026, 11, 24)
    assert c["C002"].appointments == (Appointment(dt.date(2026, 12, 3), 14 * 60 + 30),)
    assert c["C002"].locked and c["C002"].priority == 2.0 and c["C002"].visit_minutes == 45
    assert c["C003"].rule == VisitRule(3.5, 2, 5)  # 2/week
    assert c["C004"].rep is None and c["C004"].closed_dates == {dt.date(2026, 12, 29)}
    assert (c["C005"].hours, c["C005"].rule) == (None, VisitRule(10, 7, 13))  # every 10 days


@pytest.mark.parametrize("name", ["ok_small_customers_ja_cp932.csv", "ok_small_customers.xlsx"])
def test_japanese_cp932_and_excel_variants_give_equal_customers(name):
    expected = read_customers(DATA / "ok_small_customers.csv", {"R1"}, HORIZON)
    assert read_customers(DATA / name, {"R1"}, HORIZON) == expected


def test_a_pandas_frame_with_japanese_labels_and_numbers_is_accepted():
    df = pd.DataFrame({"顧客ID": ["C1"], "緯度": [35.68], "経度": [139.76], "滞在時間": [45], "訪問頻度": ["隔週"]})
    (c,) = customers_from_frame(df, "frame")
    assert (c.id, c.lat, c.visit_minutes, c.rule.target_gap) == ("C1", 35.68, 45, 14)  # biweekly


def test_a_read_frame_changed_by_the_caller_keeps_its_row_numbers():
    df = frame_from_text("id,lat,lon\nC1,35.6,139.7\nC2,35.7,139.8\n", "customers.csv", CUSTOMER_COLUMNS)
    df = df[df["id"] == "C2"].assign(visit_minutes=45)
    (c,) = customers_from_frame(df, "customers.csv")
    assert (c.id, c.visit_minutes) == ("C2", 45)
    df["lat"] = "north"
    with pytest.raises(InputError, match=r'^customers.csv row 3 \(id=C2\): lat "north" is not a number.$'):
        customers_from_frame(df, "customers.csv")


def test_duplicate_id_names_both_rows():
    text = "id,lat,lon\nC1,35.6,139.7\nC2,35.6,139.7\nC1,35.6,139.7\n"
    assert error(text) == 'customers.csv row 4 (id=C1): id "C1" is also used in row 2; ids must be unique.'


def test_blank_id_is_refused():
    assert 'customers.csv row 2: id "" is blank' in error("id,lat,lon\n,35.6,139.7\n")


def test_rep_must_be_known_when_reps_are_given():
    text = "id,lat,lon,rep\nC1,35.6,139.7,R9\n"
    assert 'rep "R9" is not in the reps file (known reps: R1, R2).' in error(text, rep_ids={"R1", "R2"})
    assert customers(text)[0].rep == "R9"  # without reps nothing to check against


def test_locked_customer_needs_a_rep():
    assert 'locked "true" needs a rep' in error("id,lat,lon,locked\nC1,35.6,139.7,true\n")


def test_address_only_row_asks_for_geocoding():
    text = "id,lat,lon,address\nC1,,,東京都港区\n"
    assert "run `routeopt geocode` first" in error(text)


def test_last_visit_must_be_before_the_horizon():
    text = "id,lat,lon,last_visit\nC1,35.6,139.7,2026-12-01\n"
    assert 'last_visit "2026-12-01" must be before the plan starts on 2026-12-01.' in error(text, horizon=HORIZON)
    assert customers(text)[0].last_visit == dt.date(2026, 12, 1)  # without a horizon nothing to check


@pytest.mark.parametrize(
    ("closed", "hours", "appointment", "rule"),
    [
        ("sat,sun", "", "2026-12-05 10:00", "falls on a day the customer is closed."),
        ("2026-12-03", "", "2026-12-03 10:00", "falls on a day the customer is closed."),
        ("", "Mo-Sa 09:00-18:00; Th off", "2026-12-03 10:00", "opening hours of that day (closed all day)"),
        ("", "09:00-12:00,14:00-18:00", "2026-12-03 11:45", "opening hours of that day (09:00-12:00, 14:00-18:00)"),
        ("", "", "2026-12-03 23:45", "leaves no room for a 30-minute visit before midnight"),
        ("sun", "", "2026-12-06 10:00;2027-01-04 10:00", 'has "2026-12-06 10:00", which falls on a day the customer'),
    ],
)
def test_appointment_must_be_keepable(closed, hours, appointment, rule):
    text = f'id,lat,lon,closed,hours,appointment\nC1,35.6,139.7,"{closed}","{hours}","{appointment}"\n'
    message = error(text, horizon=HORIZON)
    assert message.startswith(f'customers.csv row 2 (id=C1): appointment "{appointment}" ')
    assert rule in message


def test_appointments_outside_the_plan_are_history_or_left_for_later_with_one_warning():
    text = ("id,lat,lon,last_visit,appointment\n"
            "C1,35.6,139.7,2026-11-10,2026-11-24 10:00;2026-12-10 11:00;2027-01-04 10:00\n"
            "C2,35.6,139.7,,2027-02-01 09:00\n"
            "C3,35.6,139.7,2026-11-27,2026-11-20 10:00\n")
    with pytest.warns(RouteoptWarning) as caught:
        c1, c2, c3 = customers(text, horizon=HORIZON)
    assert [str(w.message) for w in caught] == [
        "customers.csv: 4 appointments outside the plan (2026-12-01 to 2026-12-28) are not planned: 2 before it "
        "(history), 2 after it (left for a later plan)."
    ]
    assert (c1.appointments, c1.last_visit) == ((Appointment(dt.date(2026, 12, 10), 660),), dt.date(2026, 11, 10))
    assert (c2.appointments, c2.last_visit) == ((), None)
    assert (c3.appointments, c3.last_visit) == ((), dt.date(2026, 11, 27))  # the rhythm counts from last_visit


def test_an_appointment_before_the_plan_does_not_hold_the_first_visit_to_the_rhythm():
    text = "id,lat,lon,frequency,appointment\nC1,35.6,139.7,monthly,2026-11-28 10:00;2026-12-02 10:00\n"
    with pytest.warns(RouteoptWarning, match="1 before it"):
        (c,) = customers(text, horizon=HORIZON)
    assert c.appointments == (Appointment(dt.date(2026, 12, 2), 600),)


def test_an_appointment_outside_the_plan_is_not_held_to_the_customers_days():
    text = "id,lat,lon,closed,appointment\nC1,35.6,139.7,sun,2027-01-10 10:00\n"  # a Sunday, after the plan
    with pytest.warns(RouteoptWarning, match="1 appointment outside the plan"):
        (c,) = customers(text, horizon=HORIZON)
    assert c.appointments == ()
    assert customers(text)[0].appointments == (Appointment(dt.date(2027, 1, 10), 600),)  # no horizon: all kept


def test_appointment_on_a_public_holiday_is_read_and_left_to_the_plan():
    horizon = Horizon(dt.date(2026, 12, 1), 4, holidays=frozenset({dt.date(2026, 12, 23)}))
    text = "id,lat,lon,appointment\nC1,35.6,139.7,2026-12-23 10:00\n"
    assert customers(text, horizon=horizon)[0].appointments == (Appointment(dt.date(2026, 12, 23), 600),)


def test_appointment_inside_hours_and_horizon_is_kept():
    text = 'id,lat,lon,hours,appointment\nC1,35.6,139.7,"09:00-12:00,14:00-18:00",2026-12-03 11:30\n'
    assert customers(text, horizon=HORIZON)[0].appointments == (Appointment(dt.date(2026, 12, 3), 690),)


def test_first_bad_cell_of_a_row_is_reported_with_its_column():
    text = "id,lat,lon,frequency,visit_minutes\nC1,35.6,139.7,weekly,30\nC2,35.6,139.7,週2回,0\n"
    assert error(text) == 'customers.csv row 3 (id=C2): visit_minutes "0" must be 1..720 minutes.'


def _generated_rows(n: int) -> str:
    rng = random.Random(7)
    frequencies = ["weekly", "biweekly", "monthly", "2/week", "週1", "隔週", "月2回", "every 10 days"]
    hours = ["", "09:00-18:00", "09:00-12:30,14:30-18:00", "Mo-Fr 09:00-12:30,14:30-18:00; Sa 09:00-12:30"]
    closed = ["", "sat,sun", "土,日", "sun", "水"]
    lines = ["id,name,lat,lon,rep,frequency,visit_minutes,hours,closed,priority,last_visit,locked"]
    for i in range(n):
        lines.append(
            f"C{i:05d},顧客{i},{35 + rng.random():.5f},{139 + rng.random():.5f},R{i % 40},"
            f'{rng.choice(frequencies)},{rng.choice([20, 30, 45])},"{rng.choice(hours)}","{rng.choice(closed)}",'
            f"{rng.choice([1, 2, 0.5])},2026-11-{rng.randint(1, 30):02d},false"
        )
    return "\n".join(lines) + "\n"


def test_fifty_thousand_rows_are_read(tmp_path):
    path = tmp_path / "customers.csv"
    path.write_bytes(_generated_rows(50_000).encode("cp932"))
    got = read_customers(path, {f"R{i}" for i in range(40)}, HORIZON)
    assert len(got) == 50_000
    assert got[-1].id == "C49999"
