"""Calendars per rep, parsed back with icalendar, hold exactly the itinerary's visits and lunch breaks."""

import datetime as dt
import zoneinfo

import pytest
from icalendar import Calendar
from plan_fixture import EVIL_REP, FORMULA_NAME, SCRIPT_NAME, tiny_plan

from routeopt import OutputOptions
from routeopt.output.calendar import ics_bytes
from routeopt.output.extras import calendar_name
from routeopt.output.names import file_stems

TOKYO = zoneinfo.ZoneInfo("Asia/Tokyo")


def parsed(plan, rep_id, timezone="Asia/Tokyo", stamp=None):
    return Calendar.from_ical(ics_bytes(plan.problem, plan.routes, rep_id, timezone, stamp))


def at(date, hhmm, tz=TOKYO):
    return dt.datetime.combine(dt.date.fromisoformat(date), dt.time.fromisoformat(hhmm), tzinfo=tz)


@pytest.mark.parametrize("rep_id", ["R1", EVIL_REP])
def test_events_are_the_reps_visits_and_lunch_breaks_in_tokyo_time(rep_id):
    plan = tiny_plan()
    names = {c.id: c.name or c.id for c in plan.problem.customers}
    rows = plan.itinerary()
    rows = rows[(rows.rep == rep_id) & rows.kind.isin(["visit", "break"])].sort_values(["date", "start"])
    events = sorted(parsed(plan, rep_id).events, key=lambda e: e.start)
    assert len(events) == len(rows)
    for event, (_, row) in zip(events, rows.iterrows(), strict=True):
        assert event.start == at(row["date"], row["start"]) and event.end == at(row["date"], row["end"])
        assert event.start.tzinfo.key == "Asia/Tokyo"
        if row["kind"] == "visit":
            assert str(event["SUMMARY"]) == names[row["customer_id"]]
            assert f"Drive before: {row['travel_min']} min" in str(event["DESCRIPTION"])
            assert row["customer_id"] in str(event["DESCRIPTION"])
        else:
            assert str(event["SUMMARY"]) == "Lunch break"


def test_names_and_addresses_stay_as_written():
    plan = tiny_plan()
    by_name = {str(e["SUMMARY"]): e for e in parsed(plan, "R1").events}
    assert FORMULA_NAME in by_name and SCRIPT_NAME in by_name
    assert str(by_name["山田商店"]["LOCATION"]) == "香川県高松市番町1-1"
    assert str(by_name[SCRIPT_NAME]["LOCATION"]) == "<img src=x onerror=alert(2)>"
    no_address = next(iter(parsed(plan, EVIL_REP).walk("VEVENT")))
    assert str(no_address["SUMMARY"]) == "C4" and "LOCATION" not in no_address


def test_the_calendar_carries_its_time_zone_and_a_utc_dtstamp():
    cal = parsed(tiny_plan(), "R1", stamp=dt.datetime(2026, 11, 20, 8, 30, tzinfo=dt.timezone.utc))
    assert [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")] == ["Asia/Tokyo"]
    assert cal.events
    for event in cal.events:
        assert event.DTSTAMP == dt.datetime(2026, 11, 20, 8, 30, tzinfo=dt.timezone.utc)


def test_uids_are_unique_and_the_same_each_time_the_plan_is_written():
    plan = tiny_plan()
    first = [str(e["UID"]) for rep in ("R1", EVIL_REP) for e in parsed(plan, rep).events]
    later = dt.datetime(2027, 1, 1, tzinfo=dt.timezone.utc)
    again = [str(e["UID"]) for rep in ("R1", EVIL_REP) for e in parsed(plan, rep, stamp=later).events]
    assert len(set(first)) == len(first) == 8
    assert first == again


def test_the_time_zone_can_be_chosen():
    berlin = zoneinfo.ZoneInfo("Europe/Berlin")
    cal = parsed(tiny_plan(), "R1", timezone="Europe/Berlin")
    assert min(e.start for e in cal.events) == dt.datetime(2026, 12, 1, 9, 10, tzinfo=berlin)
    assert [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")] == ["Europe/Berlin"]


def test_an_unknown_time_zone_is_refused():
    with pytest.raises(ValueError, match="Mars/Olympus"):
        OutputOptions(ics=True, timezone="Mars/Olympus")


def test_the_plan_folder_gets_one_calendar_per_rep_inside_it(tmp_path):
    out = tiny_plan().write(tmp_path / "plan", outputs=OutputOptions(ics=True))
    stems = file_stems(["R1", EVIL_REP])
    expected = {calendar_name(stems["R1"]), calendar_name(stems[EVIL_REP])}
    assert {p.name for p in out.glob("*.ics")} == expected
    assert "calendar-R1.ics" in expected
    assert len(list(tmp_path.iterdir())) == 1  # nothing written beside the plan folder
    assert len(Calendar.from_ical((out / calendar_name(stems[EVIL_REP])).read_bytes()).events) == 2
