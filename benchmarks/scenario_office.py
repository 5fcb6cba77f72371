#!/usr/bin/env python3
"""The shared-office scenario: every rep leaves from one office, the team is overloaded by about
a third, on real Takamatsu points.

    python benchmarks/scenario_office.py --out benchmarks/out/office     # writes office900/

It is ``scenarios.make_scenario("office900", 900, 8, …)`` (real points of
``benchmarks/data/takamatsu_points.csv``, synthetic rhythms, hours, priorities, last visits and
appointments; see ``scenarios.py``) with three changes:

* every rep starts and ends at the sales office near JR Takamatsu station (``scenarios.OFFICE``);
* the rhythms are tuned until the visits due are :data:`DUE_SHARE` of 10 visits per rep-day,
  which the capacity estimate puts at about 4/3 of the team's working minutes (printed);
* the current split (``customers.csv``'s ``rep``) is a book grown by seniority: angular sectors
  around the office whose sizes follow :data:`SENIORITY` (the three reps who joined last hold
  small books), as a manager who hands each newcomer a slice of the map would have it.
"""

from __future__ import annotations

import argparse
import csv
import math
from pathlib import Path

import scenarios

HERE = Path(__file__).resolve().parent
DEFAULT_OUT = HERE / "out" / "office"
NAME, N_CUSTOMERS, N_REPS, SEED = "office900", 900, 8, 900
DUE_SHARE = (2.2, 2.25)
SENIORITY = (1.8, 1.5, 1.3, 1.1, 0.9, 0.6, 0.45, 0.35)
"""Book size of each rep relative to the mean (visits due × visit minutes of its sector)."""


def make_office(out_dir: str | Path = DEFAULT_OUT) -> tuple[Path, Path]:
    """Write ``out_dir/office900/customers.csv`` (the seniority split) and ``reps.csv``."""
    customers, reps = scenarios.make_scenario(NAME, N_CUSTOMERS, N_REPS, SEED, out_dir, scenarios.WEEKS,
                                              due_share=DUE_SHARE)
    with open(reps, encoding="utf-8-sig", newline="") as fh:
        rep_rows = list(csv.DictReader(fh))
    lat, lon = scenarios.OFFICE
    for row in rep_rows:
        row.update(start_lat=f"{lat:.4f}", start_lon=f"{lon:.4f}", end_lat=f"{lat:.4f}", end_lon=f"{lon:.4f}")
    scenarios._write_csv(reps, rep_rows)
    with open(customers, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    _seniority_split(rows, customers, reps)
    scenarios._write_csv(customers, rows)
    return customers, reps


def _seniority_split(rows: list[dict[str, str]], customers: Path, reps: Path) -> None:
    """Set each row's rep: sectors around the office, in angle order, sized by :data:`SENIORITY`."""
    import routeopt

    problem = routeopt.read_problem(customers, reps, routeopt.make_horizon(scenarios.START, scenarios.WEEKS,
                                                                           scenarios.HOLIDAYS))
    due = problem.due_visits()
    minutes = {c.id: due[c.id] * c.visit_minutes for c in problem.customers}
    lat0, lon0 = scenarios.OFFICE

    def angle(row: dict[str, str]) -> float:
        return math.atan2(float(row["lat"]) - lat0, (float(row["lon"]) - lon0) * math.cos(math.radians(lat0)))

    order = sorted(rows, key=lambda r: (angle(r), r["id"]))
    total = sum(minutes.values())
    bounds, acc = [], 0.0
    for share in SENIORITY:
        acc += share / sum(SENIORITY) * total
        bounds.append(acc)
    k, done = 0, 0.0
    for row in order:
        while k < len(bounds) - 1 and done >= bounds[k]:
            k += 1
        row["rep"] = f"R{k + 1}"
        done += minutes[row["id"]]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = ap.parse_args()
    import routeopt
    from routeopt.territory.capacity import estimate_capacity

    customers, reps = make_office(args.out)
    problem = routeopt.read_problem(customers, reps, routeopt.make_horizon(scenarios.START, scenarios.WEEKS,
                                                                           scenarios.HOLIDAYS))
    est = estimate_capacity(problem)
    print(f"{NAME}: {len(problem.customers)} customers, {len(problem.reps)} reps at the office; needs "
          f"{est.needed_min:,.0f} min, team {est.team_min:,.0f} min ({est.needed_min / est.team_min:.2f}x) → "
          f"{customers.parent}")
    print(est.message())


if __name__ == "__main__":
    main()
