"""Optional dependencies (the extras ``plot`` and ``bench``): the core plans without them, and a
command or function that needs a missing one says in one line which extra to install.

"Not installed" is simulated: ``sys.modules[name] = None`` makes ``import name`` fail the way a
missing package does, and routeopt's modules that import it are forgotten so they import again.
"""

import importlib
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from plan_fixture import tiny_plan
from typer.testing import CliRunner

from routeopt.bench import solve
from routeopt.errors import MissingExtraError, RouteoptError
from routeopt.input.literature import read_instance
from routeopt.optional import EXTRAS, optional_imports
from routeopt_cli.main import app

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import scenarios  # noqa: E402

runner = CliRunner()
DATA = Path(__file__).resolve().parent / "data"
SOLOMON_5 = DATA / "literature" / "solomon_5.txt"
FIGURES, PYVRP_ENGINE = "routeopt.output.figures", "routeopt.schedule.pyvrp_engine"


@pytest.fixture
def uninstall(monkeypatch):
    """``uninstall("matplotlib", FIGURES)``: the package cannot be imported, the modules named after it
    are imported again (and fail) when next needed; everything is restored after the test."""

    def block(package: str, *importers: str) -> None:
        monkeypatch.setitem(sys.modules, package, None)
        for name in importers:
            monkeypatch.delitem(sys.modules, name, raising=False)

    return block


def one_line_naming(result, extra: str) -> str:
    assert result.exit_code == 2, result.output
    message = result.output.strip()
    assert len(message.splitlines()) == 1 and "Traceback" not in message, message
    assert f'pip install "routeopt[{extra}]"' in message
    return message


# ------------------------------------------------------------------------------------ library


def test_importing_the_figures_without_matplotlib_names_the_plot_extra(uninstall):
    uninstall("matplotlib", FIGURES)
    message = r'needs matplotlib, which is not installed: pip install "routeopt\[plot\]"'
    with pytest.raises(MissingExtraError, match=message):
        importlib.import_module(FIGURES)


def test_a_missing_extra_is_a_routeopt_error_and_an_import_error(uninstall):
    uninstall("pyvrp", PYVRP_ENGINE)
    with pytest.raises(RouteoptError) as raised:
        importlib.import_module(PYVRP_ENGINE)
    assert isinstance(raised.value, ImportError)
    assert 'pip install "routeopt[bench]"' in str(raised.value)


def test_the_package_name_is_given_where_it_differs_from_the_module(uninstall):
    uninstall("vroom")
    with pytest.raises(MissingExtraError, match=r'needs pyvroom, .*routeopt\[bench\]'), optional_imports("VROOM"):
        import vroom  # noqa: F401


def test_an_import_that_fails_for_another_reason_is_not_blamed_on_an_extra():
    with pytest.raises(ModuleNotFoundError) as raised, optional_imports("something"):
        import routeopt_no_such_module  # noqa: F401
    assert not isinstance(raised.value, MissingExtraError)


def test_every_extra_of_the_helper_is_declared_in_pyproject():
    text = (Path(__file__).resolve().parents[1] / "pyproject.toml").read_text(encoding="utf-8")
    for package, extra in EXTRAS.values():
        assert f'{extra} = [' in text and f'"{package}' in text.split(f"{extra} = [", 1)[1].split("]", 1)[0]


def test_bench_without_pyvrp_fails_before_solving_and_its_local_engine_still_works(uninstall):
    uninstall("pyvrp", PYVRP_ENGINE)
    lit = read_instance(SOLOMON_5)
    with pytest.raises(MissingExtraError, match=r"routeopt\[bench\]"):
        solve(lit, time_limit=30, engine="auto")
    result = solve(lit, time_limit=5, max_iterations=5, engine="local")
    assert result.feasible and result.cost > 0


# ---------------------------------------------------------------------------------------- CLI


def test_plot_without_matplotlib_exits_2_naming_the_plot_extra(uninstall, tmp_path):
    plan_dir = tiny_plan().write(tmp_path / "plan")
    uninstall("matplotlib", FIGURES)
    one_line_naming(runner.invoke(app, ["plot", str(plan_dir)]), "plot")
    assert not (plan_dir / "figures").exists()


def test_bench_without_pyvrp_exits_2_naming_the_bench_extra(uninstall, tmp_path):
    uninstall("pyvrp", PYVRP_ENGINE)
    result = runner.invoke(app, ["bench", str(SOLOMON_5), "--out", str(tmp_path / "out"), "--time-limit", "30"])
    one_line_naming(result, "bench")
    assert not list(tmp_path.glob("out/*.json"))


@pytest.fixture(scope="module")
def split(tmp_path_factory):
    """A generated 12-customer / 2-rep / 1-week Takamatsu scenario (benchmarks/scenarios.py)."""
    return scenarios.make_scenario("t12", 12, 2, 3, tmp_path_factory.mktemp("split"), weeks=1)


def compare_args(customers, reps, *extra):
    return ["compare", str(customers), "--reps", str(reps), "--start", "2026-12-01", "--weeks", "1",
            "--time-limit", "2", "--max-iterations", "3", "--workers", "1", *extra]


def test_compare_with_a_chart_but_without_matplotlib_exits_2_before_planning(uninstall, split, tmp_path, monkeypatch):
    def must_not_run(*args, **kwargs):
        raise AssertionError("planned before finding matplotlib missing")

    monkeypatch.setattr("routeopt_cli.territory.compare", must_not_run)
    uninstall("matplotlib", FIGURES)
    one_line_naming(runner.invoke(app, compare_args(*split, "--chart", str(tmp_path / "w.png"))), "plot")
    assert not (tmp_path / "w.png").exists()


def test_compare_without_matplotlib_writes_the_table_and_says_the_chart_is_skipped(uninstall, split, tmp_path):
    uninstall("matplotlib", FIGURES)
    table = tmp_path / "table.csv"
    result = runner.invoke(app, compare_args(*split, "--out", str(table), "--quiet"))
    assert result.exit_code == 0, result.output
    assert 'pip install "routeopt[plot]"' in result.output and "table_workload.png is not drawn" in result.output
    assert len(pd.read_csv(table, encoding="utf-8-sig")) == 1
    assert not (tmp_path / "table_workload.png").exists()


def test_the_core_plans_validates_and_writes_every_plan_file_without_any_extra(tmp_path):
    customers, reps = DATA / "ok_small_customers.csv", DATA / "ok_small_reps.csv"
    blocked = "; ".join(f"sys.modules[{m!r}] = None" for m in EXTRAS)
    run_cli = f"import sys; {blocked}; from routeopt_cli.main import app; app(sys.argv[1:])"
    plan = tmp_path / "plan"
    planned = subprocess.run(
        [sys.executable, "-c", run_cli, "plan", str(customers), "--reps", str(reps), "--start", "2026-12-01",
         "--weeks", "1", "--out", str(plan), "--time-limit", "3", "--max-iterations", "5", "--workers", "1",
         "--quiet", "--xlsx", "--ics", "--map"], capture_output=True, text=True)
    assert planned.returncode == 0, planned.stderr
    assert {"itinerary.csv", "unscheduled.csv", "summary.json", "plan.xlsx", "map.html"} <= {
        p.name for p in plan.iterdir()}
    assert list(plan.glob("calendar-*.ics"))
    checked = subprocess.run([sys.executable, "-c", run_cli, "validate", str(plan), "--customers", str(customers),
                              "--reps", str(reps)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout + checked.stderr
