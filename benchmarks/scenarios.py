#!/usr/bin/env python3
"""Seeded planning scenarios for the planner benchmark: a wholesaler's customer book in Takamatsu.

    python benchmarks/scenarios.py --out benchmarks/out/scenarios      # writes s120, s300, s1000

Each scenario is a folder with ``customers.csv`` and ``reps.csv`` in routeopt's input format
(UTF-8 with BOM, English headers), planned over 4 weeks from 2026-12-01 with ``--holidays JP``.

Locations and names are **real**: they are drawn from ``benchmarks/data/takamatsu_points.csv``,
1,7xx shops, clinics and therapy clinics of 高松市 (出典：高松市オープンデータ, CC BY 4.0, see
benchmarks/README.md). Everything that makes them customers is **synthetic** and seeded: the rep
split, visit rhythms, visit minutes, opening hours and closed days (by kind of business),
priorities, last visits and appointments, and the reps themselves. The output depends only on
(name, number of customers, number of reps, seed, weeks).

How a scenario is made:

* customers are drawn without replacement, weighted by kind (shops 3 : clinics 2 : therapy 1);
* the book is split into equal-count angle sectors around the customers' median point, one per
  rep; each rep starts (and ends) at the coordinate-wise median of its sector's customers
  ("lives in its territory"), so starts are distinct points of the city;
* rhythms are drawn per kind (2/week, weekly, biweekly, 2/month, monthly), then moved one step up
  or down the ladder at random until the visits due are 80–85 % of the reps' capacity, counted as
  10 visits per working day: tight enough that planners differ;
* 70 % of customers have a ``last_visit`` within their last rhythm gap, 5 % are overdue (last
  visit up to ``max_gap`` days before the start); about one customer in 40 has an appointment on
  a day of its rhythm.

The point table was cut once from the project's merged Takamatsu table with
``python benchmarks/scenarios.py --cut-data PATH/customers_merged.csv``; normal runs read only
``benchmarks/data/takamatsu_points.csv``.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import math
import random
from dataclasses import dataclass
from pathlib import Path

from routeopt.model import VisitRule

HERE = Path(__file__).resolve().parent
POINTS_CSV = HERE / "data" / "takamatsu_points.csv"
DEFAULT_OUT = HERE / "out" / "scenarios"

START = dt.date(2026, 12, 1)  # a Tuesday; no Japanese public holiday until 2026-12-28
WEEKS = 4
HOLIDAYS = "JP"

VISITS_PER_DAY = 10  # the capacity rule of thumb
DUE_SHARE = (0.80, 0.85)  # visits due / capacity
LAST_VISIT_SHARE = 0.70
OVERDUE_SHARE = 0.05
APPOINTMENT_EVERY = 40  # about one customer in 40 has an appointment
APPOINTMENT_TIMES = (10 * 60, 10 * 60 + 30, 14 * 60, 15 * 60, 16 * 60)
APPOINTMENT_MIN_APART = 120  # minutes between two appointments of one rep on one day

OFFICE = (34.3505, 134.0465)  # a sales office near JR Takamatsu station (start of a single rep)
SHIFT = "09:00-18:00"
LUNCH = "11:30-13:30/45"


@dataclass(frozen=True)
class Scenario:
    n_customers: int
    n_reps: int
    seed: int
    weeks: int = WEEKS


SCENARIOS = {
    "s120": Scenario(120, 2, seed=120),
    "s300": Scenario(300, 3, seed=300),
    "s1000": Scenario(1000, 8, seed=1000),
}
QUICK = Scenario(30, 1, seed=30, weeks=1)
"""The tiny scenario of ``bench_planner.py --quick`` and the test suite."""

# ------------------------------------------------------------------------------------- kinds

# category / subcategory of the point table → kind of customer
RETAIL_KIND = {
    "convenience": "convenience", "supermarket_discount": "supermarket", "drugstore_pharmacy": "drugstore",
    "other_small_shop": "small_shop", "food_rice_liquor_shop": "small_shop", "hardware": "small_shop",
    "home_center": "home_center", "agri_coop_ja": "ja",
}
MEDICAL_KIND = {"無床診療所": "clinic", "有床診療所": "clinic_beds", "病院": "hospital", "歯科": "dentist"}
KIND_WEIGHT = {"retail": 3.0, "medical": 2.0, "therapy": 1.0}

RHYTHM_T = {"2/week": 3.5, "weekly": 7, "biweekly": 14, "2/month": 14, "monthly": 28}
LADDER = ("monthly", "biweekly", "weekly", "2/week")  # "2/month" sits on the biweekly rung
# Initial rhythm weights per kind; a kind can never go above its top rhythm.
RHYTHM_WEIGHTS = {
    "convenience": {"2/week": 0.15, "weekly": 0.45, "biweekly": 0.30, "monthly": 0.10},
    "supermarket": {"2/week": 0.20, "weekly": 0.50, "biweekly": 0.20, "monthly": 0.10},
    "drugstore": {"weekly": 0.40, "biweekly": 0.40, "monthly": 0.20},
    "small_shop": {"weekly": 0.20, "biweekly": 0.40, "monthly": 0.40},
    "home_center": {"weekly": 0.30, "biweekly": 0.50, "monthly": 0.20},
    "ja": {"biweekly": 0.50, "monthly": 0.50},
    "clinic": {"weekly": 0.15, "2/month": 0.45, "monthly": 0.40},
    "clinic_beds": {"weekly": 0.40, "2/month": 0.40, "monthly": 0.20},
    "hospital": {"weekly": 0.40, "2/month": 0.40, "monthly": 0.20},
    "dentist": {"2/month": 0.30, "monthly": 0.70},
    "therapy": {"biweekly": 0.20, "monthly": 0.80},
}
TOP_RHYTHM = {"convenience": "2/week", "supermarket": "2/week", "drugstore": "weekly", "small_shop": "weekly",
              "home_center": "weekly", "ja": "biweekly", "clinic": "weekly", "clinic_beds": "weekly",
              "hospital": "weekly", "dentist": "biweekly", "therapy": "biweekly"}
MEDICAL_KINDS = {"clinic", "clinic_beds", "hospital", "dentist"}


def hours_of(kind: str, rng: random.Random) -> tuple[str, str, int]:
    """Synthetic (hours, closed, visit_minutes) of a customer of ``kind``, like a real book's."""
    if kind == "convenience":
        return "07:00-23:00", "", 20
    if kind == "supermarket":
        return rng.choice(["09:00-21:00", "10:00-20:00"]), "", rng.choice([30, 30, 45])
    if kind == "drugstore":
        return rng.choice(["09:00-21:00", "10:00-20:00", "09:30-19:00"]), "", 30
    if kind == "home_center":
        return "09:00-20:00", "", 45
    if kind == "ja":
        return "08:30-17:00", "sat,sun", 30
    if kind == "small_shop":
        u = rng.random()
        if u < 0.45:  # a family shop closing for lunch
            return "09:00-12:30,14:00-18:30", rng.choice(["sun", "wed,sun"]), 20
        if u < 0.75:
            return "Mo-Fr 09:00-18:00; Sa 09:00-12:00", "sun", 20
        return "09:30-19:00", rng.choice(["", "thu"]), 20
    if kind == "clinic":
        u = rng.random()
        if u < 0.15:  # the doctor sees reps only in the midday break
            return "Mo-Fr 12:30-14:30", "sat,sun", 15
        if u < 0.60:  # one weekday afternoon off
            day = rng.choice(["We", "Th"])
            return f"Mo-Fr 09:00-12:30,14:30-18:00; {day} 09:00-12:30; Sa 09:00-12:30", "sun", 20
        return "Mo-Fr 09:00-12:30,14:30-18:00; Sa 09:00-12:30", "sun", 20
    if kind in ("clinic_beds", "hospital"):
        return "Mo-Fr 09:00-17:00", "sat,sun", 45
    if kind == "dentist":
        closed = rng.choice(["sun", "thu,sun"])
        return "Mo-Fr 09:30-13:00,14:30-18:30; Sa 09:30-13:00", closed, 20
    if kind == "therapy":
        return "Mo-Fr 09:00-12:00,15:00-20:00; Sa 09:00-13:00", "sun", 20
    raise ValueError(kind)


def _open_windows_weekday(hours: str, weekday: int) -> list[tuple[int, int]]:
    """Windows of our own simple hours strings on ``weekday`` (0 = Monday): enough for choosing
    appointment times (routeopt parses the real thing)."""
    codes = ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"]
    result: list[tuple[int, int]] = []
    for rule in hours.split(";"):
        rule = rule.strip()
        sel, _, body = rule.partition(" ") if rule[:2] in codes else ("", "", rule)
        if sel:
            days: set[int] = set()
            for part in sel.split(","):
                a, _, b = part.partition("-")
                i, j = codes.index(a), codes.index(b or a)
                days.update(range(i, j + 1))
            if weekday not in days:
                continue
        result = []
        for part in body.split(","):
            a, b = part.split("-")
            result.append((int(a[:2]) * 60 + int(a[3:]), int(b[:2]) * 60 + int(b[3:])))
    return result


# -------------------------------------------------------------------------------------- data


def read_points(path: Path = POINTS_CSV) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def kind_of(point: dict[str, str]) -> str:
    if point["category"] == "retail":
        return RETAIL_KIND[point["subcategory"]]
    if point["category"] == "medical":
        return MEDICAL_KIND[point["subcategory"]]
    return "therapy"


def cut_points(merged: Path, out: Path = POINTS_CSV) -> int:
    """Copy the usable rows of the merged Takamatsu table (only the columns the generator needs).

    Kept: shops of the kinds above, clinics, hospitals, dentists and therapy clinics on the
    mainland of 高松市 (the islands 女木/男木 are reached by ferry; a few bag dealers lie in
    neighbouring towns; dental laboratories and community centres are not a wholesaler's customers).
    """
    with open(merged, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    kept = []
    for r in rows:
        address = r["address"]
        if "高松市" not in address or "女木" in address or "男木" in address:
            continue
        cat, sub = r["category"], r["subcategory_guess"]
        if (cat == "retail" and sub not in RETAIL_KIND) or (cat == "medical" and sub not in MEDICAL_KIND):
            continue
        if cat not in ("retail", "medical", "therapy"):
            continue
        lat, lon = float(r["latitude"]), float(r["longitude"])
        if not (34.147 <= lat <= 34.422 and 133.935 <= lon <= 134.186):
            continue
        kept.append({"uid": r["uid"], "category": cat, "subcategory": sub, "name": r["name"].strip(),
                     "lat": f"{lat:.6f}", "lon": f"{lon:.6f}"})
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=["uid", "category", "subcategory", "name", "lat", "lon"])
        w.writeheader()
        w.writerows(kept)
    return len(kept)


# -------------------------------------------------------------------------------- generation


def _weighted_sample(rng: random.Random, items: list[dict[str, str]], weights: list[float], k: int) -> list[int]:
    """Indices of ``k`` items drawn without replacement with the given weights (Efraimidis–Spirakis)."""
    keys = [(rng.random() ** (1.0 / w), i) for i, w in enumerate(weights)]
    keys.sort(reverse=True)
    return [i for _, i in keys[:k]]


def _rule(rhythm: str) -> VisitRule:
    return VisitRule.from_target(RHYTHM_T[rhythm])


def _due(rhythm: str, last_back: int | None, start: dt.date, end: dt.date) -> int:
    last = start - dt.timedelta(days=last_back) if last_back else None
    return _rule(rhythm).due_count(start, end, last)


def _last_back(rhythm: str, u: float, overdue: bool) -> int:
    """Days between the last visit and the start: within the last gap, or overdue up to max_gap."""
    rule = _rule(rhythm)
    t = math.ceil(rule.target_gap)
    if overdue:
        return t + 1 + int(u * max(1, rule.max_gap - t))
    return max(1, math.ceil(u * t))


def _working_days(start: dt.date, weeks: int, days_off: set[dt.date]) -> list[dt.date]:
    import holidays as holidays_lib

    end = start + dt.timedelta(days=7 * weeks - 1)
    hol = set(holidays_lib.country_holidays(HOLIDAYS, years=range(start.year, end.year + 1)))
    return [start + dt.timedelta(days=i) for i in range(7 * weeks)
            if (start + dt.timedelta(days=i)).weekday() < 5
            and start + dt.timedelta(days=i) not in hol and start + dt.timedelta(days=i) not in days_off]


def make_scenario(
    name: str, n_customers: int, n_reps: int, seed: int, out_dir: str | Path = DEFAULT_OUT, weeks: int = WEEKS,
    due_share: tuple[float, float] = DUE_SHARE,
) -> tuple[Path, Path]:
    """Write scenario ``name`` (``customers.csv``, ``reps.csv``) into ``out_dir/name``.

    Returns the two paths. The horizon is ``weeks`` weeks from :data:`START` with JP holidays;
    the visits due are ``due_share`` of the reps' capacity at :data:`VISITS_PER_DAY` a day.
    """
    rng = random.Random(f"{name}-{n_customers}-{n_reps}-{seed}-{weeks}")
    start, end = START, START + dt.timedelta(days=7 * weeks - 1)
    points = read_points()
    if n_customers > len(points):
        raise ValueError(f"at most {len(points)} customers (real points) are available, asked {n_customers}.")
    chosen = _weighted_sample(rng, points, [KIND_WEIGHT[p["category"]] for p in points], n_customers)
    rng.shuffle(chosen)
    rows = [dict(points[i]) for i in chosen]
    kinds = [kind_of(r) for r in rows]

    # --- territories: equal-count angle sectors around the median point
    lats = sorted(float(r["lat"]) for r in rows)
    lons = sorted(float(r["lon"]) for r in rows)
    center = (lats[len(lats) // 2], lons[len(lons) // 2])
    offset = rng.uniform(-math.pi, math.pi)

    def angle(r: dict[str, str]) -> float:
        a = math.atan2(float(r["lat"]) - center[0], (float(r["lon"]) - center[1]) * math.cos(math.radians(34.3)))
        return (a - offset) % (2 * math.pi)

    order = sorted(range(n_customers), key=lambda i: angle(rows[i]))
    owner = [0] * n_customers
    for pos, i in enumerate(order):
        owner[i] = pos * n_reps // n_customers
    reps = []
    for k in range(n_reps):
        mine = [rows[i] for i in range(n_customers) if owner[i] == k]
        if n_reps == 1:
            home = OFFICE
        else:
            la = sorted(float(r["lat"]) for r in mine)
            lo = sorted(float(r["lon"]) for r in mine)
            home = (round(la[len(la) // 2], 4), round(lo[len(lo) // 2], 4))
        reps.append({"id": f"R{k + 1}", "name": f"rep {k + 1}", "start_lat": f"{home[0]:.4f}",
                     "start_lon": f"{home[1]:.4f}", "end_lat": f"{home[0]:.4f}", "end_lon": f"{home[1]:.4f}",
                     "shift": SHIFT, "lunch": LUNCH, "workdays": "mon-fri", "days_off": "", "max_visits": ""})
    working = [_working_days(start, weeks, set()) for _ in reps]
    if weeks >= 2 and n_reps >= 2:  # one rep takes a Friday off, another caps its days at 12 visits
        off = next(d for d in working[1][len(working[1]) // 2:] if d.weekday() == 4)
        reps[1]["days_off"] = off.isoformat()
        working[1] = [d for d in working[1] if d != off]
        reps[0]["max_visits"] = "12"
    capacity = sum(len(w) for w in working) * VISITS_PER_DAY

    # --- customers: hours, rhythm, last visit
    hours, closed, minutes = [], [], []
    for kind in kinds:
        h, c, m = hours_of(kind, rng)
        hours.append(h)
        closed.append(c)
        minutes.append(m)
    rhythm = []
    for kind in kinds:
        weights = RHYTHM_WEIGHTS[kind]
        rhythm.append(rng.choices(list(weights), list(weights.values()))[0])
    has_last = [rng.random() < LAST_VISIT_SHARE for _ in rows]
    overdue = [h and rng.random() < OVERDUE_SHARE / LAST_VISIT_SHARE for h in has_last]
    phase_u = [rng.random() for _ in rows]

    def back(i: int) -> int | None:
        return _last_back(rhythm[i], phase_u[i], overdue[i]) if has_last[i] else None

    def due(i: int) -> int:
        return _due(rhythm[i], back(i), start, end)

    def rung(i: int) -> int:
        r = rhythm[i]
        return LADDER.index("biweekly" if r == "2/month" else r)

    def set_rung(i: int, k: int) -> None:
        r = LADDER[k]
        rhythm[i] = "2/month" if r == "biweekly" and kinds[i] in MEDICAL_KINDS else r

    total = sum(due(i) for i in range(n_customers))
    lo_target, hi_target = (int(s * capacity) for s in due_share)
    for _ in range(20 * n_customers):
        if lo_target <= total <= hi_target:
            break
        i = rng.randrange(n_customers)
        k = rung(i)
        top = LADDER.index("biweekly" if TOP_RHYTHM[kinds[i]] == "biweekly" else TOP_RHYTHM[kinds[i]])
        before = due(i)
        if total > hi_target and k > 0:
            set_rung(i, k - 1)
        elif total < lo_target and k < top:
            set_rung(i, k + 1)
        else:
            continue
        total += due(i) - before

    # --- appointments on a day of the rhythm, inside opening hours, spaced per rep and day
    taken: dict[tuple[int, dt.date], list[int]] = {}
    appointment = [""] * n_customers
    n_appts = max(1, n_customers // APPOINTMENT_EVERY)
    candidates = [i for i in range(n_customers) if has_last[i] and not overdue[i] and rhythm[i] != "2/week"]
    rng.shuffle(candidates)
    for i in candidates:
        if n_appts == 0:
            break
        rule = _rule(rhythm[i])
        last = start - dt.timedelta(days=back(i) or 0)
        k = rng.randint(1, max(1, due(i)))
        ideal = last + dt.timedelta(days=round(k * rule.target_gap))
        closed_days = {("mon", "tue", "wed", "thu", "fri", "sat", "sun").index(c) for c in closed[i].split(",") if c}
        days = [ideal + dt.timedelta(days=s) for s in (0, 1, -1)]
        days = [d for d in days if start <= d <= end and d in working[owner[i]] and d.weekday() not in closed_days
                and (d - last).days >= rule.min_gap]
        if not days:
            continue
        day = days[0]
        windows = _open_windows_weekday(hours[i], day.weekday())
        times = [t for t in APPOINTMENT_TIMES if any(a <= t and t + minutes[i] <= b for a, b in windows)
                 and all(abs(t - u) >= APPOINTMENT_MIN_APART for u in taken.get((owner[i], day), []))]
        if not times:
            continue
        t = rng.choice(times)
        taken.setdefault((owner[i], day), []).append(t)
        appointment[i] = f"{day.isoformat()} {t // 60:02d}:{t % 60:02d}"
        n_appts -= 1

    priority = [3 if u < 0.03 else 2 if u < 0.13 else 1 for u in (rng.random() for _ in rows)]
    customers = []
    for n, i in enumerate(range(n_customers), start=1):
        b = back(i)
        customers.append({
            "id": f"C{n:04d}", "name": rows[i]["name"], "lat": rows[i]["lat"], "lon": rows[i]["lon"],
            "rep": f"R{owner[i] + 1}", "frequency": rhythm[i], "visit_minutes": str(minutes[i]),
            "hours": hours[i], "closed": closed[i], "priority": str(priority[i]),
            "last_visit": (start - dt.timedelta(days=b)).isoformat() if b else "",
            "appointment": appointment[i],
        })

    folder = Path(out_dir) / name
    folder.mkdir(parents=True, exist_ok=True)
    customers_path, reps_path = folder / "customers.csv", folder / "reps.csv"
    _write_csv(customers_path, customers)
    _write_csv(reps_path, reps)
    return customers_path, reps_path


def _write_csv(path: Path, rows: list[dict[str, str]]) -> None:
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)


def uneven_split(customers: Path, reps: Path, out: Path, heavy: str = "R8", share: float = 1.5,
                 weeks: int = WEEKS) -> Path:
    """Write ``out``: the customers of ``customers`` with a deliberately uneven ``rep`` column.

    Rep ``heavy`` grows its book the way a senior rep's book grows: it takes over the customers
    of the other reps nearest to its start, one at a time, until its visit minutes due over the
    horizon (visits due × visit minutes) are ``share`` × the mean of all reps. The others keep
    the rest of their sector. Deterministic (ties broken by customer id).
    """
    import routeopt

    problem = routeopt.read_problem(customers, reps, routeopt.make_horizon(START, weeks, HOLIDAYS))
    due = problem.due_visits()
    minutes = {c.id: due[c.id] * c.visit_minutes for c in problem.customers}
    owner = {c.id: c.rep for c in problem.customers}
    home = problem.rep(heavy).start
    mean = sum(minutes.values()) / len(problem.reps)

    def dist(c: routeopt.Customer) -> float:
        return math.hypot(c.lat - home[0], (c.lon - home[1]) * math.cos(math.radians(home[0])))

    load = sum(m for cid, m in minutes.items() if owner[cid] == heavy)
    for c in sorted((c for c in problem.customers if owner[c.id] != heavy), key=lambda c: (dist(c), c.id)):
        if load >= share * mean:
            break
        owner[c.id] = heavy
        load += minutes[c.id]
    with open(customers, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    for row in rows:
        row["rep"] = owner[row["id"]] or ""
    _write_csv(out, rows)
    return out


def get(name: str) -> Scenario:
    """The scenario called ``name`` (one of :data:`SCENARIOS`, or ``quick``)."""
    return QUICK if name == "quick" else SCENARIOS[name]


def write_scenario(name: str, out_dir: str | Path = DEFAULT_OUT) -> tuple[Path, Path]:
    """Write the named scenario (``s120``, ``s300``, ``s1000`` or ``quick``)."""
    s = get(name)
    return make_scenario(name, s.n_customers, s.n_reps, s.seed, out_dir, s.weeks)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    ap.add_argument("--scenarios", default=",".join(SCENARIOS), help="comma-separated names (also: quick)")
    ap.add_argument("--uneven", action="store_true",
                    help="also write customers_uneven.csv: one rep holds 1.5x the mean workload")
    ap.add_argument("--cut-data", type=Path, metavar="MERGED_CSV",
                    help="re-cut benchmarks/data/takamatsu_points.csv from customers_merged.csv, then exit")
    args = ap.parse_args()
    if args.cut_data:
        print(f"{cut_points(args.cut_data)} points written to {POINTS_CSV}")
        return
    import routeopt

    for name in args.scenarios.split(","):
        customers, reps = write_scenario(name, args.out)
        if args.uneven:
            print(f"uneven split → {uneven_split(customers, reps, customers.with_name('customers_uneven.csv'))}")
        weeks = get(name).weeks
        problem = routeopt.read_problem(customers, reps, routeopt.make_horizon(START, weeks, HOLIDAYS))
        due = sum(c.rule.due_count(problem.horizon.start, problem.horizon.end, c.last_visit)
                  for c in problem.customers)
        days = sum(len(problem.horizon.working_days(r)) for r in problem.reps)
        print(f"{name}: {len(problem.customers)} customers, {len(problem.reps)} reps, {due} visits due, "
              f"{days} rep-days ({due / (days * VISITS_PER_DAY):.0%} of {VISITS_PER_DAY}/day) → {customers.parent}")


if __name__ == "__main__":
    main()
