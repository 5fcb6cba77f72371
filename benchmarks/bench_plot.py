"""How long `routeopt plot` takes on a plan folder, and what it writes: files of each kind, their
total size, the largest picture in pixels, and matplotlib's layout warnings.

Each run is `routeopt plot PLAN --out TMP --gantt G` in a fresh process (wall clock, CPU seconds
and peak memory of that process), once per ``--gantt`` value, into a temporary folder removed
afterwards (``--keep DIR`` keeps the figures).

    python benchmarks/bench_plot.py PLAN_DIR                     # the default (--gantt auto)
    python benchmarks/bench_plot.py PLAN_DIR --gantt auto all    # and with every rep's Gantt charts

PLAN_DIR is any folder written by `routeopt plan` (for the national fleet,
`benchmarks/scenario_national.py` writes its tables and `routeopt plan` the folder).
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import struct
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

LAYOUT_WARNING = "constrained_layout not applied"
"""What matplotlib says when a figure is too crowded to lay out (its axes collapse to nothing)."""
PLOT = """import resource, sys
from routeopt_cli.main import run
try:
    run()
finally:
    print(f"peak-kib {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}", file=sys.stderr)
"""
"""`routeopt plot` with the arguments after ``-c``, saying its peak memory (kilobytes, Linux) last on stderr."""
KINDS = ("gantt", "routes", "workload")
"""The kinds of figure, by the start of their file names."""


@dataclass(frozen=True)
class Run:
    """One `routeopt plot` run: its ``--gantt`` value and what it cost and wrote."""

    gantt: str
    wall_s: float
    cpu_s: float
    peak_mib: float
    files: dict[str, int]
    total_mb: float
    largest_px: tuple[int, int]
    layout_warnings: int


def png_size(path: Path) -> tuple[int, int]:
    """Width and height of a PNG file in pixels, from its header."""
    with open(path, "rb") as f:
        head = f.read(24)
    if head[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError(f"{path} is not a PNG file.")
    width, height = struct.unpack(">II", head[16:24])
    return width, height


def measure(plan_dir: Path, gantt: str, out: Path) -> Run:
    """Run `routeopt plot` on ``plan_dir`` into ``out`` (which must not hold figures yet) and measure it."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", PLOT, "plot", str(plan_dir), "--out", str(out), "--gantt", gantt],
                          capture_output=True, text=True)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise RuntimeError(f"routeopt plot failed ({done.returncode}): {done.stdout}{done.stderr}")
    paths = sorted(out.glob("*.png"))
    sizes = [png_size(p) for p in paths]
    return Run(
        gantt=gantt,
        wall_s=wall,
        cpu_s=(after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime),
        peak_mib=int(done.stderr.rsplit("peak-kib ", 1)[1].split()[0]) / 1024,
        files={kind: sum(p.name.startswith(f"{kind}") for p in paths) for kind in KINDS},
        total_mb=sum(p.stat().st_size for p in paths) / 1e6,
        largest_px=max(sizes, key=lambda s: s[0] * s[1], default=(0, 0)),
        layout_warnings=done.stderr.count(LAYOUT_WARNING),
    )


def table(runs: list[Run]) -> str:
    """The runs as a markdown table."""
    lines = ["| --gantt | wall s | CPU s | peak MiB | gantt | routes | workload | MB | largest px | layout warnings |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for r in runs:
        lines.append(f"| {r.gantt} | {r.wall_s:.1f} | {r.cpu_s:.1f} | {r.peak_mib:.0f} | {r.files['gantt']} | "
                     f"{r.files['routes']} | {r.files['workload']} | {r.total_mb:.1f} | "
                     f"{r.largest_px[0]} × {r.largest_px[1]} | {r.layout_warnings} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("plan", type=Path, help="plan folder written by routeopt plan")
    parser.add_argument("--gantt", nargs="+", default=["auto"], help="--gantt values to run, one run each")
    parser.add_argument("--keep", type=Path, help="keep the figures in DIR/GANTT instead of a temporary folder")
    args = parser.parse_args(argv)
    runs = []
    for gantt in args.gantt:
        with tempfile.TemporaryDirectory(prefix="bench-plot-") as tmp:
            out = (args.keep or Path(tmp)) / gantt.replace(",", "_")
            runs.append(measure(args.plan, gantt, out))
    load = " / ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"{args.plan}: {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"load average after the runs {load}")
    print(table(runs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
