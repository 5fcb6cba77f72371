"""The README agrees with the code: format tables, commands, CI."""

import re
from pathlib import Path

import pytest

from routeopt.input.schema import CUSTOMER_COLUMNS, REP_COLUMNS, markdown_table
from routeopt.model import ReasonCode

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_customer_format_table_is_generated_from_the_schema():
    assert markdown_table(CUSTOMER_COLUMNS) in README


def test_rep_format_table_is_generated_from_the_schema():
    assert markdown_table(REP_COLUMNS) in README


def test_reason_code_table_is_generated_from_the_codes():
    table = "\n".join(["| code | meaning |", "|---|---|"] + [f"| `{c.code}` | {c.meaning} |" for c in ReasonCode])
    assert table in README, table


def test_ci_runs_exactly_the_readme_test_command():
    blocks = re.findall(r"```bash\n(.*?)\n```", README, re.S)
    test_command = next(b for b in blocks if "pytest" in b)
    assert test_command in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_readme_example_command_names_files_that_exist():
    blocks = re.findall(r"```bash\n(.*?)\n```", README, re.S)
    run = next(b for b in blocks if "routeopt plan" in b)
    for path in re.findall(r"examples/\S+", run):
        assert (ROOT / path).exists(), path


def test_every_dependency_is_explained_in_the_readme_with_what_installs_it():
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        tomllib = pytest.importorskip("tomli")
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    section = README.split("## Dependencies and why\n", 1)[1].split("\n## ", 1)[0]
    installed_with = {}
    for line in section.splitlines():
        if line.startswith("| ") and not line.startswith("| package "):
            package, where, why = (cell.strip() for cell in line.strip("|").split(" | ", 2))
            assert why, package
            installed_with.update(dict.fromkeys(package.split(", "), where))
    wanted = {req: "core" for req in project["dependencies"]}
    for extra, requirements in project["optional-dependencies"].items():
        wanted.update({req: f"`{extra}` extra" for req in requirements if not req.startswith("routeopt[")})
    for requirement, where in wanted.items():
        name = re.split(r"[<>=!~\[; ]", requirement, maxsplit=1)[0]
        assert installed_with.get(name) == where, requirement


def test_the_japanese_example_table_is_read_as_the_readme_says(tmp_path):
    import datetime as dt
    import warnings

    from routeopt.input import read_customers
    from routeopt.model import Horizon

    block = re.search(r"For example, this export.*?\n```\n(.*?)```", README, re.S)
    assert block is not None
    path = tmp_path / "customers.csv"
    path.write_bytes(block.group(1).encode("cp932"))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        c1, c2 = read_customers(path, {"R1"}, Horizon(dt.date(2026, 12, 1), 4))
    assert [str(w.message) for w in caught] == ["customers.csv row 5: 合計 — not a customer, skipped."]
    assert (c1.id, c1.rule.target_gap, c1.visit_minutes, c1.hours, c1.last_visit) == (
        "C001", 14, 45, "09:00-18:00; We[2,4] off", dt.date(2026, 11, 30))
    assert (c2.name, c2.closed_weekdays, c2.holiday_rules, c2.last_visit) == (
        "㈱佐藤薬局", {5, 6}, True, dt.date(2026, 11, 27))


@pytest.mark.parametrize("name", ["ROUTE_DETAIL_MAX_REPS", "WORKLOAD_REPS_PER_PAGE", "GANTT_DEFAULT_MAX_REPS"])
def test_the_plot_limits_the_readme_names_are_the_code_s(name):
    from routeopt.output import figures

    value = getattr(figures, name)
    assert re.search(rf"\b{value} reps \(`{name}`\)", README), f"README does not give {name} as {value} reps"
