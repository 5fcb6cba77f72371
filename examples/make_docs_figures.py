#!/usr/bin/env python3
"""Make the README's pictures from the bundled Takamatsu example with routeopt's own code.

Plans examples/takamatsu (seeded, capped iterations), then writes:
    docs/map.png     map.html on the first day most reps drive, as headless Chromium shows it
    docs/gantt.png   the first week of the rep with most days in it, as ``routeopt plot`` draws it

Needs the plot extra (``pip install ".[plot]"``), a Chromium binary (Debian: ``apt-get install
chromium``) and, for Japanese names in the screenshot, a Japanese font (Debian: ``apt-get install
fonts-ipafont-gothic``).

Usage:
    python examples/make_docs_figures.py [--time-limit 60]
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
from pathlib import Path

from PIL import Image

import routeopt
from routeopt.output.figures import gantt_figure, png_bytes

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
from browser import screenshot  # noqa: E402  (the tests' headless-Chromium helper; not in the package)

EXAMPLE = ROOT / "examples" / "takamatsu"
START = dt.date(2026, 12, 1)


def small_png(source: Path, target: Path, colors: int = 128) -> None:
    """Save ``source`` as a palette PNG (a fraction of the size, no visible loss for charts and maps)."""
    Image.open(source).convert("RGB").quantize(colors=colors).save(target, optimize=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--time-limit", type=float, default=60.0)
    args = parser.parse_args()
    horizon = routeopt.make_horizon(START, weeks=4, holiday_country="JP")
    problem = routeopt.read_problem(EXAMPLE / "customers.csv", EXAMPLE / "reps.csv", horizon)
    plan = routeopt.plan(problem, routeopt.PlanOptions(time_limit=args.time_limit, seed=0, max_iterations=300))
    itinerary = plan.itinerary()
    visits = itinerary[itinerary["kind"] == "visit"]
    busiest = visits.groupby("date")["rep"].nunique().idxmax()  # a day on which most reps drive
    first_week = visits[visits["date"] < (START + dt.timedelta(days=7)).isoformat()]
    rep = first_week.groupby("rep")["date"].nunique().idxmax()  # the rep with most days in week one
    docs = ROOT / "docs"
    docs.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        folder = plan.write(Path(tmp) / "plan", outputs=routeopt.OutputOptions(map=True))
        shot = screenshot((folder / "map.html").as_uri() + f"#date={busiest}", Path(tmp) / "map.png",
                          size=(1000, 700))
        small_png(shot, docs / "map.png")
        (Path(tmp) / "gantt.png").write_bytes(png_bytes(gantt_figure(itinerary, rep, START), dpi=80))
        small_png(Path(tmp) / "gantt.png", docs / "gantt.png")
    for name in ("map.png", "gantt.png"):
        print(f"docs/{name}: {(docs / name).stat().st_size / 1024:.0f} KB")


if __name__ == "__main__":
    main()
