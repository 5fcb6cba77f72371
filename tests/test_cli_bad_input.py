"""Every bad input file, fed to `routeopt plan`: exit status 2, one line naming file, row and
value, no traceback, and no plan folder written."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_input_bad_files import BAD, EXPECTED
from typer.testing import CliRunner

from routeopt_cli.main import app

DATA = Path(__file__).parent / "data"
runner = CliRunner()


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_plan_with_a_bad_file_exits_2_with_one_line(tmp_path, name):
    bad = BAD / name
    if name.startswith("reps_"):
        customers, reps = DATA / "ok_small_customers.csv", bad
    else:
        customers, reps = bad, DATA / "ok_small_reps.csv"
    out = tmp_path / "plan"
    result = runner.invoke(app, ["plan", str(customers), "--reps", str(reps), "--start", "2026-12-01",
                                 "--weeks", "4", "--out", str(out), "--time-limit", "5"])
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    location, says = EXPECTED[name]
    assert name in lines[0] and location in lines[0] and says in lines[0]
    assert "Traceback" not in result.output
    assert not out.exists()


def test_a_rep_with_too_many_customers_exits_2_naming_the_territory_command(tmp_path):
    customers = tmp_path / "customers.csv"
    rows = [f"C{i},34.3,134.0,R1" for i in range(5001)]
    customers.write_text("id,lat,lon,rep\n" + "\n".join(rows) + "\n", encoding="utf-8")
    result = runner.invoke(app, ["plan", str(customers), "--reps", str(DATA / "ok_small_reps.csv"), "--start",
                                 "2026-12-01", "--out", str(tmp_path / "plan"), "--time-limit", "5"])
    assert result.exit_code == 2, result.output
    assert result.output.strip() == ("error: rep R1 owns 5,001 customers; one rep can be planned with at most 5,000 — "
                                     "split the territory with `routeopt territory`.")
    assert not (tmp_path / "plan").exists()


def test_appointments_outside_the_plan_give_one_warning_line_and_a_plan(tmp_path):
    example = Path(__file__).resolve().parents[1] / "examples" / "takamatsu"
    result = runner.invoke(app, ["plan", str(example / "customers.csv"), "--reps", str(example / "reps.csv"),
                                 "--start", "2026-12-08", "--weeks", "4", "--holidays", "JP", "--quiet",
                                 "--time-limit", "5", "--max-iterations", "1", "--out", str(tmp_path / "plan")])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "warning: customers.csv: 1 appointment outside the plan (2026-12-08 to 2027-01-04) is not planned: "
        "1 before it (history)."
    ]
    assert (tmp_path / "plan" / "itinerary.csv").is_file()
