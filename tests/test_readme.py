"""The README agrees with the code: format tables, commands, CI."""

import re
from pathlib import Path

from routeopt.input.schema import CUSTOMER_COLUMNS, REP_COLUMNS, markdown_table

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_customer_format_table_is_generated_from_the_schema():
    assert markdown_table(CUSTOMER_COLUMNS) in README


def test_rep_format_table_is_generated_from_the_schema():
    assert markdown_table(REP_COLUMNS) in README


def test_ci_runs_exactly_the_readme_test_command():
    blocks = re.findall(r"```bash\n(.*?)\n```", README, re.S)
    test_command = next(b for b in blocks if "pytest" in b)
    assert test_command in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_readme_example_command_names_files_that_exist():
    blocks = re.findall(r"```bash\n(.*?)\n```", README, re.S)
    run = next(b for b in blocks if "routeopt plan" in b)
    for path in re.findall(r"examples/\S+", run):
        assert (ROOT / path).exists(), path


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
    assert (c1.id, c1.frequency, c1.visit_minutes, c1.hours, c1.last_visit) == (
        "C001", "biweekly", 45, "09:00-18:00; We[2,4] off", dt.date(2026, 11, 30))
    assert (c2.name, c2.closed_weekdays, c2.holiday_rules, c2.last_visit) == (
        "㈱佐藤薬局", {5, 6}, True, dt.date(2026, 11, 27))
