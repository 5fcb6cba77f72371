"""routeopt plan's outputs for people through the CLI: --xlsx, --ics, --map, --json, the summary table, --quiet."""

import json
from pathlib import Path

import openpyxl
from icalendar import Calendar
from typer.testing import CliRunner

from routeopt_cli.main import app

runner = CliRunner()
DATA = Path(__file__).resolve().parent / "data"


def plan_args(out, *extra):
    return ["plan", str(DATA / "ok_small_customers.csv"), "--reps", str(DATA / "ok_small_reps.csv"),
            "--start", "2026-12-01", "--weeks", "2", "--out", str(out), "--workers", "1", "--time-limit", "5",
            "--max-iterations", "20", *extra]


def test_json_prints_only_the_summary_to_stdout_and_the_files_are_written(tmp_path):
    out = tmp_path / "plan"
    result = runner.invoke(app, plan_args(out, "--json", "--xlsx", "--ics", "--map"))
    assert result.exit_code == 0, result.output
    printed = json.loads(result.stdout)
    assert printed == json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert printed["totals"]["visits_planned"] > 0
    assert sorted(p.name for p in out.iterdir()) == [
        "calendar-R1.ics", "itinerary.csv", "map.html", "plan.xlsx", "summary.json", "unscheduled.csv"]
    visits = printed["per_rep"]["R1"]["visits_planned"]
    events = Calendar.from_ical((out / "calendar-R1.ics").read_bytes()).events
    assert sum(1 for e in events if str(e["SUMMARY"]) != "Lunch break") == visits
    sheet = openpyxl.load_workbook(out / "plan.xlsx")["R1"]
    assert sum(1 for row in sheet.iter_rows(min_row=2, values_only=True) if row[3] == "visit") == visits
    page = (out / "map.html").read_text(encoding="utf-8")
    assert page.count('"n":') == visits  # one numbered stop per visit in the map's data


def test_map_tiles_must_be_a_tile_url_template(tmp_path):
    result = runner.invoke(app, plan_args(tmp_path / "plan", "--map-tiles", "file:///etc/passwd"))
    assert result.exit_code == 2 and "URL template" in result.output


def test_the_summary_table_lists_every_rep_and_the_total(tmp_path):
    result = runner.invoke(app, plan_args(tmp_path / "plan"))
    assert result.exit_code == 0, result.output
    summary = json.loads((tmp_path / "plan" / "summary.json").read_text(encoding="utf-8"))
    rep_line = next(line for line in result.stdout.splitlines() if line.split()[:1] == ["R1"])
    assert f"{summary['totals']['visits_planned']}/{summary['totals']['visits_due']}" in rep_line
    assert str(summary["totals"]["travel_min"]) in rep_line
    assert any(line.split()[:1] == ["total"] for line in result.stdout.splitlines())


def test_the_summary_says_what_a_weekday_was_worth_when_the_user_set_it(tmp_path):
    weighted = runner.invoke(app, plan_args(tmp_path / "weighted", "--course-weight", "12.5"))
    assert weighted.exit_code == 0, weighted.output
    words = " ".join(weighted.stdout.split())  # the caption wraps with the terminal's width
    share = json.loads((tmp_path / "weighted" / "summary.json").read_text(encoding="utf-8"))["totals"]["regularity"]
    assert f"kept on one weekday ({share['share']:.0%}, at 12.5 min a visit off its weekday)" in words
    plain = " ".join(runner.invoke(app, plan_args(tmp_path / "plain")).stdout.split())
    assert "kept on one weekday (" in plain and "a visit off its weekday" not in plain


def test_quiet_prints_nothing(tmp_path):
    result = runner.invoke(app, plan_args(tmp_path / "plan", "--quiet"))
    assert result.exit_code == 0, result.output
    assert result.output == ""


def test_an_unknown_time_zone_exits_2_before_planning(tmp_path):
    result = runner.invoke(app, plan_args(tmp_path / "plan", "--ics", "--timezone", "Mars/Olympus"))
    assert result.exit_code == 2
    assert len(result.output.strip().splitlines()) == 1 and "Mars/Olympus" in result.output
    assert not (tmp_path / "plan").exists()


def test_a_failing_renderer_leaves_the_earlier_plan_folder_untouched(tmp_path, monkeypatch):
    out = tmp_path / "plan"
    assert runner.invoke(app, plan_args(out, "--xlsx")).exit_code == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr("routeopt.output.webmap.map_html", broken)
    result = runner.invoke(app, plan_args(out, "--xlsx", "--ics", "--map"))
    assert result.exit_code == 1 and "disk full" in result.output
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
