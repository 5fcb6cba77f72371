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
