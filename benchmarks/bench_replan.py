#!/usr/bin/env python3
"""Re-planning against planning afresh, on an s300 book (300 customers, 3 reps, 4 weeks).

    python benchmarks/bench_replan.py [--time-limit 30] [--changes 20] [--out benchmarks/out/replan]
    python benchmarks/bench_replan.py --quick      # s120, 3 random changes, 5 s plans
    python benchmarks/bench_replan.py --scenario national --time-limit 300 --changes 0 --no-fresh

``--scenario`` is s120, s300, s1000 or national (20,000 customers, 200 reps: ``scenario_national.py``);
``--no-fresh`` leaves out the fresh plans (on the national fleet each would take the whole budget
again) and measures the re-plans alone.

The book is planned once (``routeopt.plan``, ``--time-limit`` seconds, seed 0): the old plan.
Then each change to the tables is met twice, by ``routeopt.replan`` of the old plan from a day
``--from`` and by a fresh ``routeopt.plan`` of the changed tables at the same budget:

* **unchanged**: the same tables, re-planned from 2026-12-08 (the fresh plan here shows how far
  two plans of the same tables at the same budget lie apart);
* **trouble call**: an appointment tomorrow (2026-12-08 10:00, re-planned from that day) for a
  customer the old plan does not visit that day and whose last visit allows it;
* **absence**: rep R1 absent Tuesday to Thursday of week 2 (2026-12-08 to 12-10), re-planned
  from 12-08;
* ``--changes`` **random single changes** (seeded): in turn an appointment, a closed day (the
  customer's next visit day that is not one of its appointments' days), a frequency change (one step up or down) and a
  removed customer, each re-planned from a random working day of weeks 1 to 3.

Figures, always over the *remaining* days (from ``--from`` on):

* ``moved``: visits on another day or rep than in the old plan (per customer, the larger of
  its old visits no longer made and its new visits not in the old plan: an added or removed
  visit counts too); the same measure for both plans. ``retimed`` (re-plan only): same day,
  new time;
* ``drive+wait``: driving minutes plus idle minutes before visits, with the number of visits
  of those days (the two plans need not hold the same number there: the rhythms may be in
  another phase); ``Δ whole horizon`` compares the whole four weeks;
* ``coverage``: visits planned / due over the whole horizon, as ``routeopt validate`` counts;
* ``broken``: rules broken by the folder, by ``routeopt validate`` and by the independent
  ``../shared/tools/check_plan.py`` (its violations in the history are listed apart: a change
  such as a removed customer or a new frequency makes the past break today's tables);
* ``s``: wall-clock seconds of the run.

Prints markdown tables; plans and ``results.json`` go to ``--out``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import json
import os
import platform
import random
import re
import statistics
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path
from types import ModuleType
from typing import Any

import pandas as pd

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

import scenarios  # noqa: E402

import routeopt  # noqa: E402
from routeopt.evaluate.validate import validate_files  # noqa: E402
from routeopt.model.hours import opening_windows  # noqa: E402

CHECKER = HERE.parent.parent / "shared" / "tools" / "check_plan.py"
LADDER = ("2/week", "weekly", "biweekly", "2/month", "monthly")
KINDS = ("appointment", "closed day", "frequency", "removed")
TOMORROW = dt.date(2026, 12, 8)
ABSENT = (dt.date(2026, 12, 8), dt.date(2026, 12, 9), dt.date(2026, 12, 10))


def checker() -> ModuleType | None:
    if not CHECKER.exists():
        return None
    spec = importlib.util.spec_from_file_location("check_plan", CHECKER)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


CHECK = checker()


def visit_places(plan: routeopt.Plan, since: dt.date) -> dict[str, Counter[tuple[str, dt.date]]]:
    """Per customer, its visits (rep, date) from ``since`` on."""
    out: dict[str, Counter[tuple[str, dt.date]]] = defaultdict(Counter)
    for r in plan.routes:
        if r.date >= since:
            for s in r.visits:
                out[s.customer_id][(r.rep, r.date)] += 1
    return out


def moved(old: routeopt.Plan, new: routeopt.Plan, since: dt.date) -> int:
    """Visits on another day or rep (or added, or removed) from ``since`` on."""
    a, b = visit_places(old, since), visit_places(new, since)
    return sum(max(sum((a[c] - b[c]).values()), sum((b[c] - a[c]).values())) for c in set(a) | set(b))


def remaining(plan: routeopt.Plan, since: dt.date) -> int:
    return sum(len(r.visits) for r in plan.routes if r.date >= since)


def drive_wait(plan: routeopt.Plan, since: dt.date) -> int:
    return sum(r.travel_min + sum(s.wait_min for s in r.visits) for r in plan.routes if r.date >= since)


def checked(folder: Path, customers: Path, reps: Path, since: dt.date | None) -> dict[str, Any]:
    """Broken rules by ``routeopt validate`` and by check_plan.py (those in the history apart)."""
    report = validate_files(folder, customers, reps)
    out: dict[str, Any] = {"validate": report.counts(), "coverage": report.figures["coverage"]}
    if CHECK is None:
        out["check_plan"] = "absent"
        return out
    args = argparse.Namespace(customers=str(customers), reps=str(reps), plan=str(folder), start="2026-12-01",
                              weeks=4, holidays="JP", detour=None, speed=None)
    found = CHECK.check(args)
    now: Counter[str] = Counter()
    past: Counter[str] = Counter()
    for rule, messages in found.violations.items():
        for m in messages:
            dates = [dt.date.fromisoformat(d) for d in re.findall(r"\d{4}-\d{2}-\d{2}", m)]
            history = since is not None and dates and all(d < since for d in dates)
            (past if history else now)[rule] += 1
    out["check_plan"] = dict(now)
    out["check_plan_history"] = dict(past)
    return out


def broken(c: dict[str, Any]) -> str:
    """``validate + check_plan`` broken rules, the checker's by rule."""
    mine = sum(c["validate"].values())
    if not isinstance(c["check_plan"], dict):
        return f"{mine} + (no checker)"
    theirs = c["check_plan"]
    return f"{mine} + {sum(theirs.values())}" + (f" {dict(theirs)}" if theirs else "")


# ------------------------------------------------------------------------------- the changes


def working_days(problem: routeopt.Problem) -> list[dt.date]:
    return [d for d in problem.horizon.days if d.weekday() < 5 and d not in problem.horizon.holidays]


def appointment_for(problem: routeopt.Problem, old: routeopt.Plan, day: dt.date, rng: random.Random,
                    since: dt.date) -> tuple[str, str] | None:
    """A customer free for an appointment on ``day`` (not visited then, open, far enough from its
    last visit before ``since``) and its appointment text."""
    seen = visit_places(old, old.problem.horizon.start)
    customers = list(problem.customers)
    rng.shuffle(customers)
    for c in customers:
        if c.appointments or any(d == day for _, d in seen.get(c.id, {})):
            continue
        made = [d for _, d in seen.get(c.id, {}) if d < since]
        last = max(made) if made else c.last_visit
        if last is not None and (day - last).days < c.rule.min_gap:
            continue
        if day.weekday() in c.closed_weekdays or day in c.closed_dates:
            continue
        for start in (600, 840):
            windows = opening_windows(c.hours, day)
            if windows is None or any(a <= start and start + c.visit_minutes <= b for a, b in windows):
                return c.id, f"{day} {start // 60:02d}:{start % 60:02d}"
    return None


def change_tables(kind: str, customers: pd.DataFrame, problem: routeopt.Problem, old: routeopt.Plan,
                  since: dt.date, rng: random.Random) -> tuple[pd.DataFrame, str]:
    """The customers table with one change of ``kind``, and what it was."""
    out = customers.copy()
    seen = visit_places(old, since)
    if kind == "appointment":
        for day in (d for d in working_days(problem) if d >= since):
            found = appointment_for(problem, old, day, rng, since)
            if found:
                out.loc[out.id == found[0], "appointment"] = found[1]
                return out, f"appointment {found[0]} {found[1]}"
    ids = sorted(seen)
    cid = rng.choice(ids)
    if kind == "closed day":  # the first remaining visit day that is not one of its appointments' days
        booked = {c.id: {a.date for a in c.appointments} for c in problem.customers}

        def free(cid: str) -> list[dt.date]:
            return sorted(d for _, d in seen[cid] if d not in booked[cid])

        if not free(cid):
            cid = rng.choice([c for c in ids if free(c)])
        day = free(cid)[0]
        closed = str(out.loc[out.id == cid, "closed"].iloc[0])
        out.loc[out.id == cid, "closed"] = ",".join(x for x in (closed, day.isoformat()) if x)
        return out, f"{cid} closed on {day}"
    if kind == "frequency":
        now = str(out.loc[out.id == cid, "frequency"].iloc[0])
        k = LADDER.index(now) if now in LADDER else 1
        new = LADDER[k + 1] if k == 0 or (k + 1 < len(LADDER) and rng.random() < 0.5) else LADDER[k - 1]
        out.loc[out.id == cid, "frequency"] = new
        return out, f"{cid} {now} → {new}"
    assert kind == "removed"
    return out[out.id != cid], f"{cid} removed"


# ------------------------------------------------------------------------------------ a case


def run_case(name: str, what: str, customers: pd.DataFrame, reps: pd.DataFrame, since: dt.date,
             old: routeopt.Plan, options: routeopt.PlanOptions, out: Path, fresh: bool = True) -> dict[str, Any]:
    folder = out / name
    folder.mkdir(parents=True, exist_ok=True)
    c_path, r_path = folder / "customers.csv", folder / "reps.csv"
    customers.to_csv(c_path, index=False)
    reps.to_csv(r_path, index=False)
    horizon = routeopt.make_horizon(scenarios.START, scenarios.WEEKS, scenarios.HOLIDAYS)
    problem = routeopt.read_problem(c_path, r_path, horizon)
    began = time.perf_counter()
    new = routeopt.replan(out / "old", problem, since, options=options)
    seconds = time.perf_counter() - began
    new.write(folder / "replan")
    rev = new.revision
    assert rev is not None
    row: dict[str, Any] = {
        "case": name, "what": what, "from": since.isoformat(), "remaining": remaining(old, since),
        "replan": {"moved": moved(old, new, since), "retimed": rev.counts()["retimed"], "changes": rev.counts(),
                   "drive_wait": drive_wait(new, since), "visits": remaining(new, since),
                   "drive_wait_all": drive_wait(new, scenarios.START), "seconds": round(seconds, 2),
                   "unscheduled": len(new.unscheduled),
                   **checked(folder / "replan", c_path, r_path, since)},
    }
    if not fresh:
        print(f"  {name}: {what}: re-plan moved {row['replan']['moved']}/{row['remaining']} in {seconds:.1f} s",
              file=sys.stderr)
        return row
    began = time.perf_counter()
    plan = routeopt.plan(problem, options)
    seconds = time.perf_counter() - began
    plan.write(folder / "fresh")
    row["fresh"] = {"moved": moved(old, plan, since), "drive_wait": drive_wait(plan, since),
                    "visits": remaining(plan, since), "drive_wait_all": drive_wait(plan, scenarios.START),
                    "seconds": round(seconds, 2), "unscheduled": len(plan.unscheduled),
                    **checked(folder / "fresh", c_path, r_path, None)}
    print(f"  {name}: {what}: re-plan moved {row['replan']['moved']}/{row['remaining']}, "
          f"fresh moved {row['fresh']['moved']}", file=sys.stderr)
    return row


def pct(part: float, whole: float) -> str:
    return f"{100 * part / whole:.1f} %" if whole else "–"


def tables(rows: list[dict[str, Any]]) -> str:
    lines = ["| case | change | from | remaining | re-plan moved | retimed | fresh moved | drive+wait re-plan "
             "(visits) | fresh (visits) | Δ | Δ whole horizon | coverage re-plan / fresh | broken re-plan "
             "(validate + check_plan) | broken fresh | check_plan in the history | re-plan s | fresh s |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        a, b, n = r["replan"], r.get("fresh"), r["remaining"]
        dash = "–"
        cells = [
            r["case"], r["what"], r["from"], str(n), f"{a['moved']} ({pct(a['moved'], n)})", str(a["retimed"]),
            f"{b['moved']} ({pct(b['moved'], n)})" if b else dash,
            f"{a['drive_wait']} ({a['visits']})", f"{b['drive_wait']} ({b['visits']})" if b else dash,
            pct(a["drive_wait"] - b["drive_wait"], b["drive_wait"]) if b else dash,
            pct(a["drive_wait_all"] - b["drive_wait_all"], b["drive_wait_all"]) if b else dash,
            f"{a['coverage']:.1%} / " + (f"{b['coverage']:.1%}" if b else dash),
            broken(a), broken(b) if b else dash,
            str(a.get("check_plan_history") or dash), str(a["seconds"]), str(b["seconds"]) if b else dash,
        ]
        lines.append("| " + " | ".join(cells) + " |")
    randoms = [r for r in rows if r["case"].startswith("random") and "fresh" in r]
    if randoms:
        ours = [r["replan"]["moved"] for r in randoms]
        theirs = [r["fresh"]["moved"] for r in randoms]
        lines += ["", f"{len(randoms)} random single changes, visits moved (another day or rep, added or removed):",
                  "", "| | median | max | mean |", "|---|---|---|---|",
                  f"| re-plan | {statistics.median(ours)} | {max(ours)} | {statistics.mean(ours):.1f} |",
                  f"| fresh plan | {statistics.median(theirs)} | {max(theirs)} | {statistics.mean(theirs):.1f} |"]
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scenario", default="s300")
    ap.add_argument("--time-limit", type=float, default=30.0, help="budget of every plan, seconds")
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--changes", type=int, default=20, help="random single changes")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", type=Path, default=HERE / "out" / "replan")
    ap.add_argument("--quick", action="store_true", help="s120, 3 random changes, 5 s plans")
    ap.add_argument("--no-fresh", action="store_true", help="re-plans only, no fresh plan of each change")
    args = ap.parse_args()
    if args.quick:
        args.scenario, args.changes, args.time_limit = "s120", 3, 5.0
    out: Path = args.out
    if args.scenario == "national":
        import scenario_national

        customers_csv, reps_csv = scenario_national.make_national(out / "scenario")
    else:
        customers_csv, reps_csv = scenarios.write_scenario(args.scenario, out / "scenario")
    customers = pd.read_csv(customers_csv, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    reps = pd.read_csv(reps_csv, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    horizon = routeopt.make_horizon(scenarios.START, scenarios.WEEKS, scenarios.HOLIDAYS)
    problem = routeopt.read_problem(customers_csv, reps_csv, horizon)
    options = routeopt.PlanOptions(time_limit=args.time_limit, seed=args.seed, workers=args.workers)
    began = time.perf_counter()
    old = routeopt.plan(problem, options)
    plan_seconds = time.perf_counter() - began
    old.write(out / "old")
    base = checked(out / "old", customers_csv, reps_csv, None)
    print(f"old plan: {old} in {plan_seconds:.1f} s, broken {broken(base)}", file=sys.stderr)

    fresh = not args.no_fresh
    rows = [run_case("unchanged", "none", customers, reps, TOMORROW, old, options, out, fresh)]
    rng = random.Random(args.seed)
    found = appointment_for(problem, old, TOMORROW, rng, TOMORROW)
    assert found is not None
    trouble = customers.copy()
    trouble.loc[trouble.id == found[0], "appointment"] = found[1]
    rows.append(run_case("trouble call", f"appointment {found[0]} {found[1]}", trouble, reps, TOMORROW, old,
                         options, out, fresh))
    away = reps.copy()
    rep = str(reps.id.iloc[0])
    away.loc[away.id == rep, "days_off"] = ";".join(
        x for x in (str(reps.loc[reps.id == rep, "days_off"].iloc[0]), *(d.isoformat() for d in ABSENT)) if x)
    rows.append(run_case("absence", f"{rep} absent {ABSENT[0]:%m/%d}-{ABSENT[-1]:%m/%d}", customers, away,
                         ABSENT[0], old, options, out, fresh))
    days = [d for d in working_days(problem) if scenarios.START < d <= scenarios.START + dt.timedelta(days=20)]
    for k in range(args.changes):
        kind = KINDS[k % len(KINDS)]
        since = rng.choice(days)
        changed, what = change_tables(kind, customers, problem, old, since, rng)
        rows.append(run_case(f"random {k + 1}", what, changed, reps, since, old, options, out, fresh))

    absence = next(r for r in rows if r["case"] == "absence")
    gone = [(s.customer_id, r.date) for r in old.routes if r.rep == rep and r.date in ABSENT for s in r.visits]
    header = (f"{dt.date.today()} · {platform.processor() or platform.machine()} · {os.cpu_count()} cores · "
              f"Python {platform.python_version()} · routeopt {routeopt.__version__} · scenario {args.scenario} · "
              f"every plan {args.time_limit:g} s, seed {args.seed}, {args.workers} workers · old plan "
              f"{old.visits_planned} visits, {plan_seconds:.1f} s, broken {broken(base)}")
    text = "\n".join([
        f"# {header}", "", f"`python benchmarks/bench_replan.py {' '.join(sys.argv[1:])}`", "", tables(rows), "",
        f"Absence: {len(gone)} visits of {rep} on its absent days; "
        f"{absence['replan']['changes']['moved_day']} to another day, {absence['replan']['changes']['moved_rep']} "
        f"to a colleague, {absence['replan']['unscheduled']} due visits unscheduled (each with a reason).",
    ])
    print(text)
    (out / "results.json").write_text(json.dumps({"header": header, "rows": rows}, indent=1, default=str),
                                      encoding="utf-8")


if __name__ == "__main__":
    main()
