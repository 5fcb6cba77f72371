"""The side-by-side benchmark of two versions: one row per setting, plans compared by hash."""

import sys
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))

import bench_versions  # noqa: E402


def test_a_version_against_itself_makes_the_same_plan(monkeypatch, capsys):
    src = BENCHMARKS.parent / "src"
    monkeypatch.setattr(sys, "argv", ["bench_versions.py", "--against", str(src), "--settings",
                                      "example/off/compact/0/2"])
    bench_versions.main()
    rows = [line for line in capsys.readouterr().out.splitlines() if line.startswith("| example/")]
    assert len(rows) == 1
    cells = [c.strip() for c in rows[0].strip("|").split("|")]
    assert len(cells[1]) == 12 and "differ" not in cells[1]  # one hash: the same plan
    assert int(cells[2]) > 0 and float(cells[4]) > 0
