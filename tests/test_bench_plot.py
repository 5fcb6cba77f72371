"""``benchmarks/bench_plot.py`` counts what `routeopt plot` wrote (on the tiny plan; the largest picture by area)."""

import sys
from pathlib import Path

from plan_fixture import tiny_plan

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

import bench_plot  # noqa: E402


def test_a_run_counts_each_kind_of_figure_and_the_largest_picture(tmp_path):
    plan_dir = tiny_plan().write(tmp_path / "plan")
    run = bench_plot.measure(plan_dir, "R1", tmp_path / "figures")
    written = sorted(p.name for p in (tmp_path / "figures").iterdir())
    assert run.files == {"gantt": 1, "routes": 2, "workload": 1} and len(written) == 4
    areas = [w * h for w, h in (bench_plot.png_size(tmp_path / "figures" / n) for n in written)]
    assert max(areas) == run.largest_px[0] * run.largest_px[1]
    assert run.largest_px[0] > 100 and run.wall_s > 0 and run.peak_mib > 50 and run.layout_warnings == 0
    assert "| R1 |" in bench_plot.table([run])
