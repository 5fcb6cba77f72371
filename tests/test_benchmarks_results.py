"""benchmarks/RESULTS.md opens with the current figures (one row per benchmark) and keeps every
record in its History; ``benchmarks/results_md.py`` keeps it so (tested on copies of the file)."""

import re
import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))

import results_md  # noqa: E402

TEXT = (BENCHMARKS / "RESULTS.md").read_text(encoding="utf-8")


def table_rows(text: str) -> list[list[str]]:
    table = text.split(results_md.TABLE_START, 1)[1].split(results_md.TABLE_END, 1)[0]
    rows = [[c.strip() for c in re.split(r"(?<!\\)\|", line.strip()[1:-1])] for line in table.strip().splitlines()]
    assert rows[0] == list(results_md.COLUMNS) and {c for cell in rows[1] for c in cell} == {"-"}
    return rows[2:]


def headings(text: str) -> list[str]:
    return re.findall(r"^### (.+)$", text, flags=re.MULTILINE)


def test_the_file_opens_with_the_current_figures_then_holds_the_history():
    assert TEXT.index("\n## Current figures\n") < TEXT.index(results_md.TABLE_END) < TEXT.index("\n## History\n")
    assert TEXT.index("\n## History\n") < TEXT.index("\n### ")


def test_history_headings_are_unique_and_dated():
    found = headings(TEXT)
    assert len(found) == len(set(found)) > 30
    assert all(re.match(r"\d{4}-\d\d-\d\d · ", h) for h in found)


def test_each_current_figure_names_its_history_section_date_and_commit():
    rows = table_rows(TEXT)
    assert len({row[0] for row in rows}) == len(rows) >= 5
    found = headings(TEXT)
    for benchmark, figure, command, commit, date, section in rows:
        assert section in found, benchmark
        assert section.startswith(f"{date} · ") and commit.split(",")[0] in section, benchmark
        assert figure and command.startswith("`python benchmarks/"), benchmark


def test_a_record_goes_last_in_the_history_and_replaces_only_its_benchmarks_row():
    figure = results_md.Figure("Literature: pvrp", "routeopt mean gap 0.99 % (32/32 feasible)",
                               "python benchmarks/bench_literature.py --set pvrp --record")
    text = results_md.with_record(TEXT, "Literature: pvrp, 32 instances", "- Command: `x`\n\n| t |\n", figure,
                                  "2031-01-02", "abc1234")
    before, after = table_rows(TEXT), table_rows(text)
    changed = [(b, a) for b, a in zip(before, after, strict=True) if b != a]
    assert [a for _, a in changed] == [["Literature: pvrp", figure.figure, f"`{figure.command}`", "abc1234",
                                        "2031-01-02", "2031-01-02 · Literature: pvrp, 32 instances · commit abc1234"]]
    history = TEXT.split("\n## History\n", 1)[1]
    assert text.split("\n## History\n", 1)[1] == (
        history.rstrip("\n") + "\n\n### 2031-01-02 · Literature: pvrp, 32 instances · commit abc1234\n\n"
        "- Command: `x`\n\n| t |\n")


def test_a_new_benchmark_gets_a_row_of_its_own_and_a_repeated_heading_a_number():
    figure = results_md.Figure("Literature: quick", "routeopt (3/3 feasible)", "python benchmarks/x.py")
    once = results_md.with_record(TEXT, "Quick", "body", figure, "2031-01-02", "abc1234")
    twice = results_md.with_record(once, "Quick", "body", figure, "2031-01-02", "abc1234")
    assert len(table_rows(once)) == len(table_rows(TEXT)) + 1 == len(table_rows(twice))
    assert table_rows(twice)[-1][-1] == "2031-01-02 · Quick · commit abc1234 (2)"
    assert headings(twice)[-2:] == ["2031-01-02 · Quick · commit abc1234", "2031-01-02 · Quick · commit abc1234 (2)"]


def test_a_section_without_a_figure_leaves_the_table_alone():
    text = results_md.with_record(TEXT, "Notes", "text", None, "2031-01-02", "abc1234")
    assert table_rows(text) == table_rows(TEXT) and headings(text)[-1] == "2031-01-02 · Notes · commit abc1234"


def test_a_file_without_the_current_figures_table_is_refused():
    with pytest.raises(ValueError, match="current-figures"):
        results_md.with_record("# Benchmark results\n\nold record\n", "T", "b", None, "2031-01-02", "abc1234")


def test_record_rewrites_the_file_it_is_given(tmp_path):
    path = tmp_path / "RESULTS.md"
    path.write_text(TEXT, encoding="utf-8")
    results_md.record("Check", "| a | b |", results_md.Figure("Check", "1 | 2", "python benchmarks/c.py"), path)
    rows = table_rows(path.read_text(encoding="utf-8"))
    assert rows[-1][0] == "Check" and rows[-1][1] == "1 \\| 2" and rows[-1][3] == results_md.commit()
    assert (BENCHMARKS / "RESULTS.md").read_text(encoding="utf-8") == TEXT


def test_the_commands_in_the_table_leave_out_the_output_folder_and_the_note():
    argv = ["--set", "pvrp", "--out", "/somewhere", "--note", "a long note", "--record", "--out=/x"]
    assert results_md.command_line("bench_literature.py", argv) == (
        "python benchmarks/bench_literature.py --set pvrp --record")
