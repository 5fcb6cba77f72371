"""The routeopt command through Typer's CliRunner, and the installed console script."""

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from routeopt_cli.main import app

runner = CliRunner()
DATA = Path(__file__).resolve().parent / "data"
CUSTOMERS = DATA / "ok_small_customers.csv"
REPS = DATA / "ok_small_reps.csv"


def plan_args(out, *extra, customers=CUSTOMERS):
    return ["plan", str(customers), "--reps", str(REPS), "--start", "2026-12-01", "--weeks", "2",
            "--out", str(out), "--workers", "1", "--time-limit", "5", *extra]


def test_plan_writes_the_plan_folder(tmp_path):
    result = runner.invoke(app, plan_args(tmp_path / "plan"))
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "plan").iterdir()) == ["itinerary.csv", "summary.json", "unscheduled.csv"]
    summary = json.loads((tmp_path / "plan" / "summary.json").read_text(encoding="utf-8"))
    assert summary["travel_model"]["kind"] == "great_circle"
    assert "visits planned" in result.output


def test_validate_accepts_the_plan_it_wrote(tmp_path):
    runner.invoke(app, plan_args(tmp_path / "plan"))
    result = runner.invoke(app, ["validate", str(tmp_path / "plan"), "--customers", str(CUSTOMERS),
                                 "--reps", str(REPS), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["ok"] is True


def test_bad_input_exits_2_with_one_line_and_writes_nothing(tmp_path):
    bad = tmp_path / "customers.csv"
    bad.write_text("id,lat,lon\nC1,34.3,134.0\nC2,north,134.0\n", encoding="utf-8")
    result = runner.invoke(app, plan_args(tmp_path / "plan", customers=bad))
    assert result.exit_code == 2
    message = result.output.strip()
    assert len(message.splitlines()) == 1
    assert "customers.csv" in message and "row 3" in message and "north" in message
    assert "Traceback" not in result.output
    assert not (tmp_path / "plan").exists()


def test_failed_run_keeps_the_earlier_plan(tmp_path):
    runner.invoke(app, plan_args(tmp_path / "plan"))
    before = (tmp_path / "plan" / "itinerary.csv").read_bytes()
    bad = tmp_path / "customers.csv"
    bad.write_text("id,lat,lon\nC1,34.3,999\n", encoding="utf-8")
    assert runner.invoke(app, plan_args(tmp_path / "plan", customers=bad)).exit_code == 2
    assert (tmp_path / "plan" / "itinerary.csv").read_bytes() == before


def test_internal_error_is_one_line_naming_a_file_with_the_traceback(tmp_path, monkeypatch):
    def broken(*args, **kwargs):
        raise AssertionError("lost a visit")

    monkeypatch.setattr("routeopt.plan", broken)
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    result = runner.invoke(app, plan_args(tmp_path / "plan"))
    assert result.exit_code == 1
    message = result.output.strip()
    assert len(message.splitlines()) == 1 and "Traceback" not in message
    assert message.startswith("internal error: AssertionError: lost a visit")
    [report] = tmp_path.glob("routeopt-error-*.txt")
    assert str(report) in message
    text = report.read_text(encoding="utf-8")
    assert "Traceback" in text and "in broken" in text and "lost a visit" in text
    assert not (tmp_path / "plan").exists()


@pytest.mark.parametrize(
    "option,value,words",
    [("--start", "first of December", "--start"), ("--weeks", "0", "--weeks"), ("--holidays", "XX", "--holidays"),
     ("--encoding", "latin-9", "--encoding")],
)
def test_bad_option_exits_2(tmp_path, option, value, words):
    args = plan_args(tmp_path / "plan")
    if option in args:
        args[args.index(option) + 1] = value
    else:
        args += [option, value]
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    assert words in result.output


def test_cp932_output_on_request(tmp_path):
    result = runner.invoke(app, plan_args(tmp_path / "plan", "--encoding", "cp932"))
    assert result.exit_code == 0, result.output
    data = (tmp_path / "plan" / "itinerary.csv").read_bytes()
    assert not data.startswith(b"\xef\xbb\xbf")
    data.decode("cp932")


def emoji_customers(folder):
    """Two customers, one with characters cp932 cannot hold (an emoji, a kanji outside JIS)."""
    customers = folder / "customers.csv"
    customers.write_text("id,name,lat,lon,rep,frequency\n"
                         "K01,ラーメン🍜𠮷野家,35.6895,139.6917,R1,weekly\n"
                         "K02,山田商店,35.6899,139.6920,R1,weekly\n", encoding="utf-8")
    return customers


def test_cp932_output_names_the_characters_it_cannot_hold(tmp_path):
    customers = emoji_customers(tmp_path)
    lossy = runner.invoke(app, plan_args(tmp_path / "a", "-q", "--encoding", "cp932", customers=customers))
    assert lossy.exit_code == 0, lossy.output
    assert "warning: cp932 cannot hold 🍜 𠮷: written as ?" in lossy.output
    assert "ラーメン??野家" in (tmp_path / "a" / "itinerary.csv").read_bytes().decode("cp932")
    kept = runner.invoke(app, plan_args(tmp_path / "b", "-q", customers=customers))
    assert kept.exit_code == 0 and "warning" not in kept.output


def test_territory_in_cp932_names_the_characters_it_cannot_hold(tmp_path):
    customers = emoji_customers(tmp_path)
    args = ["territory", str(customers), "--reps", str(REPS), "--time-limit", "2", "-q"]
    lossy = runner.invoke(app, [*args, "--out", str(tmp_path / "a.csv"), "--encoding", "cp932"])
    assert lossy.exit_code == 0, lossy.output
    assert lossy.stderr.strip() == "warning: cp932 cannot hold 🍜 𠮷: written as ? in a.csv."
    assert "ラーメン??野家" in (tmp_path / "a.csv").read_bytes().decode("cp932")
    kept = runner.invoke(app, [*args, "--out", str(tmp_path / "b.csv")])
    assert kept.exit_code == 0 and "warning" not in kept.output
    assert "ラーメン🍜𠮷野家" in (tmp_path / "b.csv").read_text(encoding="utf-8-sig")


def test_refuses_to_overwrite_a_folder_that_is_not_a_plan(tmp_path):
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    result = runner.invoke(app, plan_args(tmp_path))
    assert result.exit_code == 2
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_installed_console_script_runs():
    beside_python = Path(sys.executable).parent / "routeopt"
    exe = str(beside_python) if beside_python.exists() else shutil.which("routeopt")
    assert exe is not None, "no routeopt command: pip install the project ([project.scripts] in pyproject.toml)"
    done = subprocess.run([exe, "--help"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0
    assert "plan" in done.stdout and "validate" in done.stdout


@pytest.mark.parametrize("to_group", [False, True], ids=["main process", "process group"])
def test_ctrl_c_writes_the_best_plan_found_so_far(tmp_path, to_group):
    """One Ctrl-C stops the search and writes its best plan, whether the signal reaches only
    the main process or, as a terminal sends it, every process of the group (the worker
    processes then see it too, possibly before the main process does)."""
    beside_python = Path(sys.executable).parent / "routeopt"
    assert beside_python.exists(), "no routeopt command: pip install the project ([project.scripts] in pyproject.toml)"
    example = Path(__file__).resolve().parents[1] / "examples" / "takamatsu"
    out = tmp_path / "plan"
    proc = subprocess.Popen(
        [str(beside_python), "plan", str(example / "customers.csv"), "--reps", str(example / "reps.csv"),
         "--start", "2026-12-01", "--weeks", "4", "--out", str(out), "--time-limit", "600"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
    )
    time.sleep(8)  # past reading and the construction: the search is running
    if to_group:
        os.killpg(proc.pid, signal.SIGINT)
    else:
        proc.send_signal(signal.SIGINT)
    stdout, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 0, stderr
    assert "interrupted" in stderr
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["interrupted"] is True
    assert summary["totals"]["visits_planned"] > 0


def test_a_killed_run_leaves_the_earlier_plan_intact(tmp_path):
    beside_python = Path(sys.executable).parent / "routeopt"
    assert beside_python.exists(), "no routeopt command: pip install the project ([project.scripts] in pyproject.toml)"
    out = tmp_path / "plan"
    assert runner.invoke(app, plan_args(out)).exit_code == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    example = Path(__file__).resolve().parents[1] / "examples" / "takamatsu"
    proc = subprocess.Popen(
        [str(beside_python), "plan", str(example / "customers.csv"), "--reps", str(example / "reps.csv"),
         "--start", "2026-12-01", "--weeks", "4", "--out", str(out), "--time-limit", "600", "--quiet"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
    )
    time.sleep(5)
    os.killpg(proc.pid, signal.SIGKILL)  # the whole group: the planner and its worker processes
    proc.wait(timeout=60)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_nothing_plannable_exits_3_and_writes_the_reasons(tmp_path):
    customers = tmp_path / "customers.csv"
    customers.write_text(
        "id,name,lat,lon,rep,frequency,visit_minutes,hours\n"
        "K01,短時間店,35.6895,139.6917,R1,weekly,30,Mo-Fr 09:00-09:10\n",
        encoding="utf-8",
    )
    out = tmp_path / "plan"
    result = runner.invoke(app, plan_args(out, customers=customers))
    assert result.exit_code == 3, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "nothing could be planned" in lines[0] and "K01" in lines[0]
    assert str(out / "unscheduled.csv") in lines[0]
    rows = (out / "unscheduled.csv").read_text(encoding="utf-8-sig").strip().splitlines()
    assert rows[0] == "customer_id,due,reason,code" and len(rows) == 3  # weekly over 2 weeks
    assert all(row.startswith("K01,") and "opening hours shorter than" in row for row in rows[1:])
    assert all(row.endswith(",hours_too_short") for row in rows[1:])


def test_json_is_printed_when_nothing_could_be_planned_and_the_exit_status_is_still_3(tmp_path):
    customers = tmp_path / "customers.csv"  # open 10 minutes a day: no 30-minute visit fits
    customers.write_text(
        "id,name,lat,lon,rep,frequency,visit_minutes,hours\n"
        "K01,短時間店,35.6895,139.6917,R1,weekly,30,Mo-Fr 09:00-09:10\n",
        encoding="utf-8",
    )
    out = tmp_path / "plan"
    result = runner.invoke(app, plan_args(out, "--json", "--max-iterations", "3", customers=customers))
    assert result.exit_code == 3, result.output
    printed = json.loads(result.stdout)
    assert printed == json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert printed["totals"]["visits_planned"] == 0 and printed["totals"]["visits_unscheduled"] == 2
    assert "nothing could be planned" in result.stderr and "nothing could be planned" not in result.stdout


def test_an_out_folder_that_cannot_be_written_is_refused_before_planning(tmp_path, monkeypatch):
    def must_not_plan(*args, **kwargs):
        raise AssertionError("planned before checking --out")

    monkeypatch.setattr("routeopt.plan", must_not_plan)
    blocker = tmp_path / "notes.txt"
    blocker.write_text("mine", encoding="utf-8")
    result = runner.invoke(app, plan_args(blocker / "plan"))
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "notes.txt is a file, not a folder" in lines[0]
    assert blocker.read_text(encoding="utf-8") == "mine"


@pytest.mark.parametrize("closed,hours", [("日,祝", ""), ("", "Mo-Fr 09:00-18:00; PH off")])
def test_customers_closed_on_holidays_without_a_holiday_calendar_get_a_warning(tmp_path, closed, hours):
    customers = tmp_path / "customers.csv"
    customers.write_text(
        "id,name,lat,lon,rep,frequency,closed,hours\n"
        f'K01,祝日休み,35.6895,139.6917,R1,weekly,"{closed}","{hours}"\n'
        "K02,年中無休,35.6899,139.6920,R1,weekly,,\n",
        encoding="utf-8",
    )
    without = runner.invoke(app, plan_args(tmp_path / "a", "-q", customers=customers))
    assert without.exit_code == 0, without.output
    assert "warning: customers.csv: 1 customers (K01)" in without.output and "--holidays JP" in without.output
    with_calendar = runner.invoke(app, plan_args(tmp_path / "b", "-q", "--holidays", "JP", customers=customers))
    assert with_calendar.exit_code == 0, with_calendar.output
    assert "warning" not in with_calendar.output


@pytest.mark.parametrize(("option", "value", "says"), [
    ("--workers", "0", "options: workers must be >= 1."),
    ("--time-limit", "0", "options: time limit 0.0 s must be > 0"),
    ("--max-iterations", "-1", "options: max_iterations must be >= 0"),
    ("--last-weekday", "never", "options: last_weekday 'never' is not one of keep, free."),
])
def test_bad_plan_options_are_refused_in_one_line(tmp_path, option, value, says):
    args = [a for a in plan_args(tmp_path / "plan") if a not in ("--workers", "1")]
    result = runner.invoke(app, [*args, option, value])
    assert result.exit_code == 2, result.output
    assert len(result.output.strip().splitlines()) == 1 and says in result.output
    assert not (tmp_path / "plan").exists()


def _commands():
    import typer.main

    group = typer.main.get_command(app)
    return sorted(group.commands.items())


@pytest.mark.parametrize("name,command", _commands(), ids=[name for name, _ in _commands()])
def test_help_shows_every_bracketed_text_as_written(name, command):
    """Help texts such as ``pip install "routeopt[ray]"`` reach the screen whole: the help is
    rendered with Rich markup, where an unescaped ``[ray]`` is taken for a style and dropped."""
    texts = [command.help or "", *(getattr(p, "help", None) or "" for p in command.params)]
    bracketed = [text for text in texts if "[" in text]
    result = runner.invoke(app, [name, "--help"], env={"COLUMNS": "2000", "TERMINAL_WIDTH": "2000"})
    assert result.exit_code == 0, result.output
    for text in bracketed:
        for part in (w for w in text.replace("\\[", "[").split() if "[" in w):
            assert part in result.output, (part, name)
