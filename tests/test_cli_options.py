"""The travel flags that plan, territory and compare share (``cli/options.py``): the same help,
the travel model's own defaults, and the same answer to a bad value."""

from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from routeopt import GreatCircle
from routeopt_cli.main import app

runner = CliRunner()
DATA = Path(__file__).resolve().parent / "data"
CUSTOMERS, REPS = DATA / "ok_small_customers.csv", DATA / "ok_small_reps.csv"
COMMANDS = ("plan", "territory", "compare")
FLAGS = ("--matrix", "--detour", "--speed")


def travel_flags(command: str) -> dict[str, tuple[str | None, object]]:
    params = typer.main.get_command(app).commands[command].params
    return {p.opts[0]: (p.help, p.default) for p in params if p.opts[0] in FLAGS}


def test_every_command_declares_the_travel_flags_alike_with_the_travel_models_defaults():
    declared = {command: travel_flags(command) for command in COMMANDS}
    assert all(flags == declared["plan"] for flags in declared.values())
    assert set(declared["plan"]) == set(FLAGS)
    model = GreatCircle()
    assert declared["plan"]["--detour"][1] == model.detour_factor
    assert declared["plan"]["--speed"][1] == model.speed_kmh
    assert declared["plan"]["--matrix"][1] is None


@pytest.mark.parametrize("command", COMMANDS)
def test_a_speed_out_of_range_is_refused_alike_by_every_command(command, tmp_path):
    args = {"plan": ["plan", str(CUSTOMERS), "--out", str(tmp_path / "plan")],
            "territory": ["territory", str(CUSTOMERS), "--out", str(tmp_path / "t.csv")],
            "compare": ["compare", str(CUSTOMERS)]}[command]
    result = runner.invoke(app, [*args, "--reps", str(REPS), "--start", "2026-12-01", "--speed", "500"])
    assert result.exit_code == 2, result.output
    message = result.output.strip()
    assert len(message.splitlines()) == 1
    assert message == "error: --detour/--speed: speed 500.0 km/h must be between 1 and 200."


@pytest.mark.parametrize("command", ["plan", "compare"])
@pytest.mark.parametrize(("extra", "message"), [
    (["--regularity", "strict", "--course-weight", "10"], "a course weight needs regularity 'soft', not 'strict'."),
    (["--course-weight", "-5"], "course weight -5.0 must be a number of minutes >= 0."),
])
def test_a_course_weight_is_refused_in_one_line_where_it_cannot_apply(command, extra, message, tmp_path):
    args = {"plan": ["plan", str(CUSTOMERS), "--out", str(tmp_path / "plan")], "compare": ["compare", str(CUSTOMERS)]}
    result = runner.invoke(app, [*args[command], "--reps", str(REPS), "--start", "2026-12-01", *extra])
    assert result.exit_code == 2, result.output
    assert result.output.strip() == f"error: options: {message}"
    assert not (tmp_path / "plan").exists()
