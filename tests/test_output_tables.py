"""The plan's CSV files: exact text, BOM for Excel, CP932 on request, formulas neutralised."""

import datetime as dt

import pytest

from routeopt.errors import InputError
from routeopt.model import DayRoute, ReasonCode, Stop, Unscheduled
from routeopt.output.tables import (
    ITINERARY_COLUMNS,
    UNSCHEDULED_COLUMNS,
    csv_bytes,
    itinerary_rows,
    unscheduled_rows,
)

# One short day: leave 09:00, one visit, lunch at the customer, back at 13:30.
DAY = DayRoute(
    "R1",
    dt.date(2026, 12, 1),
    (
        Stop("start", 34.35, 134.0465, 540, 540, 540),
        Stop("visit", 34.3297, 134.0443, 552, 552, 582, 12, 2.9876, 0, "C1", "栗林ストア"),
        Stop("break", 34.3297, 134.0443, 582, 690, 735, wait_min=108),
        Stop("end", 34.35, 134.0465, 747, 747, 747, 12, 2.9876),
    ),
)

EXPECTED_ITINERARY = (
    "rep,date,seq,kind,customer_id,customer_name,lat,lon,arrive,start,end,travel_min,travel_km,wait_min\r\n"
    "R1,2026-12-01,1,start,,,34.350000,134.046500,09:00,09:00,09:00,0,0.000,0\r\n"
    "R1,2026-12-01,2,visit,C1,栗林ストア,34.329700,134.044300,09:12,09:12,09:42,12,2.988,0\r\n"
    "R1,2026-12-01,3,break,,,34.329700,134.044300,09:42,11:30,12:15,0,0.000,108\r\n"
    "R1,2026-12-01,4,end,,,34.350000,134.046500,12:27,12:27,12:27,12,2.988,0\r\n"
)


def test_itinerary_text_is_exactly_the_spec_format_with_a_bom():
    data = csv_bytes(itinerary_rows([DAY]), ITINERARY_COLUMNS)
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.decode("utf-8-sig") == EXPECTED_ITINERARY


def test_cp932_encoding_on_request():
    data = csv_bytes(itinerary_rows([DAY]), ITINERARY_COLUMNS, "cp932")
    assert not data.startswith(b"\xef\xbb\xbf")
    assert data.decode("cp932") == EXPECTED_ITINERARY


def test_unknown_encoding_is_an_input_error_naming_the_parameter_not_a_flag():
    with pytest.raises(InputError, match='^encoding "latin-9"') as caught:
        csv_bytes([], ITINERARY_COLUMNS, "latin-9")
    assert caught.value.param == "encoding"


def test_unscheduled_text_is_sorted_and_exact():
    items = [
        Unscheduled("C9", dt.date(2026, 12, 8), "customer closed on every allowed day (12/08)", ReasonCode.CLOSED),
        Unscheduled("C2", dt.date(2026, 12, 3), "day capacity exhausted on every allowed day (12/03)",
                    ReasonCode.DAY_FULL),
    ]
    text = csv_bytes(unscheduled_rows(items), UNSCHEDULED_COLUMNS).decode("utf-8-sig")
    assert text == (
        "customer_id,due,reason,code\r\n"
        "C2,2026-12-03,day capacity exhausted on every allowed day (12/03),day_full\r\n"
        "C9,2026-12-08,customer closed on every allowed day (12/08),closed\r\n"
    )


def test_a_name_a_spreadsheet_would_execute_is_neutralised():
    evil = DayRoute(DAY.rep, DAY.date, (DAY.stops[0], Stop("visit", 34.3, 134.0, 552, 552, 582,
                                                               customer_id="C1", customer_name="=HYPERLINK(1)"),
                                        DAY.stops[3]))
    rows = itinerary_rows([evil])
    assert rows[1]["customer_name"] == "'=HYPERLINK(1)"
