#!/usr/bin/env python3
"""The national scenario: 20,000 customers and 200 reps all over Japan, on real OSM points.

    python benchmarks/scenario_national.py --out benchmarks/out/national    # writes national20k/

Points: ``shared/data/real/osm_poi_japan_2013/osm_poi_japan_2013.csv`` (convenience stores,
restaurants, cafés and fuel stations mapped in OpenStreetMap by 2013; © OpenStreetMap
contributors, ODbL 1.0), 20,000 drawn without replacement (seeded). Everything that makes them
customers is synthetic and seeded, by kind: rhythm (tuned until the visits due are 80–85 % of 10
visits per rep-day, like ``scenarios.py``), visit minutes, opening hours, priority (3 %
priority 3, 10 % priority 2), last visit (70 % within their last gap, 5 % overdue).

Reps: the centres of a k-means split of the points into 200 clusters (``scipy.cluster.vq.kmeans2``,
k-means++ seeds, the same seed), each rep starting and ending at its centre; the current split
(``customers.csv``'s ``rep``) is that k-means split, as a company that drew its territories by
clustering would have it.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import math
import random
from pathlib import Path

import numpy as np
import scenarios

HERE = Path(__file__).resolve().parent
DEFAULT_OUT = HERE / "out" / "national"
POINTS = HERE.parents[1] / "shared" / "data" / "real" / "osm_poi_japan_2013" / "osm_poi_japan_2013.csv"
NAME, N_CUSTOMERS, N_REPS, SEED = "national20k", 20_000, 200, 2013

KINDS = {  # kind → (hours, visit minutes, rhythm weights)
    "convenience": ("07:00-23:00", 20, {"weekly": 0.3, "biweekly": 0.4, "monthly": 0.3}),
    "restaurant": ("11:00-14:30,17:00-22:00", 20, {"weekly": 0.2, "biweekly": 0.4, "monthly": 0.4}),
    "cafe": ("08:00-20:00", 20, {"biweekly": 0.5, "monthly": 0.5}),
    "fuel": ("07:00-21:00", 30, {"weekly": 0.2, "biweekly": 0.4, "monthly": 0.4}),
}
LADDER = ("monthly", "biweekly", "weekly")


def make_national(out_dir: str | Path = DEFAULT_OUT, points: Path = POINTS, n_customers: int = N_CUSTOMERS,
                  n_reps: int = N_REPS, seed: int = SEED) -> tuple[Path, Path]:
    """Write ``out_dir/national20k/customers.csv`` (the k-means split) and ``reps.csv``."""
    from scipy.cluster.vq import kmeans2

    rng = random.Random(f"{NAME}-{n_customers}-{n_reps}-{seed}")
    with open(points, encoding="utf-8", newline="") as fh:
        rows = [r for r in csv.DictReader(fh) if r["latitude"] and r["longitude"]]
    chosen = rng.sample(range(len(rows)), n_customers)
    picked = [rows[i] for i in chosen]
    lat = np.array([float(r["latitude"]) for r in picked])
    lon = np.array([float(r["longitude"]) for r in picked])
    flat = np.column_stack([lat, lon * np.cos(np.radians(lat))])
    centres, label = kmeans2(flat, n_reps, minit="++", seed=seed)
    reps = []
    for k in range(n_reps):
        mine = label == k
        c_lat = float(lat[mine].mean()) if mine.any() else float(centres[k, 0])
        c_lon = float(lon[mine].mean()) if mine.any() else float(centres[k, 1] / math.cos(math.radians(c_lat)))
        reps.append({"id": f"R{k + 1:03d}", "name": f"rep {k + 1}", "start_lat": f"{c_lat:.4f}",
                     "start_lon": f"{c_lon:.4f}", "end_lat": f"{c_lat:.4f}", "end_lon": f"{c_lon:.4f}",
                     "shift": scenarios.SHIFT, "lunch": scenarios.LUNCH, "workdays": "mon-fri", "days_off": "",
                     "max_visits": ""})
    start, end = scenarios.START, scenarios.START + dt.timedelta(days=7 * scenarios.WEEKS - 1)
    days = len(scenarios._working_days(start, scenarios.WEEKS, set()))
    capacity = n_reps * days * scenarios.VISITS_PER_DAY
    rhythm = [rng.choices(list(KINDS[r["category"]][2]), list(KINDS[r["category"]][2].values()))[0] for r in picked]
    has_last = [rng.random() < scenarios.LAST_VISIT_SHARE for _ in picked]
    overdue = [h and rng.random() < scenarios.OVERDUE_SHARE / scenarios.LAST_VISIT_SHARE for h in has_last]
    phase = [rng.random() for _ in picked]

    def back(i: int) -> int | None:
        return scenarios._last_back(rhythm[i], phase[i], overdue[i]) if has_last[i] else None

    def due(i: int) -> int:
        return scenarios._due(rhythm[i], back(i), start, end)

    total = sum(due(i) for i in range(n_customers))
    lo, hi = (int(s * capacity) for s in scenarios.DUE_SHARE)
    for _ in range(20 * n_customers):
        if lo <= total <= hi:
            break
        i = rng.randrange(n_customers)
        k = LADDER.index(rhythm[i])
        before = due(i)
        if total > hi and k > 0:
            rhythm[i] = LADDER[k - 1]
        elif total < lo and k < len(LADDER) - 1:
            rhythm[i] = LADDER[k + 1]
        else:
            continue
        total += due(i) - before
    customers = []
    for i, r in enumerate(picked):
        b = back(i)
        u = rng.random()
        name = r["name"] or r["category"]
        customers.append({
            "id": f"N{i + 1:05d}", "name": name, "lat": f"{lat[i]:.6f}", "lon": f"{lon[i]:.6f}",
            "rep": reps[int(label[i])]["id"], "frequency": rhythm[i], "visit_minutes": str(KINDS[r["category"]][1]),
            "hours": KINDS[r["category"]][0], "closed": "", "priority": "3" if u < 0.03 else "2" if u < 0.13 else "1",
            "last_visit": (start - dt.timedelta(days=b)).isoformat() if b else "",
            "appointment": "",
        })
    folder = Path(out_dir) / NAME
    folder.mkdir(parents=True, exist_ok=True)
    scenarios._write_csv(folder / "customers.csv", customers)
    scenarios._write_csv(folder / "reps.csv", reps)
    return folder / "customers.csv", folder / "reps.csv"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    ap.add_argument("--points", type=Path, default=POINTS, help="the OSM points CSV")
    args = ap.parse_args()
    customers, reps = make_national(args.out, args.points)
    print(f"{NAME}: {N_CUSTOMERS} customers, {N_REPS} reps at k-means centres → {customers.parent}")


if __name__ == "__main__":
    main()
