"""The README agrees with the code: format tables, commands, CI."""

import re
from pathlib import Path

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
